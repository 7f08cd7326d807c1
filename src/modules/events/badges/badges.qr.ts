/**
 * The badge's QR code. Error correction M (a smudged print or a phone screen's glare still
 * reads) and the standard quiet zone of 4 modules; 10 px a module in the PNG, so a ~60-character
 * token (version 4, 33 modules) makes a 410 px image that a phone camera and a 640×480 video
 * frame both resolve.
 */
import QRCode from 'qrcode'

const OPTIONS = { errorCorrectionLevel: 'M', margin: 4 } as const

/** The QR code of `token` as a PNG (black on white, 10 px a module). */
export async function badgeQrPng(token: string): Promise<Buffer> {
  return QRCode.toBuffer(token, { ...OPTIONS, type: 'png', scale: 10, color: { dark: '#000000', light: '#ffffff' } })
}

/** The QR code of `token` as an SVG document (scales without loss, for screens and print). */
export async function badgeQrSvg(token: string): Promise<string> {
  return QRCode.toString(token, { ...OPTIONS, type: 'svg', color: { dark: '#000000', light: '#ffffff' } })
}
