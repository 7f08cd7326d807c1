/**
 * Keeps derived claim figures current without making the intake touch a claim row: every few
 * seconds (and on demand) it recounts requests and partner reports, gathers appearances,
 * recomputes priority, level and SLA for claims with recent submissions; re-homes submissions
 * that landed on a claim merged meanwhile; and tells submitters who joined a claim after its
 * verdict was published (auto-merge or staff merge) — everyone who asked is told.
 */
import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import { type Database, withTransaction } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import { t } from '../../platform/i18n/index.ts'
import { queueMail } from '../../platform/mail/index.ts'
import { tenants } from '../../platform/tenancy/tenants.tables.ts'
import { claimSubmissions, claims, verdicts } from './factcheck.tables.ts'
import { LABELS } from './labels.ts'
import { priorityOf, slaDue, slaHours, triageOf } from './triage.ts'

/** How far back submissions are considered "recent" for a recount. */
const WINDOW_MS = 10 * 60_000

/** Recounts claims touched by recent submissions; returns how many claims changed. */
export async function refreshClaimCounts(database: Database, opts: { publicUrl: string; all?: boolean }): Promise<number> {
  const since = new Date(now().getTime() - WINDOW_MS)
  return withTransaction(database.pool, async (tx) => {
    // Submissions that joined a claim merged meanwhile follow it to its root.
    await tx.execute(sql`
      UPDATE claim_submissions s SET claim_id = c.merged_into
      FROM claims c WHERE s.claim_id = c.id AND c.merged_into IS NOT NULL
        AND ${opts.all ? sql`true` : sql`s.created_at > ${since.toISOString()}`}`)
    const touched = await tx.execute(sql`
      SELECT s.claim_id AS id,
             count(*) FILTER (WHERE s.channel <> 'partner')::int AS requests,
             count(*) FILTER (WHERE s.channel = 'partner')::int AS partner_reports,
             coalesce(array(SELECT DISTINCT l FROM claim_submissions s2, unnest(s2.links) l WHERE s2.claim_id = s.claim_id), '{}') AS appearances
      FROM claim_submissions s
      WHERE s.claim_id IN (SELECT DISTINCT claim_id FROM claim_submissions WHERE ${opts.all ? sql`true` : sql`created_at > ${since.toISOString()}`})
      GROUP BY s.claim_id`)
    const rows = touched.rows as { id: string; requests: number; partner_reports: number; appearances: string[] }[]
    if (rows.length === 0) return 0
    const current = await tx
      .select()
      .from(claims)
      .where(
        inArray(
          claims.id,
          rows.map((r) => r.id),
        ),
      )
    const hours = slaHours()
    let changed = 0
    for (const c of current) {
      const r = rows.find((x) => x.id === c.id)
      if (!r || c.status === 'merged') continue
      const appearances = [...new Set([...c.appearances, ...r.appearances])]
      if (r.requests === c.requests && r.partner_reports === c.partnerReports && appearances.length === c.appearances.length) continue
      // A level set by hand stands; the spread only moves the priority within it.
      const { priority, level } = triageOf(priorityOf(c.harm, r.requests, r.partner_reports), c.severitySetAt ? c.level : null)
      await tx
        .update(claims)
        .set({
          requests: r.requests,
          partnerReports: r.partner_reports,
          appearances,
          priority,
          level,
          slaDueAt: slaDue(c.firstSeenAt, level, hours),
          updatedAt: now(),
        })
        .where(eq(claims.id, c.id))
      changed++
    }
    await notifyLateJoiners(tx, opts.publicUrl)
    return changed
  })
}

/** Mails submitters (with a contact) of published claims who have not had the current verdict. */
async function notifyLateJoiners(tx: Parameters<Parameters<typeof withTransaction>[1]>[0], publicUrl: string): Promise<void> {
  const pending = await tx
    .select({
      id: claimSubmissions.id,
      email: claimSubmissions.contactEmail,
      ticket: claimSubmissions.ticket,
      tenantId: claimSubmissions.tenantId,
      notified: claimSubmissions.notifiedVerdictId,
      slug: claims.slug,
      verdictId: claims.publishedVerdictId,
      label: verdicts.label,
      headline: verdicts.headline,
      unit: tenants.name,
    })
    .from(claimSubmissions)
    .innerJoin(claims, eq(claims.id, claimSubmissions.claimId))
    .innerJoin(verdicts, eq(verdicts.id, claims.publishedVerdictId))
    .innerJoin(tenants, eq(tenants.id, claimSubmissions.tenantId))
    .where(
      and(
        eq(claims.status, 'published'),
        isNotNull(claimSubmissions.contactEmail),
        sql`${claimSubmissions.notifiedVerdictId} IS DISTINCT FROM ${claims.publishedVerdictId}`,
      ),
    )
    .limit(500)
  for (const p of pending) {
    const label = LABELS[p.label]
    const params = {
      unit: p.unit,
      ticket: p.ticket,
      label: label.vi,
      headline: p.headline,
      link: `${publicUrl}/kiem-chung/${p.slug}`,
      note: '',
    }
    const key = p.notified ? 'mail.verdict.corrected' : 'mail.verdict.published'
    await queueMail(tx, {
      tenantId: p.tenantId,
      to: p.email as string,
      subject: `${t('vi', `${key}.subject`, params)} / ${t('en', `${key}.subject`, { ...params, label: label.en })}`,
      text: `${t('vi', `${key}.body`, params)}\n\n---\n\n${t('en', `${key}.body`, { ...params, label: label.en })}`,
    })
    await tx.update(claimSubmissions).set({ notifiedVerdictId: p.verdictId }).where(eq(claimSubmissions.id, p.id))
  }
}

/** Runs the refresh every `everyMs` in this process (where jobs run). */
export function startClaimRefresh(
  database: Database,
  opts: { publicUrl: string; everyMs?: number; log?: (m: string) => void },
): { stop(): void } {
  let running = false
  const timer = setInterval(() => {
    if (running) return
    running = true
    refreshClaimCounts(database, opts)
      .catch((e: Error) => opts.log?.(`claim refresh: ${e.message}`))
      .finally(() => {
        running = false
      })
  }, opts.everyMs ?? 2000)
  timer.unref()
  return { stop: () => clearInterval(timer) }
}
