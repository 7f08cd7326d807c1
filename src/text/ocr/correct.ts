/** Vietnamese-aware correction of OCR output (filled in below). */
export function correctOcrText(text: string): string {
  return text.normalize('NFC')
}
