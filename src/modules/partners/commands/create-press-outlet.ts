import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { OUTLET_KINDS, type OutletKind, pressOutlets } from '../partners.tables.ts'

/** Fields of a press outlet. */
export interface PressOutletInput {
  /** The outlet's name (báo, tạp chí, đài, trang điện tử). */
  name: string
  /** Licence number (giấy phép hoạt động) and the body that issued it. */
  licenceNumber?: string | null
  licenceIssuer?: string | null
  kind: OutletKind
  /** An http(s) address. */
  website?: string | null
  /** The newsroom desk to contact (name, phone or address, free text). */
  contactDesk?: string | null
}

/** Adds a press outlet to the registry (editors, approvers, admins); audited. */
export async function createPressOutlet(o: { tx: Tx; actor: Actor; input: PressOutletInput; ip?: string }): Promise<{ id: string }> {
  authorize(o.actor, 'manage', { type: 'partner', tenantId: o.actor.tenantId })
  const values = cleanPressOutlet(o.input)
  const [row] = await o.tx
    .insert(pressOutlets)
    .values({ ...values, tenantId: o.actor.tenantId })
    .returning({ id: pressOutlets.id })
  const id = row?.id as string
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'press_outlet.created',
    subjectType: 'press_outlet',
    subjectId: id,
    summary: values,
    ip: o.ip,
  })
  return { id }
}

/** An outlet's fields checked and cleaned (PARTNER_INVALID naming the field); shared with `updatePressOutlet`. */
export function cleanPressOutlet(input: PressOutletInput) {
  const name = cleanLine(input.name, 200)
  if (!name) throw new AppError('PARTNER_INVALID', { field: 'name' })
  if (!(OUTLET_KINDS as readonly string[]).includes(input.kind)) throw new AppError('PARTNER_INVALID', { field: 'kind' })
  const website = cleanLine(input.website, 300) || null
  if (website && !isHttpUrl(website)) throw new AppError('PARTNER_INVALID', { field: 'website' })
  return {
    name,
    kind: input.kind,
    licenceNumber: cleanLine(input.licenceNumber, 100) || null,
    licenceIssuer: cleanLine(input.licenceIssuer, 200) || null,
    website,
    contactDesk: cleanLine(input.contactDesk, 300) || null,
  }
}

/** True for an absolute http(s) URL. */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}
