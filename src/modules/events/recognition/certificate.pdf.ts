/**
 * The certificate of a recognition as a PDF (A4 landscape): the office, "GIẤY CHỨNG NHẬN", the
 * year, the partner's name in Vietnamese (Be Vietnam Pro embedded; shrunk to fit), the outlet,
 * the date in Vietnamese words, the verification code, the verify address and its QR code. It
 * states only what the certificate says: never the score or its parts.
 */
import QRCode from 'qrcode'
import { drawCentered, newPdf, pdfBytes, rgb } from '../../../platform/pdf/index.ts'
import { localDay } from '../../../platform/time.ts'

/** What the certificate prints. */
export interface CertificateContent {
  /** The office that awards it (the tenant's name). */
  office: string
  /** The office's province ('' when unset), for the dateline. */
  province: string
  year: number
  partnerName: string
  outletName: string | null
  awardedAt: Date
  code: string
  /** The public address of the verify page for this code. */
  verifyUrl: string
}

/** "ngày 5 tháng 1 năm 2027" for an instant, in local time. */
export function vietnameseDate(at: Date): string {
  const [y, m, d] = localDay(at).split('-').map(Number)
  return `ngày ${d} tháng ${m} năm ${y}`
}

/** The verify address of a certificate code. */
export function certificateVerifyUrl(publicUrl: string, code: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/xac-minh?ma=${code}`
}

/** Renders the certificate. */
export async function certificatePdf(c: CertificateContent): Promise<Buffer> {
  const { doc, fonts } = await newPdf({ title: `Giấy chứng nhận ${c.code}`, author: c.office, subject: `Đối tác tiêu biểu năm ${c.year}` })
  const W = 841.89
  const H = 595.28
  const page = doc.addPage([W, H])
  const cx = W / 2
  const red = rgb(0.64, 0.07, 0.09)
  const gold = rgb(0.72, 0.56, 0.18)
  const grey = rgb(0.35, 0.35, 0.38)
  page.drawRectangle({ x: 18, y: 18, width: W - 36, height: H - 36, borderColor: gold, borderWidth: 3 })
  page.drawRectangle({ x: 28, y: 28, width: W - 56, height: H - 56, borderColor: red, borderWidth: 1 })
  const wide = W - 140
  drawCentered(page, c.office.toUpperCase(), { cx, y: H - 80, font: fonts[600], size: 16, maxWidth: wide, color: red })
  drawCentered(page, 'GIẤY CHỨNG NHẬN', { cx, y: H - 150, font: fonts[700], size: 44, maxWidth: wide, color: red })
  drawCentered(page, `Đối tác tiêu biểu năm ${c.year}`, { cx, y: H - 190, font: fonts[600], size: 22, maxWidth: wide })
  drawCentered(page, 'Trân trọng ghi nhận', { cx, y: H - 235, font: fonts[400], size: 14, maxWidth: wide, color: grey })
  drawCentered(page, c.partnerName, { cx, y: H - 285, font: fonts[700], size: 38, minSize: 14, maxWidth: wide })
  if (c.outletName)
    drawCentered(page, c.outletName, { cx, y: H - 318, font: fonts[600], size: 18, minSize: 9, maxWidth: wide, color: grey })
  drawCentered(page, 'đã có nhiều đóng góp trong việc thông tin chính xác, kịp thời đến nhân dân.', {
    cx,
    y: H - 352,
    font: fonts[400],
    size: 14,
    maxWidth: wide,
    color: grey,
  })
  const dateline = `${c.province.trim() ? `${c.province.trim()}, ` : ''}${vietnameseDate(c.awardedAt)}`
  drawCentered(page, dateline, { cx: W - 250, y: 170, font: fonts[400], size: 13, maxWidth: 380 })
  drawCentered(page, c.office, { cx: W - 250, y: 148, font: fonts[600], size: 13, maxWidth: 380 })
  // The QR code and the verification lines, bottom left.
  const png = await QRCode.toBuffer(c.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 360 })
  const qr = await doc.embedPng(png)
  page.drawImage(qr, { x: 60, y: 60, width: 110, height: 110 })
  page.drawText(`Mã xác minh: ${c.code}`.normalize('NFC'), { x: 185, y: 130, size: 13, font: fonts[700] })
  page.drawText(`Kiểm tra tại ${c.verifyUrl}`.normalize('NFC'), { x: 185, y: 110, size: 10, font: fonts[400], color: grey })
  return pdfBytes(doc)
}
