/**
 * Reading warnings for staff (the console and the commands): one warning by id, locked or
 * not, its published versions, and the console's list. Everything is scoped by tenant; an id
 * of another tenant, or no id at all, answers WARNING_NOT_FOUND alike. The public rule is in
 * `warnings.public.ts`, never here.
 */
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { AppError } from '../../platform/errors.ts'
import { fold } from '../../text/normalize.ts'
import { warnings, warningVersions } from './warnings.tables.ts'
import type { WarningKind, WarningLifeState, WarningPublicState } from './warnings.types.ts'

/** A warning row (working copy and life state). */
export type WarningRow = typeof warnings.$inferSelect
/** A published version row. */
export type WarningVersionRow = typeof warningVersions.$inferSelect

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a well-formed uuid (anything else is never looked up). */
export function isWarningId(id: unknown): id is string {
  return typeof id === 'string' && UUID_RE.test(id)
}

/** One warning of the tenant; WARNING_NOT_FOUND when unknown, of another tenant or malformed. */
export async function loadWarning(db: Db | Tx, tenantId: string, id: string): Promise<WarningRow> {
  if (!isWarningId(id)) throw new AppError('WARNING_NOT_FOUND')
  const [row] = await db
    .select()
    .from(warnings)
    .where(and(eq(warnings.tenantId, tenantId), eq(warnings.id, id)))
  if (!row) throw new AppError('WARNING_NOT_FOUND')
  return row
}

/** One warning of the tenant locked FOR UPDATE in `tx` (every command starts here). */
export async function lockWarning(tx: Tx, tenantId: string, id: string): Promise<WarningRow> {
  if (!isWarningId(id)) throw new AppError('WARNING_NOT_FOUND')
  const [row] = await tx
    .select()
    .from(warnings)
    .where(and(eq(warnings.tenantId, tenantId), eq(warnings.id, id)))
    .for('update')
  if (!row) throw new AppError('WARNING_NOT_FOUND')
  return row
}

/** Every published version of a warning, oldest first (staff see them all, closed ones too). */
export async function warningVersionsOf(db: Db | Tx, tenantId: string, id: string): Promise<WarningVersionRow[]> {
  if (!isWarningId(id)) return []
  return db
    .select()
    .from(warningVersions)
    .where(and(eq(warningVersions.tenantId, tenantId), eq(warningVersions.warningId, id)))
    .orderBy(asc(warningVersions.version))
}

/** How the demo manifest and the console name where a warning stands publicly. */
export function publicStateOf(w: Pick<WarningRow, 'state' | 'version'>): WarningPublicState {
  if (w.state === 'active') return w.version >= 2 ? 'updated' : 'active'
  return w.state
}

function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** Filters of the console's list. */
export interface WarningListFilter {
  /** Life state (draft, active, cancelled, closed). */
  state?: WarningLifeState
  kind?: WarningKind
  /** Code or title, with or without diacritics ("gia danh" finds "Giả danh"). */
  q?: string
  /** At most this many (default 200, at most 1000). */
  limit?: number
}

/** Warnings of the tenant for the console, the latest change first. */
export async function listWarnings(db: Db | Tx, tenantId: string, f: WarningListFilter = {}): Promise<WarningRow[]> {
  const where: SQL[] = [eq(warnings.tenantId, tenantId)]
  if (f.state) where.push(eq(warnings.state, f.state))
  if (f.kind) where.push(eq(warnings.kind, f.kind))
  const q = fold((f.q ?? '').normalize('NFC').trim()).replace(/\s+/g, ' ')
  if (q) {
    const pattern = `%${likeEscape(q)}%`
    where.push(sql`(fold_vi(${warnings.titleVi}) LIKE ${pattern} OR lower(${warnings.code}) LIKE ${pattern})`)
  }
  const limit = Math.min(Math.max(1, Math.trunc(f.limit ?? 200)), 1000)
  return db
    .select()
    .from(warnings)
    .where(and(...where))
    .orderBy(desc(warnings.updatedAt), desc(warnings.id))
    .limit(limit)
}
