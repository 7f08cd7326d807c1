import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { findUser } from '../../accounts/users.ts'
import { caseMembers, cases } from '../cases.tables.ts'

/** Input of a new sealed case. */
export interface CreateCaseOptions {
  tx: Tx
  tenantId: string
  actor: AuditActor & { id: string }
  code: string
  title: string
  department: string
  /** The lead officer; becomes a member. */
  leadOfficerId: string
  /** The legal ground for secrecy, named in every refusal. */
  secrecyGround: string
  ip?: string
}

/** Opens a case, sealed, with the creator and the lead officer as members. */
export async function createCase(o: CreateCaseOptions): Promise<{ caseId: string }> {
  const code = cleanLine(o.code, 40).toUpperCase()
  const title = cleanLine(o.title, 300)
  const department = cleanLine(o.department, 200)
  const secrecyGround = cleanLine(o.secrecyGround, 500)
  if (!code || !title || !department || !secrecyGround)
    throw new AppError('VALIDATION', { detail: 'code, title, department, secrecyGround' })
  const lead = await findUser(o.tx, o.tenantId, o.leadOfficerId)
  if (lead?.status !== 'active' || !['officer', 'approver', 'admin'].includes(lead.role))
    throw new AppError('VALIDATION', { detail: 'leadOfficerId' })
  const at = now()
  const [row] = await o.tx
    .insert(cases)
    .values({
      tenantId: o.tenantId,
      code,
      title,
      department,
      leadOfficerId: lead.id,
      secrecyGround,
      state: 'sealed',
      stage: 'investigating',
      createdBy: o.actor.id,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: cases.id })
  if (!row) throw new AppError('CASE_CODE_TAKEN')
  for (const userId of new Set([o.actor.id, lead.id])) {
    await o.tx.insert(caseMembers).values({ tenantId: o.tenantId, caseId: row.id, userId, addedBy: o.actor.id, addedAt: at })
  }
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'case.created',
    subjectType: 'case',
    subjectId: row.id,
    summary: { code, leadOfficerId: lead.id, secrecyGround },
    ip: o.ip,
  })
  return { caseId: row.id }
}
