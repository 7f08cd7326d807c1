/**
 * Pages of the yearly recognition: the console ranking with its actions (adjust with a reason,
 * award, revoke), the partner's own score in the portal (every component, every adjustment with
 * its reason and date, their certificates), and the page of a revoked certificate.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { localFormat } from '../../../platform/time.ts'
import { POINTS_MAX, REASON_MAX, REASON_MIN } from './commands/recognition-input.ts'
import type { AdjustmentView, RecognitionView } from './recognition.queries.ts'
import { type PartnerScore, SCORE_WEIGHTS } from './score.ts'

/** The path of a certificate's PDF. */
export function certificatePath(code: string): string {
  return `/chung-nhan/${code}.pdf`
}

function signed(n: number): string {
  return n > 0 ? `+${n}` : n < 0 ? `−${Math.abs(n)}` : '0'
}

function day(at: Date, l: Locale): string {
  return localFormat(l, { dateStyle: 'long' }).format(at)
}

/** The formula in words, with the weights of SCORE_WEIGHTS. */
function Formula({ l }: { l: Locale }): SafeHtml {
  const W = SCORE_WEIGHTS
  return (
    <section class="card" aria-labelledby="h-formula">
      <h2 id="h-formula" class="card-title">
        {t(l, 'evrec.formula.title')}
      </h2>
      <ul>
        <li>{t(l, 'evrec.formula.attendance', { points: W.attendance, annual: W.annualConference })}</li>
        <li>{t(l, 'evrec.formula.coverage', { faithful: W.faithful, excerpt: W.excerpt, altered: Math.abs(W.altered) })}</li>
        <li>
          {t(l, 'evrec.formula.rumours', { points: W.usefulRumour })} <em>{t(l, 'evrec.noData')}</em>
        </li>
        <li>{t(l, 'evrec.formula.inquiries', { points: W.answeredInquiry })}</li>
        <li>{t(l, 'evrec.formula.adjustments')}</li>
      </ul>
    </section>
  )
}

/** The parts of a score, each with its count and its points (one cell each). */
function parts(s: PartnerScore, l: Locale) {
  return {
    attendance: t(l, 'evrec.part.attendance', { events: s.attendance.events, annual: s.attendance.annualConferences }),
    coverage: t(l, 'evrec.part.coverage', { faithful: s.coverage.faithful, excerpt: s.coverage.excerpt, altered: s.coverage.altered }),
    rumours: s.rumours.available ? t(l, 'evrec.part.rumours', { n: s.rumours.useful }) : t(l, 'evrec.noData'),
    inquiries: t(l, 'evrec.part.inquiries', { n: s.inquiries.answered }),
    adjustments: t(l, 'evrec.part.adjustments', { n: s.adjustments.count }),
  }
}

function Cell({ text, points }: { text: string; points: number }): SafeHtml {
  return (
    <td>
      <span class="small">{text}</span>
      <br />
      <strong class="nowrap">{signed(points)}</strong>
    </td>
  )
}

/** Values of a refused form, shown again. */
export interface RecognitionFormState {
  partnerId: string
  form: 'adjust' | 'award' | 'revoke'
  error: AppError
  values: { points?: string; reason?: string; eventId?: string }
}

function Actions({
  r,
  s,
  year,
  rec,
  conferences,
  state,
}: {
  r: R
  s: PartnerScore
  year: number
  rec: RecognitionView | undefined
  conferences: { id: string; title: string }[]
  state?: RecognitionFormState
}): SafeHtml {
  const l = r.req.locale
  const mine = state?.partnerId === s.partnerId ? state : undefined
  const base = `/console/doi-tac/ghi-nhan/${s.partnerId}`
  return (
    <details open={mine ? true : undefined} id={`p-${s.partnerId}`}>
      <summary>{t(l, 'evrec.actions')}</summary>
      {mine ? <FormError l={l} error={mine.error} /> : null}
      <form method="post" action={`${base}/dieu-chinh`} class="stack">
        <CsrfField req={r.req} reply={r.reply} />
        <input type="hidden" name="year" value={String(year)} />
        <label>
          {t(l, 'evrec.adjust.points')}
          <input
            type="number"
            name="points"
            min={String(-POINTS_MAX)}
            max={String(POINTS_MAX)}
            required
            value={mine?.form === 'adjust' ? (mine.values.points ?? '') : ''}
          />
        </label>
        <label>
          {t(l, 'evrec.adjust.reason')}
          <span class="hint">{t(l, 'evrec.adjust.reasonHint', { min: REASON_MIN, max: REASON_MAX })}</span>
          <textarea name="reason" rows="3" minlength={String(REASON_MIN)} maxlength={String(REASON_MAX)} required>
            {mine?.form === 'adjust' ? (mine.values.reason ?? '') : ''}
          </textarea>
        </label>
        <div>
          <button type="submit">{t(l, 'evrec.adjust.submit')}</button>
        </div>
      </form>
      {rec ? (
        rec.revokedAt ? null : (
          <form method="post" action={`${base}/thu-hoi`} class="stack">
            <CsrfField req={r.req} reply={r.reply} />
            <input type="hidden" name="year" value={String(year)} />
            <label>
              {t(l, 'evrec.revoke.reason')}
              <textarea name="reason" rows="2" minlength={String(REASON_MIN)} maxlength={String(REASON_MAX)} required>
                {mine?.form === 'revoke' ? (mine.values.reason ?? '') : ''}
              </textarea>
            </label>
            <div>
              <button type="submit" class="danger">
                {t(l, 'evrec.revoke.submit')}
              </button>
            </div>
          </form>
        )
      ) : (
        <form method="post" action={`${base}/trao`} class="stack">
          <CsrfField req={r.req} reply={r.reply} />
          <input type="hidden" name="year" value={String(year)} />
          {conferences.length ? (
            <label>
              {t(l, 'evrec.award.event')}
              <select name="eventId">
                <option value="">{t(l, 'evrec.award.noEvent')}</option>
                {conferences.map((c) => (
                  <option value={c.id} selected={mine?.values.eventId === c.id ? true : undefined}>
                    {c.title}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <div>
            <button type="submit">{t(l, 'evrec.award.submit')}</button>
          </div>
        </form>
      )}
    </details>
  )
}

function RecognitionBadge({ rec, l }: { rec: RecognitionView | undefined; l: Locale }): SafeHtml | null {
  if (!rec) return null
  if (rec.revokedAt) return <span class="badge admin">{t(l, 'evrec.revoked', { date: day(rec.revokedAt, l) })}</span>
  return (
    <span>
      <span class="badge ok">{t(l, 'evrec.recognized')}</span>{' '}
      <a class="mono" href={certificatePath(rec.certificateCode)}>
        {rec.certificateCode}
      </a>
    </span>
  )
}

/** The console ranking of a year. */
export function recognitionConsolePage(
  r: R,
  o: {
    year: number
    years: number[]
    scores: PartnerScore[]
    adjustments: AdjustmentView[]
    recognitions: RecognitionView[]
    conferences: { id: string; title: string }[]
    canRecognize: boolean
    notice?: string
    state?: RecognitionFormState
  },
) {
  const l = r.req.locale
  const recOf = new Map(o.recognitions.map((x) => [x.partnerId, x]))
  const nameOf = new Map(o.scores.map((s) => [s.partnerId, s.name]))
  return sendPage(
    r.req,
    r.reply,
    { title: t(l, 'evrec.console.title', { year: o.year }), shell: 'console', current: 'events.nav', status: o.state?.error.status },
    <>
      <p>
        <a href="/console/su-kien">{t(l, 'evrec.back')}</a>
      </p>
      <h1>{t(l, 'evrec.console.title', { year: o.year })}</h1>
      <form method="get" action="/console/doi-tac/ghi-nhan" class="row">
        <label>
          {t(l, 'evrec.year')}
          <select name="nam">
            {o.years.map((y) => (
              <option value={String(y)} selected={y === o.year ? true : undefined}>
                {String(y)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t(l, 'evrec.show')}</button>
      </form>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      {o.state && !nameOf.has(o.state.partnerId) ? <FormError l={l} error={o.state.error} /> : null}
      <Formula l={l} />
      {o.scores.length === 0 ? (
        <p class="muted">{t(l, 'evrec.console.none')}</p>
      ) : (
        <table class="recognition-ranking">
          <thead>
            <tr>
              <th>{t(l, 'evrec.col.rank')}</th>
              <th>{t(l, 'evrec.col.partner')}</th>
              <th>{t(l, 'evrec.col.outlet')}</th>
              <th>{t(l, 'evrec.col.attendance')}</th>
              <th>{t(l, 'evrec.col.coverage')}</th>
              <th>{t(l, 'evrec.col.rumours')}</th>
              <th>{t(l, 'evrec.col.inquiries')}</th>
              <th>{t(l, 'evrec.col.adjustments')}</th>
              <th>{t(l, 'evrec.col.total')}</th>
              <th>{t(l, 'evrec.col.recognition')}</th>
            </tr>
          </thead>
          <tbody>
            {o.scores.map((s, i) => {
              const p = parts(s, l)
              const rank = i > 0 && o.scores[i - 1]?.total === s.total ? '' : String(i + 1)
              return (
                <tr id={`row-${s.partnerId}`}>
                  <td>{rank}</td>
                  <td lang="vi">{s.name}</td>
                  <td lang="vi">{s.outlet ?? '—'}</td>
                  <Cell text={p.attendance} points={s.attendance.points} />
                  <Cell text={p.coverage} points={s.coverage.points} />
                  <Cell text={p.rumours} points={s.rumours.points} />
                  <Cell text={p.inquiries} points={s.inquiries.points} />
                  <Cell text={p.adjustments} points={s.adjustments.points} />
                  <td>
                    <strong class="score-total">{String(s.total)}</strong>
                  </td>
                  <td>
                    <RecognitionBadge rec={recOf.get(s.partnerId)} l={l} />
                    {o.canRecognize ? (
                      <Actions r={r} s={s} year={o.year} rec={recOf.get(s.partnerId)} conferences={o.conferences} state={o.state} />
                    ) : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      {o.adjustments.length ? (
        <section aria-labelledby="h-adjustments">
          <h2 id="h-adjustments">{t(l, 'evrec.adjustments.title')}</h2>
          <AdjustmentList l={l} items={o.adjustments} nameOf={nameOf} />
        </section>
      ) : null}
    </>,
  )
}

function AdjustmentList({ l, items, nameOf }: { l: Locale; items: AdjustmentView[]; nameOf?: Map<string, string> }): SafeHtml {
  return (
    <table class="adjustments">
      <thead>
        <tr>
          <th>{t(l, 'evrec.adjustments.date')}</th>
          {nameOf ? <th>{t(l, 'evrec.col.partner')}</th> : null}
          <th>{t(l, 'evrec.adjustments.points')}</th>
          <th>{t(l, 'evrec.adjustments.reason')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((a) => (
          <tr>
            <td class="nowrap">{formatTime(a.createdAt, l)}</td>
            {nameOf ? <td lang="vi">{nameOf.get(a.partnerId) ?? '—'}</td> : null}
            <td class="nowrap">{signed(a.points)}</td>
            <td lang="vi" class="adjustment-reason">
              {a.reason}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The partner's own score for one year, line by line. */
function YearScore({
  l,
  year,
  score,
  adjustments,
}: {
  l: Locale
  year: number
  score: PartnerScore | null
  adjustments: AdjustmentView[]
}) {
  return (
    <section class="card" aria-labelledby={`h-year-${year}`}>
      <h2 id={`h-year-${year}`} class="card-title">
        {t(l, 'evrec.portal.year', { year })}
      </h2>
      {score ? (
        <>
          <table>
            <thead>
              <tr>
                <th>{t(l, 'evrec.portal.component')}</th>
                <th>{t(l, 'evrec.portal.detail')}</th>
                <th>{t(l, 'evrec.portal.points')}</th>
              </tr>
            </thead>
            <tbody>
              {(() => {
                const p = parts(score, l)
                const rows: [string, string, number][] = [
                  [t(l, 'evrec.col.attendance'), p.attendance, score.attendance.points],
                  [t(l, 'evrec.col.coverage'), p.coverage, score.coverage.points],
                  [t(l, 'evrec.col.rumours'), p.rumours, score.rumours.points],
                  [t(l, 'evrec.col.inquiries'), p.inquiries, score.inquiries.points],
                  [t(l, 'evrec.col.adjustments'), p.adjustments, score.adjustments.points],
                ]
                return rows.map(([name, detail, points]) => (
                  <tr>
                    <td>{name}</td>
                    <td>{detail}</td>
                    <td class="nowrap">{signed(points)}</td>
                  </tr>
                ))
              })()}
              <tr>
                <th colspan="2">{t(l, 'evrec.col.total')}</th>
                <th class="score-total">{String(score.total)}</th>
              </tr>
            </tbody>
          </table>
          {adjustments.length ? (
            <>
              <h3>{t(l, 'evrec.adjustments.title')}</h3>
              <AdjustmentList l={l} items={adjustments} />
            </>
          ) : null}
        </>
      ) : (
        <p class="muted">{t(l, 'evrec.portal.notScored')}</p>
      )}
    </section>
  )
}

/** The partner portal page: this year's and last year's score, and their certificates. */
export function recognitionPortalPage(
  r: R,
  o: { years: { year: number; score: PartnerScore | null; adjustments: AdjustmentView[] }[]; certificates: RecognitionView[] },
) {
  const l = r.req.locale
  return sendPage(
    r.req,
    r.reply,
    { title: t(l, 'evrec.portal.title'), shell: 'console', current: 'recognition' },
    <>
      <h1>{t(l, 'evrec.portal.title')}</h1>
      <p class="muted">{t(l, 'evrec.portal.intro')}</p>
      {o.years.map((y) => (
        <YearScore l={l} year={y.year} score={y.score} adjustments={y.adjustments} />
      ))}
      <Formula l={l} />
      <section class="card" aria-labelledby="h-certificates">
        <h2 id="h-certificates" class="card-title">
          {t(l, 'evrec.portal.certificates')}
        </h2>
        {o.certificates.length === 0 ? (
          <p class="muted">{t(l, 'evrec.portal.noCertificates')}</p>
        ) : (
          <ul>
            {o.certificates.map((c) => (
              <li>
                {t(l, 'evrec.portal.certificate', { year: c.year, date: day(c.awardedAt, l) })} ·{' '}
                <span class="mono">{c.certificateCode}</span> ·{' '}
                {c.revokedAt ? (
                  <span class="badge admin">{t(l, 'evrec.revoked', { date: day(c.revokedAt, l) })}</span>
                ) : (
                  <a href={certificatePath(c.certificateCode)}>{t(l, 'evrec.download')}</a>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>,
  )
}

/** A revoked certificate's PDF address: 410 with a clear page (never the reason). */
export function certificateRevokedPage(r: R, o: { code: string; revokedAt: Date }) {
  const l = r.req.locale
  r.reply.header('cache-control', 'no-store')
  return sendPage(
    r.req,
    r.reply,
    { title: t(l, 'evrec.gone.title'), shell: 'public', status: 410 },
    <>
      <h1>{t(l, 'evrec.gone.title')}</h1>
      <Alert kind="error">{t(l, 'evrec.gone.text', { code: o.code, date: day(o.revokedAt, l) })}</Alert>
      <p>
        <a href={`/xac-minh?ma=${o.code}`}>{t(l, 'evrec.gone.verify')}</a>
      </p>
    </>,
  )
}
