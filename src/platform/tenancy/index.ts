/**
 * Tenancy. One installation serves many provincial units; the first start creates the
 * default tenant with neutral placeholders, and the setup wizard (then /console/settings)
 * records the office's real identity: nothing of one province is written into the code.
 * Requests resolve to the default tenant until host-based routing is added for a national
 * deployment.
 */
import { eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import type { EventListener } from '../events.ts'
import { tenants } from './tenants.tables.ts'

/** A tenant as the rest of the code sees it. */
export type Tenant = typeof tenants.$inferSelect

/**
 * What a fresh install starts with: the product's name and empty contacts, which the pages
 * leave out, until the wizard asks for the office's identity. (The demo data sets a
 * province's identity in `modules/demo`.)
 */
export const PLACEHOLDER_TENANT = {
  slug: 'default',
  name: 'Đồng Hành',
  shortName: 'Đồng Hành',
  hotline: '',
  email: '',
  address: '',
} as const

/** The fields of the office's identity that a person edits. */
export interface TenantIdentity {
  name: string
  shortName: string
  province: string
  hotline: string
  email: string
  address: string
  website: string
}

/** Channel of "a tenant's identity changed" (payload: the tenant row as JSON). */
export const TENANT_CHANGE_CHANNEL = 'donghanh_tenant'

/** Returns the default tenant, creating it on the first start. */
export async function ensureDefaultTenant(db: Db): Promise<Tenant> {
  const [existing] = await db.select().from(tenants).where(eq(tenants.isDefault, true))
  if (existing) return existing
  await db
    .insert(tenants)
    .values({ ...PLACEHOLDER_TENANT, isDefault: true })
    .onConflictDoNothing()
  const [created] = await db.select().from(tenants).where(eq(tenants.isDefault, true))
  if (!created) throw new Error('default tenant could not be created')
  return created
}

/** The tenant's row as stored now. */
export async function loadTenant(db: Db | Tx, id: string): Promise<Tenant | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id))
  return row
}

/**
 * Tells every process (on commit) that the tenant's identity changed. The row travels in the
 * payload so listeners apply it at once, before the public page cache (told next, on
 * `donghanh_public`, in the same order) drops pages that would be rebuilt with the old name.
 */
export async function notifyTenantChange(tx: Tx, tenant: Tenant): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${TENANT_CHANGE_CHANNEL}, ${JSON.stringify(tenant)})`)
}

/** Copies a stored row onto the process's live tenant object (which pages and mails read). */
export function applyTenant(live: Tenant, row: Tenant): void {
  if (row.id !== live.id) return
  Object.assign(live, row, {
    createdAt: new Date(row.createdAt),
    identitySetAt: row.identitySetAt ? new Date(row.identitySetAt) : null,
  })
}

/**
 * Keeps this process's live tenant object current: applies each change notice, and re-reads
 * the row after a reconnect (notices sent meanwhile were lost).
 */
export async function watchTenant(events: EventListener, db: Db, live: Tenant): Promise<void> {
  await events.on(TENANT_CHANGE_CHANNEL, (payload) => {
    if (payload) {
      applyTenant(live, JSON.parse(payload) as Tenant)
      return
    }
    void loadTenant(db, live.id).then(
      (row) => row && applyTenant(live, row),
      () => undefined,
    )
  })
}
