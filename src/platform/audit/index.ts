/**
 * The audit log. `recordAudit` is called inside the transaction of the change it records,
 * so a decision and its audit row commit or roll back together. Rows are chained per
 * tenant: hash = SHA-256(prev_hash + canonical JSON of the row's content).
 */
import { createHash } from 'node:crypto'
import { and, asc, desc, eq, gt, gte, lte, type SQL, sql } from 'drizzle-orm'
import type pg from 'pg'
import { type Db, type Tx, withTransaction } from '../../db/index.ts'
import { AppError, type ErrorCode, type ErrorParams } from '../errors.ts'
import { auditEvents } from './audit.tables.ts'
import { type AuditActionRegistry, registeredAuditActions } from './registry.ts'

/**
 * A typed audit action. Each module declares its own in `<domain>.audit.ts`, lists them in its
 * manifest and augments `AuditActionRegistry`, so the type is the union of the product's.
 */
export type AuditAction = Extract<keyof AuditActionRegistry, string>

/** Every audit action of the installed modules (the audit page's filter). */
export function allAuditActions(): string[] {
  return registeredAuditActions()
}

/** Who did it: a user, or the system (jobs, CLI). */
export interface AuditActor {
  /** The acting user's id; null for the system. */
  id: string | null
  /** Human-readable label kept even if the user is later removed (e-mail or "system"). */
  label: string
}

/** What to record. */
export interface AuditInput {
  tenantId: string
  actor: AuditActor
  action: AuditAction
  /** The kind of thing acted on (user, session, release …). */
  subjectType: string
  subjectId?: string | null
  /** Summary of the change: field names with before/after values, reasons, refusals. */
  summary?: Record<string, unknown>
  ip?: string | null
}

const GENESIS = '0'.repeat(64)

/** Canonical JSON: keys sorted at every level, so the hash does not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const obj = value as Record<string, unknown>
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`
}

interface HashedContent {
  tenantId: string
  seq: number
  actorId: string | null
  actorLabel: string
  action: string
  subjectType: string
  subjectId: string | null
  summary: Record<string, unknown>
  ip: string | null
  createdAt: Date
}

/** The hash of one row given the previous row's hash. */
export function hashEvent(prevHash: string, c: HashedContent): string {
  const content = canonicalJson({
    tenantId: c.tenantId,
    seq: c.seq,
    actorId: c.actorId,
    actorLabel: c.actorLabel,
    action: c.action,
    subjectType: c.subjectType,
    subjectId: c.subjectId,
    summary: c.summary,
    ip: c.ip,
    createdAt: c.createdAt.toISOString(),
  })
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex')
}

/** Appends one audit row in the caller's transaction. */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<{ id: number; seq: number; hash: string }> {
  // Serialise writers of one tenant so that the chain never forks.
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`audit:${input.tenantId}`}))`)
  const [last] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, input.tenantId))
    .orderBy(desc(auditEvents.seq))
    .limit(1)
  const seq = (last?.seq ?? 0) + 1
  const prevHash = last?.hash ?? GENESIS
  // Millisecond precision: what JavaScript can represent is what we hash and store.
  const createdAt = new Date(Math.floor(Date.now()))
  const content: HashedContent = {
    tenantId: input.tenantId,
    seq,
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId ?? null,
    summary: input.summary ?? {},
    ip: input.ip ?? null,
    createdAt,
  }
  const hash = hashEvent(prevHash, content)
  const [row] = await tx
    .insert(auditEvents)
    .values({ ...content, prevHash, hash })
    .returning({ id: auditEvents.id })
  return { id: row?.id ?? 0, seq, hash }
}

/** The result of walking a tenant's chain. */
export interface VerifyResult {
  ok: boolean
  /** Rows checked. */
  checked: number
  /** The first broken row, if any. */
  broken?: { id: number; seq: number; reason: 'content_changed' | 'chain_broken' | 'sequence_gap' }
}

/**
 * Walks the chain of one tenant in order and names the first broken row. With `from`, the walk
 * starts after a row already trusted (a verified checkpoint's seq and hash) instead of at the
 * genesis, so a periodic check reads only the rows added since.
 */
export async function verifyAuditChain(db: Db, tenantId: string, from?: { seq: number; hash: string }): Promise<VerifyResult> {
  let prevHash = from?.hash ?? GENESIS
  let expectedSeq = (from?.seq ?? 0) + 1
  let checked = 0
  let afterSeq = from?.seq ?? 0
  for (;;) {
    const rows = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), gt(auditEvents.seq, afterSeq)))
      .orderBy(asc(auditEvents.seq))
      .limit(5000)
    if (rows.length === 0) return { ok: true, checked }
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, checked, broken: { id: row.id, seq: row.seq, reason: 'sequence_gap' } }
      if (row.prevHash !== prevHash) return { ok: false, checked, broken: { id: row.id, seq: row.seq, reason: 'chain_broken' } }
      if (hashEvent(prevHash, row) !== row.hash)
        return { ok: false, checked, broken: { id: row.id, seq: row.seq, reason: 'content_changed' } }
      prevHash = row.hash
      expectedSeq += 1
      checked += 1
      afterSeq = row.seq
    }
  }
}

/** Filters for the audit log page. */
export interface AuditFilter {
  tenantId: string
  /** Rows by this actor (never matches a masked row: its actor is not shown). */
  actorId?: string
  action?: string
  subjectType?: string
  subjectId?: string
  from?: Date
  to?: Date
  /**
   * Words to find in a row's actor, action, subject and summary (case and accents folded).
   * Never matches a masked row, so a search cannot tell that hidden rows hold those words.
   */
  text?: string
  /** Rows per page (default 50). */
  limit?: number
  /** Show rows with seq lower than this (keyset pagination). */
  beforeSeq?: number
  /**
   * Need-to-know, required so that no listing forgets it: SQL over `audit_events` that is
   * true for rows whose details the reader may not see (the caller's domain rule, e.g. a
   * subject linked to a sealed case). Such rows keep their place (sequence, time, action,
   * subject type, the actor's role) and lose everything else.
   */
  maskedWhen: SQL
  /** SQL giving the acting user's role (the accounts module knows users; the log does not). */
  actorRole?: SQL
}

/** A listed audit row. A masked row has no actor label, subject id, summary or IP. */
export interface ListedAuditEvent {
  id: number
  seq: number
  createdAt: Date
  action: string
  subjectType: string
  /** The reader may not see this row's details (need-to-know). */
  masked: boolean
  /** The acting user's role today (null for the system or a removed user). */
  actorRole: string | null
  actorId: string | null
  actorLabel: string | null
  subjectId: string | null
  summary: Record<string, unknown>
  ip: string | null
}

/** `%`, `_` and `\` typed by the reader are letters, not LIKE wildcards. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

/**
 * Lists audit rows, newest first, with the details of rows matching `maskedWhen` removed
 * here, before they reach any page or export.
 */
export async function listAuditEvents(db: Db, f: AuditFilter): Promise<ListedAuditEvent[]> {
  const masked = sql<boolean>`(${f.maskedWhen})`
  const where: SQL[] = [eq(auditEvents.tenantId, f.tenantId)]
  if (f.actorId) where.push(eq(auditEvents.actorId, f.actorId), sql`NOT ${masked}`)
  if (f.action) where.push(eq(auditEvents.action, f.action))
  if (f.subjectType) where.push(eq(auditEvents.subjectType, f.subjectType))
  if (f.subjectId) where.push(eq(auditEvents.subjectId, f.subjectId), sql`NOT ${masked}`)
  if (f.from) where.push(gte(auditEvents.createdAt, f.from))
  if (f.to) where.push(lte(auditEvents.createdAt, f.to))
  if (f.beforeSeq) where.push(sql`${auditEvents.seq} < ${f.beforeSeq}`)
  const text = f.text?.normalize('NFC').trim()
  if (text) {
    where.push(
      sql`NOT ${masked}`,
      sql`fold_vi(concat_ws(' ', ${auditEvents.actorLabel}, ${auditEvents.action}, ${auditEvents.subjectType}, ${auditEvents.subjectId}, ${auditEvents.summary}::text)) LIKE fold_vi(${likeContains(text)})`,
    )
  }
  const rows = await db
    .select({
      id: auditEvents.id,
      seq: auditEvents.seq,
      createdAt: auditEvents.createdAt,
      action: auditEvents.action,
      subjectType: auditEvents.subjectType,
      actorId: auditEvents.actorId,
      actorLabel: auditEvents.actorLabel,
      subjectId: auditEvents.subjectId,
      summary: auditEvents.summary,
      ip: auditEvents.ip,
      masked,
      actorRole: sql<string | null>`${f.actorRole ?? sql`NULL`}`,
    })
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.seq))
    .limit(f.limit ?? 50)
  return rows.map((r) =>
    r.masked ? { ...r, masked: true, actorId: null, actorLabel: null, subjectId: null, summary: {}, ip: null } : { ...r, masked: false },
  )
}

/**
 * A refusal that must be audited although the change it refused rolls back (e.g. an
 * attempt to publish something linked to a sealed case). `runAudited` records it.
 */
export class AuditedRefusal extends AppError {
  constructor(
    code: ErrorCode,
    params: ErrorParams,
    /** The audit row to write in a transaction of its own. */
    readonly audit: AuditInput,
  ) {
    super(code, params)
  }
}

/** Runs `fn` in a transaction; an AuditedRefusal is recorded after the rollback, then rethrown. */
export async function runAudited<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await withTransaction(pool, fn)
  } catch (e) {
    if (e instanceof AuditedRefusal) await withTransaction(pool, (tx) => recordAudit(tx, e.audit))
    throw e
  }
}
