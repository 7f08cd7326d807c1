import type { Db, Tx } from '../../../../db/index.ts'
import { now } from '../../../../platform/clock.ts'
import { partnerDownloads } from '../content.tables.ts'

/** Options of {@link logDownload}. */
export interface LogDownloadOptions {
  db: Db | Tx
  tenantId: string
  /** The partner record behind the account (loaded in this request). */
  partnerId: string
  /** The signed-in account (or the account of the token) that downloaded. */
  userId: string
  attachmentId: string
  releaseId: string
  /** Whether the release was still under embargo when the file was served. */
  embargoed: boolean
  ip?: string
  userAgent?: string
}

/**
 * Writes one row of the download log (who, what, when, from where) before the file is sent: a
 * download that could not be logged is not served. Not an audit event: a download decides
 * nothing, and one audit row per file fetch would swamp the chain; staff read the log on
 * /console/doi-tac/tai-xuong.
 */
export async function logDownload(o: LogDownloadOptions): Promise<void> {
  await o.db.insert(partnerDownloads).values({
    tenantId: o.tenantId,
    partnerId: o.partnerId,
    userId: o.userId,
    attachmentId: o.attachmentId,
    releaseId: o.releaseId,
    embargoed: o.embargoed,
    at: now(),
    ip: o.ip ?? null,
    // Bounded: the header is the client's to write.
    userAgent: o.userAgent ? o.userAgent.slice(0, 400) : null,
  })
}
