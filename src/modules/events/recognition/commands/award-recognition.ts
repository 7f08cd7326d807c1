import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { events, partnerRecognitions } from '../../events.tables.ts'
import { newCertificateCode } from '../certificate-code.ts'
import { componentsOf, partnerScores, yearBounds } from '../score.ts'
import { checkYear } from './recognition-input.ts'

/** Tries before giving up on a fresh certificate code (a clash is already ~impossible). */
const CODE_TRIES = 5

/**
 * Recognises a partner as outstanding (đối tác tiêu biểu) for a year: one recognition per
 * partner and year (a second answers RECOGNITION_EXISTS, even after a revocation, which stays
 * on record), keeping the score and its components as they stood, the name and outlet to print,
 * and a fresh certificate code (retried on the rare clash). Optionally linked to the year's
 * yearly partner conference. Row and audit ('partner.recognized') share `tx`. The caller has
 * checked 'recognize' on partner.
 */
export async function awardRecognition(o: {
  tx: Tx
  tenantId: string
  partnerId: string
  /** The year as typed (checked here). */
  year: unknown
  /** The year's annual_partner_conference event to link, if any ('' or null: none). */
  eventId?: string | null
  actor: AuditActor & { id: string }
  ip?: string | null
  /** Codes to try first (tests of the clash); then random ones. */
  codes?: string[]
}): Promise<{ id: string; code: string; score: number; year: number }> {
  const { tx, tenantId } = o
  const year = checkYear(o.year)
  // One award at a time per partner and year: the second waits, then sees the first.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`recognition:${tenantId}:${o.partnerId}:${year}`}))`)
  const [score] = await partnerScores(tx, tenantId, year, { partnerId: o.partnerId })
  if (!score) throw new AppError('NOT_FOUND')
  const [existing] = await tx
    .select({ id: partnerRecognitions.id })
    .from(partnerRecognitions)
    .where(
      and(
        eq(partnerRecognitions.tenantId, tenantId),
        eq(partnerRecognitions.year, year),
        eq(partnerRecognitions.partnerId, score.partnerId),
      ),
    )
  if (existing) throw new AppError('RECOGNITION_EXISTS', { year })
  let eventId: string | null = null
  if (o.eventId?.trim()) {
    const { from, to } = yearBounds(year)
    const ok = await tx.execute<{ id: string }>(sql`
      SELECT id FROM ${events}
      WHERE tenant_id = ${tenantId} AND id::text = ${o.eventId.trim()} AND kind = 'annual_partner_conference'
        AND state <> 'cancelled' AND starts_at >= ${from} AND starts_at < ${to}`)
    eventId = ok.rows[0]?.id ?? null
    if (!eventId) throw new AppError('RECOGNITION_INVALID', { reason: 'hội nghị / conference' })
  }
  const components = componentsOf(score)
  const tries = [...(o.codes ?? []), ...Array.from({ length: CODE_TRIES }, newCertificateCode)]
  for (const code of tries) {
    const [row] = await tx
      .insert(partnerRecognitions)
      .values({
        tenantId,
        year,
        partnerId: score.partnerId,
        partnerName: score.name,
        outletName: score.outlet,
        score: score.total,
        components,
        certificateCode: code,
        eventId,
        awardedBy: o.actor.id,
        awardedAt: now(),
      })
      // Only the code can clash here (the pair was checked under the lock above).
      .onConflictDoNothing({ target: partnerRecognitions.certificateCode })
      .returning({ id: partnerRecognitions.id })
    if (!row) continue
    await recordAudit(tx, {
      tenantId,
      actor: o.actor,
      action: 'partner.recognized',
      subjectType: 'partner',
      subjectId: score.partnerId,
      summary: { year, score: score.total, components, code, eventId, recognitionId: row.id },
      ip: o.ip ?? null,
    })
    return { id: row.id, code, score: score.total, year }
  }
  throw new Error('no free certificate code after several tries')
}
