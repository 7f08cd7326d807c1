import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { type PartnerKey, partnerKeysOf } from '../partners.repository.ts'
import { type KeyKind, partnerKeys, partners } from '../partners.tables.ts'
import { lockPartner } from './change-partner-status.ts'
import { DUPLICATE_ERROR, validatePartnerInput } from './create-partner.ts'

/** The fields staff may edit on a partner (kind, account, status and channels have their own steps). */
export interface PartnerEdit {
  name: string
  /** Journalists only. */
  outletId?: string | null
  pressCardNumber?: string | null
  pressCardExpiresOn?: string | null
  phone?: string | null
  email?: string | null
  beats?: string[]
  communeCodes?: string[]
  accreditationEndsOn?: string | null
}

/** The fields compared to tell what an edit changed (the audit row names them). */
const FIELDS = [
  'name',
  'outletId',
  'pressCardNumber',
  'pressCardExpiresOn',
  'phone',
  'email',
  'beats',
  'communeCodes',
  'accreditationEndsOn',
] as const

/**
 * Edits a live partner (editors, approvers, admins). The keys are normalised again: a key the
 * edit introduces is claimed for this partner and refused (PARTNER_DUPLICATE_*, nothing
 * written) when another partner holds it; the key of a value the edit replaces is released,
 * because a mistyped number must not block the real owner. Keys that came with a merge (not the
 * record's own columns) stay. Audited with the names of the changed fields and the kinds of
 * keys added and removed, never the values. An edit that changes nothing writes nothing.
 */
export async function updatePartner(o: {
  tx: Tx
  actor: Actor
  partnerId: string
  input: PartnerEdit
  ip?: string
}): Promise<{ changed: string[] }> {
  authorize(o.actor, 'manage', { type: 'partner', tenantId: o.actor.tenantId })
  const tenantId = o.actor.tenantId
  const partner = await lockPartner(o.tx, tenantId, o.partnerId)
  // Kind, account and channels are not edited here: pass what keeps the shared checks neutral.
  const v = await validatePartnerInput(o.tx, tenantId, { ...o.input, kind: partner.kind, userId: null, channels: [] })
  const next = partnerKeysOf(o.input)
  const own = ownKeys(partner)
  const same = (a: PartnerKey, b: PartnerKey) => a.kind === b.kind && a.value === b.value
  const added = next.filter((k) => !own.some((o2) => same(o2, k)))
  const removed = own.filter((k) => !next.some((n) => same(n, k)))
  const byKind = Object.fromEntries(next.map((k) => [k.kind, k.value])) as Partial<Record<KeyKind, string>>

  const after = {
    name: v.name,
    outletId: v.outletId,
    pressCardNumber: v.pressCardNumber,
    pressCardExpiresOn: v.pressCardExpiresOn,
    phone: byKind.phone ?? null,
    email: byKind.email ?? null,
    beats: v.beats,
    communeCodes: v.communeCodes,
    accreditationEndsOn: v.accreditationEndsOn,
  }
  const changed = FIELDS.filter((f) => JSON.stringify(partner[f] ?? null) !== JSON.stringify(after[f] ?? null))
  if (changed.length === 0) return { changed: [] }

  for (const k of removed) {
    await o.tx
      .delete(partnerKeys)
      .where(
        and(
          eq(partnerKeys.tenantId, tenantId),
          eq(partnerKeys.kind, k.kind),
          eq(partnerKeys.value, k.value),
          eq(partnerKeys.partnerId, partner.id),
        ),
      )
  }
  for (const k of added) {
    // Claim the key; a row already there is fine only when it is this partner's (from a merge).
    const won = await o.tx
      .insert(partnerKeys)
      .values({ tenantId, partnerId: partner.id, ...k })
      .onConflictDoNothing()
      .returning()
    if (won.length > 0) continue
    const [holder] = await o.tx
      .select({ partnerId: partnerKeys.partnerId })
      .from(partnerKeys)
      .where(and(eq(partnerKeys.tenantId, tenantId), eq(partnerKeys.kind, k.kind), eq(partnerKeys.value, k.value)))
    if (holder?.partnerId !== partner.id) throw new AppError(DUPLICATE_ERROR[k.kind], { value: k.value })
  }
  await o.tx.update(partners).set(after).where(eq(partners.id, partner.id))
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'partner.updated',
    subjectType: 'partner',
    subjectId: partner.id,
    summary: { fields: changed, keys: { added: added.map((k) => k.kind), removed: removed.map((k) => k.kind) } },
    ip: o.ip,
  })
  return { changed }
}

/** The keys of the record's own columns (a value stored before normalisation existed is skipped). */
function ownKeys(p: { email: string | null; phone: string | null; pressCardNumber: string | null }): PartnerKey[] {
  const keys: PartnerKey[] = []
  for (const input of [{ email: p.email }, { phone: p.phone }, { pressCardNumber: p.pressCardNumber }]) {
    try {
      keys.push(...partnerKeysOf(input))
    } catch {
      // An old malformed value has no key to release; the edit's new value is checked as usual.
    }
  }
  return keys
}
