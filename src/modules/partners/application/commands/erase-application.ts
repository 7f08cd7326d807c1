/**
 * Deletes applications with everything they hold (status links, answers, proof files' rows):
 * the retention rules of Law 91/2025/QH15 (application.retention.ts). The proof files on disk
 * are content-addressed and may be shared, so they are returned for removal after the commit
 * (`removeUnreferencedFiles`), never deleted here.
 */
import { inArray } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { partnerApplicationAnswers, partnerApplicationFiles, partnerApplicationLinks, partnerApplications } from '../application.tables.ts'

/** A stored proof file whose row was deleted: removed from disk once nothing else names its content. */
export interface ReleasedFile {
  sha256: string
  path: string
}

/** What deleting applications removed. */
export interface DeletedApplications {
  applications: number
  files: ReleasedFile[]
  answers: number
  links: number
}

/** Why an application is erased (kept in the audit row). */
export type ApplicationErasureCause = 'unverified' | 'consent_withdrawn'

/**
 * Deletes the rows of the applications `ids` (links, answers, files, then the applications)
 * WITHOUT an audit row: the caller audits (one row per erasure). Returns the counts and the
 * files to remove after the commit.
 */
export async function unsafeDeleteApplications(tx: Tx, ids: string[]): Promise<DeletedApplications> {
  if (ids.length === 0) return { applications: 0, files: [], answers: 0, links: 0 }
  const links = await tx
    .delete(partnerApplicationLinks)
    .where(inArray(partnerApplicationLinks.applicationId, ids))
    .returning({ h: partnerApplicationLinks.tokenHash })
  const answers = await tx
    .delete(partnerApplicationAnswers)
    .where(inArray(partnerApplicationAnswers.applicationId, ids))
    .returning({ id: partnerApplicationAnswers.id })
  const files = await tx
    .delete(partnerApplicationFiles)
    .where(inArray(partnerApplicationFiles.applicationId, ids))
    .returning({ sha256: partnerApplicationFiles.sha256, path: partnerApplicationFiles.storagePath })
  const apps = await tx.delete(partnerApplications).where(inArray(partnerApplications.id, ids)).returning({ id: partnerApplications.id })
  return { applications: apps.length, files, answers: answers.length, links: links.length }
}

/**
 * Erases one application that became no partner (never verified within the stated days, or
 * its consent withdrawn): its rows go, and one `partner.application_erased` audit row keeps the
 * cause and the counts (no personal values). The caller holds the row (FOR UPDATE) and removes
 * the returned files after the commit.
 */
export async function eraseApplication(o: {
  tx: Tx
  tenantId: string
  applicationId: string
  cause: ApplicationErasureCause
  actor: AuditActor
}): Promise<DeletedApplications> {
  const deleted = await unsafeDeleteApplications(o.tx, [o.applicationId])
  if (deleted.applications === 0) return deleted
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'partner.application_erased',
    subjectType: 'partner_application',
    subjectId: o.applicationId,
    summary: { cause: o.cause, files: deleted.files.length, answers: deleted.answers, links: deleted.links },
  })
  return deleted
}
