/**
 * Staff pages of warnings: the list (/console/canh-bao) with its filters, and the editor (new
 * warning, or one warning's working copy with its side panels and workflow). Times are shown
 * and typed in local time (Asia/Ho_Chi_Minh). The form keeps everything typed when refused.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, formatTime, raw, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { localInputValue } from '../../../platform/time.ts'
import { CommuneField } from '../../reference/commune-field.tsx'
import { publicStateOf, type WarningRow } from '../warnings.repository.ts'
import { WARNING_KINDS, WARNING_LEVELS, WARNING_STATES } from '../warnings.types.ts'

/** Extra styles of the warnings console (CSP allows inline styles, not scripts). */
export const WCON_STYLE = `
.wcon-editor{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:1024px){.wcon-editor{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}}
.wcon-editor form.stack{display:grid;gap:.9rem}
.wcon-panel{border:1px solid var(--line);border-radius:var(--radius);padding:.8rem 1rem;margin:0 0 1rem;background:#fff}
.wcon-panel h2{margin:0 0 .5rem;font-size:1.1rem}
.wcon-cap{max-height:32rem;overflow:auto;font-size:.78rem;white-space:pre-wrap;overflow-wrap:anywhere;background:#f6f7f6;padding:.6rem;border-radius:var(--radius)}
.wcon-actions{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
.wcon-actions form{margin:0;display:grid;gap:.5rem}
.wcon-overdue{color:#a1160a;font-weight:600}
tr.wcon-overdue td{background:#fde8e6}
.wcon-filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end;margin:0 0 1rem}
.wcon-check{display:flex;gap:.5rem;align-items:center}
`

/** `<head>` of the console pages: styles and the commune picker. */
export function wconHead(): SafeHtml {
  return raw(`<style>${WCON_STYLE}</style><script src="/assets/commune-picker.js" defer></script>`)
}

/** List filter values: a life state, or "submitted" / "urgent" (awaiting a second approval). */
export const LIST_STATES = [...WARNING_STATES, 'submitted', 'urgent'] as const
export type ListState = (typeof LIST_STATES)[number]

/** True when an urgent publication still awaits its second approver. */
export function awaitingRetro(w: Pick<WarningRow, 'urgentBy' | 'retroApprovedBy' | 'retroDueAt'>): boolean {
  return !!w.urgentBy && !w.retroApprovedBy && !!w.retroDueAt
}

/** The badges of a warning's standing: public state, review, urgent awaiting confirmation. */
export function StandingBadges({ l, w, at }: { l: Locale; w: WarningRow; at: Date }): SafeHtml {
  const pub = publicStateOf(w)
  const retro = awaitingRetro(w)
  const overdue = retro && (w.retroDueAt as Date).getTime() < at.getTime()
  return (
    <>
      <span class={`badge state-${pub}`}>{t(l, `wcon.state.${pub}`)}</span>
      {w.review === 'submitted' ? (
        <>
          {' '}
          <span class="badge warn">{t(l, 'wcon.review.submitted')}</span>
        </>
      ) : w.state === 'active' && w.dirty ? (
        <>
          {' '}
          <span class="badge">{t(l, 'wcon.review.dirty')}</span>
        </>
      ) : null}
      {retro ? (
        <>
          {' '}
          <span class={overdue ? 'badge admin wcon-overdue' : 'badge warn'}>
            {t(l, overdue ? 'wcon.urgent.overdue' : 'wcon.urgent.awaiting', { due: formatTime(w.retroDueAt, l) })}
          </span>
        </>
      ) : null}
    </>
  )
}

/** The list of warnings with its filters. */
export function warningListPage(
  { req, reply }: R,
  o: { rows: WarningRow[]; filter: { state?: string; kind?: string; q?: string }; canCreate: boolean; at: Date },
) {
  const l = req.locale
  const f = o.filter
  return sendPage(
    req,
    reply,
    { title: t(l, 'wcon.title'), shell: 'console', current: 'warnings.nav', head: wconHead() },
    <>
      <h1>{t(l, 'wcon.title')}</h1>
      {o.canCreate ? (
        <p>
          <a class="button" href="/console/canh-bao/moi" id="new-warning">
            {t(l, 'wcon.new')}
          </a>
        </p>
      ) : null}
      <form method="get" action="/console/canh-bao" class="wcon-filters" aria-label={t(l, 'wcon.filter.apply')}>
        <label>
          {t(l, 'wcon.filter.state')}
          <select name="state">
            <option value="">{t(l, 'wcon.filter.all')}</option>
            {LIST_STATES.map((s) => (
              <option value={s} selected={f.state === s}>
                {t(l, s === 'submitted' ? 'wcon.filter.submitted' : s === 'urgent' ? 'wcon.filter.urgent' : `wcon.state.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'wcon.filter.kind')}
          <select name="kind">
            <option value="">{t(l, 'wcon.filter.all')}</option>
            {WARNING_KINDS.map((k) => (
              <option value={k} selected={f.kind === k}>
                {t(l, `wcon.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'wcon.filter.q')}
          <input type="search" name="q" maxlength="200" value={f.q ?? ''} />
        </label>
        <button type="submit" class="secondary">
          {t(l, 'wcon.filter.apply')}
        </button>
      </form>
      {o.rows.length === 0 ? (
        <p class="muted">{t(l, 'wcon.none')}</p>
      ) : (
        <div class="table-wrap">
          <table id="warnings">
            <thead>
              <tr>
                <th>{t(l, 'wcon.col.code')}</th>
                <th>{t(l, 'wcon.col.title')}</th>
                <th>{t(l, 'wcon.col.kind')}</th>
                <th>{t(l, 'wcon.col.level')}</th>
                <th>{t(l, 'wcon.col.state')}</th>
                <th>{t(l, 'wcon.col.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {o.rows.map((w) => {
                const overdue = awaitingRetro(w) && (w.retroDueAt as Date).getTime() < o.at.getTime()
                return (
                  <tr class={overdue ? 'wcon-overdue' : undefined} data-id={w.id}>
                    <td class="nowrap">{w.code}</td>
                    <td>
                      <a href={`/console/canh-bao/${w.id}`}>{w.titleVi}</a>
                    </td>
                    <td>{t(l, `wcon.kind.${w.kind}`)}</td>
                    <td>{t(l, `wcon.level.${w.level}`)}</td>
                    <td>
                      <StandingBadges l={l} w={w} at={o.at} />
                    </td>
                    <td class="nowrap small">{formatTime(w.updatedAt, l)}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </>,
  )
}

/** What the form shows: the working copy, or what was typed before a refusal. */
export interface WarningFormValues {
  kind: string
  level: string
  capStatus: string
  titleVi: string
  descriptionVi: string
  instructionVi: string
  titleEn: string
  descriptionEn: string
  instructionEn: string
  wholeProvince: boolean
  communes: string[]
  validFrom: string
  validUntil: string
  patterns: string
  links: string
  consentGiven: boolean
  consentNote: string
  legalBasis: string
}

/** The empty form of a new warning (a scam Alert from now). */
export function emptyFormValues(at: Date): WarningFormValues {
  return {
    kind: 'scam',
    level: 'alert',
    capStatus: 'Actual',
    titleVi: '',
    descriptionVi: '',
    instructionVi: '',
    titleEn: '',
    descriptionEn: '',
    instructionEn: '',
    wholeProvince: false,
    communes: [],
    validFrom: localInputValue(at),
    validUntil: '',
    patterns: '',
    links: '',
    consentGiven: false,
    consentNote: '',
    legalBasis: '',
  }
}

/** The form values of a stored working copy. */
export function formValuesOf(w: WarningRow): WarningFormValues {
  return {
    kind: w.kind,
    level: w.level,
    capStatus: w.capStatus,
    titleVi: w.titleVi,
    descriptionVi: w.descriptionVi,
    instructionVi: w.instructionVi,
    titleEn: w.titleEn ?? '',
    descriptionEn: w.descriptionEn ?? '',
    instructionEn: w.instructionEn ?? '',
    wholeProvince: w.wholeProvince,
    communes: [...w.communes],
    validFrom: localInputValue(w.validFrom),
    validUntil: w.validUntil ? localInputValue(w.validUntil) : '',
    patterns: w.patterns.join('\n'),
    links: w.links.join('\n'),
    consentGiven: !!w.consentAt,
    consentNote: w.consentNote ?? '',
    legalBasis: w.legalBasis ?? '',
  }
}

function Check({ name, checked, label, disabled }: { name: string; checked: boolean; label: string; disabled: boolean }): SafeHtml {
  return (
    <label class="wcon-check">
      <input type="checkbox" name={name} value="on" checked={checked} disabled={disabled} />
      {label}
    </label>
  )
}

/** The editor form (new warning, or a working copy). */
export function WarningForm({
  req,
  reply,
  values: v,
  id,
  editable,
  consentAt,
}: R & { values: WarningFormValues; id?: string; editable: boolean; consentAt?: Date | null }): SafeHtml {
  const l = req.locale
  const disabled = !editable
  return (
    <form method="post" action={id ? `/console/canh-bao/${id}` : '/console/canh-bao/moi'} class="stack" id="warning-form">
      <CsrfField req={req} reply={reply} />
      <div class="row">
        <label>
          {t(l, 'wcon.field.kind')}
          <select name="kind" required disabled={disabled}>
            {WARNING_KINDS.map((k) => (
              <option value={k} selected={v.kind === k}>
                {t(l, `wcon.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'wcon.field.level')}
          <select name="level" required disabled={disabled} aria-describedby="level-hint">
            {WARNING_LEVELS.map((x) => (
              <option value={x} selected={v.level === x}>
                {t(l, `wcon.level.${x}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'wcon.field.capStatus')}
          <select name="capStatus" disabled={disabled}>
            {['Actual', 'Exercise', 'Test'].map((s) => (
              <option value={s} selected={v.capStatus === s}>
                {t(l, `wcon.capStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p class="hint" id="level-hint">
        {t(l, 'wcon.levelHint')}
      </p>
      <label>
        {t(l, 'wcon.field.titleVi')}
        <input name="titleVi" required minlength="5" maxlength="300" value={v.titleVi} disabled={disabled} />
      </label>
      <label>
        {t(l, 'wcon.field.descriptionVi')}
        <textarea name="descriptionVi" required rows="6" maxlength="20000" disabled={disabled}>
          {v.descriptionVi}
        </textarea>
      </label>
      <label>
        {t(l, 'wcon.field.instructionVi')}
        <textarea name="instructionVi" rows="3" maxlength="5000" disabled={disabled}>
          {v.instructionVi}
        </textarea>
      </label>
      <details open={!!(v.titleEn || v.descriptionEn || v.instructionEn)}>
        <summary>{t(l, 'wcon.field.english')}</summary>
        <p class="hint">{t(l, 'wcon.hint.english')}</p>
        <div class="stack">
          <label>
            {t(l, 'wcon.field.titleEn')}
            <input name="titleEn" maxlength="300" value={v.titleEn} disabled={disabled} lang="en" />
          </label>
          <label>
            {t(l, 'wcon.field.descriptionEn')}
            <textarea name="descriptionEn" rows="4" maxlength="20000" disabled={disabled} lang="en">
              {v.descriptionEn}
            </textarea>
          </label>
          <label>
            {t(l, 'wcon.field.instructionEn')}
            <textarea name="instructionEn" rows="2" maxlength="5000" disabled={disabled} lang="en">
              {v.instructionEn}
            </textarea>
          </label>
        </div>
      </details>
      <fieldset>
        <legend>{t(l, 'wcon.field.area')}</legend>
        <Check name="wholeProvince" checked={v.wholeProvince} label={t(l, 'wcon.field.wholeProvince')} disabled={disabled} />
        <CommuneField
          l={l}
          label={t(l, 'wcon.field.communes')}
          hint={t(l, 'wcon.hint.communes')}
          selected={v.communes}
          size={8}
          disabled={disabled}
        />
      </fieldset>
      <div class="row">
        <label>
          {t(l, 'wcon.field.validFrom')}
          <input type="datetime-local" name="validFrom" value={v.validFrom} disabled={disabled} />
        </label>
        <label>
          {t(l, 'wcon.field.validUntil')}
          <input type="datetime-local" name="validUntil" value={v.validUntil} disabled={disabled} />
        </label>
      </div>
      <p class="hint">{t(l, 'wcon.hint.time')}</p>
      <label>
        {t(l, 'wcon.field.patterns')}
        <span class="hint">{t(l, 'wcon.hint.patterns')}</span>
        <textarea name="patterns" rows="4" disabled={disabled}>
          {v.patterns}
        </textarea>
      </label>
      <label>
        {t(l, 'wcon.field.links')}
        <span class="hint">{t(l, 'wcon.hint.links')}</span>
        <textarea name="links" rows="2" class="mono" disabled={disabled}>
          {v.links}
        </textarea>
      </label>
      {/* The consent and the legal basis belong to their kinds: a new form (kind not chosen
          yet, no JavaScript) shows both; a stored working copy shows its kind's. The command
          refuses a person kind without them, and the refused form then shows them. */}
      {v.kind === 'missing_person' || !id ? (
        <fieldset id="consent-fields">
          <legend>{t(l, 'wcon.kind.missing_person')}</legend>
          <p class="hint">{t(l, 'wcon.hint.consent')}</p>
          <Check name="consentGiven" checked={v.consentGiven} label={t(l, 'wcon.field.consent')} disabled={disabled} />
          {consentAt ? <p class="small muted">{t(l, 'wcon.consentRecorded', { at: formatTime(consentAt, l) })}</p> : null}
          <label>
            {t(l, 'wcon.field.consentNote')}
            <textarea name="consentNote" rows="2" maxlength="1000" disabled={disabled}>
              {v.consentNote}
            </textarea>
          </label>
        </fieldset>
      ) : null}
      {v.kind === 'wanted' || !id ? (
        <fieldset id="legal-basis-fields">
          <legend>{t(l, 'wcon.kind.wanted')}</legend>
          <label>
            {t(l, 'wcon.field.legalBasis')}
            <span class="hint">{t(l, 'wcon.hint.legalBasis')}</span>
            <textarea name="legalBasis" rows="2" maxlength="1000" disabled={disabled}>
              {v.legalBasis}
            </textarea>
          </label>
        </fieldset>
      ) : null}
      {editable ? (
        <div class="row">
          <button type="submit">{t(l, id ? 'wcon.save' : 'wcon.create')}</button>
          <a href={id ? `/console/canh-bao/${id}` : '/console/canh-bao'}>{t(l, 'wcon.back')}</a>
        </div>
      ) : (
        <p class="muted small">{t(l, 'wcon.notEditable')}</p>
      )}
    </form>
  )
}

/** The new-warning page. */
export function newWarningPage({ req, reply }: R, o: { values: WarningFormValues; error?: AppError }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'wcon.new'), shell: 'console', current: 'warnings.nav', status: o.error?.status, head: wconHead() },
    <>
      <p class="small">
        <a href="/console/canh-bao">← {t(l, 'wcon.back')}</a>
      </p>
      <h1>{t(l, 'wcon.new')}</h1>
      <FormError l={l} error={o.error} />
      <WarningForm req={req} reply={reply} values={o.values} editable />
    </>,
  )
}

/** One warning: its standing, the workflow, the editor of its working copy and the panels. */
export function warningPage(
  { req, reply }: R,
  o: {
    warning: WarningRow
    values: WarningFormValues
    at: Date
    /** The workflow forms (console.panels.tsx). */
    actions: SafeHtml
    /** The side panels: checks, CAP preview. */
    side: SafeHtml
    /** The panels below: versions, delivery, reach, public link. */
    below: SafeHtml
    notice?: string
    error?: AppError
  },
) {
  const l = req.locale
  const w = o.warning
  const editable = w.state === 'draft' || w.state === 'active'
  return sendPage(
    req,
    reply,
    { title: w.titleVi, shell: 'console', current: 'warnings.nav', status: o.error?.status, head: wconHead() },
    <>
      <p class="small">
        <a href="/console/canh-bao">← {t(l, 'wcon.back')}</a>
      </p>
      <h1>{w.titleVi}</h1>
      <p id="warning-standing">
        <span class="small muted">{t(l, 'wcon.meta.code', { code: w.code })}</span> · {t(l, `wcon.kind.${w.kind}`)} ·{' '}
        {t(l, `wcon.level.${w.level}`)} · <StandingBadges l={l} w={w} at={o.at} />
        {w.version > 0 ? <span class="small muted"> · {t(l, 'wcon.meta.version', { n: w.version })}</span> : null}
      </p>
      <FormError l={l} error={o.error} />
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      {w.state === 'cancelled' ? <Alert kind="warn">{t(l, 'wcon.cancelledBecause', { reason: w.cancelReason ?? '' })}</Alert> : null}
      {w.state === 'closed' ? (
        <Alert kind="warn">
          {t(l, 'wcon.closedBecause', {
            reason: w.closeReason ? t(l, `wcon.closeReason.${w.closeReason}`) : '—',
            at: formatTime(w.closedAt, l),
          })}
        </Alert>
      ) : null}
      {w.state === 'active' ? <p class="hint">{t(l, 'wcon.activeHint')}</p> : null}
      {o.actions}
      <div class="wcon-editor">
        <WarningForm req={req} reply={reply} values={o.values} id={w.id} editable={editable} consentAt={w.consentAt} />
        <div>{o.side}</div>
      </div>
      {o.below}
    </>,
  )
}
