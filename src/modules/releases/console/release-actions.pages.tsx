/**
 * The workflow buttons of a release: only those the viewer's role allows (policy) in the
 * release's current state. The commands check the state again; this only hides what would
 * be refused anyway. The approval form lists who wrote and changed the edition (four-eyes:
 * none of them may approve it) and tells the viewer when they are one of them.
 */
import { CsrfField } from '../../../platform/html/layout.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { now } from '../../../platform/clock.ts'
import { type LoadedRelease, releaseSubject } from '../releases.repository.ts'
import { WITHDRAWAL_CATEGORIES } from '../releases.tables.ts'
import type { R } from '../../../platform/html/forms.tsx'
import { localInputValue } from '../../../platform/time.ts'
import { ContributorList, contributed, type Person } from './contributors.tsx'

function ActionForm({
  req,
  reply,
  id,
  action,
  label,
  danger,
  children,
}: R & { id: string; action: string; label: string; danger?: boolean; children?: unknown }): SafeHtml {
  return (
    <form method="post" action={`/console/releases/${id}/${action}`} class="stack card">
      <CsrfField req={req} reply={reply} />
      {children as SafeHtml}
      <div class="row">
        <button type="submit" class={danger ? 'danger' : undefined}>
          {label}
        </button>
      </div>
    </form>
  )
}

/** The actions available to the viewer on this release. */
export function WorkflowActions({
  req,
  reply,
  loaded,
  people,
}: R & { loaded: LoadedRelease; people: Map<string, Person> }): SafeHtml | null {
  const l = req.locale
  const actor = req.actor
  const subject = releaseSubject(loaded)
  const { release, working } = loaded
  const id = release.id
  const may = (action: string) => can(actor, action, subject)
  const status = release.status
  const forms: SafeHtml[] = []
  const reason = (name: string, label: string, min: number) => (
    <label>
      {label}
      <textarea name={name} rows="2" required minlength={String(min)} maxlength="1000" />
    </label>
  )

  if (working.status === 'draft' && may('submit')) {
    // submitRelease refuses while the linked case is sealed (assertNotSealed): no button that
    // can only fail, but a word on why it is missing.
    if (loaded.case?.state === 'sealed') {
      forms.push(
        <p class="alert warn small" id="submit-sealed-note">
          {t(l, 'releases.submitSealedNote')}
        </p>,
      )
    } else forms.push(<ActionForm req={req} reply={reply} id={id} action="submit" label={t(l, 'releases.action.submit')} />)
  }
  if (working.status === 'submitted' && may('approve')) {
    const mine = working.submittedBy === actor?.id
    const wroteIt = contributed(working.contributors, actor?.id)
    const correction = status === 'published'
    forms.push(
      <ActionForm req={req} reply={reply} id={id} action="approve" label={t(l, 'releases.action.approve')}>
        {mine ? <p class="small">{t(l, 'releases.fourEyesNote')}</p> : null}
        {wroteIt && !mine ? (
          <p class="alert warn small" id="four-eyes-contributor-note">
            {t(l, 'releases.fourEyesContributorNote')}
          </p>
        ) : null}
        <section aria-labelledby="contributors-h">
          <h3 id="contributors-h" style="margin:0">
            {t(l, 'releases.contributors.title', { n: working.number })}
          </h3>
          <p class="small muted">{t(l, 'releases.contributors.rule')}</p>
          <ContributorList l={l} contributions={working.contributors} people={people} me={actor?.id} id="approval-contributors" />
        </section>
        <fieldset>
          <legend>{t(l, 'releases.field.mode')}</legend>
          <label style="display:flex;gap:.5rem;align-items:center;font-weight:400">
            <input type="radio" name="mode" value="now" checked /> {t(l, 'releases.mode.now')}
          </label>
          {correction
            ? null
            : (['schedule', 'embargo'] as const).map((m) => (
                <label style="display:flex;gap:.5rem;align-items:center;font-weight:400">
                  <input type="radio" name="mode" value={m} /> {t(l, `releases.mode.${m}`)}
                </label>
              ))}
        </fieldset>
        {correction ? null : (
          <label>
            {t(l, 'releases.field.at')}
            <span class="hint">{t(l, 'releases.hint.at')}</span>
            <input type="datetime-local" name="at" min={localInputValue(now())} />
          </label>
        )}
        <label>
          {t(l, 'releases.field.gateOverride')}
          <span class="hint">{t(l, 'releases.hint.gateOverride')}</span>
          <textarea name="gateOverride" rows="2" maxlength="2000" />
        </label>
      </ActionForm>,
    )
  }
  if (working.status === 'submitted' && may('reject')) {
    forms.push(
      <ActionForm req={req} reply={reply} id={id} action="reject" label={t(l, 'releases.action.reject')} danger>
        {reason('comment', t(l, 'releases.field.comment'), 5)}
      </ActionForm>,
    )
  }
  if ((status === 'scheduled' || status === 'embargoed') && may('unschedule')) {
    forms.push(<ActionForm req={req} reply={reply} id={id} action="unschedule" label={t(l, 'releases.action.unschedule')} />)
  }
  if (release.forcedBy && !release.retroApprovedBy && loaded.published && may('retro-approve')) {
    forms.push(<ActionForm req={req} reply={reply} id={id} action="retro-approve" label={t(l, 'releases.action.retroApprove')} />)
  }
  const forceable =
    ['draft', 'submitted', 'scheduled', 'embargoed'].includes(status) ||
    (status === 'published' && working.id !== release.publishedEditionId)
  if (forceable && may('force-publish')) {
    forms.push(
      <ActionForm req={req} reply={reply} id={id} action="force-publish" label={t(l, 'releases.action.forcePublish')} danger>
        {reason('reason', t(l, 'releases.field.forceReason'), 10)}
      </ActionForm>,
    )
  }
  if (status === 'published' && may('withdraw')) {
    forms.push(
      <ActionForm req={req} reply={reply} id={id} action="withdraw" label={t(l, 'releases.action.withdraw')} danger>
        <label>
          {t(l, 'releases.field.withdrawCategory')}
          <span class="hint">{t(l, 'releases.hint.withdrawCategory')}</span>
          <select name="category" required>
            <option value="">{t(l, 'releases.choose')}</option>
            {WITHDRAWAL_CATEGORIES.map((c) => (
              <option value={c}>{t(l, `releases.withdrawCategory.${c}`)}</option>
            ))}
          </select>
        </label>
        {reason('reason', t(l, 'releases.field.withdrawReason'), 10)}
        <label style="display:flex;gap:.5rem;align-items:center">
          <input type="checkbox" name="confirm" value="yes" required />
          {t(l, 'releases.field.withdrawConfirm')}
        </label>
      </ActionForm>,
    )
  }
  if ((status === 'published' || status === 'withdrawn') && may('mark-gone')) {
    forms.push(
      <ActionForm req={req} reply={reply} id={id} action="mark-gone" label={t(l, 'releases.action.markGone')} danger>
        {reason('reason', t(l, 'releases.field.goneReason'), 10)}
      </ActionForm>,
    )
  }
  if (forms.length === 0) return null
  return (
    <section>
      <h2>{t(l, 'releases.actions')}</h2>
      <div class="actions">{forms}</div>
    </section>
  )
}
