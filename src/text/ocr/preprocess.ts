/**
 * Image checks and preparation before Tesseract. The header is read first (sharp `metadata()`
 * decodes no pixels), so a 40-megapixel image, a tiny one, or bytes that are no image are
 * refused before anything is decoded; `limitInputPixels` stays as the decoder's own backstop.
 * What passes is made grayscale, inverted when dark (Tesseract's LSTM model was trained on dark
 * text on light paper), and scaled up when the text is small (a 1× screenshot's 15-px text is
 * below the ~30-px x-height the model reads best; measured in tools/eval-ocr.ts).
 */
import type Sharp from 'sharp'

/** Largest image read, in pixels (a long scrolling screenshot is ~1080×10,000). */
export const MAX_OCR_PIXELS = 16_000_000
/** Largest file read, in bytes (the desk's upload limit). */
export const MAX_OCR_BYTES = 10 * 1024 * 1024
/** Smallest side that can hold a line of text. */
export const MIN_OCR_SIDE = 24
/** Width below which an image is scaled up ×2 (1× phone screenshots are ~360–430 px wide). */
export const UPSCALE_BELOW_WIDTH = 600
/**
 * Width below which a wider image is still scaled up a little (×1.25): 2× phone screenshots
 * (~720–860 px) lost "a" to "ơ"/"o" less often so (clean 2× renders 0.50 % → 0.30 % CER on the
 * dev part; ×1.5 and ×2 read worse). Wider images (3× phones, desktops) are read as they are.
 */
export const UPSCALE_WIDE_BELOW_WIDTH = 1000
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
  /** Scale factor for images from {@link UPSCALE_BELOW_WIDTH} to {@link UPSCALE_WIDE_BELOW_WIDTH} wide (default 1.25; 1 = never). */
  upscaleWide?: number
  /** Convert to grayscale (default true). */
  grayscale?: boolean
  /** Divide a dark-mode image by its local background (default true): text in grey bubbles becomes black on white. */
  flattenBackground?: boolean
  /** Estimate that background by a closing (maximum then minimum), not the maximum alone (default true). */
  closeBackground?: boolean
  /** Unsharp-mask sigma after the upscale (default none: it made dark JPEG renders unreadable, measured). */
  sharpen?: number
  /** Binarise with Otsu's threshold before Tesseract (default false: Tesseract's own read JPEG renders better, measured). */
  binarize?: boolean
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
  // Loaded on first use: every process imports the desk, few ever read an image (~13 MB).
  const sharp = (await import('sharp')).default
  let meta: Sharp.Metadata
  try {
    // The header only (no pixels are decoded), so the size can be refused with its own reason.
    meta = await sharp(data, { limitInputPixels: false, animated: false }).metadata()
  } catch (e) {
    throw new OcrError('not-an-image', (e as Error).message)
  }
  const width = meta.width ?? 0
  const height = meta.pageHeight ?? meta.height ?? 0
  if (!meta.format || !['jpeg', 'png', 'webp', 'gif'].includes(meta.format)) throw new OcrError('not-an-image', String(meta.format))
  if (width * height > MAX_OCR_PIXELS) throw new OcrError('too-many-pixels', `${width}×${height}`)
  if (width < MIN_OCR_SIDE || height < MIN_OCR_SIDE) throw new OcrError('too-small', `${width}×${height}`)
  const scale = width < UPSCALE_BELOW_WIDTH ? (o.upscale ?? 2) : width < UPSCALE_WIDE_BELOW_WIDTH ? (o.upscaleWide ?? 1.25) : 1
  try {
    // failOn 'truncated': a cut-off file is refused instead of read as half an image.
    let img = sharp(data, { limitInputPixels: MAX_OCR_PIXELS, animated: false, page: 0, failOn: 'truncated' }).flatten({
      background: '#ffffff',
    })
    if (o.grayscale !== false) img = img.grayscale()
    const stats = await img.clone().stats()
    const mean = stats.channels.slice(0, o.grayscale === false ? 3 : 1).reduce((s, c) => s + c.mean, 0) / (o.grayscale === false ? 3 : 1)
    const inverted = o.invertDark !== false && mean < DARK_MEAN_LUMINANCE
    if (inverted) img = img.negate({ alpha: false })
    if (scale !== 1) img = img.resize({ width: Math.round(width * scale), kernel: 'lanczos3' })
    if (o.sharpen) img = img.sharpen({ sigma: o.sharpen })
    let png: Buffer
    // Only for dark mode: in light mode the bubbles that differ (white text on blue) are read
    // better by Tesseract's own per-line inversion than after a division (measured).
    const flatten = inverted && o.flattenBackground !== false
    if ((flatten || o.binarize) && o.grayscale !== false) {
      const { data: px, info } = await img.raw().toBuffer({ resolveWithObject: true })
      let flat = flatten
        ? divideByBackground(px, info.width, info.height, Math.max(4, Math.round(6 * scale)), o.closeBackground !== false)
        : Buffer.from(px)
      if (o.binarize) flat = otsuBinarize(flat)
      png = await sharp(flat, { raw: { width: info.width, height: info.height, channels: 1 } })
        .toColourspace('b-w')
        .png({ compressionLevel: 1 })
        .toBuffer()
    } else png = await (o.grayscale !== false ? img.toColourspace('b-w') : img).png({ compressionLevel: 1 }).toBuffer()
    return { png, width: Math.round(width * scale), height: Math.round(height * scale), frames: meta.pages ?? 1, inverted, scale }
  } catch (e) {
    if (e instanceof OcrError) throw e
    throw new OcrError('unreadable', (e as Error).message)
  }
}

/** Black and white at Otsu's threshold (the one that best separates the two classes of gray). */
export function otsuBinarize(px: Buffer): Buffer {
  const hist = new Float64Array(256)
  for (const v of px) hist[v] = (hist[v] as number) + 1
  let sum = 0
  for (let i = 0; i < 256; i++) sum += i * (hist[i] as number)
  let sumB = 0
  let wB = 0
  let best = 0
  let t = 127
  for (let i = 0; i < 256; i++) {
    wB += hist[i] as number
    if (wB === 0) continue
    const wF = px.length - wB
    if (wF === 0) break
    sumB += i * (hist[i] as number)
    const mB = sumB / wB
    const mF = (sum - sumB) / wF
    const between = wB * wF * (mB - mF) * (mB - mF)
    if (between > best) {
      best = between
      t = i
    }
  }
  const out = Buffer.alloc(px.length)
  for (let i = 0; i < px.length; i++) out[i] = (px[i] as number) > t ? 255 : 0
  return out
}

/**
 * Running maximum (or minimum) over a window of 2r+1 along one axis (stride 1 for rows, `w` for
 * columns), in three comparisons a pixel whatever `r` (van Herk / Gil–Werman: maxima of each
 * block of 2r+1 from its left and from its right; a window is the right part of one block and
 * the left part of the next). The line is padded with the neutral value, so the window is cut at
 * the image's edges.
 */
export function maxFilter1d(src: Uint8Array, dst: Uint8Array, w: number, h: number, r: number, vertical: boolean, min = false): void {
  const lines = vertical ? w : h
  const len = vertical ? h : w
  const step = vertical ? w : 1
  const win = 2 * r + 1
  const n = Math.ceil((len + 2 * r) / win) * win
  const f = new Uint8Array(n)
  const left = new Uint8Array(n)
  const right = new Uint8Array(n)
  const neutral = min ? 255 : 0
  for (let line = 0; line < lines; line++) {
    const base = vertical ? line : line * w
    f.fill(neutral)
    for (let i = 0; i < len; i++) f[i + r] = src[base + i * step] as number
    for (let b = 0; b < n; b += win) {
      let m = f[b] as number
      left[b] = m
      for (let j = b + 1; j < b + win; j++) {
        const v = f[j] as number
        if (min ? v < m : v > m) m = v
        left[j] = m
      }
      m = f[b + win - 1] as number
      right[b + win - 1] = m
      for (let j = b + win - 2; j >= b; j--) {
        const v = f[j] as number
        if (min ? v < m : v > m) m = v
        right[j] = m
      }
    }
    // The window of pixel i is [i, i + 2r] in padded coordinates.
    for (let i = 0; i < len; i++) {
      const x = right[i] as number
      const y = left[i + 2 * r] as number
      dst[base + i * step] = min ? Math.min(x, y) : Math.max(x, y)
    }
  }
}

/**
 * Divides each pixel by the brightest pixel around it (radius `r`, wider than a letter's stroke):
 * the local background becomes white wherever it is, so dark text on a grey bubble (what a
 * dark-mode bubble becomes once inverted) is as black on white as text on the page, where
 * Tesseract's one global threshold would have blackened the whole bubble with its text.
 */
export function divideByBackground(px: Uint8Array, w: number, h: number, r: number, close = true): Buffer {
  const tmp = new Uint8Array(px.length)
  const bg = new Uint8Array(px.length)
  maxFilter1d(px, tmp, w, h, r, false)
  maxFilter1d(tmp, bg, w, h, r, true)
  if (close) {
    // Then the running minimum (a closing): the maximum alone carries a bright page `r` pixels
    // into a darker bubble, whose rim then comes out as a dark ring around its text, and
    // Tesseract took a one-line bubble inside such a ring for a picture and dropped it.
    maxFilter1d(bg, tmp, w, h, r, false, true)
    maxFilter1d(tmp, bg, w, h, r, true, true)
  }
  const out = Buffer.alloc(px.length)
  for (let i = 0; i < px.length; i++) {
    const b = bg[i] as number
    const v = b < 24 ? 255 : Math.round(((px[i] as number) * 255) / b)
    out[i] = Math.min(v, 255)
  }
  return out
}
