/**
 * Public pages of the verification desk: the desk with its form, the ticket status page, the
 * "có phải bạn muốn hỏi…" suggestions, the verdict page (one ClaimReview JSON-LD), the
 * partners' correction kit, the list/search of verdicts and the rating scale. Every page
 * renders through the reply it is given (the page cache passes a capturing one); every
 * submitted text is escaped by the JSX runtime, only our own Markdown and JSON-LD use `raw()`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../../../platform/errors.ts'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { renderMarkdown } from '../../../platform/markdown/index.ts'
import type { Tenant } from '../../../platform/tenancy/index.ts'
import { claimReview, jsonLdScript } from '../claimreview.ts'
import type { findPublishedVerdict, listPublishedVerdicts, suggestPublishedVerdicts, ticketStatus } from '../factcheck.public.ts'
import { type ClaimStatus, VERDICT_LABELS, type VerdictLabel } from '../factcheck.tables.ts'
import { LABELS, SCALE } from '../labels.ts'
import { MAX_SUBMISSION_CHARS } from '../commands/submit-claim.ts'
import { type TooLong, TooLongNote } from '../../../platform/html/too-long.tsx'
import { type DeskForm, HONEYPOT_FIELD, MAX_FILES, SEEN_PLACES } from './intake.ts'
import { shareText, truncate, verdictPath } from './outputs.ts'

/** The request and the reply (or capturing sink) a page renders to. */
export interface PageCtx {
  req: FastifyRequest
  reply: FastifyReply
}

type Verdict = NonNullable<Awaited<ReturnType<typeof findPublishedVerdict>>>
type Ticket = NonNullable<Awaited<ReturnType<typeof ticketStatus>>>
type ListItem = Awaited<ReturnType<typeof listPublishedVerdicts>>[number]
type Suggestion = Awaited<ReturnType<typeof suggestPublishedVerdicts>>[number]

/** The public state of a ticket, in words ("under verification" is a status, never a verdict). */
export type TicketState = 'received' | 'investigating' | 'published' | 'closed'

/** Maps a claim's status onto what the submitter is told. */
export function ticketState(status: ClaimStatus): TicketState {
  if (status === 'new') return 'received'
  if (status === 'published') return 'published'
  if (status === 'dismissed') return 'closed'
  return 'investigating'
}

/** Path of a ticket's page, with its key when given. */
export function ticketPath(ticket: string, key?: string, flag?: 'moi' | 'trung'): string {
  const q = new URLSearchParams()
  if (key) q.set('k', key)
  if (flag) q.set(flag, '1')
  const s = q.toString()
  return `/kiem-chung/phieu/${encodeURIComponent(ticket)}${s ? `?${s}` : ''}`
}

/** A verdict label: the Vietnamese name on its colour, the English name and the rating. */
export function LabelBadge({ label, l, big }: { label: VerdictLabel; l: Locale; big?: boolean }): SafeHtml {
  const info = LABELS[label]
  return (
    <span class={big ? 'kc-label big' : 'kc-label'}>
      <span class={`kc-chip r${info.rating}`} lang="vi">
        {info.vi}
      </span>
      <span class="kc-label-en small muted">
        <span lang="en">{info.en}</span> · {t(l, 'kc.verdict.rating', { rating: info.rating, worst: SCALE.worst, best: SCALE.best })}
      </span>
    </span>
  )
}

function Time({ at, l }: { at: Date | null | undefined; l: Locale }): SafeHtml {
  if (!at) return raw('')
  return <time datetime={at.toISOString()}>{formatTime(at, l)}</time>
}

/** "Có phải bạn muốn hỏi…": published verdicts like the text (empty when none). */
export function Suggestions({ l, items }: { l: Locale; items: Suggestion[] }): SafeHtml {
  if (items.length === 0) return raw('')
  return (
    <section class="card kc-suggest" aria-labelledby="kc-suggest-title">
      <h2 id="kc-suggest-title" class="card-title">
        {t(l, 'kc.suggest.title')}
      </h2>
      <p class="small muted">{t(l, 'kc.suggest.intro')}</p>
      <ul class="kc-list">
        {items.map((s) => (
          <li>
            <LabelBadge label={s.label} l={l} />
            <p>
              <a href={verdictPath(s.slug ?? '')} lang="vi">
                {s.headline}
              </a>
            </p>
            <p class="small muted" lang="vi">
              {truncate(s.statement, 200)}
            </p>
          </li>
        ))}
      </ul>
    </section>
  )
}

const HTMX = raw('<script src="/assets/htmx/htmx.min.js" defer></script>')

/** What the desk page shows. */
export interface DeskData {
  values?: DeskForm
  error?: AppError
  latest: ListItem[]
  retentionDays: number
  unit: string
  suggestions?: Suggestion[]
  status?: number
  /** A ticket code that could not be read, shown back in the look-up form with why. */
  lookup?: { value: string; error: AppError }
  /**
   * Why a text too long came back: `kept` (whole, in the form), `cut` (only its start arrived)
   * or `lost` (the body was over the form's limit and could not be read at all).
   */
  tooLong?: TooLong
}

/** What became of a text refused as too long (see {@link DeskData.tooLong}). */
export type { TooLong }

/** Both languages of an error, the reader's first. */
function ErrorAlert({ l, error }: { l: Locale; error: AppError }): SafeHtml {
  const other: Locale = l === 'vi' ? 'en' : 'vi'
  return (
    <Alert kind="error">
      <p>
        <strong>{t(l, `errors.${error.code}`, error.params)}</strong>
      </p>
      <p class="small" lang={other}>
        {t(other, `errors.${error.code}`, error.params)}
      </p>
    </Alert>
  )
}

/** The desk: intro, the form (with the live suggestions), ticket look-up, latest verdicts. */
export function deskPage({ req, reply }: PageCtx, d: DeskData) {
  const l = req.locale
  const v = d.values ?? { text: '', links: '', seen: '', seenDetail: '', email: '' }
  reply.header('cache-control', 'no-store')
  return sendPage(
    req,
    reply,
    { title: t(l, 'kc.desk.title'), shell: 'public', current: 'factcheck', status: d.status, head: HTMX },
    <>
      <h1>{t(l, 'kc.desk.title')}</h1>
      <p>{t(l, 'kc.desk.intro')}</p>
      <p class="small muted">{t(l, 'kc.desk.principle')}</p>
      <p class="subnav">
        <a href="/kiem-chung/ket-luan">{t(l, 'kc.desk.allVerdicts')}</a>
        <a href="/kiem-chung/thang-danh-gia">{t(l, 'kc.desk.scale')}</a>
      </p>
      <div class="kc-desk">
        <section aria-labelledby="kc-form-title">
          <h2 id="kc-form-title">{t(l, 'kc.desk.formTitle')}</h2>
          {d.error ? <ErrorAlert l={l} error={d.error} /> : null}
          {d.tooLong ? (
            <TooLongNote l={l} messages="kc.form.tooLong" how={d.tooLong} chars={v.text.length} max={MAX_SUBMISSION_CHARS} />
          ) : null}
          <form method="post" action="/kiem-chung" enctype="multipart/form-data" class="stack card kc-form">
            <CsrfField req={req} reply={reply} />
            <label>
              {t(l, 'kc.form.text')}
              <span class="hint">{t(l, 'kc.form.textHint')}</span>
              <textarea
                name="text"
                rows="7"
                maxlength="20000"
                hx-post="/kiem-chung/goi-y"
                hx-trigger="input changed delay:500ms"
                hx-target="#kc-goi-y"
                hx-swap="innerHTML"
                hx-params="text"
                hx-encoding="application/x-www-form-urlencoded"
              >
                {v.text}
              </textarea>
            </label>
            <div id="kc-goi-y" aria-live="polite">
              <Suggestions l={l} items={d.suggestions ?? []} />
            </div>
            <label>
              {t(l, 'kc.form.links')}
              <span class="hint">{t(l, 'kc.form.linksHint')}</span>
              <textarea name="links" rows="3" inputmode="url" spellcheck="false">
                {v.links}
              </textarea>
            </label>
            <div class="row">
              <label>
                {t(l, 'kc.form.seen')}
                <select name="seen">
                  <option value="">{t(l, 'kc.seen.none')}</option>
                  {SEEN_PLACES.map((p) => (
                    <option value={p} selected={v.seen === p}>
                      {t(l, `kc.seen.${p}`)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {t(l, 'kc.form.seenDetail')}
                <input name="seenDetail" maxlength="300" value={v.seenDetail} />
              </label>
            </div>
            <label>
              {t(l, 'kc.form.files')}
              <span class="hint">{t(l, 'kc.form.filesHint')}</span>
              <input
                type="file"
                name="files"
                multiple
                accept="image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
                data-max={String(MAX_FILES)}
              />
            </label>
            {d.error ? <p class="small muted">{t(l, 'kc.form.filesAgain')}</p> : null}
            <label>
              {t(l, 'kc.form.email')}
              <span class="hint">{t(l, 'kc.form.emailHint', { days: d.retentionDays })}</span>
              <input type="email" name="email" maxlength="254" autocomplete="email" value={v.email} />
            </label>
            <div class="kc-hp" aria-hidden="true">
              <label>
                {t(l, 'kc.form.honeypot')}
                <input type="text" name={HONEYPOT_FIELD} tabindex="-1" autocomplete="off" value="" />
              </label>
            </div>
            <p class="small muted">{t(l, 'kc.form.consent', { unit: d.unit })}</p>
            <div>
              <button type="submit">{t(l, 'kc.form.submit')}</button>
            </div>
          </form>
        </section>
        <aside>
          <section class="card" aria-labelledby="kc-lookup-title">
            <h2 id="kc-lookup-title" class="card-title">
              {t(l, 'kc.ticket.lookup')}
            </h2>
            {d.lookup ? <ErrorAlert l={l} error={d.lookup.error} /> : null}
            <form method="get" action="/kiem-chung/phieu" class="stack">
              <label>
                {t(l, 'kc.ticket.lookupField')}
                <span class="hint">{t(l, 'kc.ticket.lookupHint')}</span>
                {/* No `pattern`: the server reads every form a code is typed or read out in (any case,
                    with or without dashes and spaces, old six-digit codes too, see ticket-code.ts);
                    a pattern here would only refuse codes the server accepts. */}
                <input
                  name="ma"
                  maxlength="40"
                  required
                  autocomplete="off"
                  autocapitalize="characters"
                  spellcheck="false"
                  value={d.lookup?.value ?? ''}
                  aria-invalid={d.lookup ? 'true' : undefined}
                />
              </label>
              <div>
                <button type="submit" class="secondary">
                  {t(l, 'kc.ticket.lookupSubmit')}
                </button>
              </div>
            </form>
          </section>
          {d.latest.length ? (
            <section aria-labelledby="kc-latest-title">
              <h2 id="kc-latest-title">{t(l, 'kc.desk.latest')}</h2>
              <VerdictList l={l} items={d.latest} />
              <p>
                <a href="/kiem-chung/ket-luan">{t(l, 'kc.desk.allVerdicts')}</a>
              </p>
            </section>
          ) : null}
        </aside>
      </div>
    </>,
  )
}

function VerdictList({ l, items }: { l: Locale; items: ListItem[] }): SafeHtml {
  return (
    <ul class="kc-list">
      {items.map((v) => (
        <li class="card">
          <LabelBadge label={v.label} l={l} />
          <h3>
            <a href={verdictPath(v.slug ?? '')} lang="vi">
              {v.headline}
            </a>
          </h3>
          <p class="small" lang="vi">
            {truncate(v.statement, 240)}
          </p>
          <p class="small muted">
            <Time at={v.publishedAt} l={l} />
          </p>
        </li>
      ))}
    </ul>
  )
}

/** What the ticket page shows. */
export interface TicketData {
  ticket: Ticket
  /** The full private link (with the key), when the viewer holds the key. */
  privateUrl: string | null
  /** Just sent (`moi`) or the same text again within minutes (`trung`). */
  flag?: 'moi' | 'trung'
  suggestions: Suggestion[]
}

/** A message holding a ticket code, with the code kept on one line (a phone broke it at its dashes). */
function WithCode({ text, code }: { text: string; code: string }): SafeHtml {
  const at = text.indexOf(code)
  if (at < 0) return <>{text}</>
  return (
    <>
      {text.slice(0, at)}
      <span class="nowrap">{code}</span>
      {text.slice(at + code.length)}
    </>
  )
}

/** A ticket's status: the verdict when published (or similar published verdicts) first, then the code (note it), the status in words, the text with the key. */
export function ticketPage({ req, reply }: PageCtx, d: TicketData) {
  const l = req.locale
  const s = d.ticket
  const state = ticketState(s.status)
  reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow')
  return sendPage(
    req,
    reply,
    { title: t(l, 'kc.ticket.title', { ticket: s.ticket }), shell: 'public', current: 'factcheck' },
    <div class="kc-ticket">
      {d.flag === 'moi' ? <Alert kind="ok">{t(l, 'kc.ticket.received')}</Alert> : null}
      {d.flag === 'trung' ? <Alert kind="warn">{t(l, 'kc.ticket.duplicate')}</Alert> : null}
      <h1>
        <WithCode text={t(l, 'kc.ticket.title', { ticket: s.ticket })} code={s.ticket} />
      </h1>
      {/* The answer first (the verdict, or published verdicts like the text), then the ticket. */}
      {s.verdict && s.slug ? (
        <section class="card kc-verdict-box" aria-labelledby="kc-ticket-verdict">
          <h2 id="kc-ticket-verdict" class="card-title">
            {t(l, 'kc.ticket.verdict')}
          </h2>
          <LabelBadge label={s.verdict.label} l={l} big />
          <p lang="vi">
            <strong>{s.verdict.headline}</strong>
          </p>
          <p>
            <a class="button" href={verdictPath(s.slug)}>
              {t(l, 'kc.ticket.readVerdict')}
            </a>
          </p>
        </section>
      ) : null}
      <Suggestions l={l} items={d.suggestions} />
      <section class="card">
        <p>
          {t(l, 'kc.ticket.code')}: <strong class="verify-code mono nowrap">{s.ticket}</strong>
        </p>
        <p>
          <WithCode text={t(l, 'kc.ticket.note', { ticket: s.ticket })} code={s.ticket} />
        </p>
        {d.privateUrl ? (
          <label>
            {t(l, 'kc.ticket.link')}
            <span class="hint">{t(l, 'kc.ticket.linkHint')}</span>
            <input readonly value={d.privateUrl} class="mono" />
          </label>
        ) : null}
      </section>
      <section class={`card kc-state ${state}`}>
        <dl class="kv">
          <dt>{t(l, 'kc.ticket.status')}</dt>
          <dd>
            <strong class="kc-status">{t(l, `kc.status.${state}`)}</strong>
            <br />
            <span class="small muted">{t(l, `kc.status.${state}Help`)}</span>
          </dd>
          <dt>{t(l, 'kc.ticket.submittedAt')}</dt>
          <dd>
            <Time at={s.submittedAt} l={l} />
          </dd>
        </dl>
      </section>
      <section class="card">
        <h2 class="card-title">{t(l, 'kc.ticket.yourText')}</h2>
        {s.text !== null ? (
          <>
            <p class="kc-text" lang="vi">
              {s.text}
            </p>
            {s.links?.length ? (
              <>
                <h3 class="small">{t(l, 'kc.ticket.yourLinks')}</h3>
                <ul class="small">
                  {s.links.map((u) => (
                    <li class="mono">{u}</li>
                  ))}
                </ul>
              </>
            ) : null}
          </>
        ) : (
          <p class="small muted">{t(l, 'kc.ticket.textHidden')}</p>
        )}
      </section>
      <p>
        <a href="/kiem-chung">{t(l, 'kc.ticket.back')}</a>
      </p>
    </div>,
  )
}

/** What the verdict page needs besides the verdict. */
export interface SiteData {
  publicUrl: string
  tenant: Tenant
}

/** The ClaimReview of a published verdict (the page's only JSON-LD). */
export function verdictClaimReview(v: Verdict, site: SiteData): Record<string, unknown> {
  return claimReview({
    url: `${site.publicUrl}${verdictPath(v.claim.slug ?? '')}`,
    statement: v.claim.statement,
    label: v.verdict.label,
    headline: v.verdict.headline,
    firstPublishedAt: v.firstPublishedAt ?? v.verdict.createdAt,
    modifiedAt: v.verdict.publishedAt ?? v.verdict.updatedAt,
    appearances: v.claim.appearances,
    firstSeenAt: v.claim.firstSeenAt,
    author: { name: site.tenant.name, url: `${site.publicUrl}/` },
  })
}

/** A published verdict: the claim, the label (big), headline, explanation, evidence, history, author and dates. */
export function verdictPage({ req, reply }: PageCtx, v: Verdict, site: SiteData) {
  const l = req.locale
  const slug = v.claim.slug ?? ''
  const url = `${site.publicUrl}${verdictPath(slug)}`
  const label = LABELS[v.verdict.label]
  const title = `${label.vi}: ${v.verdict.headline}`
  const description = truncate(`${v.claim.statement}`, 200)
  const modified = v.verdict.publishedAt
  const head = (
    <>
      <link rel="canonical" href={url} />
      <meta name="description" content={description} />
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={site.tenant.name} />
      <meta property="og:locale" content="vi_VN" />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={url} />
      <meta property="article:published_time" content={v.firstPublishedAt?.toISOString()} />
      <meta property="article:modified_time" content={modified?.toISOString()} />
      <meta property="og:image" content={`${url}/the.png`} />
      <meta property="og:image:type" content="image/png" />
      <meta property="og:image:width" content="1200" />
      <meta property="og:image:height" content="630" />
      <meta property="og:image:alt" content={`${LABELS[v.verdict.label].vi} — ${v.verdict.headline}`} />
      <meta name="twitter:card" content="summary_large_image" />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={description} />
      {raw(`<script type="application/ld+json">${jsonLdScript(verdictClaimReview(v, site))}</script>`)}
    </>
  )
  return sendPage(
    req,
    reply,
    { title, shell: 'public', current: 'factcheck', head },
    <article class="release kc-verdict">
      <p class="small muted">
        <a href="/kiem-chung/ket-luan">{t(l, 'kc.list.title')}</a>
      </p>
      <section class="card kc-claim">
        <h2 class="card-title">{t(l, 'kc.verdict.claim')}</h2>
        <blockquote lang="vi">{v.claim.statement}</blockquote>
        <p class="small muted">{t(l, 'kc.verdict.appearances', { count: v.claim.appearances.length })}</p>
      </section>
      <LabelBadge label={v.verdict.label} l={l} big />
      <h1 lang="vi">{v.verdict.headline}</h1>
      <p class="small muted">
        {t(l, 'kc.verdict.author')}: <strong>{site.tenant.name}</strong>
        {' · '}
        {t(l, 'kc.verdict.published')}: <Time at={v.firstPublishedAt} l={l} />
        {modified && v.firstPublishedAt && modified.getTime() !== v.firstPublishedAt.getTime() ? (
          <>
            {' · '}
            {t(l, 'kc.verdict.updated')}: <Time at={modified} l={l} />
          </>
        ) : null}
        {' · '}
        {t(l, 'kc.verdict.timeZone')}
      </p>
      <section aria-labelledby="kc-explanation">
        <h2 id="kc-explanation">{t(l, 'kc.verdict.explanation')}</h2>
        <div class="prose" lang="vi">
          {raw(renderMarkdown(v.verdict.explanationMd).html)}
        </div>
      </section>
      <section aria-labelledby="kc-evidence">
        <h2 id="kc-evidence">{t(l, 'kc.verdict.evidence')}</h2>
        {v.evidence.length ? (
          <ol class="kc-evidence">
            {v.evidence.map((e) => (
              <li>
                <strong lang="vi">{e.title}</strong> <span class="badge">{t(l, `kc.evidence.kind.${e.kind}`)}</span>
                {e.url && /^https?:\/\//i.test(e.url) ? (
                  <>
                    <br />
                    <a href={e.url} rel="noopener noreferrer nofollow" class="mono small">
                      {truncate(e.url, 90)}
                    </a>
                  </>
                ) : null}
                <br />
                <span class="small muted">
                  {t(l, 'kc.evidence.sha')}: <code title={e.sha256}>{e.sha256.slice(0, 12)}</code> · {t(l, 'kc.evidence.captured')}:{' '}
                  <Time at={e.capturedAt} l={l} />
                </span>
              </li>
            ))}
          </ol>
        ) : (
          <p class="muted">{t(l, 'kc.verdict.noEvidence')}</p>
        )}
      </section>
      <section aria-labelledby="kc-history">
        <h2 id="kc-history">{t(l, 'kc.verdict.history')}</h2>
        <ol class="history-list" reversed>
          {v.history.map((h) => (
            <li>
              {t(l, 'kc.verdict.version', { version: h.version })} · <Time at={h.publishedAt} l={l} /> ·{' '}
              <span lang="vi">{LABELS[h.label].vi}</span>
              {h.version === 1 ? (
                <> · {t(l, 'kc.verdict.firstVersion')}</>
              ) : h.correctionNote ? (
                <>
                  {' '}
                  · <span lang="vi">{h.correctionNote}</span>
                </>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
      <p class="pager">
        <a href={`${verdictPath(slug)}/bo-cong-cu`}>{t(l, 'kc.verdict.kit')}</a>
        <a href="/kiem-chung/thang-danh-gia">{t(l, 'kc.desk.scale')}</a>
        <a href="/kiem-chung">{t(l, 'kc.verdict.askAgain')}</a>
      </p>
    </article>,
  )
}

/** The partners' correction kit: share text, image card, link, official source. */
export function kitPage({ req, reply }: PageCtx, v: Verdict, site: SiteData) {
  const l = req.locale
  const slug = v.claim.slug ?? ''
  const url = `${site.publicUrl}${verdictPath(slug)}`
  const label = LABELS[v.verdict.label]
  const text = shareText({ label: v.verdict.label, headline: v.verdict.headline, unit: site.tenant.name, link: url })
  const card = `${verdictPath(slug)}/the.svg`
  return sendPage(
    req,
    reply,
    {
      title: `${t(l, 'kc.kit.title')}: ${v.verdict.headline}`,
      shell: 'public',
      current: 'factcheck',
      head: <link rel="canonical" href={`${url}/bo-cong-cu`} />,
    },
    <article class="release kc-kit">
      <h1>{t(l, 'kc.kit.title')}</h1>
      <p>{t(l, 'kc.kit.intro')}</p>
      <LabelBadge label={v.verdict.label} l={l} big />
      <p lang="vi">
        <strong>{v.verdict.headline}</strong>
      </p>
      <section class="card">
        <h2 class="card-title">{t(l, 'kc.kit.text')}</h2>
        <textarea readonly rows="6" lang="vi" aria-label={t(l, 'kc.kit.text')}>
          {text}
        </textarea>
        <p class="small muted">{text.length}/280</p>
      </section>
      <section class="card">
        <h2 class="card-title">{t(l, 'kc.kit.card')}</h2>
        <img
          src={card}
          width="1200"
          height="630"
          class="kc-card"
          alt={t(l, 'kc.kit.cardAlt', { label: label.vi, headline: v.verdict.headline })}
        />
        <p>
          <a class="button secondary" href={card} download={`kiem-chung-${slug}.svg`}>
            {t(l, 'kc.kit.download')}
          </a>{' '}
          <a class="button secondary" href={`${verdictPath(slug)}/the.png`} download={`kiem-chung-${slug}.png`}>
            {t(l, 'kc.kit.downloadPng')}
          </a>
        </p>
      </section>
      <section class="card">
        <h2 class="card-title">{t(l, 'kc.kit.link')}</h2>
        <p>
          <a href={verdictPath(slug)} class="mono">
            {url}
          </a>
        </p>
        <p>
          <strong>{t(l, 'kc.kit.source', { unit: site.tenant.name })}</strong>
        </p>
      </section>
    </article>,
  )
}

/** What the list shows. */
export interface ListData {
  items: ListItem[]
  q: string
  label: VerdictLabel | ''
  page: number
  hasNext: boolean
}

function listHref(q: string, label: string, page: number): string {
  const p = new URLSearchParams()
  if (q) p.set('q', q)
  if (label) p.set('nhan', label)
  if (page > 1) p.set('trang', String(page))
  const s = p.toString()
  return `/kiem-chung/ket-luan${s ? `?${s}` : ''}`
}

/** Published verdicts, newest first, with search (diacritics optional), label filter and pages. */
export function listPage({ req, reply }: PageCtx, d: ListData) {
  const l = req.locale
  const head = (
    <>
      <link rel="alternate" type="application/rss+xml" href="/kiem-chung/rss.xml" title="RSS" />
      <link rel="alternate" type="application/feed+json" href="/kiem-chung/feed.json" title="JSON Feed" />
      {d.q || d.label || d.page > 1 ? <meta name="robots" content="noindex, follow" /> : null}
    </>
  )
  return sendPage(
    req,
    reply,
    {
      title: d.page > 1 ? `${t(l, 'kc.list.title')} · ${t(l, 'kc.list.page', { n: d.page })}` : t(l, 'kc.list.title'),
      shell: 'public',
      current: 'factcheck',
      head,
    },
    <>
      <h1>{t(l, 'kc.list.title')}</h1>
      <form method="get" action="/kiem-chung/ket-luan" class="card row search-form">
        <label>
          {t(l, 'kc.list.q')}
          <input type="search" name="q" maxlength="200" value={d.q} />
        </label>
        <label>
          {t(l, 'kc.list.label')}
          <select name="nhan">
            <option value="">{t(l, 'kc.list.allLabels')}</option>
            {VERDICT_LABELS.map((k) => (
              <option value={k} selected={d.label === k}>
                {LABELS[k].vi} ({LABELS[k].en})
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t(l, 'kc.list.submit')}</button>
      </form>
      {d.items.length ? <VerdictList l={l} items={d.items} /> : <p class="muted">{t(l, 'kc.list.empty')}</p>}
      <nav class="pager" aria-label={t(l, 'kc.list.page', { n: d.page })}>
        {d.page > 1 ? <a href={listHref(d.q, d.label, d.page - 1)}>{t(l, 'kc.list.prev')}</a> : null}
        {d.hasNext ? <a href={listHref(d.q, d.label, d.page + 1)}>{t(l, 'kc.list.next')}</a> : null}
      </nav>
      <p class="small">
        {t(l, 'kc.list.feeds')}: <a href="/kiem-chung/rss.xml">RSS</a> · <a href="/kiem-chung/feed.json">JSON Feed</a> ·{' '}
        <a href="/kiem-chung/thang-danh-gia">{t(l, 'kc.desk.scale')}</a>
      </p>
    </>,
  )
}

/** The published rating scale: every label with its names, rating and meaning. */
export function scalePage({ req, reply }: PageCtx) {
  const l = req.locale
  const labels = [...VERDICT_LABELS].sort((a, b) => LABELS[a].rating - LABELS[b].rating)
  return sendPage(
    req,
    reply,
    { title: t(l, 'kc.scale.title'), shell: 'public', current: 'factcheck' },
    <>
      <h1>{t(l, 'kc.scale.title')}</h1>
      <p>{t(l, 'kc.scale.intro')}</p>
      <div class="table-wrap">
        <table class="kc-scale">
          <thead>
            <tr>
              <th scope="col">{t(l, 'kc.scale.labelVi')}</th>
              <th scope="col">{t(l, 'kc.scale.labelEn')}</th>
              <th scope="col">{t(l, 'kc.scale.rating')}</th>
              <th scope="col">{t(l, 'kc.scale.definition')}</th>
            </tr>
          </thead>
          <tbody>
            {labels.map((k) => (
              <tr id={k}>
                <th scope="row">
                  <span class={`kc-chip r${LABELS[k].rating}`} lang="vi">
                    {LABELS[k].vi}
                  </span>
                </th>
                <td lang="en">{LABELS[k].en}</td>
                <td>{LABELS[k].rating}</td>
                <td>{t(l, `kc.label.${k}.def`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
  )
}
