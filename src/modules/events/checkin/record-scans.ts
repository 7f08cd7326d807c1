/**
 * Records what the door's devices scanned: badges read by the camera (`token`), codes typed by
 * hand (`code`) and walk-ins (`walkIn`), online or queued offline and synced later.
 *
 * - The door is open from 3 h before the start until 6 h after the end of an announced (or held)
 *   event. An online scan is judged by the server's clock; an offline one by the device's
 *   `scannedAt`, which may not lie ahead of the server by more than 5 minutes.
 * - A scan is taken once by its `scanId` (made by the device): sent again, it answers the same
 *   and writes nothing.
 * - One check-in per invitation; the earliest `scannedAt` wins whichever device syncs first: a
 *   later-synced, earlier scan takes the check-in over and the former becomes the duplicate.
 *   The invitation row is locked while deciding, so two doors syncing at once cannot both win.
 * - Every refusal is kept in `event_checkin_conflicts` and audited, so the console sees it.
 */
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { normalizeBadgeCode } from '../badges/badge-token.ts'
import { verifyBadgeToken } from '../badges/badges.queries.ts'
import { findEvent } from '../commands/load-event.ts'
import {
  type CheckinConflictReason,
  type CheckinMethod,
  eventCheckinConflicts,
  eventCheckins,
  eventInvitations,
  type events,
} from '../events.tables.ts'
import { resultOfStored, type ScanResult, storedScan } from './checkin.queries.ts'

const HOUR = 3_600_000
/** The door opens this long before the start… */
export const CHECKIN_OPENS_BEFORE_MS = 3 * HOUR
/** …and closes this long after the end. */
export const CHECKIN_CLOSES_AFTER_MS = 6 * HOUR
/** How far a device's clock may run ahead of the server's. */
export const CHECKIN_CLOCK_SKEW_MS = 5 * 60_000
/** Scans per request. */
export const MAX_SCANS = 200

/** One scan as a device sends it. */
export interface ScanInput {
  /** Made by the device (e.g. `crypto.randomUUID()`), 8–64 characters; the scan's identity. */
  scanId: string
  /** The QR text read by the camera. */
  token?: string
  /** The 8-character code typed by hand (dashes and spaces allowed). */
  code?: string
  /** A person without an invitation, let in by staff. */
  walkIn?: { name: string; outlet?: string; note?: string }
  /** Which door (typed on the device). */
  door?: string
  /** The device's own id (kept in its storage). */
  deviceId?: string
  /** When the device saw it, ISO 8601. */
  scannedAt: string
  /** Made while the device was offline (or its first send failed). */
  offline?: boolean
}

/** Options of `recordScans`. */
export interface RecordScansOptions {
  tenantId: string
  eventId: string
  /** The staff member at the door. */
  actor: AuditActor
  ip?: string | null
  scans: ScanInput[]
}

interface CleanScan {
  scanId: string
  token: string | null
  code: string | null
  walkIn: { name: string; outlet: string | null; note: string | null } | null
  door: string
  deviceId: string
  scannedAt: Date
  offline: boolean
}

const invalid = (reason: string) => new AppError('EVENT_CHECKIN_INVALID', { reason })

/** Checks one scan's shape (fail closed: anything odd refuses the request, nothing is written). */
function clean(s: ScanInput, at: Date): CleanScan {
  if (typeof s.scanId !== 'string' || !/^[A-Za-z0-9_.:-]{8,64}$/.test(s.scanId)) throw invalid('scanId')
  const kinds = [s.token !== undefined, s.code !== undefined, s.walkIn !== undefined].filter(Boolean).length
  if (kinds !== 1) throw invalid('token | code | walkIn')
  if (s.token !== undefined && (typeof s.token !== 'string' || s.token.length > 500)) throw invalid('token')
  if (s.code !== undefined && (typeof s.code !== 'string' || s.code.length > 40)) throw invalid('code')
  const door = (s.door ?? '').trim()
  if (door.length > 60) throw invalid('door')
  const deviceId = (s.deviceId ?? '').trim()
  if (deviceId.length > 64) throw invalid('deviceId')
  // ISO 8601 with a time and an offset (or Z): a device's local wall time alone is ambiguous.
  if (typeof s.scannedAt !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})$/.test(s.scannedAt)) {
    throw invalid('scannedAt')
  }
  const scannedAt = new Date(s.scannedAt)
  if (Number.isNaN(scannedAt.getTime())) throw invalid('scannedAt')
  if (scannedAt.getTime() > at.getTime() + CHECKIN_CLOCK_SKEW_MS) throw invalid('scannedAt')
  let walkIn: CleanScan['walkIn'] = null
  if (s.walkIn !== undefined) {
    const name = (s.walkIn?.name ?? '').trim()
    const outlet = (s.walkIn?.outlet ?? '').trim()
    const note = (s.walkIn?.note ?? '').trim()
    if ([...name].length < 2 || [...name].length > 200) throw invalid('name')
    if ([...outlet].length > 200) throw invalid('outlet')
    if ([...note].length > 500) throw invalid('note')
    walkIn = { name, outlet: outlet || null, note: note || null }
  }
  return {
    scanId: s.scanId,
    token: s.token ?? null,
    code: s.code ?? null,
    walkIn,
    door,
    deviceId,
    scannedAt,
    offline: s.offline === true,
  }
}

type EventRow = typeof events.$inferSelect

/** True when the door of `event` is open at `at`. */
export function checkinOpen(event: Pick<EventRow, 'startsAt' | 'endsAt'>, at: Date): boolean {
  const t = at.getTime()
  return t >= event.startsAt.getTime() - CHECKIN_OPENS_BEFORE_MS && t <= event.endsAt.getTime() + CHECKIN_CLOSES_AFTER_MS
}

/**
 * Records a batch of scans of one event's door in the caller's transaction and returns one
 * result per scan, in order. Throws EVENT_NOT_FOUND, EVENT_CHECKIN_INVALID (400, a malformed
 * scan) or EVENT_CHECKIN_CLOSED (409, the event is not announced or a new scan falls outside
 * the door's hours); then nothing is written.
 */
export async function recordScans(tx: Tx, o: RecordScansOptions): Promise<ScanResult[]> {
  const at = now()
  if (!Array.isArray(o.scans) || o.scans.length < 1 || o.scans.length > MAX_SCANS) throw invalid('scans')
  const scans = o.scans.map((s) => clean(s, at))
  const event = await findEvent(tx, o.tenantId, o.eventId)
  if (!event) throw new AppError('EVENT_NOT_FOUND')
  if (event.state !== 'announced' && event.state !== 'done') throw new AppError('EVENT_CHECKIN_CLOSED')

  // Scans already taken answer as before (a retry after the window closed is still a retry);
  // every new one must fall within the door's hours, or the whole batch is refused.
  const already = new Map<string, NonNullable<Awaited<ReturnType<typeof storedScan>>>>()
  for (const s of scans) {
    const stored = await storedScan(tx, o.tenantId, s.scanId)
    if (stored) {
      if (stored.row.eventId !== event.id) throw invalid('scanId')
      already.set(s.scanId, stored)
    } else if (!checkinOpen(event, s.offline ? s.scannedAt : at)) {
      throw new AppError('EVENT_CHECKIN_CLOSED')
    }
  }

  const results: ScanResult[] = []
  for (const s of scans) {
    const stored = already.get(s.scanId)
    results.push(stored ? await resultOfStored(tx, o.tenantId, stored) : await recordOne(tx, o, event, s, at))
  }
  return results
}

/** Decides one new scan. */
async function recordOne(tx: Tx, o: RecordScansOptions, event: EventRow, s: CleanScan, at: Date): Promise<ScanResult> {
  if (s.walkIn) return walkIn(tx, o, event, s)
  if (s.code !== null) {
    const code = normalizeBadgeCode(s.code)
    if (!/^[0-9A-Z]{8}$/.test(code)) return refuse(tx, o, event, s, 'unknown_code', null)
    const [inv] = await tx
      .select()
      .from(eventInvitations)
      .where(and(eq(eventInvitations.tenantId, o.tenantId), eq(eventInvitations.eventId, event.id), eq(eventInvitations.badgeCode, code)))
      .for('update')
    if (!inv) return refuse(tx, o, event, s, 'unknown_code', null)
    if (inv.state !== 'yes') return refuse(tx, o, event, s, 'withdrawn', inv.id)
    return checkIn(tx, o, event, s, inv.id, 'code')
  }

  const v = await verifyBadgeToken(tx, o.tenantId, s.token ?? '', { at: s.offline ? s.scannedAt : at, eventId: event.id, lock: true })
  if (!v.ok) return refuse(tx, o, event, s, v.reason === 'malformed' ? 'forged' : v.reason, v.invitation?.id ?? null)
  const inv = v.invitation
  return checkIn(tx, o, event, s, inv.id, 'qr')
}

/** A valid badge of this event (its invitation row locked by the caller). */
async function checkIn(
  tx: Tx,
  o: RecordScansOptions,
  event: EventRow,
  s: CleanScan,
  invitationId: string,
  method: CheckinMethod,
): Promise<ScanResult> {
  // The same scan sent at once by two requests: the second waited on the lock and finds it here.
  const again = await storedScan(tx, o.tenantId, s.scanId)
  if (again) return resultOfStored(tx, o.tenantId, again)
  const [kept] = await tx
    .select()
    .from(eventCheckins)
    .where(and(eq(eventCheckins.tenantId, o.tenantId), eq(eventCheckins.eventId, event.id), eq(eventCheckins.invitationId, invitationId)))

  if (!kept) {
    const [row] = await tx
      .insert(eventCheckins)
      .values({
        ...scanColumns(o, event, s),
        invitationId,
        method,
        checkedInBy: o.actor.id,
      })
      .onConflictDoNothing({ target: [eventCheckins.tenantId, eventCheckins.scanId] })
      .returning({ id: eventCheckins.id })
    const out = await readBack(tx, o.tenantId, s.scanId)
    // The audit last: its per-tenant chain lock is then held only until the commit.
    if (row) await auditCheckedIn(tx, o, event, s, invitationId, method, null)
    return out
  }

  if (s.scannedAt.getTime() < kept.scannedAt.getTime()) {
    // This scan was earlier: it takes the check-in over; the one kept so far becomes the duplicate.
    await tx
      .update(eventCheckins)
      .set({
        method,
        door: s.door,
        deviceId: s.deviceId,
        scanId: s.scanId,
        scannedAt: s.scannedAt,
        offline: s.offline,
        receivedAt: now(),
        checkedInBy: o.actor.id,
      })
      .where(eq(eventCheckins.id, kept.id))
    await tx.insert(eventCheckinConflicts).values({
      tenantId: o.tenantId,
      eventId: event.id,
      invitationId,
      keptCheckinId: kept.id,
      reason: 'duplicate',
      door: kept.door,
      deviceId: kept.deviceId,
      scanId: kept.scanId,
      scannedAt: kept.scannedAt,
      receivedAt: kept.receivedAt,
      offline: kept.offline,
    })
    await auditCheckedIn(tx, o, event, s, invitationId, method, kept.scanId)
    await auditConflict(
      tx,
      o,
      event,
      { scanId: kept.scanId, door: kept.door, scannedAt: kept.scannedAt, offline: kept.offline },
      'duplicate',
      invitationId,
      {
        replacedBy: s.scanId,
      },
    )
    return readBack(tx, o.tenantId, s.scanId)
  }

  const [row] = await tx
    .insert(eventCheckinConflicts)
    .values({
      ...scanColumns(o, event, s),
      invitationId,
      keptCheckinId: kept.id,
      reason: 'duplicate',
    })
    .onConflictDoNothing()
    .returning({ id: eventCheckinConflicts.id })
  const out = await readBack(tx, o.tenantId, s.scanId)
  if (row) await auditConflict(tx, o, event, s, 'duplicate', invitationId, { keptScanId: kept.scanId })
  return out
}

/** The columns every stored scan has, check-in or conflict. */
function scanColumns(o: RecordScansOptions, event: EventRow, s: CleanScan) {
  return {
    tenantId: o.tenantId,
    eventId: event.id,
    door: s.door,
    deviceId: s.deviceId,
    scanId: s.scanId,
    scannedAt: s.scannedAt,
    offline: s.offline,
  }
}

/** A refused scan, kept for the console. */
async function refuse(
  tx: Tx,
  o: RecordScansOptions,
  event: EventRow,
  s: CleanScan,
  reason: CheckinConflictReason,
  invitationId: string | null,
): Promise<ScanResult> {
  const [row] = await tx
    .insert(eventCheckinConflicts)
    .values({
      ...scanColumns(o, event, s),
      invitationId,
      reason,
    })
    .onConflictDoNothing()
    .returning({ id: eventCheckinConflicts.id })
  const out = await readBack(tx, o.tenantId, s.scanId)
  if (row) await auditConflict(tx, o, event, s, reason, invitationId, {})
  return out
}

/** A walk-in: no invitation, what staff typed. */
async function walkIn(tx: Tx, o: RecordScansOptions, event: EventRow, s: CleanScan): Promise<ScanResult> {
  const w = s.walkIn as NonNullable<CleanScan['walkIn']>
  const [row] = await tx
    .insert(eventCheckins)
    .values({
      ...scanColumns(o, event, s),
      invitationId: null,
      walkInName: w.name,
      walkInOutlet: w.outlet,
      walkInNote: w.note,
      method: 'walk_in',
      checkedInBy: o.actor.id,
    })
    .onConflictDoNothing({ target: [eventCheckins.tenantId, eventCheckins.scanId] })
    .returning({ id: eventCheckins.id })
  if (row) {
    await recordAudit(tx, {
      tenantId: o.tenantId,
      actor: o.actor,
      action: 'event.walk_in',
      subjectType: 'event',
      subjectId: event.id,
      summary: { scanId: s.scanId, name: w.name, outlet: w.outlet, note: w.note, door: s.door, offline: s.offline },
      ip: o.ip ?? null,
    })
  }
  return readBack(tx, o.tenantId, s.scanId)
}

async function readBack(tx: Tx, tenantId: string, scanId: string): Promise<ScanResult> {
  const stored = await storedScan(tx, tenantId, scanId)
  // Unreachable unless the same scanId was taken by another event's scan at the same instant.
  if (!stored) throw invalid('scanId')
  return resultOfStored(tx, tenantId, stored)
}

async function auditCheckedIn(
  tx: Tx,
  o: RecordScansOptions,
  event: EventRow,
  s: CleanScan,
  invitationId: string,
  method: CheckinMethod,
  replacedScanId: string | null,
) {
  await recordAudit(tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.checked_in',
    subjectType: 'event',
    subjectId: event.id,
    summary: {
      invitationId,
      scanId: s.scanId,
      method,
      door: s.door,
      deviceId: s.deviceId,
      scannedAt: s.scannedAt.toISOString(),
      offline: s.offline,
      ...(replacedScanId ? { replacedScanId } : {}),
    },
    ip: o.ip ?? null,
  })
}

async function auditConflict(
  tx: Tx,
  o: RecordScansOptions,
  event: EventRow,
  s: { scanId: string; door: string; scannedAt: Date; offline: boolean },
  reason: CheckinConflictReason,
  invitationId: string | null,
  extra: Record<string, string>,
) {
  await recordAudit(tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.checkin_conflict',
    subjectType: 'event',
    subjectId: event.id,
    summary: { reason, invitationId, scanId: s.scanId, door: s.door, scannedAt: s.scannedAt.toISOString(), offline: s.offline, ...extra },
    ip: o.ip ?? null,
  })
}
