/**
 * Reads of the console's cross-module pages (audit log, dashboard). Each applies the
 * need-to-know rule of the cases policy (`caseHiddenFromSql`), so that a sealed case the
 * reader is not a member of shows nowhere: not on its own page, not in a release list, not
 * in the audit log's details, not in a counter.
 */
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { now } from '../../platform/clock.ts'
import type { Actor } from '../../platform/policy/index.ts'
import { users } from '../accounts/accounts.tables.ts'
import { caseHiddenFromSql } from '../cases/cases.policy.ts'
import { releaseVisibleTo } from '../releases/releases.repository.ts'
import { releases } from '../releases/releases.tables.ts'

/** A text value as a uuid when it is one, else NULL (a cast of anything else would fail). */
function asUuid(text: SQL): SQL {
  return sql`(CASE WHEN ${text} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${text})::uuid END)`
}

/**
 * SQL over `audit_events`: true when the row's subject is, or is linked to, a case sealed
 * to `actor`. Linked means: the subject is the case; the subject is a release of the case;
 * or the summary names the case (`caseId`: release creation, spokesperson delegations).
 */
export function auditMaskedFor(actor: Actor): SQL {
  const subjectId = asUuid(sql`${auditEvents.subjectId}`)
  const subjectCase = sql`(CASE ${auditEvents.subjectType}
    WHEN 'case' THEN ${subjectId}
    WHEN 'release' THEN (SELECT masked_release.case_id FROM ${releases} masked_release WHERE masked_release.id = ${subjectId})
  END)`
  const summaryCase = asUuid(sql`(${auditEvents.summary} ->> 'caseId')`)
  return sql`(${caseHiddenFromSql(actor, subjectCase)} OR ${caseHiddenFromSql(actor, summaryCase)})`
}

/** SQL over `audit_events`: the acting user's role (a masked row shows it instead of a name). */
export const auditActorRole: SQL = sql`(SELECT actor_user.role FROM ${users} actor_user WHERE actor_user.id = ${auditEvents.actorId})`

/**
 * Scheduled or embargoed releases past their time and not published, among those `actor`
 * may see (the dashboard's warning: a sealed release outside the reader's circle is not
 * even counted).
 */
export async function countOverdueReleasesFor(db: Db, actor: Actor, at: Date = now()): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(releases)
    .where(
      and(
        eq(releases.tenantId, actor.tenantId),
        inArray(releases.status, ['scheduled', 'embargoed']),
        sql`${releases.publishAt} <= ${at.toISOString()}::timestamptz`,
        releaseVisibleTo(actor),
      ),
    )
  return row?.n ?? 0
}
