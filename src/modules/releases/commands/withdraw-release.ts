import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import type { LoadedRelease } from '../releases.repository.ts'
import { emitReleaseEvent } from '../releases.events.ts'
import { withdrawalKeepsText } from '../releases.public.ts'
import { releases, WITHDRAWAL_CATEGORIES, type WithdrawalCategory } from '../releases.tables.ts'
import { illegal, notifyPublicChange } from '../releases.workflow.ts'

/**
 * Withdraws a published release: it leaves lists, feeds, the sitemap and search; its page
 * keeps the notice (category, public reason, date). After a factual error the text stays
 * under the notice; for privacy, legal, safety or other reasons it is removed from every
 * public surface (`releases.public.ts` reads the category).
 *
 * Withdrawing cannot be undone, so the approver must confirm it (`confirmed`, the form's
 * checkbox) and choose a category: both are checked here, whoever calls.
 */
export async function withdrawRelease(o: {
  tx: Tx
  release: LoadedRelease
  actor: AuditActor & { id: string }
  category: unknown
  reason: string
  /** The approver ticked "I confirm the withdrawal". */
  confirmed: boolean
  ip?: string
}): Promise<void> {
  const { release } = o.release
  if (release.status !== 'published') illegal('withdraw', release.status)
  if (typeof o.category !== 'string' || !(WITHDRAWAL_CATEGORIES as readonly string[]).includes(o.category))
    throw new AppError('WITHDRAWAL_CATEGORY_REQUIRED')
  const category = o.category as WithdrawalCategory
  const reason = o.reason.trim().normalize('NFC').slice(0, 1000)
  if (reason.length < 10) throw new AppError('REASON_REQUIRED', { min: 10 })
  if (o.confirmed !== true) throw new AppError('WITHDRAWAL_NOT_CONFIRMED')
  const at = now()
  await o.tx
    .update(releases)
    .set({ status: 'withdrawn', withdrawnAt: at, withdrawnReason: reason, withdrawnCategory: category, updatedAt: at })
    .where(eq(releases.id, release.id))
  await notifyPublicChange(o.tx, release.tenantId)
  const textRemoved = !withdrawalKeepsText(category)
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.withdrawn',
    subjectType: 'release',
    subjectId: release.id,
    summary: { category, reason, textRemoved },
    ip: o.ip,
  })
  await emitReleaseEvent(o.tx, {
    tenantId: release.tenantId,
    actorId: o.actor.id,
    type: 'release.withdrawn',
    payload: { releaseId: release.id, kind: release.kind, caseId: release.caseId ?? null, category, reason, textRemoved },
  })
}

/** Admin only: "published in error" — the page answers 410 Gone and disappears everywhere. */
export async function markReleaseGone(o: {
  tx: Tx
  release: LoadedRelease
  actor: AuditActor & { id: string }
  reason: string
  ip?: string
}): Promise<void> {
  const { release } = o.release
  if (release.status !== 'published' && release.status !== 'withdrawn') illegal('mark-gone', release.status)
  const reason = o.reason.trim().normalize('NFC').slice(0, 1000)
  if (reason.length < 10) throw new AppError('REASON_REQUIRED', { min: 10 })
  const at = now()
  await o.tx.update(releases).set({ status: 'gone', goneAt: at, updatedAt: at }).where(eq(releases.id, release.id))
  await notifyPublicChange(o.tx, release.tenantId)
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.gone',
    subjectType: 'release',
    subjectId: release.id,
    summary: { reason, was: release.status },
    ip: o.ip,
  })
  await emitReleaseEvent(o.tx, {
    tenantId: release.tenantId,
    actorId: o.actor.id,
    type: 'release.gone',
    payload: { releaseId: release.id, kind: release.kind, caseId: release.caseId ?? null, reason },
  })
}
