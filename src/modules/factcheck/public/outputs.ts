/**
 * What the desk hands out besides pages: the partners' short share text (≤ 280 characters,
 * official source named), the 1200×630 SVG image card, and the verdict feeds (RSS 2.0, JSON
 * Feed 1.1). Pure builders over already-published verdicts; every text is XML-escaped or
 * JSON-serialised, every URL absolute.
 */
import { textWidth, truncate, wrapText, xmlEscape } from '../../../platform/html/card.ts'
import { t } from '../../../platform/i18n/index.ts'
import type { VerdictLabel } from '../factcheck.tables.ts'
import { LABELS } from '../labels.ts'

export { truncate, xmlEscape }

/** Longest share text (a post on most networks). */
export const SHARE_TEXT_MAX = 280

/** Path of a verdict page. */
export function verdictPath(slug: string): string {
  return `/kiem-chung/${encodeURIComponent(slug)}`
}

/** The partners' short text: label, headline, "Nguồn: <unit>" and the link, ≤ 280 characters. */
export function shareText(o: { label: VerdictLabel; headline: string; unit: string; link: string }): string {
  const params = { label: LABELS[o.label].vi, unit: o.unit, link: o.link }
  const full = t('vi', 'kc.kit.shareText', { ...params, headline: o.headline })
  if (full.length <= SHARE_TEXT_MAX) return full
  const room = SHARE_TEXT_MAX - (full.length - o.headline.length)
  return t('vi', 'kc.kit.shareText', { ...params, headline: truncate(o.headline, Math.max(10, room)) }).slice(0, SHARE_TEXT_MAX)
}

/** The colour of a rating (1 red … 5 green), readable with white text. */
export function ratingColour(rating: number): string {
  return rating <= 1 ? '#a4231c' : rating === 2 ? '#b34a06' : rating <= 4 ? '#7a5d00' : '#0d5c3a'
}

/** Input of the image card. */
export interface CardInput {
  label: VerdictLabel
  statement: string
  headline: string
  unit: string
  link: string
  /** The date shown (already formatted). */
  date: string
}

/**
 * The verdict's image card, 1200×630 SVG: the label on its colour with the English name and
 * the rating, the claim (truncated), the headline, "Nguồn: <unit>", the link and the date.
 */
export function verdictCardSvg(c: CardInput): string {
  const label = LABELS[c.label]
  const colour = ratingColour(label.rating)
  const font = "'Be Vietnam Pro', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"
  // The text column is 1080 px wide (60 px margins); the claim leaves room for its quotes.
  const claimLines = wrapText(c.statement, { size: 28, weight: 400, width: 1080 - textWidth('“”', 28, 400), lines: 3 })
  const headLines = wrapText(c.headline, { size: 40, weight: 700, width: 1080, lines: 2 })
  const labelText = label.vi.toUpperCase()
  const text = (x: number, y: number, size: number, weight: number, fill: string, s: string) =>
    `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}">${xmlEscape(s)}</text>`
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630" role="img" aria-label="${xmlEscape(`${label.vi} — ${c.headline}`)}" font-family="${xmlEscape(font)}">`,
    '<rect width="1200" height="630" fill="#ffffff"/>',
    `<rect width="1200" height="16" fill="${colour}"/>`,
    text(60, 80, 26, 600, '#4f5862', `${t('vi', 'kc.card.heading')} · ${c.unit}`),
    `<rect x="60" y="108" rx="14" width="${Math.min(1080, Math.ceil(60 + textWidth(labelText, 54, 700)))}" height="92" fill="${colour}"/>`,
    text(90, 172, 54, 700, '#ffffff', labelText),
    text(60, 240, 26, 400, '#4f5862', `${label.en} · ${label.rating}/5`),
    ...headLines.map((l, i) => text(60, 300 + i * 48, 40, 700, '#1b1f23', l)),
    text(60, 300 + headLines.length * 48 + 10, 24, 600, '#4f5862', t('vi', 'kc.card.claim')),
    ...claimLines.map((l, i) =>
      text(
        60,
        300 + headLines.length * 48 + 46 + i * 34,
        28,
        400,
        '#1b1f23',
        `${i === 0 ? '“' : ''}${l}${i === claimLines.length - 1 ? '”' : ''}`,
      ),
    ),
    '<rect y="540" width="1200" height="90" fill="#0d5c3a"/>',
    text(60, 580, 26, 600, '#ffffff', t('vi', 'kc.kit.source', { unit: c.unit })),
    text(60, 612, 22, 400, '#e3f3e8', `${truncate(c.link, 70)} · ${c.date}`),
    '</svg>',
  ].join('\n')
}

/** A published verdict as the feeds list it. */
export interface FeedVerdict {
  slug: string | null
  statement: string
  label: VerdictLabel
  headline: string
  publishedAt: Date | null
}

/** The site a feed describes. */
export interface FeedSite {
  publicUrl: string
  unit: string
}

function itemTitle(v: FeedVerdict): string {
  return `[${LABELS[v.label].vi}] ${v.headline}`
}

function itemBody(v: FeedVerdict): string {
  return t('vi', 'kc.feed.itemBody', { statement: truncate(v.statement, 500), label: LABELS[v.label].vi })
}

/** RSS 2.0 of the newest verdicts. */
export function verdictRss(site: FeedSite, items: FeedVerdict[]): string {
  const home = `${site.publicUrl}/kiem-chung/ket-luan`
  const newest = items.reduce((m, v) => (v.publishedAt && v.publishedAt > m ? v.publishedAt : m), new Date(0))
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    '<channel>',
    `<title>${xmlEscape(t('vi', 'kc.feed.title', { unit: site.unit }))}</title>`,
    `<link>${xmlEscape(home)}</link>`,
    `<description>${xmlEscape(t('vi', 'kc.feed.description'))}</description>`,
    '<language>vi</language>',
    `<lastBuildDate>${newest.toUTCString()}</lastBuildDate>`,
    `<atom:link href="${xmlEscape(`${site.publicUrl}/kiem-chung/rss.xml`)}" rel="self" type="application/rss+xml"/>`,
  ]
  for (const v of items) {
    if (!v.slug) continue
    const url = `${site.publicUrl}${verdictPath(v.slug)}`
    out.push(
      '<item>',
      `<title>${xmlEscape(itemTitle(v))}</title>`,
      `<link>${xmlEscape(url)}</link>`,
      `<guid isPermaLink="true">${xmlEscape(url)}</guid>`,
      `<pubDate>${(v.publishedAt ?? new Date(0)).toUTCString()}</pubDate>`,
      `<description>${xmlEscape(itemBody(v))}</description>`,
      `<category>${xmlEscape(LABELS[v.label].vi)}</category>`,
      '</item>',
    )
  }
  out.push('</channel>', '</rss>')
  return out.join('\n')
}

/** JSON Feed 1.1 of the newest verdicts. */
export function verdictJsonFeed(site: FeedSite, items: FeedVerdict[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: t('vi', 'kc.feed.title', { unit: site.unit }),
    home_page_url: `${site.publicUrl}/kiem-chung/ket-luan`,
    feed_url: `${site.publicUrl}/kiem-chung/feed.json`,
    description: t('vi', 'kc.feed.description'),
    language: 'vi',
    authors: [{ name: site.unit }],
    items: items
      .filter((v) => v.slug)
      .map((v) => {
        const url = `${site.publicUrl}${verdictPath(v.slug as string)}`
        return {
          id: url,
          url,
          title: itemTitle(v),
          content_text: itemBody(v),
          date_published: v.publishedAt?.toISOString(),
          tags: [LABELS[v.label].vi, LABELS[v.label].en],
          _claim_review: { label: v.label, rating: LABELS[v.label].rating, alternate_name: LABELS[v.label].vi },
        }
      }),
  })
}
