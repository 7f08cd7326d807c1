/**
 * Text helpers of the 1200×630 share cards (SVG, rendered to PNG by raster.ts): XML escaping,
 * truncation at a word, and wrapping into a few lines by the width the text takes in the cards'
 * font (Be Vietnam Pro, the TTFs raster.ts renders with), so that a line in capitals or of wide
 * letters is broken as early as it needs to be.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { type Font, openSync } from 'fontkit'

/** The weights the cards use. */
export type CardWeight = 400 | 600 | 700
const WEIGHT_FILES: Record<CardWeight, string> = { 400: '400Regular', 600: '600SemiBold', 700: '700Bold' }

let fontDir: string | undefined
/** The TTF of each weight the cards use (the renderer loads the same files). */
export function cardFontFiles(): string[] {
  return (Object.keys(WEIGHT_FILES) as unknown as CardWeight[]).map((w) => cardFontFile(Number(w) as CardWeight))
}

/** The TTF of one weight (Be Vietnam Pro); PDFs embed the same files. */
export function cardFontFile(weight: CardWeight): string {
  fontDir ??= path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/be-vietnam-pro/package.json'))
  const name = WEIGHT_FILES[weight]
  return path.join(fontDir, name, `BeVietnamPro_${name}.ttf`)
}

const fonts = new Map<CardWeight, Font>()
// Advance of each character, in em, per weight (the cards draw a few hundred distinct ones).
const advances = new Map<CardWeight, Map<number, number>>()

/**
 * Width in pixels of `text` at `size` px in the cards' font: the sum of the characters' advances
 * (no kerning, which only narrows a line). A character the font lacks counts as wide as "M".
 */
export function textWidth(text: string, size: number, weight: CardWeight): number {
  let font = fonts.get(weight)
  let cache = advances.get(weight)
  if (!font || !cache) {
    font = openSync(cardFontFile(weight))
    cache = new Map()
    fonts.set(weight, font)
    advances.set(weight, cache)
  }
  let em = 0
  for (const ch of text.normalize('NFC')) {
    const cp = ch.codePointAt(0) as number
    let a = cache.get(cp)
    if (a === undefined) {
      const code = font.hasGlyphForCodePoint(cp) ? cp : 0x4d
      a = font.glyphForCodePoint(code).advanceWidth / font.unitsPerEm
      cache.set(cp, a)
    }
    em += a
  }
  return em * size
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Escapes text for XML content and attributes; drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; they are removed on purpose.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string)
  )
}

/** Cuts `text` to at most `max` characters at a word boundary when possible, adding "…". */
export function truncate(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim()
  if (s.length <= max) return s
  const cut = s.slice(0, Math.max(0, max - 1))
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** How a block of card text is set: font size and weight, the width of its column, how many lines at most. */
export interface TextBox {
  size: number
  weight: CardWeight
  /** Column width in pixels. */
  width: number
  lines: number
}

/**
 * Breaks `text` into at most `box.lines` lines that each fit `box.width` in the cards' font; when
 * the text does not fit, the last line ends in "…" (giving up words for it; a single word wider
 * than the column is cut inside).
 */
export function wrapText(text: string, box: TextBox): string[] {
  const fits = (s: string): boolean => textWidth(s, box.size, box.weight) <= box.width
  const clip = (word: string): string => {
    let w = word
    while (w.length > 1 && !fits(`${w}…`)) w = w.slice(0, -1)
    return `${w}…`
  }
  const out: string[] = []
  let line = ''
  let cut = false
  for (const raw of text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean)) {
    const word = fits(raw) ? raw : clip(raw)
    if (!line) line = word
    else if (fits(`${line} ${word}`)) line += ` ${word}`
    else {
      out.push(line)
      line = word
      if (out.length === box.lines) {
        cut = true
        line = ''
        break
      }
    }
  }
  if (line) out.push(line)
  if (cut) {
    let last = out[box.lines - 1] as string
    while (!fits(`${last}…`) && last.includes(' ')) last = last.slice(0, last.lastIndexOf(' '))
    out[box.lines - 1] = fits(`${last}…`) ? `${last}…` : clip(last)
  }
  return out
}
