/**
 * Tenancy. One installation serves many provincial units; the first start creates the
 * default tenant (Công an tỉnh Thanh Hóa). Requests resolve to the default tenant until
 * host-based routing is added for a national deployment.
 */
import { eq } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { tenants } from './tenants.tables.ts'

/** A tenant as the rest of the code sees it. */
export type Tenant = typeof tenants.$inferSelect

/** The default tenant's reference data. */
export const DEFAULT_TENANT = {
  slug: 'thanh-hoa',
  name: 'Công an tỉnh Thanh Hóa',
  shortName: 'CA Thanh Hóa',
  hotline: '069 2609 113',
  email: 'phongthammuu@thanhhoa.congan.gov.vn',
  address: '17 Hạc Thành, phường Hạc Thành, tỉnh Thanh Hóa',
} as const

/** Returns the default tenant, creating it on the first start. */
export async function ensureDefaultTenant(db: Db): Promise<Tenant> {
  const [existing] = await db.select().from(tenants).where(eq(tenants.isDefault, true))
  if (existing) return existing
  await db
    .insert(tenants)
    .values({ ...DEFAULT_TENANT, isDefault: true })
    .onConflictDoNothing()
  const [created] = await db.select().from(tenants).where(eq(tenants.isDefault, true))
  if (!created) throw new Error('default tenant could not be created')
  return created
}
