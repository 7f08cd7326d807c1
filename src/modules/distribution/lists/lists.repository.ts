/**
 * Reading lists: one list (locked for a command), all of a tenant's lists, and the registry
 * search that adds partners to a static list.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { distributionLists } from '../distribution.tables.ts'
import { ensureBuiltinLists } from './recipients.ts'
import { isUuid } from './list-input.ts'

/** A list row. */
export type ListRow = typeof distributionLists.$inferSelect

/** The list `id` of the tenant, locked for the rest of `tx`; DISTRIBUTION_NOT_FOUND otherwise. */
export async function lockList(tx: Tx, tenantId: string, id: string): Promise<ListRow> {
  if (!isUuid(id)) throw new AppError('DISTRIBUTION_NOT_FOUND')
  const [row] = await tx
    .select()
    .from(distributionLists)
    .where(and(eq(distributionLists.tenantId, tenantId), eq(distributionLists.id, id)))
    .for('update')
  if (!row) throw new AppError('DISTRIBUTION_NOT_FOUND')
  return row
}

/** The list `id` of the tenant, or null. */
export async function getList(db: Db | Tx, tenantId: string, id: string): Promise<ListRow | null> {
  if (!isUuid(id)) return null
  const [row] = await db
    .select()
    .from(distributionLists)
    .where(and(eq(distributionLists.tenantId, tenantId), eq(distributionLists.id, id)))
  return row ?? null
}

/** Every list of the tenant (the builtin ones made first if missing): builtin first, then by name; archived last. */
export async function allLists(db: Db | Tx, tenantId: string, o: { archived?: boolean } = {}): Promise<ListRow[]> {
  await ensureBuiltinLists(db, tenantId)
  return db
    .select()
    .from(distributionLists)
    .where(and(eq(distributionLists.tenantId, tenantId), o.archived ? undefined : sql`${distributionLists.archivedAt} IS NULL`))
    .orderBy(
      sql`${distributionLists.archivedAt} IS NOT NULL`,
      sql`${distributionLists.builtinKey} IS NULL`,
      sql`fold_vi(${distributionLists.name})`,
      distributionLists.id,
    )
}

/** Members stored in a static list, with their registry status. */
export async function staticMembers(db: Db | Tx, tenantId: string, listId: string) {
  const res = await db.execute<{ partner_id: string; name: string; kind: string; status: string; email: string | null }>(sql`
    SELECT p.id AS partner_id, p.name, p.kind, p.status, p.email
    FROM distribution_list_members m JOIN partners p ON p.id = m.partner_id AND p.tenant_id = ${tenantId}
    WHERE m.list_id = ${listId} AND m.tenant_id = ${tenantId}
    ORDER BY fold_vi(p.name), p.id
  `)
  return res.rows
}

/** Live partners matching a search by name or e-mail (folded), for adding to a static list. */
export async function searchPartners(db: Db | Tx, tenantId: string, q: string, limit = 20) {
  const term = q.trim()
  if (term.length < 2) return []
  const like = `%${term.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const res = await db.execute<{ id: string; name: string; kind: string; status: string; email: string | null }>(sql`
    SELECT id, name, kind, status, email FROM partners
    WHERE tenant_id = ${tenantId} AND merged_into IS NULL AND erased_at IS NULL
      AND (fold_vi(name) LIKE fold_vi(${like}) OR lower(email) LIKE ${like})
    ORDER BY fold_vi(name), id
    LIMIT ${limit}
  `)
  return res.rows
}
