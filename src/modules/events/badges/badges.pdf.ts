/**
 * Badges as PDF, with Be Vietnam Pro embedded so a Vietnamese name prints the same everywhere.
 * One badge is an A6 portrait page; staff print every badge of an event four to an A4 page
 * (A6 is a quarter of A4, so the cut lines halve the sheet both ways).
 */
import { newPdf, type PDFDocument, type PDFFont, type PDFPage, drawCentered, pdfBytes, rgb } from '../../../platform/pdf/index.ts'
import { localFormat } from '../../../platform/time.ts'
import type { Badge } from './badges.queries.ts'
import { badgeQrPng } from './badges.qr.ts'

/** A6 portrait, in points. */
export const A6 = { width: 297.64, height: 419.53 } as const
/** A4 portrait, in points. */
export const A4 = { width: 595.28, height: 841.89 } as const

type Fonts = Record<400 | 600 | 700, PDFFont>

/** `09:00–11:00, Thứ Sáu, 20/11/2026 (GMT+7)`: the event's time, local, short enough for a badge. */
export function badgeWhen(event: { startsAt: Date; endsAt: Date }): string {
  const time = localFormat('vi', { hour: '2-digit', minute: '2-digit', hour12: false })
  const day = localFormat('vi', { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' })
  return `${time.format(event.startsAt)}–${time.format(event.endsAt)}, ${day.format(event.startsAt)} (GMT+7)`
}

/** Splits `text` into at most `maxLines` lines that fit `maxWidth` at `size` (the last one may still be long: it is shrunk when drawn). */
function wrap(text: string, font: PDFFont, size: number, maxWidth: number, maxLines: number): string[] {
  const words = text.normalize('NFC').split(/\s+/).filter(Boolean)
  const lines: string[] = []
  let line = ''
  for (let i = 0; i < words.length; i++) {
    const next = line ? `${line} ${words[i]}` : (words[i] as string)
    if (line && font.widthOfTextAtSize(next, size) > maxWidth) {
      lines.push(line)
      if (lines.length === maxLines - 1) {
        lines.push(words.slice(i).join(' '))
        return lines
      }
      line = words[i] as string
    } else line = next
  }
  if (line) lines.push(line)
  return lines
}

/** Draws one badge in the A6 cell whose lower-left corner is (x0, y0). */
async function drawBadge(doc: PDFDocument, page: PDFPage, fonts: Fonts, office: string, b: Badge, x0: number, y0: number): Promise<void> {
  const { width: w, height: h } = A6
  const cx = x0 + w / 2
  const inner = w - 36
  const grey = rgb(0.35, 0.35, 0.4)
  page.drawRectangle({ x: x0 + 6, y: y0 + 6, width: w - 12, height: h - 12, borderColor: rgb(0.75, 0.75, 0.8), borderWidth: 0.75 })
  let y = y0 + h - 30
  drawCentered(page, office.toLocaleUpperCase('vi'), { cx, y, font: fonts[600], size: 9, maxWidth: inner, color: grey })
  y -= 20
  for (const line of wrap(b.event.title, fonts[700], 12, inner, 2)) {
    drawCentered(page, line, { cx, y, font: fonts[700], size: 12, maxWidth: inner, minSize: 7 })
    y -= 15
  }
  drawCentered(page, badgeWhen(b.event), { cx, y, font: fonts[400], size: 8.5, maxWidth: inner, minSize: 6, color: grey })
  y -= 12
  if (b.event.place) {
    drawCentered(page, b.event.place, { cx, y, font: fonts[400], size: 8.5, maxWidth: inner, minSize: 6, color: grey })
  }
  y -= 32
  drawCentered(page, b.partnerName, { cx, y, font: fonts[700], size: 22, maxWidth: inner, minSize: 9 })
  y -= 17
  if (b.outletName) drawCentered(page, b.outletName, { cx, y, font: fonts[600], size: 11, maxWidth: inner, minSize: 7 })
  y -= 14
  if (b.companion) {
    const role = b.companion.role ? ` (${b.companion.role})` : ''
    drawCentered(page, `Đi cùng / Companion: ${b.companion.name}${role}`, {
      cx,
      y,
      font: fonts[400],
      size: 8.5,
      maxWidth: inner,
      minSize: 6,
    })
  }
  const qrSize = 170
  const qr = await doc.embedPng(await badgeQrPng(b.token))
  const qrY = y0 + 58
  page.drawImage(qr, { x: cx - qrSize / 2, y: qrY, width: qrSize, height: qrSize })
  drawCentered(page, b.code, { cx, y: qrY - 18, font: fonts[700], size: 16, maxWidth: inner })
  drawCentered(page, 'Không chuyển nhượng / Not transferable', {
    cx,
    y: y0 + 22,
    font: fonts[400],
    size: 7.5,
    maxWidth: inner,
    color: grey,
  })
}

/** One badge as an A6 PDF. `office` is the tenant's name (printed at the top). */
export async function badgePdf(office: string, badge: Badge): Promise<Buffer> {
  const { doc, fonts } = await newPdf({ title: `Thẻ tham dự — ${badge.partnerName} — ${badge.event.title}`, author: office })
  const page = doc.addPage([A6.width, A6.height])
  await drawBadge(doc, page, fonts, office, badge, 0, 0)
  return pdfBytes(doc)
}

/** Every badge given (at least one), four to an A4 page in reading order (the caller sorts them). */
export async function badgeSheetPdf(office: string, title: string, badges: Badge[]): Promise<Buffer> {
  const { doc, fonts } = await newPdf({ title: `Thẻ tham dự — ${title}`, author: office })
  for (let i = 0; i < badges.length; i += 4) {
    const page = doc.addPage([A4.width, A4.height])
    const cells = [
      [0, A6.height],
      [A6.width, A6.height],
      [0, 0],
      [A6.width, 0],
    ] as const
    for (let k = 0; k < 4 && i + k < badges.length; k++) {
      const [x, y] = cells[k] as readonly [number, number]
      await drawBadge(doc, page, fonts, office, badges[i + k] as Badge, x, y)
    }
  }
  return pdfBytes(doc)
}
