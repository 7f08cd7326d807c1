/**
 * Reads of the console registry: the filtered, paged list with its counts per status, one
 * record with everything its page shows, outlets with their journalists, and groups of
 * near-duplicates. No access checks here: the routes authorise first.
 */
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { localDay } from '../../../platform/time.ts'
import { now } from '../../../platform/clock.ts'
import { fold } from '../../../text/normalize.ts'
import { normalizePartnerEmail, normalizePartnerPhone, normalizePressCard } from '../partners.normalize.ts'
import {
  type PartnerKind,
  type PartnerRow,
  type PartnerStatus,
  partnerAcknowledgements,
  partnerChannels,
  partnerKeys,
  partnerReminders,
  partnerStatusHistory,
  partners,
  pressOutlets,
} from '../partners.tables.ts'

/** Rows per page of the registry list. */
export const PAGE_SIZE = 50
/** A press card or term ending within this many days is flagged "expiring soon". */
export const EXPIRING_DAYS = 30

/** Filters of the registry list (all optional, combined with AND). */
export interface RegistryFilter {
  kind?: PartnerKind
  status?: PartnerStatus
  outletId?: string
  /** A beat, matched without case or diacritics. */
  beat?: string
  communeCode?: string
  /** Name (folded), e-mail, phone or press card (normalised), or a part of them. */
  q?: string
  /** Only those whose press card or term ends within EXPIRING_DAYS. */
  expiring?: boolean
  page?: number
}

/** One row of the list. */
export interface RegistryRow {
  id: string
  kind: PartnerKind
  name: string
  status: PartnerStatus
  outletName: string | null
  email: string | null
  phone: string | null
  pressCardNumber: string | null
  pressCardExpiresOn: string | null
  accreditationEndsOn: string | null
  /** The earliest of press card expiry and term end when within EXPIRING_DAYS (or already past), else null. */
  expiresSoon: string | null
}

/** `s` with the pattern characters of LIKE escaped (backslash is PostgreSQL's default escape). */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** `%…%` for LIKE, the pattern characters of `s` escaped. */
function contains(s: string): string {
  return `%${likeEscape(s)}%`
}

/** A key of `q` if it reads as one (normalisation throws otherwise). */
function tryKey(f: () => string): string | null {
  try {
    return f()
  } catch {
    return null
  }
}

/** Today and the last day counted as "soon", local days. */
export function expiryWindow(): { today: string; soon: string } {
  const at = now()
  return { today: localDay(at), soon: localDay(new Date(at.getTime() + EXPIRING_DAYS * 86_400_000)) }
}

/**
 * The text search: the folded name contains the folded query ("hoa" finds "Hoà" and "Hòa");
 * the normalised e-mail, phone or press card of the query equals a key of the partner (keys
 * moved by a merge count), or a part of them is typed (digits of a phone, part of an e-mail or
 * card number).
 */
function searchCondition(tenantId: string, q: string): SQL {
  const folded = fold(q.normalize('NFC')).replace(/\s+/g, ' ').trim()
  const ors: SQL[] = [sql`fold_vi(${partners.name}) LIKE ${contains(folded)}`]
  const keys = [
    ['phone', tryKey(() => normalizePartnerPhone(q))],
    ['email', tryKey(() => normalizePartnerEmail(q))],
    ['press_card', tryKey(() => normalizePressCard(q))],
  ] as const
  for (const [kind, value] of keys) {
    if (!value) continue
    ors.push(
      sql`EXISTS (SELECT 1 FROM ${partnerKeys} k WHERE k.tenant_id = ${tenantId} AND k.partner_id = ${partners.id} AND k.kind = ${kind} AND k.value = ${value})`,
    )
  }
  const digits = q.replace(/\D/g, '')
  // A fragment of a number ("345 678"): at least 4 digits, so a year or a house number is not a search.
  if (digits.length >= 4 && /^[\d\s.+()-]+$/.test(q)) ors.push(sql`${partners.phone} LIKE ${contains(digits)}`)
  if (q.length >= 3) {
    ors.push(sql`lower(${partners.email}) LIKE ${contains(q.trim().toLowerCase())}`)
    const card = q.toUpperCase().replace(/[\s\-_.]/g, '')
    if (card.length >= 3) ors.push(sql`upper(regexp_replace(${partners.pressCardNumber}, '[\\s\\-_.]', '', 'g')) LIKE ${contains(card)}`)
  }
  return sql`(${sql.join(ors, sql` OR `)})`
}

function conditions(tenantId: string, f: RegistryFilter, withStatus: boolean): SQL[] {
  const c: SQL[] = [eq(partners.tenantId, tenantId), isNull(partners.mergedInto)]
  if (f.kind) c.push(eq(partners.kind, f.kind))
  if (withStatus && f.status) c.push(eq(partners.status, f.status))
  if (f.outletId) c.push(eq(partners.outletId, f.outletId))
  if (f.communeCode) c.push(sql`${f.communeCode} = ANY(${partners.communeCodes})`)
  if (f.beat?.trim()) c.push(sql`EXISTS (SELECT 1 FROM unnest(${partners.beats}) b WHERE fold_vi(b) = ${fold(f.beat.trim())})`)
  if (f.q?.trim()) c.push(searchCondition(tenantId, f.q.trim()))
  if (f.expiring) {
    // Still to come (today included: valid through that day) and within the window, on a record
    // that has not already ended: a past day or an expired/revoked record is not "expiring".
    const { today, soon } = expiryWindow()
    c.push(sql`${partners.status} NOT IN ('expired', 'revoked')`)
    c.push(sql`LEAST(${partners.pressCardExpiresOn}, ${partners.accreditationEndsOn}) BETWEEN ${today} AND ${soon}`)
  }
  return c
}

/** The page of the list, the total and the counts per status (with every filter but the status). */
export async function listRegistry(
  db: Db,
  tenantId: string,
  f: RegistryFilter,
): Promise<{ rows: RegistryRow[]; total: number; counts: Partial<Record<PartnerStatus, number>> }> {
  const page = Math.max(1, Math.min(f.page ?? 1, 10_000))
  const { soon } = expiryWindow()
  const [rows, counted] = await Promise.all([
    db
      .select({
        id: partners.id,
        kind: partners.kind,
        name: partners.name,
        status: partners.status,
        outletName: pressOutlets.name,
        email: partners.email,
        phone: partners.phone,
        pressCardNumber: partners.pressCardNumber,
        pressCardExpiresOn: partners.pressCardExpiresOn,
        accreditationEndsOn: partners.accreditationEndsOn,
      })
      .from(partners)
      .leftJoin(pressOutlets, eq(pressOutlets.id, partners.outletId))
      .where(and(...conditions(tenantId, f, true)))
      .orderBy(sql`fold_vi(${partners.name})`, asc(partners.id))
      .limit(PAGE_SIZE)
      .offset((page - 1) * PAGE_SIZE),
    db
      .select({ status: partners.status, n: sql<number>`count(*)::int` })
      .from(partners)
      .where(and(...conditions(tenantId, f, false)))
      .groupBy(partners.status),
  ])
  const counts = Object.fromEntries(counted.map((c) => [c.status, c.n])) as Partial<Record<PartnerStatus, number>>
  const total = f.status ? (counts[f.status] ?? 0) : counted.reduce((s, c) => s + c.n, 0)
  return {
    rows: rows.map((r) => ({ ...r, expiresSoon: soonest(r, soon) })),
    total,
    counts,
  }
}

/** The earlier of a partner's press card expiry and term end, if it is on or before `soon`. */
export function soonest(p: { pressCardExpiresOn: string | null; accreditationEndsOn: string | null }, soon: string): string | null {
  const days = [p.pressCardExpiresOn, p.accreditationEndsOn].filter((d): d is string => !!d && d <= soon).sort()
  return days[0] ?? null
}

/** The press outlets of the tenant, by name, with the number of live journalists of each. */
export async function listOutlets(db: Db | Tx, tenantId: string) {
  return db
    .select({
      id: pressOutlets.id,
      name: pressOutlets.name,
      kind: pressOutlets.kind,
      licenceNumber: pressOutlets.licenceNumber,
      licenceIssuer: pressOutlets.licenceIssuer,
      website: pressOutlets.website,
      contactDesk: pressOutlets.contactDesk,
      journalists: sql<number>`(SELECT count(*)::int FROM partners p WHERE p.outlet_id = ${pressOutlets.id} AND p.merged_into IS NULL)`,
    })
    .from(pressOutlets)
    .where(eq(pressOutlets.tenantId, tenantId))
    .orderBy(sql`fold_vi(${pressOutlets.name})`)
}
export type OutletRow = Awaited<ReturnType<typeof listOutlets>>[number]

/** The live journalists of the given outlets (name, status), for the outlets page. */
export async function journalistsOfOutlets(db: Db, tenantId: string, outletIds: string[]) {
  if (outletIds.length === 0) return []
  return db
    .select({ id: partners.id, name: partners.name, status: partners.status, outletId: partners.outletId })
    .from(partners)
    .where(and(eq(partners.tenantId, tenantId), isNull(partners.mergedInto), inArray(partners.outletId, outletIds)))
    .orderBy(sql`fold_vi(${partners.name})`)
}

/** Everything the detail page shows of one partner (merged or not), or null. */
export async function loadPartnerDetail(db: Db, tenantId: string, id: string) {
  const [partner] = await db
    .select()
    .from(partners)
    .where(and(eq(partners.id, id), eq(partners.tenantId, tenantId)))
  if (!partner) return null
  const [outlet, keys, channels, acknowledgements, history, reminders, mergedFrom] = await Promise.all([
    partner.outletId
      ? db
          .select({ id: pressOutlets.id, name: pressOutlets.name })
          .from(pressOutlets)
          .where(eq(pressOutlets.id, partner.outletId))
          .then((r) => r[0] ?? null)
      : Promise.resolve(null),
    db
      .select({ kind: partnerKeys.kind, value: partnerKeys.value })
      .from(partnerKeys)
      .where(and(eq(partnerKeys.tenantId, tenantId), eq(partnerKeys.partnerId, id)))
      .orderBy(asc(partnerKeys.kind), asc(partnerKeys.value)),
    db.select().from(partnerChannels).where(eq(partnerChannels.partnerId, id)).orderBy(asc(partnerChannels.createdAt)),
    db
      .select()
      .from(partnerAcknowledgements)
      .where(eq(partnerAcknowledgements.partnerId, id))
      .orderBy(desc(partnerAcknowledgements.signedAt)),
    db
      .select()
      .from(partnerStatusHistory)
      .where(eq(partnerStatusHistory.partnerId, id))
      .orderBy(desc(partnerStatusHistory.at), desc(partnerStatusHistory.id)),
    db.select().from(partnerReminders).where(eq(partnerReminders.partnerId, id)).orderBy(desc(partnerReminders.sentAt)),
    db
      .select({ id: partners.id, name: partners.name, status: partners.status, mergedAt: partners.mergedAt })
      .from(partners)
      .where(and(eq(partners.tenantId, tenantId), eq(partners.mergedInto, id)))
      .orderBy(desc(partners.mergedAt)),
  ])
  return { partner, outlet, keys, channels, acknowledgements, history, reminders, mergedFrom }
}
export type PartnerDetail = NonNullable<Awaited<ReturnType<typeof loadPartnerDetail>>>

/** A live partner shown as a merge candidate or a near-duplicate. */
export interface Candidate {
  id: string
  name: string
  status: PartnerStatus
  kind: PartnerKind
  outletName: string | null
  phone: string | null
  email: string | null
  createdAt: Date
}

/** Why records were grouped as near-duplicates. */
export type NearDuplicateReason = 'name_outlet' | 'phone'

/**
 * Groups of live partners of the same kind that are probably one person although no key is
 * shared (keys are unique per tenant, so a shared key cannot exist): the same folded name at
 * the same outlet, or the same phone digits (records written before normalisation or outside
 * the commands).
 */
export async function nearDuplicateGroups(db: Db, tenantId: string, onlyPartnerId?: string) {
  const res = await db.execute<{ reason: NearDuplicateReason; ids: string[] }>(sql`
    SELECT 'name_outlet' AS reason, array_agg(id ORDER BY created_at) AS ids
      FROM partners
     WHERE tenant_id = ${tenantId} AND merged_into IS NULL AND outlet_id IS NOT NULL
     GROUP BY kind, fold_vi(name), outlet_id HAVING count(*) > 1
    UNION ALL
    SELECT 'phone', array_agg(id ORDER BY created_at)
      FROM partners
     WHERE tenant_id = ${tenantId} AND merged_into IS NULL AND phone IS NOT NULL
     GROUP BY kind, regexp_replace(phone, '\\D', '', 'g') HAVING count(*) > 1
    LIMIT 500`)
  const groups = res.rows.filter((g) => !onlyPartnerId || g.ids.includes(onlyPartnerId))
  const ids = [...new Set(groups.flatMap((g) => g.ids))]
  const people = await candidatesById(db, tenantId, ids)
  return groups.map((g) => ({ reason: g.reason, members: g.ids.map((id) => people.get(id)).filter((p): p is Candidate => !!p) }))
}

async function candidatesById(db: Db, tenantId: string, ids: string[]): Promise<Map<string, Candidate>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({
      id: partners.id,
      name: partners.name,
      status: partners.status,
      kind: partners.kind,
      outletName: pressOutlets.name,
      phone: partners.phone,
      email: partners.email,
      createdAt: partners.createdAt,
    })
    .from(partners)
    .leftJoin(pressOutlets, eq(pressOutlets.id, partners.outletId))
    .where(and(eq(partners.tenantId, tenantId), inArray(partners.id, ids)))
  return new Map(rows.map((r) => [r.id, r]))
}

/**
 * Records a partner may be merged with: its near-duplicates first, then live records of the
 * same kind whose folded name shares the first and last word of its name (Vietnamese family
 * and given name), at most 20.
 */
export async function mergeCandidates(db: Db, tenantId: string, p: PartnerRow): Promise<Candidate[]> {
  const near = (await nearDuplicateGroups(db, tenantId, p.id)).flatMap((g) => g.members).filter((m) => m.id !== p.id)
  const words = fold(p.name).split(/\s+/).filter(Boolean)
  const first = words[0] ?? ''
  const last = words[words.length - 1] ?? ''
  const similar = await db
    .select({ id: partners.id })
    .from(partners)
    .where(
      and(
        eq(partners.tenantId, tenantId),
        isNull(partners.mergedInto),
        eq(partners.kind, p.kind),
        sql`${partners.id} <> ${p.id}`,
        sql`fold_vi(${partners.name}) LIKE ${`${likeEscape(first)}%`} AND fold_vi(${partners.name}) LIKE ${`%${likeEscape(last)}`}`,
      ),
    )
    .limit(20)
  const byId = await candidatesById(
    db,
    tenantId,
    similar.map((s) => s.id),
  )
  const out = new Map(near.map((c) => [c.id, c]))
  for (const c of byId.values()) if (!out.has(c.id) && out.size < 20) out.set(c.id, c)
  return [...out.values()]
}
