/**
 * The claim page of the desk: the statement, its submissions (tickets, channel, time, links,
 * where seen — a contact shows only as "has contact"), similar claims with merge buttons,
 * split, merge/split history, triage, notes, tasks, evidence and the verdict editor.
 */
import { CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { HARMS, LEVELS } from '../factcheck.tables.ts'
import { SEVERITY_MIN_REASON } from '../commands/set-claim-severity.ts'
import { slaHours } from '../triage.ts'
import { type ClaimPage, nameOf } from './claim-page.ts'
import { DESK, DESK_STYLE, FormError, formatNumber, type R } from './desk-kit.tsx'
import { SCREENSHOT_STYLE, SubmissionFiles } from './screenshots.tsx'
import { assignable, type ClaimRef } from './desk.queries.ts'
import { EvidenceSection } from './evidence.pages.tsx'
import { LevelBadge, Notice, SlaClock } from './queue.pages.tsx'
import { VerdictSection } from './verdict.pages.tsx'

function ClaimLink({ refs, id }: { refs: Map<string, ClaimRef>; id: string | null }): SafeHtml {
  if (!id) return <span>—</span>
  const ref = refs.get(id)
  return <a href={`${DESK}/${id}`}>{ref?.code ?? id.slice(0, 8)}</a>
}

function Header({ l, page }: { l: Locale; page: ClaimPage }): SafeHtml {
  const c = page.loaded.claim
  const open = ['new', 'investigating', 'verdict_draft', 'verdict_submitted'].includes(c.status)
  return (
    <dl class="kv card">
      <dt>{t(l, 'desk.col.status')}</dt>
      <dd>
        <strong id="claim-status">{t(l, `desk.status.${c.status}`)}</strong>
        {c.slug && c.publishedVerdictId ? (
          <>
            {' · '}
            <a href={`/kiem-chung/${c.slug}`} id="published-link">
              {t(l, 'desk.claim.publishedLink')}
            </a>
            {' · '}
            <a href={`/console/phan-phoi/muc/verdict/${c.id}`} id="distribution-link">
              {t(l, 'dist.console.verdictLink')}
            </a>
          </>
        ) : null}
      </dd>
      <dt>{t(l, 'desk.col.level')}</dt>
      <dd>
        <LevelBadge l={l} level={c.level} /> <span class="small muted">{t(l, 'desk.priority', { p: c.priority })}</span>
        {c.severitySetAt ? (
          <>
            {' · '}
            <a href="#severity-h" class="small" id="severity-manual">
              {t(l, 'desk.severity.manualMark')}
            </a>
          </>
        ) : null}
      </dd>
      <dt>{t(l, 'desk.col.harm')}</dt>
      <dd>{t(l, `desk.harm.${c.harm}`)}</dd>
      <dt>{t(l, 'desk.col.spread')}</dt>
      <dd>{t(l, 'desk.spread', { requests: c.requests, partners: c.partnerReports })}</dd>
      <dt>{t(l, 'desk.col.sla')}</dt>
      <dd>
        <SlaClock l={l} due={c.slaDueAt} now={page.now} escalatedAt={c.escalatedAt} open={open} />
      </dd>
      <dt>{t(l, 'desk.claim.firstSeen')}</dt>
      <dd>{formatTime(c.firstSeenAt, l)}</dd>
      <dt>{t(l, 'desk.col.assignee')}</dt>
      <dd>{c.assignedTo ? nameOf(page, c.assignedTo, l) : <span class="muted">{t(l, 'desk.unassigned')}</span>}</dd>
      {c.appearances.length ? (
        <>
          <dt>{t(l, 'desk.claim.appearances')}</dt>
          <dd>
            <ul class="plain">
              {c.appearances.map((u) => (
                <li class="small">
                  <a href={u} rel="noopener noreferrer nofollow" target="_blank">
                    {u}
                  </a>
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : null}
    </dl>
  )
}

function Submissions({ req, reply, page }: R & { page: ClaimPage }): SafeHtml {
  const l = req.locale
  const c = page.loaded
  const canSplit = can(req.actor, 'merge', { type: 'claim', tenantId: c.claim.tenantId }) && c.submissions.length > 1
  return (
    <section aria-labelledby="subs-h">
      <h2 id="subs-h">{t(l, 'desk.subs.title', { n: c.submissions.length })}</h2>
      <ul class="plain" id="submissions">
        {c.submissions.map((s) => (
          <li data-ticket={s.ticket}>
            <strong>{s.ticket}</strong> · {t(l, `desk.channel.${s.channel}`)} · <span class="small">{formatTime(s.createdAt, l)}</span>
            {' · '}
            <span class="small">
              {s.contactEmail
                ? t(l, 'desk.subs.hasContact')
                : s.contactPurgedAt
                  ? t(l, 'desk.subs.contactPurged')
                  : t(l, 'desk.subs.noContact')}
            </span>
            <div class="sub-text">{s.text}</div>
            <SubmissionFiles l={l} files={(page.files ?? []).filter((f) => f.submissionId === s.id)} />
            {s.seenWhere ? (
              <div class="small">
                {t(l, 'desk.subs.seenWhere')}: {s.seenWhere}
              </div>
            ) : null}
            {s.links.length ? (
              <ul class="small">
                {s.links.map((u) => (
                  <li>
                    <a href={u} rel="noopener noreferrer nofollow" target="_blank">
                      {u}
                    </a>
                  </li>
                ))}
              </ul>
            ) : null}
            {canSplit ? (
              <form method="post" action={`${DESK}/${c.claim.id}/split`} class="inline-form">
                <CsrfField req={req} reply={reply} />
                <input type="hidden" name="submissionId" value={s.id} />
                <button type="submit" class="secondary small">
                  {t(l, 'desk.subs.split')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  )
}

/**
 * Claims that the text carries (or that carry it) without saying the same thing as a whole: a
 * pasted post that repeats a one-sentence claim on file. Staff only (this page); the public's
 * "có phải bạn muốn hỏi…" never lists them. Merge with the form below, by code.
 */
function RelatedClaims({ req, page }: Pick<R, 'req'> & { page: ClaimPage }): SafeHtml | null {
  const l = req.locale
  const related = page.suggestions.filter((s) => s.decision === 'related')
  if (related.length === 0) return null
  return (
    <div id="related-claims">
      <h3>{t(l, 'desk.sugg.related.title')}</h3>
      <p class="small muted">{t(l, 'desk.sugg.related.hint')}</p>
      <ul class="plain" id="related">
        {related.map((s) => (
          <li data-claim={s.claim.code}>
            <a href={`${DESK}/${s.claim.id}`}>
              <strong>{s.claim.code}</strong>
            </a>{' '}
            <span class="badge">{t(l, 'desk.sugg.decision.related')}</span>{' '}
            <span class="small">
              {t(l, 'desk.sugg.related.carried', { share: formatNumber(Math.round((s.containment ?? 0) * 100), l, 0) })}
            </span>
            {s.fromImage ? <span class="small muted"> · {t(l, 'ocr.suggestedFrom')}</span> : null}
            {' · '}
            <span class="small muted">{t(l, `desk.status.${s.claim.status}`)}</span>
            <div class="small sub-text">{s.claim.statement.length > 240 ? `${s.claim.statement.slice(0, 240)}…` : s.claim.statement}</div>
          </li>
        ))}
      </ul>
    </div>
  )
}

function Suggestions({ req, reply, page }: R & { page: ClaimPage }): SafeHtml {
  const l = req.locale
  const c = page.loaded.claim
  const canMerge = can(req.actor, 'merge', { type: 'claim', tenantId: c.tenantId }) && c.status !== 'merged' && c.status !== 'dismissed'
  // Related ones (staff-only tier) are listed apart, under "Liên quan", by RelatedClaims.
  const strong = page.suggestions.filter((s) => s.decision !== 'related')
  return (
    <section aria-labelledby="sugg-h" class="card">
      <h2 id="sugg-h">{t(l, 'desk.sugg.title')}</h2>
      {strong.length === 0 ? <p class="muted small">{t(l, 'desk.sugg.none')}</p> : null}
      <ul class="plain" id="suggestions">
        {strong.map((s) => (
          <li data-claim={s.claim.code}>
            <a href={`${DESK}/${s.claim.id}`}>
              <strong>{s.claim.code}</strong>
            </a>{' '}
            <span class={s.decision === 'merge' ? 'badge warn' : 'badge'}>{t(l, `desk.sugg.decision.${s.decision}`)}</span>{' '}
            <span class="small">{t(l, 'desk.sugg.score', { score: formatNumber(s.score, l, 2) })}</span>
            {s.fromImage ? <span class="small muted"> · {t(l, 'ocr.suggestedFrom')}</span> : null}
            {' · '}
            <span class="small muted">{t(l, `desk.status.${s.claim.status}`)}</span>
            <div class="small sub-text">{s.claim.statement.length > 240 ? `${s.claim.statement.slice(0, 240)}…` : s.claim.statement}</div>
            {canMerge ? (
              <div class="row">
                {s.claim.status !== 'published' ? (
                  <form method="post" action={`${DESK}/${c.id}/merge`} class="inline-form">
                    <CsrfField req={req} reply={reply} />
                    <input type="hidden" name="otherId" value={s.claim.id} />
                    <input type="hidden" name="direction" value="into-this" />
                    <button type="submit" class="small">
                      {t(l, 'desk.sugg.mergeIntoThis')}
                    </button>
                  </form>
                ) : null}
                {c.status !== 'published' ? (
                  <form method="post" action={`${DESK}/${c.id}/merge`} class="inline-form">
                    <CsrfField req={req} reply={reply} />
                    <input type="hidden" name="otherId" value={s.claim.id} />
                    <input type="hidden" name="direction" value="into-other" />
                    <button type="submit" class="secondary small">
                      {t(l, 'desk.sugg.mergeIntoOther')}
                    </button>
                  </form>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <RelatedClaims req={req} page={page} />
      {canMerge ? (
        <form method="post" action={`${DESK}/${c.id}/merge`} class="stack">
          <CsrfField req={req} reply={reply} />
          <input type="hidden" name="direction" value="into-this" />
          <label>
            {t(l, 'desk.sugg.byCode')}
            <input name="otherCode" maxlength="20" placeholder="TD-000123" />
          </label>
          <button type="submit" class="secondary small">
            {t(l, 'desk.sugg.mergeIntoThis')}
          </button>
        </form>
      ) : null}
    </section>
  )
}

function History({ l, page }: { l: Locale; page: ClaimPage }): SafeHtml {
  const h = page.loaded.history
  const c = page.loaded
  const ticketOf = (id: string | null) => (id ? (c.submissions.find((s) => s.id === id)?.ticket ?? '') : '')
  return (
    <section aria-labelledby="hist-h" class="card">
      <h2 id="hist-h">{t(l, 'desk.hist.title')}</h2>
      {h.length === 0 ? <p class="muted small">{t(l, 'desk.hist.none')}</p> : null}
      <ul class="plain" id="history">
        {h.map((e) => (
          <li class="small" data-kind={e.kind}>
            {formatTime(e.createdAt, l)} · {t(l, `desk.hist.${e.kind}`, { ticket: ticketOf(e.submissionId) })}{' '}
            {e.otherClaimId ? <ClaimLink refs={page.refs} id={e.otherClaimId} /> : null} · {nameOf(page, e.actorId, l)}
          </li>
        ))}
      </ul>
    </section>
  )
}

function Triage({ req, reply, page }: R & { page: ClaimPage }): SafeHtml | null {
  const l = req.locale
  const c = page.loaded.claim
  if (!can(req.actor, 'triage', { type: 'claim', tenantId: c.tenantId }) || c.status === 'merged' || c.status === 'dismissed') return null
  return (
    <section aria-labelledby="triage-h" class="card">
      <h2 id="triage-h">{t(l, 'desk.triage.title')}</h2>
      <form method="post" action={`${DESK}/${c.id}/triage`} class="stack">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'desk.col.harm')}
          <select name="harm">
            {HARMS.map((h) => (
              <option value={h} selected={c.harm === h}>
                {t(l, `desk.harm.${h}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'desk.triage.statement')}
          <span class="hint">{t(l, 'desk.triage.statementHint')}</span>
          <textarea name="statement" rows="3" maxlength="2000">
            {c.statement}
          </textarea>
        </label>
        <label>
          {t(l, 'desk.col.assignee')}
          <select name="assigneeId">
            <option value="">{t(l, 'desk.unassigned')}</option>
            {assignable(page.staff).map((s) => (
              <option value={s.id} selected={c.assignedTo === s.id}>
                {`${s.name} (${t(l, `desk.role.${s.role}`)})`}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t(l, 'desk.triage.save')}</button>
      </form>
    </section>
  )
}

/**
 * Severity set by hand: harm and SLA level with a written reason (editors and approvers). The
 * current manual setting, if any, is shown with who set it, when and why.
 */
function Severity({ req, reply, page }: R & { page: ClaimPage }): SafeHtml | null {
  const l = req.locale
  const c = page.loaded.claim
  const open = c.status !== 'merged' && c.status !== 'dismissed' && c.status !== 'published'
  const may = can(req.actor, 'set-severity', { type: 'claim', tenantId: c.tenantId })
  if (!c.severitySetAt && !(may && open)) return null
  const v = page.severity ?? { harm: c.harm, level: c.level, reason: '' }
  const hours = slaHours()
  return (
    <section aria-labelledby="severity-h" class="card">
      <h2 id="severity-h">{t(l, 'desk.severity.title')}</h2>
      {c.severitySetAt ? (
        <p class="small" id="severity-current">
          {t(l, 'desk.severity.current', {
            level: t(l, `desk.level.${c.level}`),
            who: nameOf(page, c.severitySetBy, l),
            at: formatTime(c.severitySetAt, l),
          })}
          <br />
          <q>{c.severityReason}</q>
        </p>
      ) : (
        <p class="small muted">{t(l, 'desk.severity.auto')}</p>
      )}
      {may && open ? (
        <form method="post" action={`${DESK}/${c.id}/severity`} class="stack">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'desk.col.harm')}
            <select name="harm">
              {HARMS.map((h) => (
                <option value={h} selected={v.harm === h}>
                  {t(l, `desk.harm.${h}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'desk.col.level')}
            <select name="level">
              {LEVELS.map((x) => (
                <option value={x} selected={v.level === x}>
                  {t(l, `desk.severity.level.${x}`, { hours: hours[x] })}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'desk.severity.reason')}
            <span class="hint">{t(l, 'desk.severity.reasonHint', { min: SEVERITY_MIN_REASON })}</span>
            <textarea name="reason" rows="2" maxlength="1000" required minlength={String(SEVERITY_MIN_REASON)}>
              {v.reason}
            </textarea>
          </label>
          <button type="submit">{t(l, 'desk.severity.save')}</button>
        </form>
      ) : null}
    </section>
  )
}

function Notes({ req, reply, page }: R & { page: ClaimPage }): SafeHtml {
  const l = req.locale
  const c = page.loaded
  const canAdd = can(req.actor, 'investigate', { type: 'claim', tenantId: c.claim.tenantId })
  return (
    <section aria-labelledby="notes-h" class="card">
      <h2 id="notes-h">{t(l, 'desk.notes.title')}</h2>
      <ul class="plain" id="notes">
        {c.notes.map((n) => (
          <li>
            <div class="small muted">
              {nameOf(page, n.authorId, l)} · {formatTime(n.createdAt, l)}
            </div>
            <div class="sub-text">{n.body}</div>
          </li>
        ))}
      </ul>
      {c.notes.length === 0 ? <p class="muted small">{t(l, 'desk.notes.none')}</p> : null}
      {canAdd ? (
        <form method="post" action={`${DESK}/${c.claim.id}/notes`} class="stack">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'desk.notes.new')}
            <textarea name="body" rows="3" maxlength="10000" required />
          </label>
          <button type="submit" class="secondary">
            {t(l, 'desk.notes.add')}
          </button>
        </form>
      ) : null}
    </section>
  )
}

function Tasks({ req, reply, page }: R & { page: ClaimPage }): SafeHtml {
  const l = req.locale
  const c = page.loaded
  const canAdd = can(req.actor, 'investigate', { type: 'claim', tenantId: c.claim.tenantId })
  return (
    <section aria-labelledby="tasks-h" class="card">
      <h2 id="tasks-h">{t(l, 'desk.tasks.title')}</h2>
      <ul class="plain" id="tasks">
        {c.tasks.map((k) => (
          <li data-task={k.id}>
            <span class={k.doneAt ? 'done' : undefined}>{k.title}</span>
            <span class="small muted">
              {' · '}
              {k.assigneeId ? nameOf(page, k.assigneeId, l) : t(l, 'desk.unassigned')}
              {k.doneAt ? ` · ${t(l, 'desk.tasks.doneAt', { at: formatTime(k.doneAt, l) })}` : ''}
            </span>
            {!k.doneAt && canAdd ? (
              <form method="post" action={`${DESK}/${c.claim.id}/tasks/${k.id}/done`} class="inline-form">
                <CsrfField req={req} reply={reply} />{' '}
                <button type="submit" class="secondary small">
                  {t(l, 'desk.tasks.markDone')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {c.tasks.length === 0 ? <p class="muted small">{t(l, 'desk.tasks.none')}</p> : null}
      {canAdd ? (
        <form method="post" action={`${DESK}/${c.claim.id}/tasks`} class="stack">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'desk.tasks.new')}
            <input name="title" maxlength="300" required />
          </label>
          <label>
            {t(l, 'desk.col.assignee')}
            <select name="assigneeId">
              <option value="">{t(l, 'desk.unassigned')}</option>
              {assignable(page.staff).map((s) => (
                <option value={s.id}>{s.name}</option>
              ))}
            </select>
          </label>
          <button type="submit" class="secondary">
            {t(l, 'desk.tasks.add')}
          </button>
        </form>
      ) : null}
    </section>
  )
}

/** The claim page. */
export function claimPage({ req, reply }: R, page: ClaimPage) {
  const l = req.locale
  const c = page.loaded.claim
  return sendPage(
    req,
    reply,
    {
      title: `${c.code} · ${t(l, 'desk.queue.title')}`,
      shell: 'console',
      current: 'desk.nav',
      status: page.error?.status,
      head: raw(
        `<style>${DESK_STYLE}${SCREENSHOT_STYLE}</style><script src="/assets/htmx/htmx.min.js" defer></script><script src="/assets/checks-panel.js" defer></script>`,
      ),
    },
    <>
      <p class="small">
        <a href={DESK}>← {t(l, 'desk.queue.title')}</a>
      </p>
      <h1>{c.code}</h1>
      <FormError l={l} error={page.error} />
      <Notice l={l} done={page.done} params={{ ticket: page.ticket ?? '' }} />
      {page.other ? (
        <p>
          <a href={`${DESK}/${page.other}`}>{t(l, 'desk.claim.openOther')}</a>
        </p>
      ) : null}
      {c.mergedInto ? (
        <p class="alert warn">
          {t(l, 'desk.claim.mergedInto')} <ClaimLink refs={page.refs} id={c.mergedInto} />
        </p>
      ) : null}
      <div class="desk-grid">
        <div>
          <section aria-labelledby="statement-h">
            <h2 id="statement-h">{t(l, 'desk.claim.statement')}</h2>
            <p class="statement">{c.statement}</p>
          </section>
          <Header l={l} page={page} />
          <Submissions req={req} reply={reply} page={page} />
          <EvidenceSection req={req} reply={reply} page={page} />
          <VerdictSection req={req} reply={reply} page={page} />
        </div>
        <div>
          <Triage req={req} reply={reply} page={page} />
          <Severity req={req} reply={reply} page={page} />
          <Suggestions req={req} reply={reply} page={page} />
          <History l={l} page={page} />
          <Tasks req={req} reply={reply} page={page} />
          <Notes req={req} reply={reply} page={page} />
        </div>
      </div>
    </>,
  )
}
