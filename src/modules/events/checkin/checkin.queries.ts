/**
 * Reads of the door: who a badge belongs to (name, outlet, press-card photo, companion), the
 * counters of an event, its latest conflicts, and what a scan already stored came to (so a scan
 * synced twice answers the same).
 */
import { and, desc, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { partnerApplicationFiles, partnerApplications } from '../../partners/application/application.tables.ts'
import { partners, pressOutlets } from '../../partners/partners.tables.ts'
import { type CheckinConflictReason, eventCheckinConflicts, eventCheckins, eventInvitations, events } from '../events.tables.ts'

/** What the door shows of a person. */
export interface ScanPerson {
  name: string
  outlet: string | null
  /** A staff-only URL of the press-card photo, or null (the page shows initials). */
  photoUrl: string | null
  /** "Name (role)" of the companion announced with the answer, or null. */
  companion: string | null
}

/** What a scan came to. */
export type ScanResultKind = 'checked_in' | 'walk_in' | CheckinConflictReason

/** The answer for one scan, as the device receives it. */
export interface ScanResult {
  scanId: string
  result: ScanResultKind
  person?: ScanPerson
  /** The check-in that was kept (duplicates): where and when the badge was first seen. */
  kept?: { door: string; scannedAt: string }
  /** The event the badge belongs to (a badge of another event). */
  otherEvent?: { title: string; startsAt: string }
}

/** The counters of the door and the console panel. */
export interface CheckinCounts {
  /** Invited people checked in (walk-ins apart). */
  checkedIn: number
  /** Invitations answered yes. */
  confirmed: number
  walkIns: number
  conflicts: number
}

/** The staff URL of an invitation's press-card photo (served by the check-in routes). */
export function photoUrlOf(eventId: string, invitationId: string): string {
  return `/console/su-kien/${eventId}/diem-danh/anh/${invitationId}`
}

/** The newest press-card image a partner sent with their application (round 0), or null. */
export async function pressCardPhoto(db: Db | Tx, tenantId: string, partnerId: string) {
  const [row] = await db
    .select({
      id: partnerApplicationFiles.id,
      fileType: partnerApplicationFiles.fileType,
      storagePath: partnerApplicationFiles.storagePath,
    })
    .from(partnerApplicationFiles)
    .innerJoin(partnerApplications, eq(partnerApplications.id, partnerApplicationFiles.applicationId))
    .where(
      and(
        eq(partnerApplications.tenantId, tenantId),
        eq(partnerApplications.partnerId, partnerId),
        eq(partnerApplicationFiles.tenantId, tenantId),
        eq(partnerApplicationFiles.round, 0),
        sql`${partnerApplicationFiles.fileType} IN ('jpeg', 'png', 'webp')`,
      ),
    )
    .orderBy(desc(partnerApplicationFiles.createdAt))
    .limit(1)
  return row ?? null
}

/** The person of an invitation of this tenant, or null. */
export async function personOf(db: Db | Tx, tenantId: string, invitationId: string): Promise<ScanPerson | null> {
  const [row] = await db
    .select({
      eventId: eventInvitations.eventId,
      partnerId: partners.id,
      name: partners.name,
      erasedAt: partners.erasedAt,
      outlet: pressOutlets.name,
      companionName: eventInvitations.companionName,
      companionRole: eventInvitations.companionRole,
    })
    .from(eventInvitations)
    .innerJoin(partners, eq(partners.id, eventInvitations.partnerId))
    .leftJoin(pressOutlets, eq(pressOutlets.id, partners.outletId))
    .where(and(eq(eventInvitations.id, invitationId), eq(eventInvitations.tenantId, tenantId)))
  if (!row) return null
  const photo = row.erasedAt ? null : await pressCardPhoto(db, tenantId, row.partnerId)
  return {
    name: row.name,
    outlet: row.outlet ?? null,
    photoUrl: photo ? photoUrlOf(row.eventId, invitationId) : null,
    companion: row.companionName ? `${row.companionName}${row.companionRole ? ` (${row.companionRole})` : ''}` : null,
  }
}

/** A scan already stored (check-in or conflict) of this tenant, or null. */
export async function storedScan(db: Db | Tx, tenantId: string, scanId: string) {
  const [checkin] = await db
    .select()
    .from(eventCheckins)
    .where(and(eq(eventCheckins.tenantId, tenantId), eq(eventCheckins.scanId, scanId)))
  if (checkin) return { kind: 'checkin' as const, row: checkin }
  const [conflict] = await db
    .select()
    .from(eventCheckinConflicts)
    .where(and(eq(eventCheckinConflicts.tenantId, tenantId), eq(eventCheckinConflicts.scanId, scanId)))
  if (conflict) return { kind: 'conflict' as const, row: conflict }
  return null
}

/** A stored scan → the answer the device gets (the same every time it asks). */
export async function resultOfStored(
  db: Db | Tx,
  tenantId: string,
  stored: NonNullable<Awaited<ReturnType<typeof storedScan>>>,
): Promise<ScanResult> {
  if (stored.kind === 'checkin') {
    const r = stored.row
    if (r.method === 'walk_in' || !r.invitationId) {
      return {
        scanId: r.scanId,
        result: 'walk_in',
        person: { name: r.walkInName ?? '', outlet: r.walkInOutlet ?? null, photoUrl: null, companion: null },
      }
    }
    const person = await personOf(db, tenantId, r.invitationId)
    return { scanId: r.scanId, result: 'checked_in', ...(person ? { person } : {}) }
  }
  const c = stored.row
  const out: ScanResult = { scanId: c.scanId, result: c.reason }
  if (c.invitationId) {
    const person = await personOf(db, tenantId, c.invitationId)
    if (person) out.person = person
  }
  if (c.keptCheckinId) {
    const [kept] = await db
      .select({ door: eventCheckins.door, scannedAt: eventCheckins.scannedAt })
      .from(eventCheckins)
      .where(and(eq(eventCheckins.id, c.keptCheckinId), eq(eventCheckins.tenantId, tenantId)))
    if (kept) out.kept = { door: kept.door, scannedAt: kept.scannedAt.toISOString() }
  }
  if (c.reason === 'other_event' && c.invitationId) {
    const [other] = await db
      .select({ title: events.title, startsAt: events.startsAt })
      .from(eventInvitations)
      .innerJoin(events, eq(events.id, eventInvitations.eventId))
      .where(and(eq(eventInvitations.id, c.invitationId), eq(eventInvitations.tenantId, tenantId)))
    if (other) out.otherEvent = { title: other.title, startsAt: other.startsAt.toISOString() }
  }
  return out
}

/** The counters of an event's door. */
export async function checkinCounts(db: Db | Tx, tenantId: string, eventId: string): Promise<CheckinCounts> {
  const { rows } = await db.execute<{ checked_in: number; walk_ins: number; confirmed: number; conflicts: number }>(sql`
    SELECT
      (SELECT count(*)::int FROM event_checkins WHERE tenant_id = ${tenantId} AND event_id = ${eventId} AND invitation_id IS NOT NULL) AS checked_in,
      (SELECT count(*)::int FROM event_checkins WHERE tenant_id = ${tenantId} AND event_id = ${eventId} AND method = 'walk_in') AS walk_ins,
      (SELECT count(*)::int FROM event_invitations WHERE tenant_id = ${tenantId} AND event_id = ${eventId} AND state = 'yes') AS confirmed,
      (SELECT count(*)::int FROM event_checkin_conflicts WHERE tenant_id = ${tenantId} AND event_id = ${eventId}) AS conflicts`)
  const r = rows[0]
  return { checkedIn: r?.checked_in ?? 0, confirmed: r?.confirmed ?? 0, walkIns: r?.walk_ins ?? 0, conflicts: r?.conflicts ?? 0 }
}

/** A conflict as the lists show it. */
export interface ConflictItem {
  id: string
  reason: CheckinConflictReason
  name: string | null
  door: string
  scannedAt: Date
  offline: boolean
  kept: { door: string; scannedAt: Date } | null
}

/** The latest conflicts of an event, newest first. */
export async function latestConflicts(db: Db | Tx, tenantId: string, eventId: string, limit = 20): Promise<ConflictItem[]> {
  const rows = await db
    .select({
      id: eventCheckinConflicts.id,
      reason: eventCheckinConflicts.reason,
      name: partners.name,
      door: eventCheckinConflicts.door,
      scannedAt: eventCheckinConflicts.scannedAt,
      offline: eventCheckinConflicts.offline,
      keptDoor: eventCheckins.door,
      keptAt: eventCheckins.scannedAt,
    })
    .from(eventCheckinConflicts)
    .leftJoin(eventInvitations, eq(eventInvitations.id, eventCheckinConflicts.invitationId))
    .leftJoin(partners, eq(partners.id, eventInvitations.partnerId))
    .leftJoin(eventCheckins, eq(eventCheckins.id, eventCheckinConflicts.keptCheckinId))
    .where(and(eq(eventCheckinConflicts.tenantId, tenantId), eq(eventCheckinConflicts.eventId, eventId)))
    .orderBy(desc(eventCheckinConflicts.receivedAt), desc(eventCheckinConflicts.scannedAt))
    .limit(limit)
  return rows.map((r) => ({
    id: r.id,
    reason: r.reason,
    name: r.name ?? null,
    door: r.door,
    scannedAt: r.scannedAt,
    offline: r.offline,
    kept: r.keptAt ? { door: r.keptDoor ?? '', scannedAt: r.keptAt } : null,
  }))
}
