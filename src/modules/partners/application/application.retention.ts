/**
 * Retention under Law 91/2025/QH15, as the application's consent text promises
 * (application.consent.ts): a daily job that
 * - deletes applications whose e-mail was never verified within 7 days;
 * - erases what an applicant gave once they withdraw their consent (the 2026-01 text keeps
 *   data "until I withdraw": no grace), the partner record they became included;
 * - erases a partner's personal data the stated time (2 years) after they stopped being one
 *   (revoked or expired since then), whatever way the record came in.
 * Each application or partner is its own transaction with one audit row (counts, no values).
 * Proof files are removed from disk after the commit, and only when no row anywhere still
 * names their content (the upload store is content-addressed and shared).
 */
import { unlink } from 'node:fs/promises'
import { and, eq, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm'
import { type Database, type Db, withTransaction } from '../../../db/index.ts'
import type { AuditActor } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { defineJob } from '../../../platform/jobs/index.ts'
import { lockLivePartner } from '../commands/change-partner-status.ts'
import { partners } from '../partners.tables.ts'
import { CONSENT_RETENTION, consentRetention, UNVERIFIED_APPLICATION_DAYS } from './application.consent.ts'
import { partnerApplications } from './application.tables.ts'
import { eraseApplication, type ReleasedFile } from './commands/erase-application.ts'
import { erasePartnerData } from './commands/erase-partner-data.ts'

const SYSTEM: AuditActor = { id: null, label: 'system:partners-retention' }
const DAY_MS = 86_400_000

/** What one run did. */
export interface RetentionRun {
  /** Applications deleted: never verified within the stated days. */
  unverified: number
  /** Applications without a partner erased after their consent was withdrawn. */
  withdrawnApplications: number
  /** Partners erased after their consent was withdrawn. */
  withdrawnPartners: number
  /** Partners erased the stated time after the partnership ended. */
  ended: number
  /** Proof files removed from disk. */
  filesRemoved: number
}

/** `at` minus whole calendar years (29 February → 28 February). */
function yearsBefore(at: Date, years: number): Date {
  const d = new Date(at)
  d.setUTCFullYear(d.getUTCFullYear() - years)
  if (d.getUTCDate() !== at.getUTCDate()) d.setUTCDate(0)
  return d
}

/** One run at the app clock's `now()`. */
export async function runPartnerRetention(database: Database): Promise<RetentionRun> {
  const db = database.db
  const at = now()
  const run: RetentionRun = { unverified: 0, withdrawnApplications: 0, withdrawnPartners: 0, ended: 0, filesRemoved: 0 }
  const released: ReleasedFile[] = []

  // (a) Never verified within the stated days.
  const stale = await db
    .select({ id: partnerApplications.id, tenantId: partnerApplications.tenantId })
    .from(partnerApplications)
    .where(
      and(
        eq(partnerApplications.state, 'pending'),
        lte(partnerApplications.createdAt, new Date(at.getTime() - UNVERIFIED_APPLICATION_DAYS * DAY_MS)),
      ),
    )
  for (const a of stale) {
    const done = await withTransaction(database.pool, async (tx) => {
      // Re-read under the lock: the applicant may have verified a moment ago.
      const [row] = await tx
        .select({ state: partnerApplications.state, createdAt: partnerApplications.createdAt })
        .from(partnerApplications)
        .where(eq(partnerApplications.id, a.id))
        .for('update')
      if (row?.state !== 'pending') return null
      return eraseApplication({ tx, tenantId: a.tenantId, applicationId: a.id, cause: 'unverified', actor: SYSTEM })
    })
    if (done?.applications) {
      run.unverified++
      released.push(...done.files)
    }
  }

  // (b) Consent withdrawn: the application (and the partner it became) once the stated grace passed.
  const withdrawn = await db
    .select({
      id: partnerApplications.id,
      tenantId: partnerApplications.tenantId,
      partnerId: partnerApplications.partnerId,
      version: partnerApplications.consentVersion,
      withdrawnAt: partnerApplications.consentWithdrawnAt,
    })
    .from(partnerApplications)
    .where(isNotNull(partnerApplications.consentWithdrawnAt))
  for (const a of withdrawn) {
    const graceEnds = new Date((a.withdrawnAt as Date).getTime() + consentRetention(a.version).daysAfterWithdrawal * DAY_MS)
    if (graceEnds > at) continue
    const partnerId = a.partnerId
    const partnerDone = partnerId
      ? await withTransaction(database.pool, async (tx) => {
          const partner = await lockLivePartner(tx, a.tenantId, partnerId)
          // A record merged into another meanwhile: the survivor may rest on other consent and is
          // not erased here; the application itself is (below). An erased one has nothing left.
          if (!partner || partner.erasedAt) return null
          return erasePartnerData({ tx, partner, cause: 'consent_withdrawn', actor: SYSTEM })
        })
      : null
    if (partnerDone) {
      run.withdrawnPartners++
      released.push(...partnerDone.files)
    } else {
      const done = await withTransaction(database.pool, async (tx) => {
        const [row] = await tx
          .select({ id: partnerApplications.id })
          .from(partnerApplications)
          .where(eq(partnerApplications.id, a.id))
          .for('update')
        if (!row) return null
        return eraseApplication({ tx, tenantId: a.tenantId, applicationId: a.id, cause: 'consent_withdrawn', actor: SYSTEM })
      })
      if (done?.applications) {
        run.withdrawnApplications++
        released.push(...done.files)
      }
    }
  }

  // (c) The stated time after the partnership ended. The shortest promise bounds the query; each
  // record is then held to its own consent's (the version of the application it came from).
  const shortest = Math.min(...Object.values(CONSENT_RETENTION).map((r) => r.yearsAfterEnd))
  const ended = await db
    .select({ id: partners.id, tenantId: partners.tenantId, changedAt: partners.statusChangedAt })
    .from(partners)
    .where(
      and(
        isNull(partners.erasedAt),
        isNull(partners.mergedInto),
        inArray(partners.status, ['revoked', 'expired']),
        lte(partners.statusChangedAt, yearsBefore(at, shortest)),
      ),
    )
  for (const p of ended) {
    const version = await consentVersionOf(db, p.id)
    if (p.changedAt > yearsBefore(at, consentRetention(version).yearsAfterEnd)) continue
    const done = await withTransaction(database.pool, async (tx) => {
      const partner = await lockLivePartner(tx, p.tenantId, p.id)
      // Re-read under the lock: staff may have reinstated the partner meanwhile.
      if (!partner || partner.erasedAt || (partner.status !== 'revoked' && partner.status !== 'expired')) return null
      if (partner.statusChangedAt > yearsBefore(at, consentRetention(version).yearsAfterEnd)) return null
      return erasePartnerData({ tx, partner, cause: 'retention_ended', actor: SYSTEM })
    })
    if (done) {
      run.ended++
      released.push(...done.files)
    }
  }

  run.filesRemoved = await removeUnreferencedFiles(db, released)
  return run
}

/** The consent version of the newest application that became `partnerId` (null: none, e.g. imported). */
async function consentVersionOf(db: Db, partnerId: string): Promise<string | null> {
  const [row] = await db
    .select({ v: partnerApplications.consentVersion })
    .from(partnerApplications)
    .where(eq(partnerApplications.partnerId, partnerId))
    .orderBy(sql`${partnerApplications.createdAt} DESC`)
    .limit(1)
  return row?.v ?? null
}

/**
 * Removes each file from disk unless some row still names its content: any text column called
 * `sha256` or `…_sha256` in the schema (release attachments, evidence, logos, imports, other
 * applications' proofs, and whatever a later module adds under that name). Found in the
 * catalogue rather than listed here, so a new owner of uploads keeps its files without telling
 * us. A file already gone counts as removed. Returns how many were removed.
 */
export async function removeUnreferencedFiles(db: Db, files: ReleasedFile[]): Promise<number> {
  if (files.length === 0) return 0
  const columns = await db.execute<{ table_name: string; column_name: string }>(sql`
    SELECT c.table_name, c.column_name FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = current_schema() AND c.data_type = 'text'
      AND (c.column_name = 'sha256' OR c.column_name LIKE '%\\_sha256')`)
  const seen = new Set<string>()
  let removed = 0
  for (const f of files) {
    if (seen.has(f.path)) continue
    seen.add(f.path)
    let referenced = false
    for (const c of columns.rows) {
      const hit = await db.execute(
        sql`SELECT 1 FROM ${sql.identifier(c.table_name)} WHERE ${sql.identifier(c.column_name)} = ${f.sha256} LIMIT 1`,
      )
      if (hit.rows.length > 0) {
        referenced = true
        break
      }
    }
    if (referenced) continue
    try {
      await unlink(f.path)
      removed++
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
      removed++
    }
  }
  return removed
}

/** Every day at 03:00 local time (20:00 UTC), before the office opens. */
export const partnerRetentionJob = defineJob<Record<string, never>>(
  'partners.retention',
  async (_data, _job, ctx) => {
    await runPartnerRetention(ctx.database)
  },
  { cron: '0 20 * * *' },
)
