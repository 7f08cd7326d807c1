/**
 * A release's share card, 1200×630 (served as PNG for Open Graph): the kind on its colour, the
 * title, the summary, "Nguồn: <unit>", the link, the date and the verification code — so a
 * shared preview names its official source and can be checked at /xac-minh.
 */
import { textWidth, truncate, wrapText, xmlEscape } from '../../platform/html/card.ts'
import { t } from '../../platform/i18n/index.ts'

/** What the card shows (texts already chosen; the date formatted). */
export interface ReleaseCardInput {
  kind: string
  title: string
  summary: string
  unit: string
  link: string
  date: string
  code: string | null
}

/** The card as SVG (Be Vietnam Pro, as the PNG renderer has it). */
export function releaseCardSvg(c: ReleaseCardInput): string {
  const colour = c.kind === 'warning' ? '#a4231c' : c.kind === 'correction' ? '#7a5d00' : '#0d5c3a'
  const kind = t('vi', `news.kind.${c.kind}`)
  // The text column is 1080 px wide (60 px margins).
  const titleLines = wrapText(c.title, { size: 46, weight: 700, width: 1080, lines: 3 })
  const summaryLines = c.summary ? wrapText(c.summary, { size: 28, weight: 400, width: 1080, lines: titleLines.length > 2 ? 1 : 2 }) : []
  const kindText = kind.toUpperCase()
  const text = (x: number, y: number, size: number, weight: number, fill: string, s: string) =>
    `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}">${xmlEscape(s)}</text>`
  const top = 250
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630" role="img" aria-label="${xmlEscape(`${kind} — ${c.title}`)}" font-family="'Be Vietnam Pro', sans-serif">`,
    '<rect width="1200" height="630" fill="#ffffff"/>',
    `<rect width="1200" height="16" fill="${colour}"/>`,
    text(60, 80, 26, 600, '#4f5862', c.unit),
    `<rect x="60" y="108" rx="12" width="${Math.min(1080, Math.ceil(56 + textWidth(kindText, 34, 700)))}" height="64" fill="${colour}"/>`,
    text(88, 152, 34, 700, '#ffffff', kindText),
    ...titleLines.map((l, i) => text(60, top + i * 56, 46, 700, '#1b1f23', l)),
    ...summaryLines.map((l, i) => text(60, top + titleLines.length * 56 + 8 + i * 38, 28, 400, '#4f5862', l)),
    '<rect y="540" width="1200" height="90" fill="#0d5c3a"/>',
    text(60, 580, 26, 600, '#ffffff', t('vi', 'news.card.source', { unit: c.unit })),
    c.code
      ? `<text x="1140" y="580" font-size="24" font-weight="600" fill="#ffffff" text-anchor="end">${xmlEscape(t('vi', 'news.card.code', { code: c.code }))}</text>`
      : '',
    text(60, 612, 22, 400, '#e3f3e8', `${truncate(c.link, 70)} · ${c.date}`),
    '</svg>',
  ].join('\n')
}
