/**
 * An over-long paste on a public text form (the desk `/kiem-chung`, `/xac-minh`, `/kiem-tra`):
 * the form's route reads up to {@link TEXT_FORM_BODY_LIMIT}, so a text over the page's limit
 * reaches the handler and comes back in the form with the limit explained in both languages,
 * instead of a bare 400/413 that loses it.
 */
import type { FastifyError, FastifyRequest } from 'fastify'
import { type Locale, t } from '../i18n/index.ts'
import type { SafeHtml } from './jsx-runtime.ts'
import { toAppError, wantsJson } from '../http/errors.tsx'

/**
 * Bytes a public text form may carry (the app's other routes: 1 MB). Larger than any accepted
 * text on purpose: an over-long paste must be read to be shown again.
 */
export const TEXT_FORM_BODY_LIMIT = 2 * 1024 * 1024

/**
 * What became of a text refused as too long: `kept` (whole, in the form), `cut` (only its start
 * arrived) or `lost` (the body was over {@link TEXT_FORM_BODY_LIMIT} and could not be read).
 */
export type TooLong = 'kept' | 'cut' | 'lost'

/**
 * True when a form route should answer `err` with its page (the `lost` note): the body was over
 * the route's size limit, so nothing of it was read, and a browser (not a JSON client) sent it.
 * Otherwise the route's error handler rethrows to the app's.
 */
export function pageForTooLarge(err: FastifyError | Error, req: FastifyRequest): boolean {
  if (toAppError(err)?.code !== 'PAYLOAD_TOO_LARGE' || wantsJson(req)) return false
  req.log.info({ code: 'PAYLOAD_TOO_LARGE' }, 'request refused')
  return true
}

/**
 * What to do about a text too long, in both languages (the reader's first, the other marked
 * with its `lang`): `{messages}.{how}` is given `max` (the limit, in characters), `chars` (the
 * length received) and `mb` (the form's body limit), numbers written the reader's way.
 */
export function TooLongNote({
  l,
  messages,
  how,
  chars,
  max,
}: {
  /** The reader's language, shown first. */
  l: Locale
  /** The catalogue key prefix of the page's three messages (`kept`, `cut`, `lost`). */
  messages: string
  /** What became of the text. */
  how: TooLong
  /** Characters received (0 when lost). */
  chars: number
  /** The page's limit, in characters. */
  max: number
}): SafeHtml {
  const other: Locale = l === 'vi' ? 'en' : 'vi'
  const params = (x: Locale) => {
    const n = (v: number) => v.toLocaleString(x === 'vi' ? 'vi-VN' : 'en-GB')
    return { max: n(max), chars: n(chars), mb: TEXT_FORM_BODY_LIMIT / 1024 / 1024 }
  }
  return (
    <div class="too-long alert warn" role="note">
      <p>{t(l, `${messages}.${how}`, params(l))}</p>
      <p class="small" lang={other}>
        {t(other, `${messages}.${how}`, params(other))}
      </p>
    </div>
  )
}
