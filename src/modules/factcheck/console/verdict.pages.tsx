/**
 * The verdict editor on the claim page: label (Vietnamese and English names, rating), headline,
 * Markdown explanation with a live preview and the live findings panel of the content checks,
 * evidence checkboxes, a correction note once a verdict is published; and the workflow:
 * save draft, submit, approve (approvers, never the submitter nor anyone who wrote or changed
 * the version: four-eyes, with those contributors listed by name, role and what they did), reject.
 *
 * The headline and explanation fields are named `title` and `bodyMd`, the names the findings
 * panel (`POST /console/checks/panel`) and its one-click masking script read.
 */
import { summariseContributors } from '../../../platform/contributors.ts'
import { isAppError } from '../../../platform/errors.ts'
import { CsrfField, formatTime } from '../../../platform/html/layout.tsx'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { renderMarkdown } from '../../../platform/markdown/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { workingVerdict } from '../factcheck.repository.ts'
import { VERDICT_LABELS, type VerdictContribution } from '../factcheck.tables.ts'
import { LABELS } from '../labels.ts'
import { type ClaimPage, nameOf } from './claim-page.ts'
import { DESK, type R } from './desk-kit.tsx'

/** A label as the editor names it: "Sai sự thật / False (1/5)". */
export function labelName(label: string): string {
  const info = LABELS[label as keyof typeof LABELS]
  return info ? `${info.vi} / ${info.en} (${info.rating}/5)` : label
}

/** The explanation rendered (sanitised Markdown), or null when it is too long to render. */
export function previewOf(bodyMd: string): string | null {
  try {
    return renderMarkdown(bodyMd).html
  } catch (e) {
    if (isAppError(e)) return null
    throw e
  }
}

/** The live preview of a verdict (also the htmx fragment). */
export function VerdictPreview({ l, label, title, html }: { l: Locale; label: string; title: string; html: string | null }): SafeHtml {
  return (
    <>
      {label ? <span class="badge warn">{labelName(label)}</span> : null}
      <h3>{title || t(l, 'desk.verdict.noHeadline')}</h3>
      {html === null ? <p class="alert error">{t(l, 'desk.verdict.tooLong')}</p> : <div class="prose">{raw(html)}</div>}
    </>
  )
}

/** Who wrote and changed a version (four-eyes bars each of them from approving it); the viewer marked. */
function Contributors({
  l,
  page,
  contributions,
  me,
}: {
  l: Locale
  page: ClaimPage
  contributions: readonly VerdictContribution[]
  me?: string
}): SafeHtml {
  return (
    <ul class="plain small" id="verdict-contributors">
      {summariseContributors(contributions).map((s) => {
        const person = page.staff.find((p) => p.id === s.userId)
        const did = [
          ...(s.created ? [t(l, 'desk.verdict.contributors.created')] : []),
          ...(s.edits > 0 ? [t(l, 'desk.verdict.contributors.edited', { n: s.edits })] : []),
          t(l, 'desk.verdict.contributors.last', { at: formatTime(s.lastAt, l) }),
        ].join(' · ')
        return (
          <li data-contributor={s.userId}>
            <strong>{person?.name ?? '—'}</strong>
            {person ? ` (${t(l, `desk.role.${person.role}`)})` : ''} — {did}
            {s.userId === me ? (
              <>
                {' '}
                <span class="badge warn">{t(l, 'desk.verdict.contributors.you')}</span>
              </>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

function Versions({ l, page }: { l: Locale; page: ClaimPage }): SafeHtml | null {
  const vs = page.loaded.verdicts
  if (vs.length === 0) return null
  return (
    <details>
      <summary>{t(l, 'desk.verdict.versions', { n: vs.length })}</summary>
      <ul class="plain small">
        {vs.map((v) => (
          <li>
            {t(l, 'desk.verdict.versionLine', { version: v.version, status: t(l, `desk.vstatus.${v.status}`), label: labelName(v.label) })}{' '}
            · {nameOf(page, v.createdBy, l)}
            {v.contributors.some((x) => x.userId !== v.createdBy || x.what !== 'created')
              ? ` · ${t(l, 'desk.verdict.contributors.short', {
                  names: summariseContributors(v.contributors)
                    .map((s) => nameOf(page, s.userId, l))
                    .join(', '),
                })}`
              : ''}
            {v.submittedBy ? ` · ${t(l, 'desk.verdict.submittedBy', { name: nameOf(page, v.submittedBy, l) })}` : ''}
            {v.approvedBy ? ` · ${t(l, 'desk.verdict.approvedBy', { name: nameOf(page, v.approvedBy, l) })}` : ''}
            {v.publishedAt ? ` · ${formatTime(v.publishedAt, l)}` : ''}
            {v.correctionNote ? ` · ${t(l, 'desk.verdict.correctionNote')}: ${v.correctionNote}` : ''}
          </li>
        ))}
      </ul>
    </details>
  )
}

/** The verdict section of the claim page. */
export function VerdictSection({ req, reply, page }: R & { page: ClaimPage }): SafeHtml {
  const l = req.locale
  const c = page.loaded.claim
  const subject = { type: 'claim', tenantId: c.tenantId }
  const me = req.actor?.id
  const working = workingVerdict(page.loaded)
  const closed = c.status === 'merged' || c.status === 'dismissed'
  const canDraft = can(req.actor, 'draft-verdict', subject) && !closed
  const canApprove = can(req.actor, 'approve-verdict', subject) && !closed
  const submitted = working?.status === 'submitted'
  // Four-eyes: the submitter, and everyone who wrote or changed the version's text.
  const mine = !!working && (working.createdBy === me || working.submittedBy === me || working.contributors.some((x) => x.userId === me))
  const v = page.verdict
  const base = `${DESK}/${c.id}/verdict`
  return (
    <section aria-labelledby="verdict-h" id="verdict">
      <h2 id="verdict-h">{t(l, 'desk.verdict.title')}</h2>
      {c.publishedVerdictId && c.slug ? (
        <p class="alert ok">
          {t(l, 'desk.verdict.published')} <a href={`/kiem-chung/${c.slug}`}>{`${page.publicUrl}/kiem-chung/${c.slug}`}</a>
        </p>
      ) : null}
      {working ? (
        <p class="small" id="verdict-status">
          {t(l, 'desk.verdict.working', { version: working.version, status: t(l, `desk.vstatus.${working.status}`) })}
        </p>
      ) : (
        <p class="small muted">{t(l, 'desk.verdict.none')}</p>
      )}
      {submitted && mine ? (
        <p class="alert warn" id="four-eyes-note">
          {t(l, 'desk.verdict.fourEyesNote')}
        </p>
      ) : null}
      {working && working.status !== 'published' && working.status !== 'superseded' ? (
        <section aria-labelledby="vcontrib-h">
          <h3 id="vcontrib-h">{t(l, 'desk.verdict.contributors.title', { version: working.version })}</h3>
          {submitted ? <p class="small muted">{t(l, 'desk.verdict.contributors.rule')}</p> : null}
          <Contributors l={l} page={page} contributions={working.contributors} me={me} />
        </section>
      ) : null}
      <Versions l={l} page={page} />
      {canDraft ? (
        <div class="stack">
          <form
            method="post"
            action={base}
            class="stack card"
            id="verdict-form"
            data-checks="1"
            hx-post={`${base}/preview`}
            hx-trigger="input delay:400ms"
            hx-target="#verdict-preview"
            hx-swap="innerHTML"
          >
            <CsrfField req={req} reply={reply} />
            <label>
              {t(l, 'desk.verdict.label')}
              <select name="label" required>
                <option value="">{t(l, 'desk.verdict.chooseLabel')}</option>
                {VERDICT_LABELS.map((x) => (
                  <option value={x} selected={v.label === x}>
                    {labelName(x)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t(l, 'desk.verdict.headline')}
              <input name="title" maxlength="300" required value={v.title} />
            </label>
            <label>
              {t(l, 'desk.verdict.explanation')}
              <span class="hint">{t(l, 'desk.verdict.explanationHint')}</span>
              <textarea name="bodyMd" rows="10" class="mono" required>
                {v.bodyMd}
              </textarea>
            </label>
            {page.loaded.evidence.length ? (
              <fieldset>
                <legend>{t(l, 'desk.verdict.evidence')}</legend>
                {page.loaded.evidence.map((e) => (
                  <label>
                    <input type="checkbox" name="evidenceIds" value={e.id} checked={v.evidenceIds.includes(e.id)} /> {e.title}{' '}
                    <span class="small muted">({t(l, `desk.ev.kind.${e.kind}`)})</span>
                  </label>
                ))}
              </fieldset>
            ) : null}
            {c.publishedVerdictId ? (
              <label>
                {t(l, 'desk.verdict.correctionNote')}
                <span class="hint">{t(l, 'desk.verdict.correctionHint')}</span>
                <input name="correctionNote" maxlength="1000" value={v.correctionNote} />
              </label>
            ) : null}
            <button type="submit">{t(l, 'desk.verdict.save')}</button>
          </form>
          <section aria-labelledby="vprev-h">
            <h3 id="vprev-h">{t(l, 'desk.verdict.preview')}</h3>
            <div id="verdict-preview" class="preview" aria-live="polite">
              <VerdictPreview l={l} label={v.label} title={v.title} html={previewOf(v.bodyMd)} />
            </div>
          </section>
          <section aria-labelledby="vchecks-h">
            <h3 id="vchecks-h">{t(l, 'desk.verdict.checks')}</h3>
            <div
              id="verdict-checks"
              hx-post="/console/checks/panel"
              hx-include="#verdict-form"
              hx-trigger="load, input delay:800ms from:#verdict-form"
              hx-swap="innerHTML"
              aria-live="polite"
            >
              <p class="muted small">{t(l, 'desk.verdict.checksLoading')}</p>
            </div>
          </section>
        </div>
      ) : null}
      <div class="actions">
        {canDraft && working?.status === 'draft' ? (
          <form method="post" action={`${base}/submit`} class="card stack">
            <CsrfField req={req} reply={reply} />
            <p class="small">{t(l, 'desk.verdict.submitHint')}</p>
            <button type="submit">{t(l, 'desk.verdict.submit')}</button>
          </form>
        ) : null}
        {canApprove && submitted && !mine ? (
          <form method="post" action={`${base}/approve`} class="card stack">
            <CsrfField req={req} reply={reply} />
            <p class="small">{t(l, 'desk.verdict.approveHint')}</p>
            <button type="submit">{t(l, 'desk.verdict.approve')}</button>
          </form>
        ) : null}
        {canApprove && submitted ? (
          <form method="post" action={`${base}/reject`} class="card stack">
            <CsrfField req={req} reply={reply} />
            <label>
              {t(l, 'desk.verdict.rejectComment')}
              <textarea name="comment" rows="2" required minlength="5" maxlength="2000" />
            </label>
            <button type="submit" class="danger">
              {t(l, 'desk.verdict.reject')}
            </button>
          </form>
        ) : null}
      </div>
    </section>
  )
}
