/**
 * The active-alerts feed: Atom 1.0 with one entry per warning in force, each pointing at the
 * warning's public page (`rel="alternate"`) and at its CAP 1.2 message (`rel="related"`,
 * `type="application/cap+xml"`), the way public alert aggregators index CAP publishers.
 * A pure builder: the caller lists only active warnings (never a closed or cancelled one), and
 * passes absolute URLs. Texts are made plain and escaped as in the CAP writer.
 */
import { capTime, plainText, xmlText } from './cap.ts'

/** One active warning as the feed lists it. */
export interface CapFeedEntry {
  /** The entry's id, the same for every version of the warning: `warningUrn(publicUrl, id)`. */
  id: string
  /** The headline (Vietnamese). */
  title: string
  /** A short summary; omitted when empty. */
  summary?: string | null
  /** When the warning was first published. */
  published: Date
  /** When its latest message was sent. */
  updated: Date
  /** The public page (absolute URL). */
  pageUrl: string
  /** The CAP XML of the latest message (absolute URL). */
  capUrl: string
}

/** Options of `activeAlertsFeed`. */
export interface CapFeedOptions {
  /** The feed's own URL: its id and its `rel="self"` link. */
  feedUrl: string
  /** The public list of warnings (`rel="alternate"`). */
  listUrl: string
  /** The feed's title, e.g. "Cảnh báo — Công an tỉnh Thanh Hóa". */
  title: string
  /** The unit's name (the feed's author). */
  authorName: string
  /** The clock: `updated` of an empty feed. */
  now: Date
}

/** The Atom 1.0 document of the warnings in force, newest first as given. */
export function activeAlertsFeed(entries: readonly CapFeedEntry[], o: CapFeedOptions): string {
  const updated = entries.length ? new Date(Math.max(...entries.map((e) => e.updated.getTime()))) : o.now
  const link = (rel: string, type: string, href: string) => `<link rel="${rel}" type="${type}" href="${xmlText(new URL(href).href)}"/>`
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
    `  <id>${xmlText(new URL(o.feedUrl).href)}</id>`,
    `  <title>${xmlText(plainText(o.title))}</title>`,
    `  <updated>${capTime(updated)}</updated>`,
    `  <author><name>${xmlText(plainText(o.authorName))}</name></author>`,
    `  ${link('self', 'application/atom+xml', o.feedUrl)}`,
    `  ${link('alternate', 'text/html', o.listUrl)}`,
  ]
  for (const e of entries) {
    const summary = e.summary ? plainText(e.summary) : ''
    out.push(
      '  <entry>',
      `    <id>${xmlText(e.id)}</id>`,
      `    <title>${xmlText(plainText(e.title))}</title>`,
      `    <published>${capTime(e.published)}</published>`,
      `    <updated>${capTime(e.updated)}</updated>`,
      `    ${link('alternate', 'text/html', e.pageUrl)}`,
      `    ${link('related', 'application/cap+xml', e.capUrl)}`,
      ...(summary ? [`    <summary>${xmlText(summary)}</summary>`] : []),
      '  </entry>',
    )
  }
  out.push('</feed>', '')
  return out.join('\n')
}
