/**
 * A list's fields as staff type them, checked and cleaned in one place for the create and
 * update commands: name, description, and (rule lists) the rule. Refusals are
 * DISTRIBUTION_LIST_INVALID naming the field; nothing is written before this passes.
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { COMMUNES } from '../../reference/communes.ts'
import type { ListRule } from '../distribution.types.ts'

/** What staff type for a list. */
export interface ListInput {
  /** Shown to staff and, in the portal, to the partners in it. */
  name: string
  description?: string | null
  /** Rule lists only (static lists ignore it): empty arrays mean "any". */
  rule?: ListRule
}

const COMMUNE_CODES = new Set(COMMUNES.map((c) => c.code))
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const KINDS = new Set(['journalist', 'influencer'])

/** True for a canonical uuid string (ids in URLs and forms). */
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v)
}

/** The name and description checked and cleaned. */
export function cleanListText(input: ListInput): { name: string; description: string | null } {
  const name = cleanLine(input.name, 400)
  if (!name) throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'name' })
  if (name.length > 200) throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'name' })
  const description = cleanLine(input.description, 2000) || null
  return { name, description }
}

/**
 * A rule checked against the registry's vocabularies: kinds are journalist/influencer, communes
 * are known commune codes, outlets are the tenant's outlets, beats are short phrases. A rule
 * list with nothing chosen would be "every partner": allowed, since it is what the builtin lists
 * are per kind, but the form says so.
 */
export async function cleanRule(tx: Tx, tenantId: string, rule: ListRule | undefined): Promise<ListRule> {
  const r = rule ?? {}
  const kinds = [...new Set(r.kinds ?? [])]
  if (kinds.some((k) => !KINDS.has(k))) throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'kinds' })
  const beats = [...new Set((r.beats ?? []).map((b) => cleanLine(b, 200)).filter(Boolean))]
  if (beats.length > 50 || beats.some((b) => b.length > 80)) throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'beats' })
  const communes = [...new Set(r.communes ?? [])]
  if (communes.length > 200 || communes.some((c) => !COMMUNE_CODES.has(c)))
    throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'communes' })
  const outletIds = [...new Set(r.outletIds ?? [])]
  if (outletIds.length > 200 || outletIds.some((id) => !isUuid(id))) throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'outlets' })
  if (outletIds.length > 0) {
    const found = await tx.execute<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM press_outlets WHERE tenant_id = ${tenantId} AND id = ANY(${sql.param(outletIds)}::uuid[])
    `)
    if (found.rows[0]?.n !== outletIds.length) throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'outlets' })
  }
  const out: ListRule = {}
  if (kinds.length) out.kinds = kinds
  if (beats.length) out.beats = beats
  if (communes.length) out.communes = communes
  if (outletIds.length) out.outletIds = outletIds
  return out
}

/** Refuses a name another live list of the tenant has (names are unique, case-insensitively). */
export async function assertNameFree(tx: Tx, tenantId: string, name: string, exceptId?: string): Promise<void> {
  const hit = await tx.execute<{ id: string }>(sql`
    SELECT id FROM distribution_lists
    WHERE tenant_id = ${tenantId} AND archived_at IS NULL AND lower(name) = lower(${name})
      AND (${exceptId ?? null}::uuid IS NULL OR id <> ${exceptId ?? null}::uuid)
    LIMIT 1
  `)
  if (hit.rows.length > 0) throw new AppError('DISTRIBUTION_LIST_DUPLICATE', { name })
}
