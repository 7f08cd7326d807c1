/**
 * The yearly partner score (đối tác tiêu biểu): computed by one SQL statement from the records,
 * each component with its count and points so a partner can check it line by line.
 *
 * Who is scored: partners of the tenant accredited now, or whose accreditation ended during the
 * year (a status change away from `accredited` in the year, or the term's end date in it); never
 * a merged or erased record. Records of a duplicate merged into a partner count for it.
 *
 * The year is the Asia/Ho_Chi_Minh calendar year: [1 Jan 00:00 +07:00, next 1 Jan).
 */
import { sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'

/**
 * Points per record. One place, shown in words on the console page and the portal:
 * - attendance: each event of the year the partner was checked in at (10), the yearly partner
 *   conference counting more (15) because it is the meeting the recognition belongs to;
 * - coverage accuracy (distribution coverage reports captured in the year): a faithful copy of
 *   the official text +4, an excerpt +2, an altered one −6 (an altered copy misinforms, so it
 *   costs more than a faithful one earns); `unrelated` pages count 0;
 * - useful rumour reports: +8 for each partner report that led to a published verdict — the
 *   verification desk keeps no link between a submission and a partner (it keeps no file on
 *   who posts claims), so this is 0 with "no data" until such a link exists;
 * - answered inquiries: +3 for each of the partner's press inquiries answered in the year;
 * - adjustments: staff's signed adjustments of the year, each with its written reason.
 */
export const SCORE_WEIGHTS = {
  attendance: 10,
  annualConference: 15,
  faithful: 4,
  excerpt: 2,
  altered: -6,
  usefulRumour: 8,
  answeredInquiry: 3,
} as const

/** Components of the score, in the order shown. */
export const SCORE_COMPONENTS = ['attendance', 'coverage', 'rumours', 'inquiries', 'adjustments'] as const
export type ScoreComponent = (typeof SCORE_COMPONENTS)[number]

/** One partner's score for a year. */
export interface PartnerScore {
  partnerId: string
  name: string
  kind: 'journalist' | 'influencer'
  outlet: string | null
  status: string
  attendance: { events: number; annualConferences: number; points: number }
  coverage: { faithful: number; excerpt: number; altered: number; points: number }
  /** `available: false`: no record links a partner to the reports they made (see SCORE_WEIGHTS). */
  rumours: { useful: number; points: number; available: boolean }
  inquiries: { answered: number; points: number }
  adjustments: { count: number; points: number }
  total: number
}

/** The instants bounding a local calendar year. */
export function yearBounds(year: number): { from: Date; to: Date } {
  return { from: new Date(`${year}-01-01T00:00:00+07:00`), to: new Date(`${year + 1}-01-01T00:00:00+07:00`) }
}

interface ScoreRow extends Record<string, unknown> {
  partner_id: string
  name: string
  kind: 'journalist' | 'influencer'
  outlet: string | null
  status: string
  att_events: number
  att_annual: number
  cov_faithful: number
  cov_excerpt: number
  cov_altered: number
  inq_answered: number
  adj_count: number
  adj_points: number
}

/**
 * The scores of a year, highest total first (then by name), for every eligible partner, or for
 * one (`partnerId`; empty when that partner is not eligible).
 */
export async function partnerScores(db: Db | Tx, tenantId: string, year: number, o: { partnerId?: string } = {}): Promise<PartnerScore[]> {
  const { from, to } = yearBounds(year)
  const firstDay = `${year}-01-01`
  const lastDay = `${year}-12-31`
  const one = o.partnerId ? sql`AND p.id = ${o.partnerId}::uuid` : sql``
  const res = await db.execute<ScoreRow>(sql`
    WITH eligible AS (
      SELECT p.id, p.name, p.kind, p.status, o.name AS outlet
      FROM partners p
      LEFT JOIN press_outlets o ON o.id = p.outlet_id AND o.tenant_id = p.tenant_id
      WHERE p.tenant_id = ${tenantId} AND p.merged_into IS NULL AND p.erased_at IS NULL ${one}
        AND (
          p.status = 'accredited'
          OR EXISTS (
            SELECT 1 FROM partner_status_history h
            WHERE h.tenant_id = p.tenant_id AND h.partner_id = p.id AND h.from_status = 'accredited'
              AND h.at >= ${from} AND h.at < ${to}
          )
          OR (p.status IN ('expired', 'suspended', 'revoked') AND p.accreditation_ends_on BETWEEN ${firstDay}::date AND ${lastDay}::date)
        )
    ),
    -- The partner and the duplicates merged into it.
    who AS (
      SELECT e.id AS partner_id, x.id AS source_id
      FROM eligible e JOIN partners x ON x.tenant_id = ${tenantId} AND (x.id = e.id OR x.merged_into = e.id)
    ),
    att AS (
      SELECT w.partner_id,
        count(DISTINCT ev.id) FILTER (WHERE ev.kind <> 'annual_partner_conference')::int AS events,
        count(DISTINCT ev.id) FILTER (WHERE ev.kind = 'annual_partner_conference')::int AS annual
      FROM who w
      JOIN event_invitations i ON i.tenant_id = ${tenantId} AND i.partner_id = w.source_id
      JOIN event_checkins c ON c.invitation_id = i.id AND c.event_id = i.event_id
      JOIN events ev ON ev.id = i.event_id
      WHERE ev.starts_at >= ${from} AND ev.starts_at < ${to} AND ev.state <> 'cancelled'
      GROUP BY w.partner_id
    ),
    cov AS (
      SELECT w.partner_id,
        count(*) FILTER (WHERE r.verdict = 'faithful')::int AS faithful,
        count(*) FILTER (WHERE r.verdict = 'excerpt')::int AS excerpt,
        count(*) FILTER (WHERE r.verdict = 'altered')::int AS altered
      FROM who w
      JOIN coverage_reports r ON r.tenant_id = ${tenantId} AND r.partner_id = w.source_id
      WHERE r.state = 'captured' AND coalesce(r.captured_at, r.created_at) >= ${from} AND coalesce(r.captured_at, r.created_at) < ${to}
      GROUP BY w.partner_id
    ),
    inq AS (
      SELECT w.partner_id, count(*)::int AS answered
      FROM who w
      JOIN inquiries q ON q.tenant_id = ${tenantId} AND q.partner_id = w.source_id
      WHERE q.status = 'answered' AND q.answered_at >= ${from} AND q.answered_at < ${to}
      GROUP BY w.partner_id
    ),
    adj AS (
      SELECT a.partner_id, count(*)::int AS n, sum(a.points)::int AS points
      FROM partner_score_adjustments a
      WHERE a.tenant_id = ${tenantId} AND a.year = ${year} AND a.partner_id IN (SELECT id FROM eligible)
      GROUP BY a.partner_id
    )
    SELECT e.id AS partner_id, e.name, e.kind, e.outlet, e.status,
      coalesce(att.events, 0) AS att_events, coalesce(att.annual, 0) AS att_annual,
      coalesce(cov.faithful, 0) AS cov_faithful, coalesce(cov.excerpt, 0) AS cov_excerpt, coalesce(cov.altered, 0) AS cov_altered,
      coalesce(inq.answered, 0) AS inq_answered,
      coalesce(adj.n, 0) AS adj_count, coalesce(adj.points, 0) AS adj_points
    FROM eligible e
    LEFT JOIN att ON att.partner_id = e.id
    LEFT JOIN cov ON cov.partner_id = e.id
    LEFT JOIN inq ON inq.partner_id = e.id
    LEFT JOIN adj ON adj.partner_id = e.id
  `)
  const W = SCORE_WEIGHTS
  const scores = res.rows.map((r): PartnerScore => {
    const attendance = {
      events: r.att_events,
      annualConferences: r.att_annual,
      points: r.att_events * W.attendance + r.att_annual * W.annualConference,
    }
    const coverage = {
      faithful: r.cov_faithful,
      excerpt: r.cov_excerpt,
      altered: r.cov_altered,
      points: r.cov_faithful * W.faithful + r.cov_excerpt * W.excerpt + r.cov_altered * W.altered,
    }
    const rumours = { useful: 0, points: 0, available: false }
    const inquiries = { answered: r.inq_answered, points: r.inq_answered * W.answeredInquiry }
    const adjustments = { count: r.adj_count, points: r.adj_points }
    return {
      partnerId: r.partner_id,
      name: r.name,
      kind: r.kind,
      outlet: r.outlet,
      status: r.status,
      attendance,
      coverage,
      rumours,
      inquiries,
      adjustments,
      total: attendance.points + coverage.points + rumours.points + inquiries.points + adjustments.points,
    }
  })
  return scores.sort((a, b) => b.total - a.total || a.name.localeCompare(b.name, 'vi'))
}

/** The components of a score as stored with a recognition (counts and points, flat). */
export function componentsOf(s: PartnerScore): Record<string, number> {
  return {
    attendanceEvents: s.attendance.events,
    attendanceAnnual: s.attendance.annualConferences,
    attendancePoints: s.attendance.points,
    coverageFaithful: s.coverage.faithful,
    coverageExcerpt: s.coverage.excerpt,
    coverageAltered: s.coverage.altered,
    coveragePoints: s.coverage.points,
    rumoursUseful: s.rumours.useful,
    rumoursPoints: s.rumours.points,
    inquiriesAnswered: s.inquiries.answered,
    inquiriesPoints: s.inquiries.points,
    adjustmentsCount: s.adjustments.count,
    adjustmentsPoints: s.adjustments.points,
  }
}
