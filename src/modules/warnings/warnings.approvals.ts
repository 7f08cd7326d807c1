/**
 * The warnings' part of the approvals inbox: working copies submitted for approval (a first
 * publication or an update), and urgent publications awaiting a second approver's
 * confirmation (tagged with their deadline, and as overdue once past it). Each item says when
 * four-eyes bars the viewer: they submitted it or wrote it (approval), or published it
 * urgently themselves (confirmation).
 */
import { and, asc, eq, isNotNull, isNull, or, sql } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import type { ApprovalSource, WaitingItem } from '../../platform/modules.ts'
import { type Actor, can } from '../../platform/policy/index.ts'
import { localFormat } from '../../platform/time.ts'
import { warnings } from './warnings.tables.ts'

const DUE_FORMAT = { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' } as const

/** Warnings waiting on an approver of the actor's tenant, oldest first. */
async function waitingWarnings(db: Db, actor: Actor) {
  return db
    .select({
      id: warnings.id,
      code: warnings.code,
      titleVi: warnings.titleVi,
      level: warnings.level,
      version: warnings.version,
      review: warnings.review,
      submittedBy: warnings.submittedBy,
      submittedAt: warnings.submittedAt,
      contributors: warnings.contributors,
      urgentBy: warnings.urgentBy,
      retroApprovedBy: warnings.retroApprovedBy,
      retroDueAt: warnings.retroDueAt,
      retroOverdueAt: warnings.retroOverdueAt,
      firstPublishedAt: warnings.firstPublishedAt,
      updatedAt: warnings.updatedAt,
    })
    .from(warnings)
    .where(
      and(
        eq(warnings.tenantId, actor.tenantId),
        or(
          and(eq(warnings.review, 'submitted'), sql`${warnings.state} IN ('draft', 'active')`),
          and(isNotNull(warnings.urgentBy), isNull(warnings.retroApprovedBy)),
        ),
      ),
    )
    .orderBy(asc(sql`coalesce(${warnings.submittedAt}, ${warnings.retroDueAt})`), asc(warnings.id))
    .limit(500)
}

/** Warnings waiting on an approver: submissions and unconfirmed urgent publications. */
export const warningApprovals: ApprovalSource = {
  visible: (actor) => can(actor, 'approve', { type: 'warning', tenantId: actor?.tenantId }),
  async list(actor, db) {
    const at = now()
    const rows = await waitingWarnings(db, actor)
    const items: WaitingItem[] = []
    for (const r of rows) {
      const href = `/console/canh-bao/${r.id}`
      if (r.review === 'submitted') {
        items.push({
          kind: 'warning',
          id: r.id,
          title: `${r.code} · ${r.titleVi}`,
          href,
          submittedAt: r.submittedAt,
          submittedBy: r.submittedBy,
          contributorIds: [...new Set(r.contributors)],
          tags: [
            { key: 'warnings.approvals.submitted' },
            ...(r.version >= 1 ? [{ key: 'warnings.approvals.update', params: { n: r.version + 1 }, tone: 'warn' as const }] : []),
          ],
          notYours: r.submittedBy === actor.id ? 'submitted' : r.contributors.includes(actor.id) ? 'contributed' : undefined,
        })
      }
      if (r.urgentBy && !r.retroApprovedBy) {
        const overdue = !!r.retroOverdueAt || (!!r.retroDueAt && r.retroDueAt.getTime() < at.getTime())
        const due = r.retroDueAt
          ? { vi: localFormat('vi', DUE_FORMAT).format(r.retroDueAt), en: localFormat('en', DUE_FORMAT).format(r.retroDueAt) }
          : { vi: '', en: '' }
        items.push({
          kind: 'warning',
          id: r.id,
          title: `${r.code} · ${r.titleVi}`,
          href,
          // Sent for confirmation when published, i.e. 24 h before the deadline.
          submittedAt: r.retroDueAt ? new Date(r.retroDueAt.getTime() - 24 * 3_600_000) : r.updatedAt,
          submittedBy: r.urgentBy,
          contributorIds: [r.urgentBy],
          tags: [
            { key: 'warnings.approvals.urgent', params: { due }, tone: 'warn' as const },
            ...(overdue ? [{ key: 'warnings.approvals.overdue', tone: 'admin' as const }] : []),
          ],
          notYours: r.urgentBy === actor.id ? 'submitted' : undefined,
        })
      }
    }
    return items
  },
}
