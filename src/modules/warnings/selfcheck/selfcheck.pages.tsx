/**
 * The pages of "Tin nhắn này có phải lừa đảo?": the form (a text, a screenshot or both), the
 * text read from a screenshot with its confidence, the results (matching warnings with
 * what to do, verdicts, the links found, the hotline, and an honest "nothing found" that is not
 * an all-clear), and the page after a report to the desk. Every page carries the pasted text at
 * most in the form's fields and is sent with `Cache-Control: no-store`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../../../platform/errors.ts'
import { Alert, CsrfField, sendPage } from '../../../platform/html/layout.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type TooLong, TooLongNote } from '../../../platform/html/too-long.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { ImageField, ImageFailureNote, type ImageText, ImageTextRead, replyForImageFailure } from '../../../platform/uploads/image-text.tsx'
import { verdictPath } from '../../factcheck/public/outputs.ts'
import { LabelBadge, ticketPath } from '../../factcheck/public/pages.tsx'
import { SELFCHECK_PATH, warningPath } from '../warnings.paths.ts'
import { SELFCHECK_MAX_CHARS, type SelfCheckResult } from './selfcheck.index.ts'

/** Where a report to the desk is posted. */
export const SELFCHECK_REPORT_PATH = `${SELFCHECK_PATH}/bao-cao`
/** The honeypot field of the report form: hidden from people; only bots fill it. */
export const SELFCHECK_HONEYPOT = 'website'

type Ctx = { req: FastifyRequest; reply: FastifyReply }

/** What the self-check page shows. */
export interface SelfCheckPageData {
  /** The text as pasted, with the text read from the image (shown again in the form; never stored). */
  text?: string
  /** The screenshot given with the form: its text and confidence, or why it gave none. */
  image?: ImageText
  result?: SelfCheckResult
  error?: AppError
  tooLong?: TooLong
  status?: number
}

function Hotline({ l, hotline }: { l: Locale; hotline: string }): SafeHtml {
  const number = hotline.trim() || '113'
  return (
    <section class="card" aria-labelledby="wself-hotline">
      <h2 id="wself-hotline" class="card-title">
        {t(l, 'wself.hotline.title')}
      </h2>
      <p class="hotline">
        <a href={`tel:${number.replace(/[^\d+]/g, '')}`}>{number}</a>
      </p>
      <p class="small muted">{t(l, 'wself.hotline.note')}</p>
    </section>
  )
}

function Advice({ l }: { l: Locale }): SafeHtml {
  return (
    <ul>
      {['1', '2', '3', '4', '5'].map((n) => (
        <li>{t(l, `wself.advice.${n}`)}</li>
      ))}
    </ul>
  )
}

function Results({ l, result }: { l: Locale; result: SelfCheckResult }): SafeHtml {
  const none = result.warnings.length === 0 && result.verdicts.length === 0
  return (
    <section class="stack" aria-labelledby="wself-results" id="ket-qua">
      <h2 id="wself-results">{t(l, 'wself.results.title')}</h2>
      {none ? (
        <div class="alert warn" role="status">
          <p>
            <strong>{t(l, 'wself.none.title')}</strong>
          </p>
          <p>{t(l, 'wself.none.body')}</p>
          <Advice l={l} />
        </div>
      ) : null}
      {result.warnings.length > 0 ? (
        <div class="stack">
          <h3>{t(l, 'wself.warnings.title', { count: result.warnings.length })}</h3>
          {result.warnings.map((w) => (
            <article class="card wself-warning">
              <p>
                <span class={`badge ${w.level === 'alert' ? 'risk-high' : w.level === 'advisory' ? 'risk-medium' : 'risk-low'}`}>
                  {t(l, `wself.level.${w.level}`)}
                </span>{' '}
                <span class="small muted">{t(l, `wself.matchedBy.${w.matchedBy}`)}</span>
              </p>
              <h4 class="card-title">
                <a href={warningPath(w.slug)}>{l === 'en' && w.titleEn ? w.titleEn : w.title}</a>
              </h4>
              <p>
                <strong>{t(l, 'wself.warnings.todo')}</strong> {l === 'en' && w.instructionEn ? w.instructionEn : w.instruction}
              </p>
              <p class="small">
                <a href={warningPath(w.slug)}>{t(l, 'wself.warnings.read')}</a>
              </p>
            </article>
          ))}
        </div>
      ) : null}
      {result.verdicts.length > 0 ? (
        <div class="stack">
          <h3>{t(l, 'wself.verdicts.title', { count: result.verdicts.length })}</h3>
          {result.verdicts.map((v) => (
            <article class="card wself-verdict">
              <p>
                <LabelBadge label={v.label} l={l} /> <span class="small muted">{t(l, `wself.matchedBy.${v.matchedBy}`)}</span>
              </p>
              <h4 class="card-title">
                <a href={verdictPath(v.slug)}>{v.headline}</a>
              </h4>
            </article>
          ))}
        </div>
      ) : null}
      {result.links.length > 0 ? (
        <div class="stack">
          <h3>{t(l, 'wself.links.title', { count: result.links.length })}</h3>
          <p class="small muted">{t(l, 'wself.links.note')}</p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t(l, 'wself.links.link')}</th>
                  <th scope="col">{t(l, 'wself.links.status')}</th>
                </tr>
              </thead>
              <tbody>
                {result.links.map((x) => (
                  <tr>
                    {/* Never a clickable link: the citizen is asking whether it is a trap. */}
                    <td>
                      <code>{x.url}</code>
                      {x.canonical !== x.url ? <div class="small muted">{x.canonical}</div> : null}
                    </td>
                    <td>
                      {x.known ? (
                        <span class="badge risk-high">{t(l, 'wself.links.known')}</span>
                      ) : (
                        <span class="badge">{t(l, 'wself.links.unknown')}</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      ) : null}
    </section>
  )
}

function ReportForm({ req, reply, text }: Ctx & { text: string }): SafeHtml {
  const l = req.locale
  return (
    <section class="card stack" aria-labelledby="wself-report">
      <h2 id="wself-report" class="card-title">
        {t(l, 'wself.report.title')}
      </h2>
      <p class="small">{t(l, 'wself.report.note')}</p>
      <form method="post" action={SELFCHECK_REPORT_PATH}>
        <CsrfField req={req} reply={reply} />
        <input type="hidden" name="text" value={text} />
        <div class="sr-only" aria-hidden="true">
          <label>
            Website
            <input name={SELFCHECK_HONEYPOT} tabindex="-1" autocomplete="off" value="" />
          </label>
        </div>
        <button type="submit">{t(l, 'wself.report.submit')}</button>
      </form>
    </section>
  )
}

/** The form, and the results when a text was checked. */
export function selfCheckPage({ req, reply }: Ctx, d: SelfCheckPageData): FastifyReply {
  const l = req.locale
  const hotline = req.server.ctx.tenant.hotline ?? ''
  reply.header('cache-control', 'no-store').header('x-robots-tag', d.text || d.image ? 'noindex' : 'index')
  if (d.image && !d.image.ok) replyForImageFailure(reply, d.image)
  return sendPage(
    req,
    reply,
    { title: t(l, 'wself.title'), shell: 'public', current: 'warnings', ...(d.status ? { status: d.status } : {}) },
    <>
      <h1>{t(l, 'wself.title')}</h1>
      <p>{t(l, 'wself.intro')}</p>
      {d.tooLong ? (
        <TooLongNote l={l} messages="wself.tooLong" how={d.tooLong} chars={d.text?.length ?? 0} max={SELFCHECK_MAX_CHARS} />
      ) : d.error ? (
        <Alert kind="error">
          <p>{t(l, `errors.${d.error.code}`, d.error.params)}</p>
          <p class="small" lang={l === 'vi' ? 'en' : 'vi'}>
            {t(l === 'vi' ? 'en' : 'vi', `errors.${d.error.code}`, d.error.params)}
          </p>
        </Alert>
      ) : null}
      {d.image && !d.image.ok ? <ImageFailureNote l={l} messages="wself.image" image={d.image} /> : null}
      <form method="post" action={SELFCHECK_PATH} class="stack card" enctype="multipart/form-data">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'wself.field')}
          {/* Not required: a screenshot alone is enough (the server says when both are missing). */}
          <textarea name="text" rows="8" maxlength={String(SELFCHECK_MAX_CHARS)} placeholder={t(l, 'wself.placeholder')}>
            {d.text ?? ''}
          </textarea>
        </label>
        <ImageField l={l} messages="wself.image" />
        <p class="small muted">{t(l, 'wself.notStored')}</p>
        <button type="submit">{t(l, 'wself.submit')}</button>
      </form>
      {d.image?.ok ? <ImageTextRead l={l} messages="wself.image" image={d.image} /> : null}
      {d.result ? <Results l={l} result={d.result} /> : null}
      {d.result ? <Hotline l={l} hotline={hotline} /> : null}
      {d.result && d.text ? <ReportForm req={req} reply={reply} text={d.text} /> : null}
      {!d.result ? (
        <section class="card">
          <h2 class="card-title">{t(l, 'wself.advice.title')}</h2>
          <Advice l={l} />
        </section>
      ) : null}
      {!d.result ? <Hotline l={l} hotline={hotline} /> : null}
    </>,
  )
}

/** After a report: the ticket and the link to its page at the desk. */
export function selfCheckReportedPage(
  { req, reply }: Ctx,
  d: { ticket: string; ticketKey: string | null; duplicate: boolean },
): FastifyReply {
  const l = req.locale
  reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex')
  const href = d.ticketKey ? ticketPath(d.ticket, d.ticketKey, d.duplicate ? 'trung' : 'moi') : ticketPath(d.ticket)
  return sendPage(
    req,
    reply,
    { title: t(l, 'wself.reported.title'), shell: 'public', current: 'warnings', narrow: true },
    <>
      <h1>{t(l, 'wself.reported.title')}</h1>
      <Alert kind="ok">
        <p>{t(l, d.duplicate ? 'wself.reported.duplicate' : 'wself.reported.body')}</p>
        <p>
          {t(l, 'wself.reported.ticket')} <strong class="verify-code">{d.ticket}</strong>
        </p>
      </Alert>
      <p>
        <a href={href}>{t(l, 'wself.reported.follow')}</a>
      </p>
      <p class="small muted">{t(l, 'wself.reported.keep')}</p>
      <p>
        <a href={SELFCHECK_PATH}>{t(l, 'wself.reported.again')}</a>
      </p>
    </>,
  )
}
