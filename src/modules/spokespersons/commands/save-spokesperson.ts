import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { normalizeEmail } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { spokespersonDelegations, spokespersons } from '../spokespersons.tables.ts'

/** Fields of a spokesperson. */
export interface SpokespersonInput {
  name: string
  title: string
  phone: string
  email: string
  active?: boolean
}

function clean(input: SpokespersonInput) {
  const name = cleanLine(input.name, 200)
  const title = cleanLine(input.title, 200)
  const phone = cleanLine(input.phone, 40)
  if (!name || !title || !/^[0-9+().\s-]{6,40}$/.test(phone)) throw new AppError('VALIDATION', { detail: 'name, title, phone' })
  return { name, title, phone, email: normalizeEmail(input.email), active: input.active ?? true }
}

/** Adds a spokesperson to the register (or updates one when `id` is given). */
export async function saveSpokesperson(o: {
  tx: Tx
  tenantId: string
  actor: AuditActor
  id?: string
  input: SpokespersonInput
  ip?: string
}): Promise<{ id: string }> {
  const values = clean(o.input)
  let id = o.id
  if (id) {
    const rows = await o.tx
      .update(spokespersons)
      .set(values)
      .where(and(eq(spokespersons.id, id), eq(spokespersons.tenantId, o.tenantId)))
      .returning({ id: spokespersons.id })
    if (rows.length === 0) throw new AppError('NOT_FOUND')
  } else {
    const [row] = await o.tx
      .insert(spokespersons)
      .values({ ...values, tenantId: o.tenantId, createdAt: now() })
      .returning({ id: spokespersons.id })
    id = row?.id as string
  }
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: o.id ? 'spokesperson.updated' : 'spokesperson.created',
    subjectType: 'spokesperson',
    subjectId: id,
    summary: values,
    ip: o.ip,
  })
  return { id }
}

/** Records a delegation: to whom, for which case (optional), until when. */
export async function delegateSpokesperson(o: {
  tx: Tx
  tenantId: string
  actor: AuditActor
  spokespersonId: string
  delegateName: string
  delegateTitle: string
  caseId?: string | null
  validUntil: Date
  ip?: string
}): Promise<{ id: string }> {
  const delegateName = cleanLine(o.delegateName, 200)
  const delegateTitle = cleanLine(o.delegateTitle, 200)
  if (!delegateName || !delegateTitle || Number.isNaN(o.validUntil.getTime())) throw new AppError('VALIDATION', { detail: 'delegate' })
  if (o.validUntil.getTime() <= now().getTime()) throw new AppError('SCHEDULE_IN_PAST')
  const [sp] = await o.tx
    .select()
    .from(spokespersons)
    .where(and(eq(spokespersons.id, o.spokespersonId), eq(spokespersons.tenantId, o.tenantId)))
  if (!sp) throw new AppError('NOT_FOUND')
  const [row] = await o.tx
    .insert(spokespersonDelegations)
    .values({
      tenantId: o.tenantId,
      spokespersonId: sp.id,
      delegateName,
      delegateTitle,
      caseId: o.caseId ?? null,
      validUntil: o.validUntil,
    })
    .returning({ id: spokespersonDelegations.id })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'spokesperson.delegated',
    subjectType: 'spokesperson',
    subjectId: sp.id,
    summary: { delegateName, delegateTitle, caseId: o.caseId ?? null, validUntil: o.validUntil.toISOString() },
    ip: o.ip,
  })
  return { id: row?.id as string }
}
