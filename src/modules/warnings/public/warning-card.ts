/**
 * A warning's share cards as SVG (rendered to PNG by platform/html/raster.ts): 1200×630 for
 * Open Graph (`wide`) and 1080×1920 for stories (`story`). Each names the office, the level on
 * its colour, the kind, the title, the area, "Nguồn: <office>", the page address and the
 * hotline, so a shared picture still says who issued it and where to check it. Vietnamese only:
 * the cards are shared where the public reads Vietnamese.
 */
import { textWidth, truncate, wrapText, xmlEscape } from '../../../platform/html/card.ts'
import { t } from '../../../platform/i18n/index.ts'
import type { WarningKind, WarningLevel } from '../warnings.types.ts'

/** What a card shows (texts chosen by the caller). */
export interface WarningCardInput {
  level: WarningLevel
  kind: WarningKind
  title: string
  /** The area in words: commune names, or "Toàn tỉnh". */
  area: string
  /** The office (tenant) name. */
  office: string
  /** The page's absolute address. */
  link: string
  /** The office's hotline; omitted when empty. */
  hotline: string
  /** True when the warning was updated (version ≥ 2). */
  updated: boolean
}

/** The colour of each level (white text on it has a contrast of at least 4.5:1). */
export const LEVEL_COLOUR: Record<WarningLevel, string> = { alert: '#a4231c', advisory: '#8a5300', community: '#1f4e99' }

/** Card sizes by format. */
export const CARD_SIZE = { wide: { width: 1200, height: 630 }, story: { width: 1080, height: 1920 } } as const

const text = (x: number, y: number, size: number, weight: 400 | 600 | 700, fill: string, s: string, anchor = 'start') =>
  `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}"${anchor === 'start' ? '' : ` text-anchor="${anchor}"`}>${xmlEscape(s)}</text>`

/** The badge (level · kind) at (x, y): a rounded box on the level's colour. */
function badge(x: number, y: number, size: number, c: WarningCardInput): string {
  const label = `${t('vi', `wpub.level.${c.level}`)} · ${t('vi', `wpub.kind.${c.kind}`)}`.toUpperCase()
  const h = Math.round(size * 1.9)
  const w = Math.ceil(textWidth(label, size, 700) + size * 1.6)
  return [
    `<rect x="${x}" y="${y}" rx="${Math.round(size / 3)}" width="${w}" height="${h}" fill="${LEVEL_COLOUR[c.level]}"/>`,
    text(x + Math.round(size * 0.8), y + Math.round(h / 2 + size * 0.36), size, 700, '#ffffff', label),
  ].join('\n')
}

/** The card of a warning as SVG, in the chosen format. */
export function warningCardSvg(c: WarningCardInput, format: 'wide' | 'story'): string {
  const { width, height } = CARD_SIZE[format]
  const colour = LEVEL_COLOUR[c.level]
  const aria = xmlEscape(`${t('vi', `wpub.level.${c.level}`)} — ${c.title}`)
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${aria}" font-family="'Be Vietnam Pro', sans-serif">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<rect width="${width}" height="${format === 'wide' ? 16 : 28}" fill="${colour}"/>`,
  ]
  const source = t('vi', 'wpub.card.source', { office: c.office })
  const hotline = c.hotline ? t('vi', 'wpub.card.hotline', { hotline: c.hotline }) : ''
  const updated = c.updated ? t('vi', 'wpub.updatedTag').toUpperCase() : ''
  if (format === 'wide') {
    const titleLines = wrapText(c.title, { size: 46, weight: 700, width: 1080, lines: 3 })
    const areaLines = wrapText(t('vi', 'wpub.card.area', { area: c.area }), { size: 28, weight: 400, width: 1080, lines: 1 })
    const top = 250
    return [
      ...head,
      text(60, 80, 26, 600, '#4f5862', c.office),
      badge(60, 108, 30, c),
      updated ? text(1140, 150, 26, 700, colour, updated, 'end') : '',
      ...titleLines.map((l, i) => text(60, top + i * 56, 46, 700, '#1b1f23', l)),
      ...areaLines.map((l, i) => text(60, top + titleLines.length * 56 + 10 + i * 38, 28, 400, '#4f5862', l)),
      `<rect y="540" width="1200" height="90" fill="${colour}"/>`,
      text(60, 580, 26, 600, '#ffffff', source),
      hotline ? text(1140, 580, 26, 700, '#ffffff', hotline, 'end') : '',
      text(60, 612, 22, 400, '#ffffff', truncate(c.link, 90)),
      '</svg>',
    ].join('\n')
  }
  // Story: 1080×1920, text in a 920 px column (80 px margins), kept clear of the top and
  // bottom 250 px that story viewers cover with their own controls.
  const titleLines = wrapText(c.title, { size: 72, weight: 700, width: 920, lines: 6 })
  const areaLines = wrapText(t('vi', 'wpub.card.area', { area: c.area }), { size: 40, weight: 400, width: 920, lines: 3 })
  const titleTop = 640
  const areaTop = titleTop + titleLines.length * 88 + 40
  return [
    ...head,
    text(80, 320, 38, 600, '#4f5862', c.office),
    badge(80, 370, 44, c),
    updated ? text(80, 530, 38, 700, colour, updated) : '',
    ...titleLines.map((l, i) => text(80, titleTop + i * 88, 72, 700, '#1b1f23', l)),
    ...areaLines.map((l, i) => text(80, areaTop + i * 54, 40, 400, '#4f5862', l)),
    `<rect y="1420" width="1080" height="500" fill="${colour}"/>`,
    text(80, 1500, 38, 600, '#ffffff', source),
    hotline ? text(80, 1580, 52, 700, '#ffffff', hotline) : '',
    ...wrapText(c.link, { size: 30, weight: 400, width: 920, lines: 2 }).map((l, i) => text(80, 1650 + i * 40, 30, 400, '#ffffff', l)),
    '</svg>',
  ].join('\n')
}
