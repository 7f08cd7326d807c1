/**
 * PDF documents with Vietnamese text (badges, certificates): pdf-lib with the fontkit engine and
 * Be Vietnam Pro embedded from the TTFs the share cards use (`@expo-google-fonts/be-vietnam-pro`),
 * so every diacritic renders the same in any reader, with no font needed on the reader's side.
 * Text is normalised to NFC before drawing (a name typed with combining marks still maps to the
 * font's precomposed glyphs).
 */
import { readFile } from 'node:fs/promises'
import fontkit from '@pdf-lib/fontkit'
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib'
import { type CardWeight, cardFontFile } from '../html/card.ts'

export { rgb }
export type { PDFDocument, PDFFont, PDFPage }

const fontBytes = new Map<CardWeight, Promise<Buffer>>()

/** A new document with the fonts embedded: `fonts[400]`, `fonts[600]`, `fonts[700]`. */
export async function newPdf(meta: { title: string; author?: string; subject?: string }): Promise<{
  doc: PDFDocument
  fonts: Record<CardWeight, PDFFont>
}> {
  const doc = await PDFDocument.create()
  doc.registerFontkit(fontkit)
  doc.setTitle(meta.title.normalize('NFC'))
  doc.setAuthor((meta.author ?? 'Đồng Hành').normalize('NFC'))
  if (meta.subject) doc.setSubject(meta.subject.normalize('NFC'))
  doc.setProducer('Đồng Hành')
  doc.setCreator('Đồng Hành')
  const fonts = {} as Record<CardWeight, PDFFont>
  for (const w of [400, 600, 700] as const) {
    let bytes = fontBytes.get(w)
    if (!bytes) {
      bytes = readFile(cardFontFile(w))
      fontBytes.set(w, bytes)
    }
    // Subsetting keeps a badge at a few tens of KB; fontkit's subsetter handles these TTFs.
    fonts[w] = await doc.embedFont(await bytes, { subset: true })
  }
  return { doc, fonts }
}

/**
 * Draws `text` centred on `cx`, shrinking the size (down to `minSize`) until it fits `maxWidth`;
 * returns the size used.
 */
export function drawCentered(
  page: PDFPage,
  text: string,
  o: { cx: number; y: number; font: PDFFont; size: number; maxWidth: number; minSize?: number; color?: ReturnType<typeof rgb> },
): number {
  const t = text.normalize('NFC')
  let size = o.size
  const min = o.minSize ?? Math.max(6, o.size / 2)
  while (size > min && o.font.widthOfTextAtSize(t, size) > o.maxWidth) size -= 0.5
  const w = o.font.widthOfTextAtSize(t, size)
  page.drawText(t, { x: o.cx - w / 2, y: o.y, size, font: o.font, color: o.color ?? rgb(0.1, 0.1, 0.12) })
  return size
}

/** The PDF's bytes, with a fixed ID-less output (pdf-lib adds none) — deterministic for the same input and time. */
export async function pdfBytes(doc: PDFDocument): Promise<Buffer> {
  return Buffer.from(await doc.save())
}
