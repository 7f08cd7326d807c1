/**
 * The CAP 1.2 message of a stored warning version (and of an unpublished working copy, for the
 * console's preview). The one place a `CapWarning` is made from the database, so the public
 * endpoint, the feed, the console preview and the tests all serve the same XML.
 */
import { and, asc, eq, lt } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { tenants } from '../../../platform/tenancy/tenants.tables.ts'
import { warningPath } from '../warnings.paths.ts'
import { warnings, warningVersions } from '../warnings.tables.ts'
import type { WarningSnapshot } from '../warnings.types.ts'
import { type CapOptions, type CapReference, type CapWarning, capMessage } from './cap.ts'

/** CAP `sender` of a tenant: its e-mail when CAP can carry it, else `canhbao@<public host>`. */
export function capSender(tenantEmail: string, publicUrl: string): string {
  const email = tenantEmail.trim().toLowerCase()
  return /^[^\s,<&@]+@[^\s,<&@]+$/.test(email) ? email : `canhbao@${new URL(publicUrl).hostname}`
}

/** The CAP options of a tenant for one warning page. */
export async function capOptionsFor(db: Db | Tx, tenantId: string, publicUrl: string, slug: string): Promise<CapOptions> {
  const [t] = await db
    .select({ name: tenants.name, email: tenants.email, hotline: tenants.hotline })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
  return {
    sender: capSender(t?.email ?? '', publicUrl),
    senderName: t?.name ?? '',
    publicUrl: `${publicUrl}${warningPath(slug)}`,
    contact: t?.hotline || null,
    now: now(),
  }
}

/** A `CapWarning` from a snapshot (stored version or working copy). */
export function capWarningOf(
  w: { id: string; version: number; state: CapWarning['state']; issuedAt: Date | null; closedAt?: Date | null },
  s: WarningSnapshot,
  references: readonly CapReference[],
): CapWarning {
  return {
    id: w.id,
    version: w.version,
    kind: s.kind,
    level: s.level,
    state: w.state,
    capStatus: s.capStatus,
    issuedAt: w.issuedAt,
    references,
    vi: { title: s.titleVi, description: s.descriptionVi, instruction: s.instructionVi || null },
    en: s.titleEn && s.descriptionEn ? { title: s.titleEn, description: s.descriptionEn, instruction: s.instructionEn || null } : null,
    validFrom: new Date(s.validFrom),
    validUntil: s.validUntil ? new Date(s.validUntil) : null,
    wholeProvince: s.wholeProvince,
    communeCodes: s.communes,
    closedAt: w.closedAt ?? null,
  }
}

/** References to every message of the warning before `version`, oldest first. */
export async function capReferencesBefore(db: Db | Tx, warningId: string, version: number): Promise<CapReference[]> {
  const rows = await db
    .select({ sender: warningVersions.sender, identifier: warningVersions.identifier, sent: warningVersions.sentAt })
    .from(warningVersions)
    .where(and(eq(warningVersions.warningId, warningId), lt(warningVersions.version, version)))
    .orderBy(asc(warningVersions.version))
  return rows
}

/**
 * The CAP XML of a published version, or null when the public may not have it: unknown, or an
 * earlier version of a closed warning (only its closing Cancel, which names no one, remains).
 */
export async function capXmlOfVersion(
  db: Db | Tx,
  tenantId: string,
  warningId: string,
  version: number,
  publicUrl: string,
): Promise<string | null> {
  const [row] = await db
    .select({
      slug: warnings.slug,
      wstate: warnings.state,
      latest: warnings.version,
      closedAt: warnings.closedAt,
      vstate: warningVersions.state,
      sentAt: warningVersions.sentAt,
      snapshot: warningVersions.snapshot,
    })
    .from(warningVersions)
    .innerJoin(warnings, eq(warnings.id, warningVersions.warningId))
    .where(and(eq(warningVersions.tenantId, tenantId), eq(warningVersions.warningId, warningId), eq(warningVersions.version, version)))
  if (!row) return null
  if (row.wstate === 'closed' && version !== row.latest) return null
  const refs = await capReferencesBefore(db, warningId, version)
  const opts = await capOptionsFor(db, tenantId, publicUrl, row.slug)
  return capMessage(
    capWarningOf({ id: warningId, version, state: row.vstate, issuedAt: row.sentAt, closedAt: row.closedAt }, row.snapshot, refs),
    opts,
  )
}
