/**
 * Reads of the afterwards part: an event's materials, who the materials mail reaches, the
 * attendance figures of one event, the attendance report over a date range (per event and per
 * outlet), and the releases that can be attached.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { releaseEditions, releases } from '../../releases/releases.tables.ts'
import { eventMaterials, type InvitationState, type MaterialKind } from '../events.tables.ts'
import type { EventRow } from '../invitations/invitations.mail.ts'

/** One material as the panel and the mail show it. */
export interface MaterialView {
  id: string
  kind: MaterialKind
  title: string
  /** The link (photos, recording, document), null for a release. */
  url: string | null
  releaseId: string | null
  /** The release's public slug and status (release materials only). */
  releaseSlug: string | null
  releaseStatus: string | null
  createdAt: Date
}

/** The materials of an event in the order they were added. */
export async function materialsOf(db: Db | Tx, event: Pick<EventRow, 'id' | 'tenantId'>): Promise<MaterialView[]> {
  return db
    .select({
      id: eventMaterials.id,
      kind: eventMaterials.kind,
      title: eventMaterials.title,
      url: eventMaterials.url,
      releaseId: eventMaterials.releaseId,
      releaseSlug: releases.slug,
      releaseStatus: releases.status,
      createdAt: eventMaterials.createdAt,
    })
    .from(eventMaterials)
    .leftJoin(releases, and(eq(releases.id, eventMaterials.releaseId), eq(releases.tenantId, eventMaterials.tenantId)))
    .where(and(eq(eventMaterials.tenantId, event.tenantId), eq(eventMaterials.eventId, event.id)))
    .orderBy(asc(eventMaterials.position), asc(eventMaterials.createdAt), asc(eventMaterials.id))
}

/** A published release offered in the materials form. */
export interface ReleaseOption {
  id: string
  title: string
  publishedAt: Date | null
}

/** The office's published releases, newest first (the select of the materials form). */
export async function publishedReleaseOptions(db: Db | Tx, tenantId: string, limit = 200): Promise<ReleaseOption[]> {
  return db
    .select({ id: releases.id, title: releaseEditions.title, publishedAt: releases.lastPublishedAt })
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
    .where(and(eq(releases.tenantId, tenantId), eq(releases.status, 'published')))
    .orderBy(desc(releases.firstPublishedAt), desc(releases.id))
    .limit(limit)
}

/** An invitee the materials mail goes to. */
export interface MaterialsRecipient {
  invitationId: string
  partnerId: string
  name: string
  email: string
  state: InvitationState
  /** Checked in at the door (through their invitation). */
  attended: boolean
}

/**
 * Who the materials mail reaches now: every invitation of the event that was not withdrawn,
 * whose partner has an address and may still receive from the office (not suspended, revoked,
 * merged into another record or erased), with whether they came. Lock the rows with `lock`
 * (the send does; the panel's count does not).
 */
export async function materialsRecipients(
  db: Db | Tx,
  event: Pick<EventRow, 'id' | 'tenantId'>,
  lock = false,
): Promise<MaterialsRecipient[]> {
  const res = await db.execute<{
    id: string
    partner_id: string
    name: string
    email: string
    state: InvitationState
    attended: boolean
  }>(sql`
    SELECT i.id, i.partner_id, p.name, btrim(p.email) AS email, i.state,
      EXISTS (SELECT 1 FROM event_checkins c WHERE c.event_id = i.event_id AND c.invitation_id = i.id) AS attended
    FROM event_invitations i
    JOIN partners p ON p.id = i.partner_id AND p.tenant_id = i.tenant_id
    WHERE i.tenant_id = ${event.tenantId} AND i.event_id = ${event.id}
      AND i.state <> 'withdrawn'
      AND p.status NOT IN ('suspended', 'revoked')
      AND p.erased_at IS NULL AND p.merged_into IS NULL
      AND nullif(btrim(p.email), '') IS NOT NULL
    ORDER BY fold_vi(p.name), i.id
    ${lock ? sql`FOR UPDATE OF i` : sql``}
  `)
  return res.rows.map((r) => ({
    invitationId: r.id,
    partnerId: r.partner_id,
    name: r.name,
    email: r.email,
    state: r.state,
    attended: r.attended,
  }))
}

/** The attendance figures of one event. */
export interface Attendance {
  /** Invitations not withdrawn. */
  invited: number
  /** Not answered yet. */
  noAnswer: number
  yes: number
  no: number
  maybe: number
  waitlisted: number
  withdrawn: number
  /** Invitees checked in at the door. */
  checkedIn: number
  /** People checked in without an invitation. */
  walkIns: number
  /** Companions (camera operators…) who came with someone checked in. */
  companions: number
  /** Confirmed ('yes') but not checked in. */
  noShows: number
  /** Confirmed and checked in. */
  confirmedCame: number
  /** confirmedCame ÷ yes, as a percentage rounded to one decimal; null with no 'yes'. */
  rate: number | null
}

/** Percentage with one decimal, or null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null
}

/** The attendance figures of an event (answers from the invitations, presence from the check-ins). */
export async function attendanceOf(db: Db | Tx, event: Pick<EventRow, 'id' | 'tenantId'>): Promise<Attendance> {
  const res = await db.execute<Record<string, number>>(sql`
    SELECT
      count(*) FILTER (WHERE i.state <> 'withdrawn')::int AS invited,
      count(*) FILTER (WHERE i.state = 'invited')::int AS no_answer,
      count(*) FILTER (WHERE i.state = 'yes')::int AS yes,
      count(*) FILTER (WHERE i.state = 'no')::int AS no,
      count(*) FILTER (WHERE i.state = 'maybe')::int AS maybe,
      count(*) FILTER (WHERE i.state = 'waitlisted')::int AS waitlisted,
      count(*) FILTER (WHERE i.state = 'withdrawn')::int AS withdrawn,
      count(*) FILTER (WHERE i.state = 'yes' AND c.id IS NOT NULL)::int AS confirmed_came,
      count(*) FILTER (WHERE i.state = 'yes' AND c.id IS NULL)::int AS no_shows
    FROM event_invitations i
    LEFT JOIN event_checkins c ON c.event_id = i.event_id AND c.invitation_id = i.id
    WHERE i.tenant_id = ${event.tenantId} AND i.event_id = ${event.id}
  `)
  const door = await db.execute<Record<string, number>>(sql`
    SELECT
      count(*) FILTER (WHERE invitation_id IS NOT NULL)::int AS checked_in,
      count(*) FILTER (WHERE invitation_id IS NULL)::int AS walk_ins,
      count(*) FILTER (WHERE with_companion)::int AS companions
    FROM event_checkins
    WHERE tenant_id = ${event.tenantId} AND event_id = ${event.id}
  `)
  const a = res.rows[0] ?? {}
  const d = door.rows[0] ?? {}
  const n = (v: number | undefined) => v ?? 0
  return {
    invited: n(a.invited),
    noAnswer: n(a.no_answer),
    yes: n(a.yes),
    no: n(a.no),
    maybe: n(a.maybe),
    waitlisted: n(a.waitlisted),
    withdrawn: n(a.withdrawn),
    checkedIn: n(d.checked_in),
    walkIns: n(d.walk_ins),
    companions: n(d.companions),
    noShows: n(a.no_shows),
    confirmedCame: n(a.confirmed_came),
    rate: percent(n(a.confirmed_came), n(a.yes)),
  }
}

/** One event of the attendance report. */
export interface ReportEvent {
  id: string
  title: string
  kind: string
  state: string
  startsAt: Date
  invited: number
  confirmed: number
  attended: number
  walkIns: number
  /** Confirmed who came ÷ confirmed (%), null with none confirmed. */
  rate: number | null
}

/** One outlet of the attendance report (null id: influencers and partners without an outlet). */
export interface ReportOutlet {
  outletId: string | null
  name: string | null
  /** Events its partners were invited to (distinct). */
  events: number
  /** Invitations of its partners. */
  invitations: number
  confirmed: number
  attended: number
  rate: number | null
}

/**
 * Attendance over the events that started in [from, to) and were announced (or held; drafts
 * and cancelled events are left out), per event (by start) and per outlet (by name, the group
 * without an outlet last). Withdrawn invitations do not count.
 */
export async function attendanceReport(
  db: Db | Tx,
  tenantId: string,
  from: Date,
  to: Date,
): Promise<{ events: ReportEvent[]; outlets: ReportOutlet[] }> {
  const ev = await db.execute<{
    id: string
    title: string
    kind: string
    state: string
    starts_at: Date | string
    invited: number
    confirmed: number
    attended: number
    confirmed_came: number
    walk_ins: number
  }>(sql`
    SELECT e.id, e.title, e.kind, e.state, e.starts_at,
      (SELECT count(*) FROM event_invitations i WHERE i.event_id = e.id AND i.state <> 'withdrawn')::int AS invited,
      (SELECT count(*) FROM event_invitations i WHERE i.event_id = e.id AND i.state = 'yes')::int AS confirmed,
      (SELECT count(*) FROM event_checkins c WHERE c.event_id = e.id AND c.invitation_id IS NOT NULL)::int AS attended,
      (SELECT count(*) FROM event_invitations i JOIN event_checkins c ON c.invitation_id = i.id AND c.event_id = e.id
        WHERE i.event_id = e.id AND i.state = 'yes')::int AS confirmed_came,
      (SELECT count(*) FROM event_checkins c WHERE c.event_id = e.id AND c.invitation_id IS NULL)::int AS walk_ins
    FROM events e
    WHERE e.tenant_id = ${tenantId} AND e.state IN ('announced', 'done')
      AND e.starts_at >= ${from} AND e.starts_at < ${to}
    ORDER BY e.starts_at, e.id
  `)
  const out = await db.execute<{
    outlet_id: string | null
    name: string | null
    events: number
    invitations: number
    confirmed: number
    attended: number
    confirmed_came: number
  }>(sql`
    SELECT o.id AS outlet_id, o.name,
      count(DISTINCT i.event_id)::int AS events,
      count(*)::int AS invitations,
      count(*) FILTER (WHERE i.state = 'yes')::int AS confirmed,
      count(c.id)::int AS attended,
      count(c.id) FILTER (WHERE i.state = 'yes')::int AS confirmed_came
    FROM event_invitations i
    JOIN events e ON e.id = i.event_id AND e.tenant_id = i.tenant_id
    JOIN partners p ON p.id = i.partner_id AND p.tenant_id = i.tenant_id
    LEFT JOIN press_outlets o ON o.id = p.outlet_id AND o.tenant_id = p.tenant_id
    LEFT JOIN event_checkins c ON c.event_id = i.event_id AND c.invitation_id = i.id
    WHERE i.tenant_id = ${tenantId} AND i.state <> 'withdrawn'
      AND e.state IN ('announced', 'done') AND e.starts_at >= ${from} AND e.starts_at < ${to}
    GROUP BY o.id, o.name
    ORDER BY (o.id IS NULL), fold_vi(o.name), o.id
  `)
  return {
    events: ev.rows.map((r) => ({
      id: r.id,
      title: r.title,
      kind: r.kind,
      state: r.state,
      startsAt: new Date(r.starts_at),
      invited: r.invited,
      confirmed: r.confirmed,
      attended: r.attended,
      walkIns: r.walk_ins,
      rate: percent(r.confirmed_came, r.confirmed),
    })),
    outlets: out.rows.map((r) => ({
      outletId: r.outlet_id,
      name: r.name,
      events: r.events,
      invitations: r.invitations,
      confirmed: r.confirmed,
      attended: r.attended,
      rate: percent(r.confirmed_came, r.confirmed),
    })),
  }
}
