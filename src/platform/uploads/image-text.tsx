/**
 * A screenshot given to a public check page instead of (or with) a pasted text: the
 * "Tin nhắn này có phải lừa đảo?" self-check and the `/xac-minh` verify page (issue 18). One
 * image per request, read in the request with the OCR engine's limits (10 MB, 16 MP, its 30-s
 * limit) and never stored: the bytes stay in memory (multipart parts are buffered, never
 * written to a temporary file), nothing reaches the database or the log. The text read is
 * handed back to the page, which uses it exactly as a pasted text.
 *
 * The process has one OCR worker (`sharedOcrEngine`), shared with the desk's background job.
 * A gate in front of it lets one public image through at a time and a few wait a short while;
 * beyond that the page answers "busy, try again" (503) at once, so a burst of uploads never
 * queues behind itself for minutes nor holds the server's sockets. Images are also limited per
 * address, more tightly than text checks (each costs about a second of a CPU core).
 */
import multipart from '@fastify/multipart'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type OcrEngine, sharedOcrEngine } from '../../text/ocr/engine.ts'
import { MAX_OCR_BYTES, OcrError, type OcrFailure } from '../../text/ocr/preprocess.ts'
import { isAppError } from '../errors.ts'
import { Alert } from '../html/layout.tsx'
import type { SafeHtml } from '../html/jsx-runtime.ts'
import { TEXT_FORM_BODY_LIMIT } from '../html/too-long.tsx'
import { createRateLimiter } from '../http/rate-limit.ts'
import { type Locale, t } from '../i18n/index.ts'
import { sniffFileType } from './index.ts'

/** The form field of the image. */
export const IMAGE_FIELD = 'image'
/** What the file input accepts (the types the engine reads). */
export const IMAGE_ACCEPT = 'image/png,image/jpeg,image/webp,image/gif,.png,.jpg,.jpeg,.webp,.gif'
/** Public images read at once in this process (the shared engine has one worker). */
export const PUBLIC_OCR_CONCURRENCY = 1
/** Requests that may wait for the engine at once; more are told "busy" without waiting. */
export const PUBLIC_OCR_QUEUE = 4
/** The longest a request waits for its turn before "busy" (a screenshot takes ~1 s). */
export const PUBLIC_OCR_WAIT_MS = 4000

/** Why an image gave no text: the engine's reasons, and the page's own. */
export type ImageTextFailure = OcrFailure | 'too-many' | 'busy' | 'rate-limited'

/** What became of the image of a request. */
export type ImageText =
  | {
      ok: true
      /** The text read (NFC, corrected), possibly empty. */
      text: string
      /** Mean word confidence, 0–100. */
      confidence: number
      /** Frames in the file (only the first is read). */
      frames: number
    }
  | {
      ok: false
      reason: ImageTextFailure
      /** The answer's HTTP status: 400/413 bad image, 422 too slow, 429 limit, 503 busy or engine. */
      status: number
      /** Seconds to wait (429 and 503). */
      retryAfter?: number
    }

const STATUS: Record<ImageTextFailure, number> = {
  'too-large': 413,
  'too-many-pixels': 413,
  'too-small': 400,
  'not-an-image': 400,
  unreadable: 400,
  'too-many': 400,
  timeout: 422,
  engine: 503,
  busy: 503,
  'rate-limited': 429,
}

/** A file part as received. */
interface ReceivedImage {
  data: Buffer | null
  failure?: ImageTextFailure
}

const received = new WeakMap<FastifyRequest, ReceivedImage>()

/**
 * Reads a multipart body into plain string fields (`req.body`) and at most one image, kept in
 * memory for {@link createImageTextReader}. An image over 10 MB is not buffered (the parser
 * truncates it) and is answered `too-large`; a second image, `too-many`; the fields are kept
 * either way so the page shows the typed text again. A preValidation hook.
 */
async function readImageForm(req: FastifyRequest): Promise<void> {
  if (!req.isMultipart()) return
  const body: Record<string, string> = {}
  req.body = body
  let image: ReceivedImage | undefined
  let fieldBytes = 0
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        // Read whole even when refused: the rest of the form follows it in the stream.
        const data = await part.toBuffer()
        // A file input left empty still sends an empty, nameless part.
        if (!part.filename && data.byteLength === 0) continue
        if (part.fieldname !== IMAGE_FIELD || image) image = { data: null, failure: 'too-many' }
        else if (part.file.truncated) image = { data: null, failure: 'too-large' }
        else image = { data }
      } else {
        const value = typeof part.value === 'string' ? part.value : String(part.value ?? '')
        fieldBytes += Buffer.byteLength(value)
        // Past the form's limit a field is dropped, not cut: the page's own limit explains it.
        if (fieldBytes <= TEXT_FORM_BODY_LIMIT) body[part.fieldname] = value
      }
    }
  } catch (e) {
    // More files than the parser takes: what was read so far is kept.
    if ((e as { code?: string }).code !== 'FST_FILES_LIMIT') throw e
    image = { data: null, failure: 'too-many' }
  }
  if (image) received.set(req, image)
}

/**
 * Lets the routes registered in `scope` (an encapsulated plugin scope) take a multipart form
 * with one image besides the urlencoded one. The app's other routes keep their parsers.
 */
export async function acceptImageForm(scope: FastifyInstance): Promise<void> {
  await scope.register(multipart, {
    limits: {
      fileSize: MAX_OCR_BYTES,
      // One image is read; a second is answered, a third stops the parsing.
      files: 2,
      fields: 20,
      fieldSize: TEXT_FORM_BODY_LIMIT,
      parts: 24,
      headerPairs: 200,
    },
    // A file over the size is truncated (and answered), never an error that loses the form.
    throwFileSizeLimit: false,
  })
  scope.addHook('preValidation', readImageForm)
}

/** The one gate in front of the process's OCR engine, for every public page. */
const gate = { active: 0, waiting: [] as Array<() => void> }

/** Waits for a turn at the engine; false when none came within `waitMs` (or too many wait). */
function enterGate(waitMs: number): Promise<boolean> {
  if (gate.active < PUBLIC_OCR_CONCURRENCY) {
    gate.active++
    return Promise.resolve(true)
  }
  if (gate.waiting.length >= PUBLIC_OCR_QUEUE) return Promise.resolve(false)
  return new Promise((resolve) => {
    const turn = () => {
      clearTimeout(timer)
      resolve(true)
    }
    const timer = setTimeout(() => {
      const i = gate.waiting.indexOf(turn)
      if (i >= 0) gate.waiting.splice(i, 1)
      resolve(false)
    }, waitMs)
    gate.waiting.push(turn)
  })
}

function leaveGate(): void {
  const next = gate.waiting.shift()
  // The turn passes on without the count going down.
  if (next) next()
  else gate.active--
}

/**
 * Holds the engine's gate as a long image would (tests of the "busy" answer).
 * @returns the function that lets it go
 */
export async function holdOcrGateForTests(): Promise<() => void> {
  if (!(await enterGate(60_000))) throw new Error('the OCR gate did not open')
  return leaveGate
}

/** Options of {@link createImageTextReader}. */
export interface ImageTextReaderOptions {
  /** The limiter's name, unique in the app (`<module>.ocr`). */
  name: string
  /** Images per address at once (default 10). */
  capacity?: number
  /** Images per address and minute, refilled (default 1: 10 per 10 minutes). */
  perMinute?: number
  /** The engine (default the process's shared one). */
  engine?: () => OcrEngine
  /** How long a request waits for the engine (default {@link PUBLIC_OCR_WAIT_MS}). */
  waitMs?: number
}

/** A file that is none of the image types the engine reads, told by its first bytes. */
function notAnImage(data: Buffer): boolean {
  const type = sniffFileType(data)
  if (type === 'png' || type === 'jpeg' || type === 'webp') return false
  const head = data.subarray(0, 6).toString('latin1')
  return head !== 'GIF87a' && head !== 'GIF89a'
}

/**
 * The reader of a page's image: `read(req)` is null when the request carried none, else the
 * text read or why there is none. Checks, in order: the form's own refusals (too large, more
 * than one), the per-address limit, the content (PNG, JPEG, WebP or GIF by its bytes: nothing
 * else reaches the decoder), a turn at the engine, then the engine's checks and its time limit.
 */
export function createImageTextReader(o: ImageTextReaderOptions) {
  const limiter = createRateLimiter({ name: o.name, capacity: o.capacity ?? 10, perMinute: o.perMinute ?? 1 })
  const engine = o.engine ?? sharedOcrEngine
  const fail = (reason: ImageTextFailure, retryAfter?: number): ImageText => ({
    ok: false,
    reason,
    status: STATUS[reason],
    ...(retryAfter ? { retryAfter } : {}),
  })
  return {
    async read(req: FastifyRequest): Promise<ImageText | null> {
      const image = received.get(req)
      if (!image) return null
      if (image.failure || !image.data) return fail(image.failure ?? 'not-an-image')
      try {
        await limiter.take(req.ip)
      } catch (e) {
        if (isAppError(e) && e.code === 'RATE_LIMITED') return fail('rate-limited', Number(e.headers['retry-after']) || 60)
        throw e
      }
      if (image.data.byteLength === 0 || notAnImage(image.data)) return fail('not-an-image')
      if (!(await enterGate(o.waitMs ?? PUBLIC_OCR_WAIT_MS))) return fail('busy', 30)
      try {
        const r = await engine().recognize(image.data)
        return { ok: true, text: r.text, confidence: r.confidence, frames: r.frames }
      } catch (e) {
        if (!(e instanceof OcrError)) throw e
        // The reason only: nothing of the image or its text goes to the log.
        req.log.info({ code: `OCR_${e.reason}` }, 'image not read')
        return fail(e.reason)
      } finally {
        leaveGate()
        // Let the bytes go now, not when the request object is collected.
        image.data = null
      }
    },
  }
}

/**
 * The text to check: the typed text, then the text read from the image on its own paragraph
 * (what a citizen typed comes first; an image alone gives its text alone).
 */
export function withImageText(typed: string, image: ImageText | null): string {
  if (!image?.ok || !image.text.trim()) return typed
  return typed.trim() ? `${typed.trimEnd()}\n\n${image.text}` : image.text
}

/** Sets the answer's status and Retry-After for an image that gave no text. */
export function replyForImageFailure(reply: FastifyReply, image: ImageText & { ok: false }): void {
  if (image.retryAfter) reply.header('retry-after', String(image.retryAfter))
}

const otherOf = (l: Locale): Locale => (l === 'vi' ? 'en' : 'vi')

/**
 * Why the image gave no text, in both languages (the reader's first). `messages` is the page's
 * key prefix: `{messages}.failed` (with `{reason}`, from `ocr.reason.*`), `.tooMany`, `.busy`,
 * `.rateLimited` (with `{minutes}`), and `.kept` (the typed text is still in the form).
 */
export function ImageFailureNote({ l, messages, image }: { l: Locale; messages: string; image: ImageText & { ok: false } }): SafeHtml {
  const say = (x: Locale) => {
    const r = image.reason
    if (r === 'too-many') return t(x, `${messages}.tooMany`)
    if (r === 'busy') return t(x, `${messages}.busy`)
    if (r === 'rate-limited') return t(x, `${messages}.rateLimited`, { minutes: Math.max(1, Math.ceil((image.retryAfter ?? 60) / 60)) })
    return t(x, `${messages}.failed`, { reason: t(x, `ocr.reason.${r}`) })
  }
  return (
    <Alert kind="error">
      <p>
        {say(l)} {t(l, `${messages}.kept`)}
      </p>
      <p class="small" lang={otherOf(l)}>
        {say(otherOf(l))} {t(otherOf(l), `${messages}.kept`)}
      </p>
    </Alert>
  )
}

/**
 * The text read from the image, beside the result: "Văn bản đọc được từ ảnh (độ tin cậy 87 %)",
 * the text, and that it is in the form to correct and check again. Keys: `{messages}.read`
 * (`{n}`), `.readNote`, `.empty`, `.frames` (`{n}`).
 */
export function ImageTextRead({ l, messages, image }: { l: Locale; messages: string; image: ImageText & { ok: true } }): SafeHtml {
  const empty = !image.text.trim()
  return (
    <section class="card stack image-text" aria-labelledby="h-image-text">
      <h2 id="h-image-text" class="card-title">
        {t(l, `${messages}.read`, { n: image.confidence })}
      </h2>
      {image.frames > 1 ? <p class="small muted">{t(l, `${messages}.frames`, { n: image.frames })}</p> : null}
      {empty ? (
        <p>{t(l, `${messages}.empty`)}</p>
      ) : (
        <>
          <blockquote lang="vi" class="kc-text ocr-text">
            {image.text}
          </blockquote>
          <p class="small muted">{t(l, `${messages}.readNote`)}</p>
        </>
      )}
    </section>
  )
}

/** The file input of a check form (the form must be `multipart/form-data`). */
export function ImageField({ l, messages }: { l: Locale; messages: string }): SafeHtml {
  return (
    <label>
      {t(l, `${messages}.field`)}
      <span class="hint">{t(l, `${messages}.hint`)}</span>
      <input type="file" name={IMAGE_FIELD} accept={IMAGE_ACCEPT} />
    </label>
  )
}
