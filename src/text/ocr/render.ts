/**
 * Phone screenshots of known Vietnamese texts, for the OCR tests, the CER evaluation
 * (tools/eval-ocr.ts) and the bench: a social-media post or a chat thread, light or dark, at 1×
 * or 2× pixel density, PNG or JPEG at quality 40 (what a screenshot becomes after a messenger
 * recompresses it). Drawn as SVG with TTFs from npm (resvg, no system fonts), so a render is
 * the same on every machine; the reference is exactly the text drawn. Two fonts: the project's
 * Be Vietnam Pro (the default; a hard case for Tesseract's model, whose "a" it reads as "ơ"/"o"
 * one time in five) and Roboto, Android's system font, in which most phone screenshots in
 * Vietnam are drawn (Apache 2.0, @expo-google-fonts/roboto, a dev dependency).
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import sharp from 'sharp'
import { textWidth, xmlEscape } from '../../platform/html/card.ts'
import { type RasterFont, svgToPng } from '../../platform/html/raster.ts'

/** What a screenshot looks like. */
export interface ScreenshotSpec {
  /** A feed post (author, time, body, action bar) or a chat thread (bubbles). */
  layout: 'post' | 'chat'
  theme: 'light' | 'dark'
  /** Device pixels per CSS pixel: 1 (older phones, shared thumbnails) or 2. */
  density: 1 | 2
  format: 'png' | 'jpeg40'
  /** The typeface (default Be Vietnam Pro). */
  font?: ScreenshotFont
}

/** The typefaces screenshots are drawn in. */
export type ScreenshotFont = 'be-vietnam-pro' | 'roboto'
export const SCREENSHOT_FONTS: readonly ScreenshotFont[] = ['be-vietnam-pro', 'roboto']

let roboto: RasterFont | undefined
/** Roboto Regular, Medium and Bold (600 is drawn in the nearest, as on a phone). */
function robotoFont(): RasterFont {
  if (roboto) return roboto
  const dir = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/roboto/package.json'))
  const files = ['400Regular', '500Medium', '700Bold'].map((w) => path.join(dir, w, `Roboto_${w}.ttf`))
  roboto = { family: 'Roboto', files }
  return roboto
}

/** A rendered screenshot and the text it shows, in reading order. */
export interface Screenshot {
  image: Buffer
  reference: string
  width: number
  height: number
}

const WIDTH = 390
const PALETTE = {
  light: { bg: '#ffffff', text: '#050505', muted: '#65676b', bubbleIn: '#e4e6eb', bubbleOut: '#0068ff', outText: '#ffffff' },
  dark: { bg: '#18191a', text: '#e4e6eb', muted: '#b0b3b8', bubbleIn: '#3a3b3c', bubbleOut: '#0a7cff', outText: '#ffffff' },
} as const

/** Greedy word wrap at `max` CSS px in the given size and weight. */
export function wrapLines(text: string, max: number, size: number, weight: 400 | 600 | 700 = 400): string[] {
  const out: string[] = []
  for (const para of text.split(/\n+/)) {
    let line = ''
    for (const word of para.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word
      if (line && textWidth(next, size, weight) > max) {
        out.push(line)
        line = word
      } else line = next
    }
    if (line) out.push(line)
  }
  return out
}

interface Drawn {
  svg: string
  reference: string[]
  height: number
}

function textEl(x: number, y: number, s: string, size: number, fill: string, weight = 400, anchor = 'start'): string {
  return `<text x="${x}" y="${y}" font-size="${size}" font-weight="${weight}" fill="${fill}" text-anchor="${anchor}">${xmlEscape(s)}</text>`
}

function drawPost(body: string, author: string, theme: 'light' | 'dark'): Drawn {
  const p = PALETTE[theme]
  const parts: string[] = []
  const reference: string[] = [author, '2 giờ']
  parts.push(`<circle cx="36" cy="36" r="20" fill="${p.bubbleIn}"/>`)
  parts.push(textEl(66, 32, author, 15, p.text, 600))
  parts.push(textEl(66, 50, '2 giờ', 13, p.muted))
  let y = 92
  for (const line of wrapLines(body, WIDTH - 32, 15)) {
    parts.push(textEl(16, y, line, 15, p.text))
    reference.push(line)
    y += 21
  }
  y += 14
  parts.push(`<rect x="16" y="${y}" width="${WIDTH - 32}" height="1" fill="${p.bubbleIn}"/>`)
  y += 26
  const actions = ['Thích', 'Bình luận', 'Chia sẻ']
  for (const [i, a] of actions.entries()) parts.push(textEl(65 + i * 130, y, a, 14, p.muted, 600, 'middle'))
  reference.push(...actions)
  return { svg: parts.join(''), reference, height: y + 18 }
}

function drawChat(body: string, author: string, theme: 'light' | 'dark'): Drawn {
  const p = PALETTE[theme]
  const parts: string[] = []
  const reference: string[] = [author]
  parts.push(`<rect width="${WIDTH}" height="56" fill="${p.bubbleIn}" opacity="0.5"/>`)
  parts.push(textEl(WIDTH / 2, 34, author, 16, p.text, 700, 'middle'))
  let y = 76
  // One bubble per sentence, alternating sides: what a forwarded rumour looks like in a group.
  const sentences = body.split(/(?<=[.!?…])\s+/).filter(Boolean)
  sentences.forEach((sentence, i) => {
    const out = i % 2 === 1
    const lines = wrapLines(sentence, 250, 15)
    const w = Math.max(...lines.map((l) => textWidth(l, 15, 400))) + 24
    const h = lines.length * 21 + 16
    const x = out ? WIDTH - 12 - w : 12
    parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="16" fill="${out ? p.bubbleOut : p.bubbleIn}"/>`)
    lines.forEach((l, k) => {
      parts.push(textEl(x + 12, y + 24 + k * 21, l, 15, out ? p.outText : p.text))
      reference.push(l)
    })
    y += h + 10
  })
  return { svg: parts.join(''), reference, height: y + 10 }
}

/**
 * Renders `body` as a phone screenshot.
 * @param body the message (a rumour, a post); sentences become bubbles in the chat layout
 * @param spec layout, theme, density and format
 * @param author the name in the header
 */
export async function renderScreenshot(body: string, spec: ScreenshotSpec, author = 'Nguyễn Thị Hương'): Promise<Screenshot> {
  const d = spec.layout === 'post' ? drawPost(body, author, spec.theme) : drawChat(body, author, spec.theme)
  const k = spec.density
  const width = WIDTH * k
  const height = Math.ceil(d.height * k)
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${WIDTH} ${d.height}">` +
    `<rect width="100%" height="100%" fill="${PALETTE[spec.theme].bg}"/>${d.svg}</svg>`
  const png = svgToPng(svg, spec.font === 'roboto' ? robotoFont() : undefined)
  const image = spec.format === 'png' ? png : await sharp(png).jpeg({ quality: 40, chromaSubsampling: '4:2:0' }).toBuffer()
  return { image, reference: d.reference.join('\n'), width, height }
}

/** Every combination of layout, theme, density and format (16 specs), in one font (default Be Vietnam Pro). */
export function allSpecs(font?: ScreenshotFont): ScreenshotSpec[] {
  const out: ScreenshotSpec[] = []
  for (const layout of ['post', 'chat'] as const)
    for (const theme of ['light', 'dark'] as const)
      for (const density of [1, 2] as const)
        for (const format of ['png', 'jpeg40'] as const)
          out.push({ layout, theme, density, format, ...(font && font !== 'be-vietnam-pro' ? { font } : {}) })
  return out
}
