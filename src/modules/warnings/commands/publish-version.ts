/**
 * Publishing one version of a warning: the one step every path to the public goes through
 * (approval, the urgent path, an update, a cancellation, a closing). In the deciding
 * transaction it writes the immutable `warning_versions` row (the snapshot the public sees and
 * the CAP identity of the message), moves the warning's row, emits `warning.published` (the
 * outbox of subscribers' and partners' deliveries) and tells every process that public content
 * changed (page cache, feeds). The caller has locked the warning row and recorded its audit.
 */
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { processConfig } from '../../../config.ts'
import { now } from '../../../platform/clock.ts'
import { notifyPublicChange } from '../../../platform/notify.ts'
import { tenants } from '../../../platform/tenancy/tenants.tables.ts'
import { capIdentifier } from '../cap/cap.ts'
import { capSender } from '../cap/cap-of.ts'
import { emitWarningEvent } from '../warnings.events.ts'
import { warningPath } from '../warnings.paths.ts'
import { warnings, warningVersions } from '../warnings.tables.ts'
import type { WarningSnapshot } from '../warnings.types.ts'

type WarningRow = typeof warnings.$inferSelect

/** The snapshot of a warning's working copy (what a publication makes public). */
export function snapshotOf(w: WarningRow): WarningSnapshot {
  return {
    kind: w.kind,
    level: w.level,
    capStatus: w.capStatus,
    titleVi: w.titleVi,
    descriptionVi: w.descriptionVi,
    instructionVi: w.instructionVi,
    titleEn: w.titleEn,
    descriptionEn: w.descriptionEn,
    instructionEn: w.instructionEn,
    wholeProvince: w.wholeProvince,
    communes: [...w.communes],
    validFrom: w.validFrom.toISOString(),
    validUntil: w.validUntil?.toISOString() ?? null,
    patterns: [...w.patterns],
    links: [...w.links],
    legalBasis: w.legalBasis,
  }
}

/**
 * Publishes the next version of `w` (locked by the caller):
 * - `state: 'active'`: the working copy becomes public (Alert the first time, Update after);
 * - `state: 'cancelled' | 'closed'`: a Cancel; the snapshot stays the last public one (the
 *   CAP writer makes a closed message neutral, and the public rule shows a closed warning as
 *   closed only).
 * Returns the new version number and the updated row.
 */
export async function publishVersion(
  tx: Tx,
  o: {
    warning: WarningRow
    state: 'active' | 'cancelled' | 'closed'
    publishedBy: string | null
    approvedBy: string | null
    urgent: boolean
    changeNote?: string | null
    /** Extra columns of the warning row to set with the publication (urgent, cancel, close). */
    set?: Partial<WarningRow>
    publicUrl?: string
  },
): Promise<{ version: number; warning: WarningRow }> {
  const w = o.warning
  const at = now()
  const version = w.version + 1
  const msgType = o.state === 'active' ? (version === 1 ? 'Alert' : 'Update') : 'Cancel'
  const publicUrl = o.publicUrl ?? processConfig().publicUrl
  let snapshot = snapshotOf(w)
  if (o.state !== 'active' && w.version >= 1) {
    // A Cancel repeats what was public (never an unpublished working copy).
    const [last] = await tx
      .select({ snapshot: warningVersions.snapshot })
      .from(warningVersions)
      .where(and(eq(warningVersions.warningId, w.id), eq(warningVersions.version, w.version)))
    if (last) snapshot = last.snapshot
  }
  const [tenant] = await tx.select({ email: tenants.email }).from(tenants).where(eq(tenants.id, w.tenantId))
  const pageUrl = `${publicUrl}${warningPath(w.slug)}`
  await tx.insert(warningVersions).values({
    tenantId: w.tenantId,
    warningId: w.id,
    version,
    msgType,
    state: o.state,
    sender: capSender(tenant?.email ?? '', publicUrl),
    identifier: capIdentifier(pageUrl, w.id, version),
    sentAt: at,
    snapshot,
    changeNote: o.changeNote ?? null,
    publishedBy: o.publishedBy,
    approvedBy: o.approvedBy,
    urgent: o.urgent,
  })
  const [updated] = await tx
    .update(warnings)
    .set({
      ...o.set,
      state: o.state,
      version,
      review: 'none',
      dirty: false,
      submittedBy: null,
      submittedAt: null,
      contributors: [],
      firstPublishedAt: w.firstPublishedAt ?? at,
      updatedAt: at,
    })
    .where(eq(warnings.id, w.id))
    .returning()
  await emitWarningEvent(tx, {
    tenantId: w.tenantId,
    actorId: o.publishedBy,
    type: 'warning.published',
    payload: {
      warningId: w.id,
      version,
      msgType,
      state: o.state,
      kind: snapshot.kind,
      level: snapshot.level,
      slug: w.slug,
      communes: snapshot.wholeProvince ? [] : [...snapshot.communes],
      wholeProvince: snapshot.wholeProvince,
      urgent: o.urgent,
    },
  })
  await notifyPublicChange(tx, w.tenantId)
  return { version, warning: updated as WarningRow }
}
