import { eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { claimHistory, claimSubmissions, claims } from '../factcheck.tables.ts'
import type { LoadedClaim } from '../factcheck.repository.ts'
import { announceSubmissions } from '../matcher.ts'
import { levelOf, priorityOf, slaDue, triageOf } from '../triage.ts'
import { nextClaimCode } from './submit-claim.ts'

/**
 * Merges `source` into `target`: every submission (and so every ticket) follows to the
 * target, spread counts and appearances add up, both claims record the history. Nothing
 * disappears: the source stays as a "merged" claim pointing to the target.
 */
export async function mergeClaims(o: {
  tx: Tx
  source: LoadedClaim
  target: LoadedClaim
  actor: AuditActor & { id: string }
  ip?: string
}): Promise<void> {
  const s = o.source.claim
  const t = o.target.claim
  if (s.id === t.id) throw new AppError('VALIDATION', { detail: 'same claim' })
  for (const c of [s, t])
    if (c.status === 'merged' || c.status === 'dismissed') throw new AppError('ILLEGAL_TRANSITION', { action: 'merge', status: c.status })
  if (s.status === 'published') throw new AppError('ILLEGAL_TRANSITION', { action: 'merge', status: s.status })
  const at = now()
  const moved = await o.tx
    .update(claimSubmissions)
    .set({ claimId: t.id })
    .where(eq(claimSubmissions.claimId, s.id))
    .returning({ id: claimSubmissions.id })
  const requests = t.requests + s.requests
  const partnerReports = t.partnerReports + s.partnerReports
  // The target's level set by hand stands (and stays manual); otherwise the heavier harm decides.
  const { priority, level } = triageOf(
    Math.max(priorityOf(t.harm, requests, partnerReports), priorityOf(s.harm, requests, partnerReports)),
    t.severitySetAt ? t.level : null,
  )
  const firstSeenAt = new Date(Math.min(s.firstSeenAt.getTime(), t.firstSeenAt.getTime()))
  await o.tx
    .update(claims)
    .set({
      requests,
      partnerReports,
      priority,
      level,
      firstSeenAt,
      slaDueAt: slaDue(firstSeenAt, level),
      appearances: [...new Set([...t.appearances, ...s.appearances])],
      updatedAt: at,
    })
    .where(eq(claims.id, t.id))
  await o.tx
    .update(claims)
    .set({ status: 'merged', mergedInto: t.id, requests: 0, partnerReports: 0, updatedAt: at })
    .where(eq(claims.id, s.id))
  await o.tx.insert(claimHistory).values([
    { tenantId: t.tenantId, claimId: s.id, kind: 'merged_into', otherClaimId: t.id, actorId: o.actor.id, createdAt: at },
    { tenantId: t.tenantId, claimId: t.id, kind: 'merged_from', otherClaimId: s.id, actorId: o.actor.id, createdAt: at },
  ])
  await recordAudit(o.tx, {
    tenantId: t.tenantId,
    actor: o.actor,
    action: 'claim.merged',
    subjectType: 'claim',
    subjectId: t.id,
    summary: { from: s.code, into: t.code, submissions: moved.length },
    ip: o.ip,
  })
  await announceSubmissions(
    o.tx,
    t.tenantId,
    o.source.submissions.filter((x) => moved.some((m) => m.id === x.id)).map((x) => ({ submissionId: x.id, claimId: t.id, text: x.text })),
    { moved: true },
  )
}

/**
 * Splits one submission off into a new claim of its own (a wrong merge). Its ticket
 * follows it; the history of both claims records the split.
 */
export async function splitSubmission(o: {
  tx: Tx
  claim: LoadedClaim
  submissionId: string
  actor: AuditActor & { id: string }
  ip?: string
}): Promise<{ claimId: string }> {
  const c = o.claim.claim
  const sub = o.claim.submissions.find((x) => x.id === o.submissionId)
  if (!sub) throw new AppError('NOT_FOUND')
  if (o.claim.submissions.length < 2) throw new AppError('ILLEGAL_TRANSITION', { action: 'split', status: 'single' })
  const at = now()
  const isPartner = sub.channel === 'partner'
  const level = levelOf(priorityOf(c.harm, isPartner ? 0 : 1, isPartner ? 1 : 0))
  const [created] = await o.tx
    .insert(claims)
    .values({
      tenantId: c.tenantId,
      code: await nextClaimCode(o.tx, c.tenantId),
      statement: sub.text.slice(0, 2000),
      status: 'investigating',
      harm: c.harm,
      requests: isPartner ? 0 : 1,
      partnerReports: isPartner ? 1 : 0,
      priority: priorityOf(c.harm, isPartner ? 0 : 1, isPartner ? 1 : 0),
      level,
      firstSeenAt: sub.createdAt,
      slaDueAt: slaDue(sub.createdAt, level),
      appearances: sub.links,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: claims.id })
  if (!created) throw new Error('claim insert returned nothing')
  await o.tx.update(claimSubmissions).set({ claimId: created.id }).where(eq(claimSubmissions.id, sub.id))
  await o.tx
    .update(claims)
    .set({
      requests: sql`greatest(0, ${claims.requests} - ${isPartner ? 0 : 1})`,
      partnerReports: sql`greatest(0, ${claims.partnerReports} - ${isPartner ? 1 : 0})`,
      updatedAt: at,
    })
    .where(eq(claims.id, c.id))
  await o.tx.insert(claimHistory).values([
    {
      tenantId: c.tenantId,
      claimId: c.id,
      kind: 'split_to',
      otherClaimId: created.id,
      submissionId: sub.id,
      actorId: o.actor.id,
      createdAt: at,
    },
    {
      tenantId: c.tenantId,
      claimId: created.id,
      kind: 'split_from',
      otherClaimId: c.id,
      submissionId: sub.id,
      actorId: o.actor.id,
      createdAt: at,
    },
  ])
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'claim.split',
    subjectType: 'claim',
    subjectId: c.id,
    summary: { ticket: sub.ticket, newClaim: created.id },
    ip: o.ip,
  })
  await announceSubmissions(o.tx, c.tenantId, [{ submissionId: sub.id, claimId: created.id, text: sub.text }], { moved: true })
  return { claimId: created.id }
}
