/**
 * Image checks and preparation before Tesseract. The header is read first (sharp `metadata()`
 * decodes no pixels), so a 40-megapixel image, a tiny one, or bytes that are no image are
 * refused before anything is decoded; `limitInputPixels` stays as the decoder's own backstop.
 * What passes is made grayscale, inverted when dark (Tesseract's LSTM model was trained on dark
 * text on light paper), and scaled up when the text is small (a 1× screenshot's 15-px text is
 * below the ~30-px x-height the model reads best; measured in tools/eval-ocr.ts).
 */
import sharp from 'sharp'

/** Largest image read, in pixels (a long scrolling screenshot is ~1080×10,000). */
export const MAX_OCR_PIXELS = 16_000_000
/** Largest file read, in bytes (the desk's upload limit). */
export const MAX_OCR_BYTES = 10 * 1024 * 1024
/** Smallest side that can hold a line of text. */
export const MIN_OCR_SIDE = 24
/** Width below which an image is scaled up (1× phone screenshots are ~360–430 px wide). */
export const UPSCALE_BELOW_WIDTH = 1000
/** Mean luminance (0–255) under which the image is taken as dark mode and inverted. */
export const DARK_MEAN_LUMINANCE = 110

/** Why an image could not be read (each has a message in the factcheck catalogue). */
export type OcrFailure = 'too-large' | 'too-many-pixels' | 'too-small' | 'not-an-image' | 'unreadable' | 'timeout' | 'engine'

/** A refusal or failure with its reason code. */
export class OcrError extends Error {
  constructor(
    readonly reason: OcrFailure,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason)
    this.name = 'OcrError'
  }
}

/** Options of {@link prepareImage}; defaults are what measured best (see tools/eval-ocr.ts). */
export interface PrepareOptions {
  /** Invert dark-mode images (default true). */
  invertDark?: boolean
  /** Scale factor for images narrower than {@link UPSCALE_BELOW_WIDTH} (default 2; 1 = never). */
  upscale?: number
  /** Convert to grayscale (default true). */
  grayscale?: boolean
}

/** The image as handed to the engine, and what was done to it. */
export interface PreparedImage {
  png: Buffer
  width: number
  height: number
  /** Frames in the file; only the first of an animated GIF/WebP is read. */
  frames: number
  inverted: boolean
  scale: number
}

/**
 * Checks and prepares an image for OCR. Animated GIF/WebP: the first frame is read (a forwarded
 * meme's first frame carries its caption; the others are ignored, and `frames` says so).
 * @throws OcrError with the reason when the image is refused or cannot be decoded
 */
export async function prepareImage(data: Buffer, o: PrepareOptions = {}): Promise<PreparedImage> {
  if (data.byteLength > MAX_OCR_BYTES) throw new OcrError('too-large', `${data.byteLength} bytes`)
  let meta: sharp.Metadata
  try {
    meta = await sharp(data, { limitInputPixels: MAX_OCR_PIXELS, animated: false }).metadata()
  } catch (e) {
    throw new OcrError('not-an-image', (e as Error).message)
  }
  const width = meta.width ?? 0
  const height = meta.pageHeight ?? meta.height ?? 0
  if (!meta.format || !['jpeg', 'png', 'webp', 'gif'].includes(meta.format)) throw new OcrError('not-an-image', String(meta.format))
  if (width * height > MAX_OCR_PIXELS) throw new OcrError('too-many-pixels', `${width}×${height}`)
  if (width < MIN_OCR_SIDE || height < MIN_OCR_SIDE) throw new OcrError('too-small', `${width}×${height}`)
  const scale = width < UPSCALE_BELOW_WIDTH ? (o.upscale ?? 2) : 1
  try {
    // failOn 'truncated': a cut-off file is refused instead of read as half an image.
    let img = sharp(data, { limitInputPixels: MAX_OCR_PIXELS, animated: false, page: 0, failOn: 'truncated' }).flatten({ background: '#ffffff' })
    if (o.grayscale !== false) img = img.grayscale()
    const stats = await img.clone().stats()
    const mean = stats.channels.slice(0, o.grayscale === false ? 3 : 1).reduce((s, c) => s + c.mean, 0) / (o.grayscale === false ? 3 : 1)
    const inverted = o.invertDark !== false && mean < DARK_MEAN_LUMINANCE
    if (inverted) img = img.negate({ alpha: false })
    if (scale !== 1) img = img.resize({ width: Math.round(width * scale), kernel: 'lanczos3' })
    const png = await img.png({ compressionLevel: 1 }).toBuffer()
    return { png, width: Math.round(width * scale), height: Math.round(height * scale), frames: meta.pages ?? 1, inverted, scale }
  } catch (e) {
    if (e instanceof OcrError) throw e
    throw new OcrError('unreadable', (e as Error).message)
  }
}
