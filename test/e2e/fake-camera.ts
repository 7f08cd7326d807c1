/**
 * A fake camera for the browser tests: an image (a badge's QR code as the portal serves it)
 * becomes a Y4M video that Chromium's fake capture device plays to `getUserMedia`, and a
 * Chromium profile is started with that device and the camera permission granted. Nothing of
 * the page under test is replaced: the page asks for the camera and gets frames showing the
 * image, as a phone held up to the badge would.
 */
import { open, readFile, rm, writeFile } from 'node:fs/promises'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import sharp from 'sharp'
import { DESKTOP, requireChromium } from './support.ts'

/** What the video looks like. */
export interface FakeVideoOptions {
  /** Frame width in pixels (even); 640 by default. */
  width?: number
  /** Frame height in pixels (even); 480 by default. */
  height?: number
  /** Frames per second; 10 by default. */
  fps?: number
  /** Identical frames written (Chromium loops the file); 20 by default (two seconds). */
  frames?: number
  /** Side of the square the image is scaled into, centred on white; 360 by default. */
  size?: number
}

/**
 * The image flattened onto a white `width`×`height` canvas: scaled without smoothing (a QR's
 * modules stay sharp) into a `size` square in the middle, so a white quiet zone surrounds it
 * whatever margin the image had. Returns raw RGB, 3 bytes a pixel.
 */
export async function imageOnCanvas(image: Buffer, o: Required<Pick<FakeVideoOptions, 'width' | 'height' | 'size'>>): Promise<Buffer> {
  const white = { r: 255, g: 255, b: 255 }
  const scaled = await sharp(image)
    .flatten({ background: white })
    .resize(o.size, o.size, { fit: 'contain', kernel: 'nearest', background: white })
    .png()
    .toBuffer()
  return sharp({ create: { width: o.width, height: o.height, channels: 3, background: white } })
    .composite([{ input: scaled, left: Math.floor((o.width - o.size) / 2), top: Math.floor((o.height - o.size) / 2) }])
    .removeAlpha()
    .raw()
    .toBuffer()
}

/**
 * One frame of raw RGB as planar YUV 4:2:0 (Y, then Cb and Cr at half resolution, each the mean
 * of its 2×2 block), BT.601 studio range: Y 16–235, Cb/Cr 16–240, as Chromium reads Y4M.
 */
export function rgbToI420(rgb: Buffer, width: number, height: number): Buffer {
  const out = Buffer.alloc(width * height * 1.5)
  const cw = width / 2
  const uBase = width * height
  const vBase = uBase + cw * (height / 2)
  const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)))
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3
      const r = (rgb[i] as number) / 255
      const g = (rgb[i + 1] as number) / 255
      const b = (rgb[i + 2] as number) / 255
      out[y * width + x] = clamp(16 + 65.481 * r + 128.553 * g + 24.966 * b)
    }
  }
  for (let y = 0; y < height / 2; y++) {
    for (let x = 0; x < cw; x++) {
      let cb = 0
      let cr = 0
      for (const [dx, dy] of [
        [0, 0],
        [1, 0],
        [0, 1],
        [1, 1],
      ] as const) {
        const i = ((2 * y + dy) * width + 2 * x + dx) * 3
        const r = (rgb[i] as number) / 255
        const g = (rgb[i + 1] as number) / 255
        const b = (rgb[i + 2] as number) / 255
        cb += 128 - 37.797 * r - 74.203 * g + 112 * b
        cr += 128 + 112 * r - 93.786 * g - 18.214 * b
      }
      out[uBase + y * cw + x] = clamp(cb / 4)
      out[vBase + y * cw + x] = clamp(cr / 4)
    }
  }
  return out
}

/**
 * Writes `file`: a YUV4MPEG2 (Y4M, C420jpeg) video of identical frames showing `image` (PNG,
 * JPEG, anything sharp reads) centred on white. Returns the frame size.
 */
export async function writeFakeCameraVideo(
  image: Buffer,
  file: string,
  opts: FakeVideoOptions = {},
): Promise<{ width: number; height: number }> {
  const width = opts.width ?? 640
  const height = opts.height ?? 480
  const fps = opts.fps ?? 10
  const frames = opts.frames ?? 20
  const size = Math.min(opts.size ?? 360, width, height)
  if (width % 2 !== 0 || height % 2 !== 0) throw new Error(`Y4M 4:2:0 needs even sides, not ${width}×${height}`)
  const frame = rgbToI420(await imageOnCanvas(image, { width, height, size }), width, height)
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii')
  const marker = Buffer.from('FRAME\n', 'ascii')
  const parts: Buffer[] = [header]
  for (let i = 0; i < frames; i++) parts.push(marker, frame)
  await writeFile(file, Buffer.concat(parts))
  return { width, height }
}

/**
 * Overwrites, in place, every frame of a video made by {@link writeFakeCameraVideo} with plain
 * white: the badge leaves the camera's view. The file keeps its size and inode, and Chromium's
 * fake device reads each frame from the file as it plays (looping), so the frames it delivers
 * from then on are white, without restarting the browser or touching the page.
 */
export async function blankFakeCameraVideo(file: string): Promise<void> {
  const handle = await open(file, 'r+')
  try {
    const head = Buffer.alloc(200)
    await handle.read(head, 0, head.length, 0)
    const line = head.subarray(0, head.indexOf(0x0a)).toString('ascii')
    const width = Number(/ W(\d+)/.exec(line)?.[1])
    const height = Number(/ H(\d+)/.exec(line)?.[1])
    if (!width || !height) throw new Error(`not a Y4M file made here: ${line}`)
    const ySize = width * height
    const frame = Buffer.alloc(ySize * 1.5, 128)
    frame.fill(235, 0, ySize)
    const { size } = await handle.stat()
    const step = 'FRAME\n'.length + frame.length
    for (let at = line.length + 1; at + step <= size; at += step) await handle.write(frame, 0, frame.length, at + 'FRAME\n'.length)
  } finally {
    await handle.close()
  }
}

/**
 * Puts `image` back in front of the camera playing `file` (made by {@link writeFakeCameraVideo}
 * with the same size), writing the frames in place as {@link blankFakeCameraVideo} does, so the
 * browser keeps its camera.
 */
export async function showOnFakeCamera(image: Buffer, file: string): Promise<void> {
  const fresh = `${file}.next`
  await writeFakeCameraVideo(image, fresh)
  const bytes = await readFile(fresh)
  const handle = await open(file, 'r+')
  try {
    if ((await handle.stat()).size !== bytes.length) throw new Error('showOnFakeCamera: the video sizes differ')
    await handle.write(bytes, 0, bytes.length, 0)
  } finally {
    await handle.close()
    await rm(fresh, { force: true })
  }
}

/**
 * Chromium (headless, its own profile in `profileDir`) whose only camera is the fake device
 * playing `videoFile` (see {@link writeFakeCameraVideo}); the permission prompt is answered
 * yes and the camera permission granted, for every origin and for `origin` explicitly.
 */
export async function launchBrowserWithCamera(profileDir: string, videoFile: string, origin?: string): Promise<BrowserContext> {
  const browser = await requireChromium()
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: browser.executablePath,
    env: { ...process.env, ...browser.env } as Record<string, string>,
    headless: true,
    viewport: DESKTOP,
    locale: 'vi-VN',
    permissions: ['camera'],
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${videoFile}`,
    ],
  })
  if (origin) await context.grantPermissions(['camera'], { origin })
  return context
}

/**
 * In `page` (any secure context: http://127.0.0.1 or about:blank), opens the camera, waits for
 * a frame and decodes it with jsQR (node_modules/jsqr, added to the page as a script); returns
 * the text of the first QR code read, or throws after `timeoutMs`. This proves the camera path
 * alone, without the product's check-in page.
 */
export async function readQrFromCamera(page: Page, jsqrPath: string, timeoutMs = 15_000): Promise<string> {
  await page.addScriptTag({ path: jsqrPath })
  return page.evaluate(async (ms) => {
    // The project compiles without lib.dom: the browser objects used here, typed by hand.
    interface Ctx2d {
      drawImage(v: unknown, x: number, y: number, w: number, h: number): void
      getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray; width: number; height: number }
    }
    interface Video {
      srcObject: unknown
      muted: boolean
      playsInline: boolean
      videoWidth: number
      videoHeight: number
      play(): Promise<void>
    }
    const g = globalThis as unknown as {
      navigator: { mediaDevices: { getUserMedia(c: unknown): Promise<{ getTracks(): { stop(): void }[] }> } }
      document: {
        createElement(tag: 'video'): Video
        createElement(tag: 'canvas'): { width: number; height: number; getContext(k: '2d'): Ctx2d }
      }
      jsQR: (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null
    }
    const stream = await g.navigator.mediaDevices.getUserMedia({ video: true, audio: false })
    try {
      const video = g.document.createElement('video')
      video.muted = true
      video.playsInline = true
      video.srcObject = stream
      await video.play()
      const canvas = g.document.createElement('canvas')
      const deadline = Date.now() + ms
      for (;;) {
        if (video.videoWidth > 0) {
          canvas.width = video.videoWidth
          canvas.height = video.videoHeight
          const ctx = canvas.getContext('2d')
          ctx.drawImage(video, 0, 0, canvas.width, canvas.height)
          const img = ctx.getImageData(0, 0, canvas.width, canvas.height)
          const code = g.jsQR(img.data, img.width, img.height)
          if (code) return code.data
        }
        if (Date.now() > deadline)
          throw new Error(`no QR code read from the camera in ${ms} ms (frame ${video.videoWidth}×${video.videoHeight})`)
        await new Promise((r) => setTimeout(r, 100))
      }
    } finally {
      for (const track of stream.getTracks()) track.stop()
    }
  }, timeoutMs)
}
