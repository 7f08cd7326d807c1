/**
 * How a delivery reads: subject, plain text and HTML of its mail, Vietnamese first with English,
 * the official source, labels (CẤM ĐĂNG TRƯỚC …, KHÔNG SỬ DỤNG / DO NOT USE), and the
 * recipient's own links. The portal inbox shows the same words.
 *
 * Deliberately plain: no remote images and no tracking pixels (a mail that phones home when it
 * is opened would tell a third party what a journalist reads); "opened" is known only from the
 * recipient's own links and the portal. Every piece of text from the payload is escaped in the
 * HTML part.
 */
import { escapeHtml } from '../../../platform/html/jsx-runtime.ts'
import { t } from '../../../platform/i18n/index.ts'
import { localInputValue } from '../../../platform/time.ts'
import { fileLink, itemLink } from '../distribution.links.ts'
import type { DeliveryKind, DeliveryPayload } from '../distribution.types.ts'

/** A delivery's message. */
export interface RenderedMessage {
  subject: string
  text: string
  html: string
}

/** What rendering needs of a delivery. */
export interface RenderableDelivery {
  id: string
  kind: string
  linkToken: string
  payload: DeliveryPayload
}

/** `HH:mm dd/MM/yyyy` in Asia/Ho_Chi_Minh (the form newsrooms write an embargo in). */
export function embargoTime(iso: string | undefined): string {
  const at = iso ? new Date(iso) : null
  if (!at || Number.isNaN(at.getTime())) return '?'
  const v = localInputValue(at) // 2026-11-20T14:30
  return `${v.slice(11, 16)} ${v.slice(8, 10)}/${v.slice(5, 7)}/${v.slice(0, 4)}`
}

function both(key: string, params: Record<string, string | number> = {}): [string, string] {
  return [t('vi', `dist.delivery.${key}`, params), t('en', `dist.delivery.${key}`, params)]
}

/** One paragraph of the message: plain lines, and an optional link. */
interface Block {
  lines: string[]
  /** Shown larger (the label, the title). */
  strong?: boolean
  link?: { label: string; url: string }
  /** A quoted passage. */
  quote?: boolean
}

function kindOf(k: string): DeliveryKind {
  return (['embargo', 'publish', 'correction', 'kill', 'test', 'correction_request', 'notice'] as const).includes(k as DeliveryKind)
    ? (k as DeliveryKind)
    : 'notice'
}

/** The blocks of one delivery, in reading order (shared by the text and HTML parts). */
function blocksOf(d: RenderableDelivery, publicUrl: string): { subject: string; blocks: Block[] } {
  const p = d.payload
  const kind = kindOf(d.kind)
  const time = embargoTime(p.liftAt)
  // A warning's update and its end have their own words (an update is not a correction).
  const warning = p.itemType === 'warning'
  const [labelVi, labelEn] =
    warning && (kind === 'correction' || kind === 'kill') ? both(`warning.label.${kind}`) : both(`label.${kind}`, { time })
  const blocks: Block[] = []
  blocks.push({ lines: [labelVi, labelEn], strong: true })
  blocks.push({ lines: [p.title, ...(p.label ? [`[${p.label}]`] : [])], strong: true })
  if (warning && (p.area || p.validFrom)) {
    const lines: string[] = []
    if (p.area) lines.push(both('warning.area', { area: p.area }).join(' / '))
    if (p.validFrom) {
      const from = embargoTime(p.validFrom)
      lines.push(
        (p.validUntil ? both('warning.validUntil', { from, until: embargoTime(p.validUntil) }) : both('warning.validFrom', { from })).join(
          ' / ',
        ),
      )
    }
    blocks.push({ lines })
  }
  const link = itemLink(publicUrl, d.linkToken)
  const linkBlock = (): Block => {
    const [vi, en] = both('openLabel')
    return { lines: [], link: { label: `${vi} / ${en}`, url: link } }
  }
  const files = (): Block[] =>
    p.files?.length
      ? [
          {
            lines: [`${both('files').join(' / ')}`, ...p.files.map((f) => `${f.name} — ${fileLink(publicUrl, d.linkToken, f.id)}`)],
          },
        ]
      : []
  switch (kind) {
    case 'kill':
      // A kill notice repeats nothing of the withdrawn text: only which item, and why.
      blocks.push({ lines: both(warning ? 'warning.killNote' : 'killNote') })
      if (p.reason) blocks.push({ lines: both('reason', { reason: p.reason }) })
      break
    case 'correction_request':
      blocks.push({ lines: both('correctionRequestNote') })
      if (p.quote) {
        blocks.push({ lines: [both('quoteOfficial').join(' / ')] }, { lines: [p.quote.official], quote: true })
        blocks.push({ lines: [both('quotePublished').join(' / ')] }, { lines: [p.quote.published], quote: true })
        blocks.push({ lines: [both('quoteUrl', { url: p.quote.url })[0]] })
      }
      if (p.summary) blocks.push({ lines: [p.summary] })
      blocks.push(linkBlock())
      break
    case 'test':
      blocks.push({ lines: both('testNote') })
      break
    case 'notice':
      if (p.summary) blocks.push({ lines: [p.summary] })
      if (p.reason) blocks.push({ lines: both('reason', { reason: p.reason }) })
      if (p.body) blocks.push({ lines: p.body.split('\n') })
      break
    default: {
      // embargo, publish, correction: the item itself.
      if (kind === 'embargo') blocks.push({ lines: both('embargoNote', { time }) })
      if (kind === 'correction' && p.changeNote) blocks.push({ lines: both('changeNote', { note: p.changeNote }) })
      const meta = [
        ...(p.edition ? [both('edition', { edition: p.edition }).join(' / ')] : []),
        ...(p.verificationCode ? [both('verification', { code: p.verificationCode }).join(' / ')] : []),
      ]
      if (meta.length) blocks.push({ lines: meta })
      if (p.summary) blocks.push({ lines: [p.summary] })
      if (p.body) for (const para of p.body.split(/\n{2,}/)) if (para.trim()) blocks.push({ lines: para.split('\n') })
      blocks.push(linkBlock())
      blocks.push(...files())
    }
  }
  const src = p.source ?? { name: '', url: publicUrl }
  // Warnings are official information partners and the public carry further: with the source named.
  if (warning) blocks.push({ lines: both('warning.official', { name: src.name }), strong: true })
  blocks.push({ lines: both('source', { name: src.name, url: src.url }) })
  if (p.unsubscribeUrl) blocks.push({ lines: both('unsubscribe', { url: p.unsubscribeUrl }) })
  if (p.preferencesUrl) blocks.push({ lines: both('preferences', { url: p.preferencesUrl }) })
  const subject = kind === 'publish' ? p.title : `[${labelVi} / ${labelEn}] ${p.title}`
  // Mail headers are one line: a title with a line break in it must not start a new header.
  return { subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 250), blocks }
}

function toText(blocks: Block[]): string {
  return `${blocks
    .map((b) => {
      const lines = b.quote ? b.lines.map((l) => `> ${l}`) : [...b.lines]
      if (b.link) lines.push(`${b.link.label}: ${b.link.url}`)
      return lines.join('\n')
    })
    .join('\n\n')}\n`
}

function toHtml(subject: string, blocks: Block[]): string {
  const body = blocks
    .map((b) => {
      const lines = b.lines.map((l) => escapeHtml(l)).join('<br>')
      if (b.link) {
        const a = `<a href="${escapeHtml(b.link.url)}">${escapeHtml(b.link.label)}</a>`
        return `<p>${lines ? `${lines}<br>` : ''}${a}</p>`
      }
      if (b.quote) return `<blockquote style="border-left:3px solid #999;margin:0 0 1em;padding-left:.8em">${lines}</blockquote>`
      if (b.strong) return `<p style="font-size:1.1em"><strong>${lines}</strong></p>`
      return `<p>${lines}</p>`
    })
    .join('\n')
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body style="font-family:sans-serif;line-height:1.5;max-width:40em">\n${body}\n</body></html>`
}

/** Renders one delivery for its recipient (links carry the delivery's own token). */
export function renderMessage(d: RenderableDelivery, publicUrl: string): RenderedMessage {
  const { subject, blocks } = blocksOf(d, publicUrl)
  return { subject, text: toText(blocks), html: toHtml(subject, blocks) }
}

/** A daily digest: several deliveries of one partner in one mail, each with its own links. */
export function renderDigest(items: RenderableDelivery[], publicUrl: string, day: string): RenderedMessage {
  const [vi, en] = both('digestSubject', { day, count: items.length })
  const subject = `${vi} / ${en}`
  const blocks: Block[] = [{ lines: [vi, en], strong: true }, { lines: both('digestIntro') }]
  for (const item of items) {
    const one = blocksOf(item, publicUrl).blocks
    blocks.push({ lines: ['――――――――'] }, ...one)
  }
  return { subject, text: toText(blocks), html: toHtml(subject, blocks) }
}

/** NOTIFY channel that wakes the sender (the fan-out and retries notify it after commit). */
export const DISTRIBUTION_CHANNEL = 'donghanh_distribution'
