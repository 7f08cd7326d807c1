/**
 * CAP 1.2 writer for public warnings (OASIS Common Alerting Protocol, the format alerting
 * systems and public alert aggregators read). Pure functions, no database: the warnings module
 * hands in one warning version as its row holds it and gets the XML of that version's message.
 *
 * One warning gives one CAP message per version:
 * - version 1 is an `Alert`, later versions are `Update`s, a cancelled or closed warning is a
 *   `Cancel`; Update and Cancel carry `references`, the `sender,identifier,sent` triple of every
 *   earlier message of the warning (CAP 1.2 §3.2.1), so the module must keep, per version, the
 *   `sent` instant it published (see `capReference`);
 * - one `info` per language (`vi-VN`, and `en-US` when the warning has English texts);
 * - one `area` naming the communes (names from the reference list) with one `geocode` per
 *   commune, valueName `COMMUNE_GEOCODE`, value the commune's stable code
 *   (`phuong-hac-thanh`); a whole-province warning names the province, adds its ISO 3166-2
 *   code and lists every commune, so a consumer filtering by commune still finds it.
 *
 * Mappings (documented once, here):
 * - kind → category: scam, public order, wanted notice → Security (law enforcement);
 *   traffic → Transport; missing person → Safety (general public safety).
 * - kind → responseType: scam, traffic, public order → Avoid; missing person, wanted notice →
 *   Monitor (watch and report); every Cancel → AllClear.
 * - level (in the manner of Nixle) → urgency / severity / certainty:
 *   Alert → Immediate / Severe / Observed; Advisory → Expected / Moderate / Likely;
 *   Community → Future / Minor / Possible. A Cancel → Past / Minor / Observed.
 *
 * Text safety: every text is NFC (Vietnamese diacritics kept exactly), HTML tags are stripped
 * (script and style with their content), characters XML 1.0 forbids are removed, markup is
 * escaped. A Cancel of a warning about a person (missing person, wanted notice), and any closed
 * warning, carries only a neutral "ended" text: the person's details come down from CAP too.
 *
 * Times are written as CAP requires, `YYYY-MM-DDThh:mm:ss+07:00` (Asia/Ho_Chi_Minh, no DST).
 */
import { COMMUNES, communeByCode } from '../../reference/communes.ts'

/** What a warning is about. */
export type WarningKind = 'scam' | 'traffic' | 'public_order' | 'missing_person' | 'wanted'

/** How pressing it is, in the manner of Nixle. */
export type WarningLevel = 'alert' | 'advisory' | 'community'

/** Where the warning stands: closed = a person warning ended ("đã tìm thấy", "đã bắt được"). */
export type WarningState = 'active' | 'cancelled' | 'closed'

/** CAP `status` values a warning may carry (System and Draft are not ours to send). */
export type CapStatus = 'Actual' | 'Exercise' | 'Test'

/** The texts of a warning in one language. */
export interface CapText {
  /** Headline (the warning's title). */
  title: string
  /** What is happening (plain text; HTML is stripped). */
  description: string
  /** What the public should do; omitted from CAP when empty. */
  instruction?: string | null
}

/** An earlier message of the same warning, as stored when it was published. */
export interface CapReference {
  /** Its `sender`. */
  sender: string
  /** Its `identifier`. */
  identifier: string
  /** Its `sent` instant. */
  sent: Date
}

/** One version of a warning, as a warnings row and its area rows hold it. */
export interface CapWarning {
  /** The warning's id (no spaces, commas, `<` or `&`). */
  id: string
  /** 1 for the first published version, +1 for each update, cancellation or closing. */
  version: number
  /** What it is about. */
  kind: WarningKind
  /** Alert, Advisory or Community. */
  level: WarningLevel
  /** Active, cancelled or closed. */
  state: WarningState
  /** CAP status; `Actual` unless this is an exercise or a test. */
  capStatus?: CapStatus
  /** When this version was published (CAP `sent`); null for an unpublished preview (then `now`). */
  issuedAt: Date | null
  /** Every earlier published message of this warning, oldest first. */
  references: readonly CapReference[]
  /** Vietnamese texts (always). */
  vi: CapText
  /** English texts, when written; without them the message has only the Vietnamese `info`. */
  en?: CapText | null
  /** Start of validity (CAP `effective` and `onset`). */
  validFrom: Date
  /** End of validity (CAP `expires`); null = until cancelled. */
  validUntil: Date | null
  /** True when the warning concerns the whole province. */
  wholeProvince: boolean
  /** Codes of the communes concerned (reference list); ignored for a whole-province warning. */
  communeCodes: readonly string[]
  /** When a warning about a person was closed; set with state `closed`. */
  closedAt?: Date | null
}

/** Options of `capMessage`. */
export interface CapOptions {
  /** CAP `sender`: the tenant's address, e.g. `canhbao@congan.thanhhoa.gov.vn` (no spaces or commas). */
  sender: string
  /** The unit's name as the public knows it (`senderName`). */
  senderName: string
  /** The warning's public page (absolute URL): CAP `web`; its host names the tenant in `identifier`. */
  publicUrl: string
  /** The hotline (CAP `contact`); omitted when absent. */
  contact?: string | null
  /** The clock: `sent` of an unpublished preview. */
  now: Date
}

/** The CAP 1.2 namespace. */
export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2'

/** The geocode valueName of a commune: the value is its stable code from the reference list. */
export const COMMUNE_GEOCODE = 'donghanh-commune'

/** The province the reference list covers; its ISO 3166-2 code is the geocode of a whole-province area. */
export const PROVINCE = { nameVi: 'Tỉnh Thanh Hóa', nameEn: 'Thanh Hóa Province', iso3166_2: 'VN-21' } as const

/** CAP `category` of each kind. */
export const KIND_CATEGORY: Record<WarningKind, 'Security' | 'Safety' | 'Transport'> = {
  scam: 'Security',
  public_order: 'Security',
  wanted: 'Security',
  traffic: 'Transport',
  missing_person: 'Safety',
}

/** CAP `responseType` of each kind while the warning is in force. */
export const KIND_RESPONSE: Record<WarningKind, 'Avoid' | 'Monitor'> = {
  scam: 'Avoid',
  traffic: 'Avoid',
  public_order: 'Avoid',
  missing_person: 'Monitor',
  wanted: 'Monitor',
}

/** CAP urgency, severity and certainty of each level. */
export const LEVEL_CAP: Record<WarningLevel, { urgency: string; severity: string; certainty: string }> = {
  alert: { urgency: 'Immediate', severity: 'Severe', certainty: 'Observed' },
  advisory: { urgency: 'Expected', severity: 'Moderate', certainty: 'Likely' },
  community: { urgency: 'Future', severity: 'Minor', certainty: 'Possible' },
}

const CANCEL_CAP = { urgency: 'Past', severity: 'Minor', certainty: 'Observed' }

/** CAP `event` of each kind, per language. */
export const KIND_EVENT: Record<WarningKind, { vi: string; en: string }> = {
  scam: { vi: 'Cảnh báo thủ đoạn lừa đảo', en: 'Scam warning' },
  traffic: { vi: 'Cảnh báo giao thông', en: 'Traffic warning' },
  public_order: { vi: 'Cảnh báo an ninh trật tự', en: 'Public order warning' },
  missing_person: { vi: 'Tìm người mất tích', en: 'Missing person' },
  wanted: { vi: 'Truy nã', en: 'Wanted notice' },
}

const PERSON_KINDS: ReadonlySet<WarningKind> = new Set(['missing_person', 'wanted'])

/** The neutral text of a Cancel that must not repeat a warning's details. */
function endedText(w: CapWarning, lang: 'vi' | 'en'): CapText {
  if (w.state === 'closed' && w.kind === 'missing_person') {
    return lang === 'vi'
      ? { title: 'Đã tìm thấy người mất tích', description: 'Đã tìm thấy người mất tích. Cảnh báo đã kết thúc.' }
      : { title: 'Missing person found', description: 'The missing person has been found. This warning has ended.' }
  }
  if (w.state === 'closed' && w.kind === 'wanted') {
    return lang === 'vi'
      ? { title: 'Đã bắt được đối tượng truy nã', description: 'Đã bắt được đối tượng truy nã. Cảnh báo đã kết thúc.' }
      : { title: 'Wanted person apprehended', description: 'The wanted person has been apprehended. This warning has ended.' }
  }
  return lang === 'vi'
    ? { title: 'Cảnh báo đã kết thúc', description: 'Cảnh báo này đã kết thúc.' }
    : { title: 'Warning ended', description: 'This warning has ended.' }
}

// XML 1.0 Char production, less the C1 controls and DEL it discourages: anything else goes,
// lone surrogates included (the `u` flag makes them single code points outside the class).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu
const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Escapes text for XML content and attributes: NFC, forbidden characters removed, markup escaped. */
export function xmlText(text: string): string {
  return text
    .normalize('NFC')
    .replace(NOT_XML_CHAR, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string)
}

/**
 * Plain text from what an officer typed or pasted: script/style blocks and comments dropped,
 * block and line-break tags turned into newlines (paragraphs stay apart), every other tag removed, then NFC, forbidden
 * characters removed, spaces tidied. `a < b & c` stays as it is (a `<` not opening a tag is text).
 * The result is not escaped: pass it through `xmlText` when writing.
 */
export function plainText(text: string): string {
  return text
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<(script|style)\b[^>]*>[\s\S]*$/gi, '')
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/<br\s*\/?>|<\/?(p|div|li|ul|ol|h[1-6]|tr|blockquote)\b[^<>]*>/gi, '\n')
    .replace(/<\/?[a-zA-Z][^<>]*>/g, '')
    .normalize('NFC')
    .replace(NOT_XML_CHAR, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

const OFFSET_MS = 7 * 3600 * 1000

/** An instant as CAP writes it: local time of the province, `2026-11-20T14:30:00+07:00`. */
export function capTime(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('capTime: invalid date')
  // Vietnam keeps +07:00 all year (no DST since 1975), so shifting the instant is exact.
  return `${new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 19)}+07:00`
}

// CAP 1.2 §3.2.1: identifier and sender "MUST NOT include spaces, commas or restricted characters (< and &)".
const CAP_TOKEN = /^[^\s,<&]+$/

function assertToken(what: string, value: string): void {
  if (!CAP_TOKEN.test(value)) throw new RangeError(`CAP ${what} must not contain spaces, commas, < or &: ${JSON.stringify(value)}`)
}

/** The stable URN of a warning, all versions: `urn:donghanh:<host>:warning:<id>` (the feed's entry id). */
export function warningUrn(publicUrl: string, id: string): string {
  const urn = `urn:donghanh:${new URL(publicUrl).host}:warning:${id}`
  assertToken('identifier', urn)
  return urn
}

/** The identifier of a warning version: `urn:donghanh:<host>:warning:<id>:<version>`. */
export function capIdentifier(publicUrl: string, id: string, version: number): string {
  return `${warningUrn(publicUrl, id)}:${version}`
}

/** The reference a later message will carry for this version: store it when publishing. */
export function capReference(
  w: Pick<CapWarning, 'id' | 'version' | 'issuedAt'>,
  o: Pick<CapOptions, 'sender' | 'publicUrl' | 'now'>,
): CapReference {
  return { sender: o.sender, identifier: capIdentifier(o.publicUrl, w.id, w.version), sent: w.issuedAt ?? o.now }
}

/** The CAP msgType of a warning version. */
export function capMsgType(w: Pick<CapWarning, 'state' | 'version'>): 'Alert' | 'Update' | 'Cancel' {
  if (w.state !== 'active') return 'Cancel'
  return w.version === 1 ? 'Alert' : 'Update'
}

interface Area {
  vi: string
  en: string
  geocodes: { valueName: string; value: string }[]
}

function capArea(w: CapWarning): Area {
  if (w.wholeProvince) {
    return {
      vi: PROVINCE.nameVi,
      en: PROVINCE.nameEn,
      geocodes: [
        { valueName: 'ISO3166-2', value: PROVINCE.iso3166_2 },
        ...COMMUNES.map((c) => ({ valueName: COMMUNE_GEOCODE, value: c.code })),
      ],
    }
  }
  if (w.communeCodes.length === 0) throw new RangeError('CAP area: a warning names at least one commune or the whole province')
  const communes = [...new Set(w.communeCodes)].map((code) => {
    const c = communeByCode(code)
    if (!c) throw new RangeError(`CAP area: unknown commune code ${JSON.stringify(code)}`)
    return c
  })
  const names = communes.map((c) => c.name).join(', ')
  return { vi: names, en: names, geocodes: communes.map((c) => ({ valueName: COMMUNE_GEOCODE, value: c.code })) }
}

function el(indent: string, name: string, text: string | null | undefined): string[] {
  return text ? [`${indent}<${name}>${xmlText(text)}</${name}>`] : []
}

/**
 * The CAP 1.2 message of one warning version, as a UTF-8 XML document. Throws a RangeError on
 * input CAP cannot carry: an unknown commune code, no area, validity ending before it starts, an
 * Update or Cancel without references, a sender or identifier with spaces, commas, `<` or `&`.
 */
export function capMessage(w: CapWarning, o: CapOptions): string {
  const msgType = capMsgType(w)
  if (!Number.isInteger(w.version) || w.version < 1) throw new RangeError(`CAP: version must be a positive integer, got ${w.version}`)
  if (w.validUntil && w.validUntil.getTime() <= w.validFrom.getTime()) throw new RangeError('CAP: the warning ends before it starts')
  if (msgType !== 'Alert' && w.references.length === 0) throw new RangeError(`CAP ${msgType}: references to earlier messages are required`)
  assertToken('sender', o.sender)
  for (const r of w.references) {
    assertToken('reference sender', r.sender)
    assertToken('reference identifier', r.identifier)
  }
  const sent = w.issuedAt ?? o.now
  const area = capArea(w)
  const cancel = msgType === 'Cancel'
  // A Cancel never repeats a person's details; a closed warning only says it ended.
  const neutral = w.state === 'closed' || (cancel && PERSON_KINDS.has(w.kind))
  const levels = cancel ? CANCEL_CAP : LEVEL_CAP[w.level]

  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<alert xmlns="${CAP_NAMESPACE}">`,
    ...el('  ', 'identifier', capIdentifier(o.publicUrl, w.id, w.version)),
    ...el('  ', 'sender', o.sender),
    ...el('  ', 'sent', capTime(sent)),
    ...el('  ', 'status', w.capStatus ?? 'Actual'),
    ...el('  ', 'msgType', msgType),
    ...el('  ', 'scope', 'Public'),
    ...(msgType === 'Alert'
      ? []
      : el('  ', 'references', w.references.map((r) => `${r.sender},${r.identifier},${capTime(r.sent)}`).join(' '))),
  ]
  const languages: ['vi' | 'en', CapText][] = [['vi', w.vi]]
  if (w.en) languages.push(['en', w.en])
  for (const [lang, given] of languages) {
    const t = neutral ? endedText(w, lang) : given
    const headline = plainText(t.title)
    out.push(
      '  <info>',
      ...el('    ', 'language', lang === 'vi' ? 'vi-VN' : 'en-US'),
      ...el('    ', 'category', KIND_CATEGORY[w.kind]),
      ...el('    ', 'event', KIND_EVENT[w.kind][lang]),
      ...el('    ', 'responseType', cancel ? 'AllClear' : KIND_RESPONSE[w.kind]),
      ...el('    ', 'urgency', levels.urgency),
      ...el('    ', 'severity', levels.severity),
      ...el('    ', 'certainty', levels.certainty),
      ...el('    ', 'effective', capTime(cancel ? sent : w.validFrom)),
      ...(cancel ? [] : el('    ', 'onset', capTime(w.validFrom))),
      ...el('    ', 'expires', w.validUntil ? capTime(w.validUntil) : null),
      ...el('    ', 'senderName', plainText(o.senderName)),
      ...el('    ', 'headline', headline),
      ...el('    ', 'description', plainText(t.description) || headline),
      ...el('    ', 'instruction', t.instruction ? plainText(t.instruction) : null),
      ...el('    ', 'web', new URL(o.publicUrl).href),
      ...el('    ', 'contact', o.contact ? plainText(o.contact) : null),
      '    <area>',
      ...el('      ', 'areaDesc', area[lang]),
      ...area.geocodes.flatMap((g) => [
        '      <geocode>',
        ...el('        ', 'valueName', g.valueName),
        ...el('        ', 'value', g.value),
        '      </geocode>',
      ]),
      '    </area>',
      '  </info>',
    )
  }
  out.push('</alert>', '')
  return out.join('\n')
}
