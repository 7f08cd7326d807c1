/**
 * The panels of a warning's console page: the workflow forms (by state and role), the content
 * checks, the CAP preview, the published versions, delivery progress, reach and the public
 * link. Each is a plain component; the route gathers the data.
 */
import type { R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, formatTime } from '../../../platform/html/layout.tsx'
import { hasMessage, type Locale, t } from '../../../platform/i18n/index.ts'
import type { CheckResult } from '../../../text/check.ts'
import { FindingsPanel } from '../../checks/checks.view.tsx'
import type { WarningReach } from '../subscriptions/reach.ts'
import { warningCapPath, warningCapVersionPath, warningPath } from '../warnings.paths.ts'
import type { WarningRow, WarningVersionRow } from '../warnings.repository.ts'
import { PERSON_KINDS } from '../warnings.types.ts'
import { awaitingRetro } from './console.pages.tsx'
import type { CapPreview } from './console.queries.ts'

/** What the actor may do with warnings (the policy's answers). */
export interface WarningAbilities {
  edit: boolean
  submit: boolean
  approve: boolean
  reject: boolean
  urgent: boolean
  retro: boolean
  cancel: boolean
  close: boolean
}

function PostForm({ req, reply, id, path, children }: R & { id: string; path: string; children?: unknown }): SafeHtml {
  return (
    <form method="post" action={`/console/canh-bao/${id}/${path}`} id={`wf-${path}`}>
      <CsrfField req={req} reply={reply} />
      {children as SafeHtml}
    </form>
  )
}

/**
 * The workflow forms a warning offers now to this actor: submit; approve / reject a submitted
 * copy; publish urgently; confirm another approver's urgent publication; cancel; close (a
 * warning about a person). The commands decide; these forms only leave out what cannot apply.
 */
export function WorkflowActions({
  req,
  reply,
  w,
  can,
  at,
  names,
  urgentAt,
}: R & {
  w: WarningRow
  can: WarningAbilities
  at: Date
  names: Map<string, string>
  /** When the urgent version awaiting confirmation was published. */
  urgentAt: Date | null
}): SafeHtml {
  const l = req.locale
  const open = w.state === 'draft' || w.state === 'active'
  const pending = open && w.dirty
  const forms: SafeHtml[] = []
  if (pending && w.review !== 'submitted' && can.submit) {
    forms.push(
      <PostForm req={req} reply={reply} id={w.id} path="gui-duyet">
        <p class="small muted">{t(l, 'wcon.action.submitHint')}</p>
        <button type="submit">{t(l, 'wcon.action.submit')}</button>
      </PostForm>,
    )
  }
  if (pending && w.review === 'submitted' && can.approve) {
    forms.push(
      <PostForm req={req} reply={reply} id={w.id} path="duyet">
        <label>
          {t(l, 'wcon.action.changeNote')}
          <input name="changeNote" maxlength="2000" />
        </label>
        <button type="submit">{t(l, 'wcon.action.approve')}</button>
      </PostForm>,
    )
  }
  if (pending && w.review === 'submitted' && can.reject) {
    forms.push(
      <PostForm req={req} reply={reply} id={w.id} path="tra-lai">
        <label>
          {t(l, 'wcon.action.rejectReason')}
          <textarea name="reason" rows="2" required maxlength="1000" />
        </label>
        <button type="submit" class="secondary">
          {t(l, 'wcon.action.reject')}
        </button>
      </PostForm>,
    )
  }
  if (pending && can.urgent) {
    forms.push(
      <PostForm req={req} reply={reply} id={w.id} path="khan">
        <p class="small">{t(l, 'wcon.action.urgentHint')}</p>
        <label>
          {t(l, 'wcon.action.urgentReason')}
          <textarea name="reason" rows="2" required maxlength="1000" />
        </label>
        <label>
          {t(l, 'wcon.action.changeNote')}
          <input name="changeNote" maxlength="2000" />
        </label>
        <button type="submit" class="danger">
          {t(l, 'wcon.action.urgent')}
        </button>
      </PostForm>,
    )
  }
  if (awaitingRetro(w)) {
    const overdue = (w.retroDueAt as Date).getTime() < at.getTime()
    const due = formatTime(w.retroDueAt, l)
    forms.push(
      <div id="retro-approval">
        <p class={overdue ? 'wcon-overdue' : undefined}>
          {t(l, 'wcon.action.retroHint', {
            who: names.get(w.urgentBy as string) ?? '—',
            at: formatTime(urgentAt, l),
            due,
          })}
          {overdue ? (
            <>
              {' '}
              <strong>{t(l, 'wcon.action.retroOverdue', { due })}</strong>
            </>
          ) : null}
        </p>
        {w.urgentReason ? <p class="small">{t(l, 'wcon.action.urgentReasonWas', { reason: w.urgentReason })}</p> : null}
        {can.retro ? (
          <PostForm req={req} reply={reply} id={w.id} path="xac-nhan">
            <button type="submit">{t(l, 'wcon.action.retro')}</button>
          </PostForm>
        ) : null}
      </div>,
    )
  }
  if (w.state === 'active' && can.cancel) {
    forms.push(
      <details>
        <summary>{t(l, 'wcon.action.cancel')}</summary>
        <PostForm req={req} reply={reply} id={w.id} path="huy">
          <label>
            {t(l, 'wcon.action.cancelReason')}
            <textarea name="reason" rows="2" required maxlength="1000" />
          </label>
          <button type="submit" class="danger">
            {t(l, 'wcon.action.cancel')}
          </button>
        </PostForm>
      </details>,
    )
  }
  if (w.state === 'active' && PERSON_KINDS.includes(w.kind) && can.close) {
    const usual = w.kind === 'missing_person' ? 'found' : 'arrested'
    forms.push(
      <PostForm req={req} reply={reply} id={w.id} path="dong">
        <p class="small">{t(l, 'wcon.action.closeHint')}</p>
        <label>
          {t(l, 'wcon.action.closeReason')}
          <select name="reason">
            {(['found', 'arrested', 'other'] as const).map((r) => (
              <option value={r} selected={r === usual}>
                {t(l, `wcon.closeReason.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'wcon.action.closeNote')}
          <input name="note" maxlength="1000" />
        </label>
        <button type="submit" class="danger">
          {t(l, usual === 'found' ? 'wcon.action.closeFound' : 'wcon.action.closeArrested')}
        </button>
      </PostForm>,
    )
  }
  return (
    <section id="warning-actions" aria-labelledby="warning-actions-h">
      <h2 id="warning-actions-h">{t(l, 'wcon.actions')}</h2>
      {forms.length ? <div class="wcon-actions">{forms}</div> : <p class="muted small">{t(l, 'wcon.action.none')}</p>}
    </section>
  )
}

/** The content checks of the working copy's Vietnamese text. */
export function ChecksPanel({ l, result }: { l: Locale; result: CheckResult }): SafeHtml {
  return (
    <section class="wcon-panel" id="checks-panel" aria-labelledby="checks-h">
      <h2 id="checks-h">{t(l, 'wcon.checks.title')}</h2>
      <p class="small muted">{t(l, 'wcon.checks.hint')}</p>
      <FindingsPanel l={l} result={result} />
    </section>
  )
}

/** The CAP XML the next publication would send (escaped), or why the working copy cannot be one. */
export function CapPreviewPanel({ l, preview }: { l: Locale; preview: CapPreview }): SafeHtml {
  return (
    <section class="wcon-panel" id="cap-preview" aria-labelledby="cap-h">
      <h2 id="cap-h">{t(l, 'wcon.cap.title')}</h2>
      <p class="small muted">{t(l, 'wcon.cap.hint', { version: preview.version, msgType: preview.msgType })}</p>
      {preview.ok ? (
        <pre class="wcon-cap" id="cap-xml">
          {preview.xml}
        </pre>
      ) : (
        <Alert kind="warn">{t(l, 'wcon.cap.invalid', { reason: preview.reason })}</Alert>
      )}
    </section>
  )
}

/** The published versions: type, time, who, urgent, note, the CAP XML of each. */
export function VersionsPanel({
  l,
  w,
  versions,
  names,
}: {
  l: Locale
  w: WarningRow
  versions: WarningVersionRow[]
  names: Map<string, string>
}): SafeHtml {
  return (
    <section class="wcon-panel" id="versions" aria-labelledby="versions-h">
      <h2 id="versions-h">{t(l, 'wcon.versions.title')}</h2>
      {versions.length === 0 ? (
        <p class="muted small">{t(l, 'wcon.versions.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t(l, 'wcon.versions.col.version')}</th>
                <th>{t(l, 'wcon.versions.col.type')}</th>
                <th>{t(l, 'wcon.versions.col.when')}</th>
                <th>{t(l, 'wcon.versions.col.who')}</th>
                <th>{t(l, 'wcon.versions.col.note')}</th>
                <th>{t(l, 'wcon.versions.cap')}</th>
              </tr>
            </thead>
            <tbody>
              {[...versions].reverse().map((v) => (
                <tr>
                  <td>#{v.version}</td>
                  <td>
                    {v.msgType}
                    {v.urgent ? (
                      <>
                        {' '}
                        <span class="badge warn">{t(l, 'wcon.versions.urgent')}</span>
                      </>
                    ) : null}
                  </td>
                  <td class="small nowrap">{formatTime(v.sentAt, l)}</td>
                  <td class="small">
                    {v.publishedBy ? (names.get(v.publishedBy) ?? '—') : '—'}
                    {v.approvedBy && v.approvedBy !== v.publishedBy ? ` / ${names.get(v.approvedBy) ?? '—'}` : ''}
                  </td>
                  <td class="small">{v.changeNote ?? ''}</td>
                  <td>
                    <a href={warningCapVersionPath(w.slug, v.version)}>{`${v.version}.xml`}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

function stateLabel(l: Locale, state: string): string {
  const key = `dist.console.state.${state}`
  return hasMessage(key) ? t(l, key) : state
}

function channelLabel(l: Locale, channel: string): string {
  const key = `dist.console.channel.${channel}`
  return hasMessage(key) ? t(l, key) : channel
}

function StateCounts({ l, counts }: { l: Locale; counts: Record<string, number> }): SafeHtml {
  const entries = Object.entries(counts).filter(([, n]) => n > 0)
  return (
    <span class="small">
      {entries.length ? entries.map(([s, n]) => t(l, 'wcon.delivery.state', { state: stateLabel(l, s), n })).join(' · ') : '—'}
    </span>
  )
}

/** Delivery progress: the counts by recipient and state, and the live page of distribution. */
export function DeliveryPanel({ l, w, reach }: { l: Locale; w: WarningRow; reach: WarningReach | null }): SafeHtml {
  const subs = reach?.deliveries.subscribers ?? {}
  const partners = Object.entries(reach?.deliveries.partners ?? {})
  const any = Object.values(subs).some((n) => n > 0) || partners.some(([, c]) => Object.values(c).some((n) => n > 0))
  return (
    <section class="wcon-panel" id="delivery" aria-labelledby="delivery-h">
      <h2 id="delivery-h">{t(l, 'wcon.delivery.title')}</h2>
      {any ? (
        <dl>
          <dt>{t(l, 'wcon.delivery.subscribers')}</dt>
          <dd>
            <StateCounts l={l} counts={subs} />
          </dd>
          {partners.map(([channel, counts]) => (
            <>
              <dt>
                {t(l, 'wcon.delivery.partners')} · {channelLabel(l, channel)}
              </dt>
              <dd>
                <StateCounts l={l} counts={counts} />
              </dd>
            </>
          ))}
        </dl>
      ) : (
        <p class="muted small">{t(l, 'wcon.delivery.none')}</p>
      )}
      {reach?.heldUntil ? <p class="small">{t(l, 'wcon.reach.held', { at: formatTime(reach.heldUntil, l) })}</p> : null}
      <p class="small">
        <a href={`/console/phan-phoi/muc/warning/${w.id}`} id="distribution-link">
          {t(l, 'wcon.delivery.link')}
        </a>
      </p>
    </section>
  )
}

/** Reach: the subscribers of the warning's communes and kind now, per commune. */
export function ReachPanel({ l, reach }: { l: Locale; reach: WarningReach | null }): SafeHtml {
  return (
    <section class="wcon-panel" id="reach" aria-labelledby="reach-h">
      <h2 id="reach-h">{t(l, 'wcon.reach.title')}</h2>
      {reach ? (
        <>
          <p>{t(l, 'wcon.reach.subscribers', { n: reach.subscribersNow.total })}</p>
          {reach.subscribersNow.wholeProvince ? (
            <p class="small">{t(l, 'wcon.reach.wholeProvince', { n: reach.subscribersNow.wholeProvince })}</p>
          ) : null}
          {reach.subscribersNow.byCommune.length ? (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th>{t(l, 'wcon.reach.commune')}</th>
                    <th>{t(l, 'wcon.reach.count')}</th>
                  </tr>
                </thead>
                <tbody>
                  {reach.subscribersNow.byCommune.map((c) => (
                    <tr data-commune={c.code}>
                      <td>{c.name}</td>
                      <td class="nowrap">{String(c.count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : (
        <p class="muted small">{t(l, 'wcon.reach.unavailable')}</p>
      )}
    </section>
  )
}

/** The public page and latest CAP message of a published warning (a closed one has only its notice). */
export function PublicLinks({ l, w }: { l: Locale; w: WarningRow }): SafeHtml | null {
  if (w.version < 1) return null
  return (
    <p id="public-link">
      <a href={warningPath(w.slug)}>{t(l, 'wcon.public.link')}</a> · <a href={warningCapPath(w.slug)}>{t(l, 'wcon.public.cap')}</a>
    </p>
  )
}
