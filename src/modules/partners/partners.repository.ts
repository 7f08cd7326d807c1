/** Reads of the partners registry (no access checks: callers authorise first). */
import { and, eq, inArray, or } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { normalizePartnerEmail, normalizePartnerPhone, normalizePressCard } from './partners.normalize.ts'
import { type KeyKind, type PartnerStatus, partnerKeys, partners } from './partners.tables.ts'

/** The identifying values of a person, as typed (any may be absent). */
export interface KeyInput {
  email?: string | null
  phone?: string | null
  pressCardNumber?: string | null
}

/** One normalised key. */
export interface PartnerKey {
  kind: KeyKind
  value: string
}

/** Normalises the keys present in `input` (throws on a malformed one). */
export function partnerKeysOf(input: KeyInput): PartnerKey[] {
  const keys: PartnerKey[] = []
  if (input.pressCardNumber?.trim()) keys.push({ kind: 'press_card', value: normalizePressCard(input.pressCardNumber) })
  if (input.email?.trim()) keys.push({ kind: 'email', value: normalizePartnerEmail(input.email) })
  if (input.phone?.trim()) keys.push({ kind: 'phone', value: normalizePartnerPhone(input.phone) })
  return keys
}

/** An existing partner that shares keys with the input. */
export interface Duplicate {
  partnerId: string
  name: string
  status: PartnerStatus
  /** Which of the input's keys it holds (press card first, then e-mail, then phone). */
  matched: PartnerKey[]
}

/**
 * The existing partners of `tenantId` that share any key (normalised press card, e-mail or
 * phone) with `input`. Keys moved by a merge belong to the survivor, so a merged person is
 * found under any of their old keys. Throws on a malformed key.
 */
export async function findDuplicates(db: Db | Tx, tenantId: string, input: KeyInput | PartnerKey[]): Promise<Duplicate[]> {
  const keys = Array.isArray(input) ? input : partnerKeysOf(input)
  if (keys.length === 0) return []
  const rows = await db
    .select({ kind: partnerKeys.kind, value: partnerKeys.value, partnerId: partners.id, name: partners.name, status: partners.status })
    .from(partnerKeys)
    .innerJoin(partners, eq(partners.id, partnerKeys.partnerId))
    .where(
      and(eq(partnerKeys.tenantId, tenantId), or(...keys.map((k) => and(eq(partnerKeys.kind, k.kind), eq(partnerKeys.value, k.value))))),
    )
  const byPartner = new Map<string, Duplicate>()
  for (const k of keys) {
    for (const r of rows.filter((r) => r.kind === k.kind && r.value === k.value)) {
      const d = byPartner.get(r.partnerId) ?? { partnerId: r.partnerId, name: r.name, status: r.status, matched: [] }
      d.matched.push(k)
      byPartner.set(r.partnerId, d)
    }
  }
  return [...byPartner.values()]
}

/** The keys a partner holds. */
export async function keysOfPartner(db: Db | Tx, partnerIds: string[]): Promise<(PartnerKey & { partnerId: string })[]> {
  if (partnerIds.length === 0) return []
  return db
    .select({ kind: partnerKeys.kind, value: partnerKeys.value, partnerId: partnerKeys.partnerId })
    .from(partnerKeys)
    .where(inArray(partnerKeys.partnerId, partnerIds))
}
