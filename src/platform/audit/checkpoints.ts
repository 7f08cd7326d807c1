/**
 * Signed checkpoints of the audit chain. The hash chain shows that a row was edited, but not
 * that the newest rows were deleted (the shorter chain is still a valid chain), nor that a row
 * was removed and every later row renumbered and re-hashed with `hashEvent` (anyone with the
 * code can do that). A checkpoint fixes "on <time> the tenant's chain had <seq> rows and its
 * row <seq> had hash <hash>" under the tenant's Ed25519 key, the key that signs editions and
 * whose public part is published. A job signs one every ten minutes when the chain grew;
 * the list is public at /.well-known/donghanh-audit-checkpoints.json, so copies kept outside
 * the database (a journalist's download, an operator's saved file) defeat an attacker who
 * can also delete checkpoint rows. `donghanh audit verify` checks the chain against the stored
 * checkpoints and, with --checkpoint / --checkpoint-url, against such a copy.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import { type Database, type Db, type Tx, withTransaction } from '../../db/index.ts'
import { ensureSigningKey, signingKeys } from '../signing/index.ts'
import { now } from '../clock.ts'
import { AppError } from '../errors.ts'
import { defineJob } from '../jobs/index.ts'
import { tenants } from '../tenancy/tenants.tables.ts'
import { auditCheckpoints, auditEvents } from './audit.tables.ts'
import { type VerifyResult, verifyAuditChain } from './index.ts'

/** Tag of the signed text; a new format gets a new tag. */
export const CHECKPOINT_FORMAT = 'donghanh.audit-checkpoint.v1'

/** The job that signs checkpoints, and when it runs (UTC cron: every ten minutes). */
export const CHECKPOINT_JOB = 'audit.checkpoint'
const CHECKPOINT_CRON = '*/10 * * * *'

/** How many checkpoints the public list shows (newest first). */
export const PUBLISHED_CHECKPOINTS = 500

/** One signed checkpoint, as stored, published and saved (times as ISO 8601 UTC strings). */
export interface Checkpoint {
  tenantId: string
  /** Sequence number of the chain's head row when signed. */
  seq: number
  /** That row's hash. */
  hash: string
  /** When it was signed (ISO 8601, milliseconds, Z). */
  createdAt: string
  /** RFC 7638 thumbprint of the signing key (`kid` in the published JWK Set). */
  keyId: string
  /** Ed25519 signature (base64url) of `checkpointMessage`. */
  signature: string
}

/** The exact text that is signed: `donghanh.audit-checkpoint.v1|tenant|seq|hash|time`. */
export function checkpointMessage(c: Pick<Checkpoint, 'tenantId' | 'seq' | 'hash' | 'createdAt'>): string {
  return `${CHECKPOINT_FORMAT}|${c.tenantId}|${c.seq}|${c.hash}|${c.createdAt}`
}

/** The RFC 7638 thumbprint of an Ed25519 public key, as published as `kid` next to it. */
export function keyIdOf(publicKeyPem: string): string {
  const jwk = createPublicKey(publicKeyPem).export({ format: 'jwk' })
  return createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
    .digest('base64url')
}

function present(row: typeof auditCheckpoints.$inferSelect): Checkpoint {
  return {
    tenantId: row.tenantId,
    seq: row.seq,
    hash: row.hash,
    createdAt: row.createdAt.toISOString(),
    keyId: row.keyId,
    signature: row.signature,
  }
}

/** The tenant's checkpoints, newest first. */
export async function listCheckpoints(db: Db | Tx, tenantId: string, limit = PUBLISHED_CHECKPOINTS): Promise<Checkpoint[]> {
  const rows = await db
    .select()
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.tenantId, tenantId))
    .orderBy(desc(auditCheckpoints.seq))
    .limit(limit)
  return rows.map(present)
}

/**
 * Signs a checkpoint of the tenant's chain head, after verifying the rows added since the
 * previous checkpoint (a checkpoint must never bless a chain that is already broken). Returns
 * null when the chain is empty or has not grown since the last checkpoint; throws when the
 * chain is broken, so that the failed job shows it.
 */
export async function createCheckpoint(tx: Tx, tenantId: string): Promise<Checkpoint | null> {
  // No chain lock: writers commit in seq order (recordAudit's lock), so every row up to the
  // committed head is there; rows appended meanwhile are simply not covered by this one.
  const [head] = await tx
    .select({ seq: auditEvents.seq, hash: auditEvents.hash })
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
    .orderBy(desc(auditEvents.seq))
    .limit(1)
  if (!head) return null
  const [last] = await listCheckpoints(tx, tenantId, 1)
  if (last && last.seq >= head.seq) return null
  const check = await verifyAuditChain(tx, tenantId, last ? { seq: last.seq, hash: last.hash } : undefined)
  if (!check.ok) {
    throw new Error(`audit chain broken at seq ${check.broken?.seq} (${check.broken?.reason}): no checkpoint signed`)
  }
  const key = await ensureSigningKey(tx, tenantId)
  const unsigned = { tenantId, seq: head.seq, hash: head.hash, createdAt: new Date(Math.floor(now().getTime())).toISOString() }
  const signature = sign(null, Buffer.from(checkpointMessage(unsigned)), createPrivateKey(key.privateKeyPem)).toString('base64url')
  const checkpoint: Checkpoint = { ...unsigned, keyId: keyIdOf(key.publicKeyPem), signature }
  const inserted = await tx
    .insert(auditCheckpoints)
    .values({ ...checkpoint, createdAt: new Date(checkpoint.createdAt) })
    .onConflictDoNothing()
    .returning({ id: auditCheckpoints.id })
  // Another process signed this head at the same moment: its checkpoint stands.
  return inserted.length > 0 ? checkpoint : null
}

/**
 * Signs a checkpoint for every tenant whose chain grew. A tenant whose chain is broken does
 * not stop the others; the first such error is thrown at the end so that the job fails visibly.
 */
export async function checkpointAllTenants(database: Pick<Database, 'db' | 'pool'>): Promise<Checkpoint[]> {
  const all = await database.db.select({ id: tenants.id }).from(tenants)
  const made: Checkpoint[] = []
  let failure: unknown
  for (const t of all) {
    try {
      const c = await withTransaction(database.pool, (tx) => createCheckpoint(tx, t.id))
      if (c) made.push(c)
    } catch (e) {
      failure ??= e
    }
  }
  if (failure) throw failure
  return made
}

defineJob(CHECKPOINT_JOB, async (_data, _job, ctx) => void (await checkpointAllTenants(ctx.database)), {
  cron: CHECKPOINT_CRON,
  retryLimit: 2,
})

/** Why a checkpoint does not agree with the chain. */
export type CheckpointProblemReason =
  /** The chain is shorter than the checkpoint: rows were deleted at the end. */
  | 'truncated'
  /** The chain's row at the checkpoint's seq has another hash (or is gone): rows were rewritten. */
  | 'rewritten'
  /** The signature does not verify with the key it names. */
  | 'bad_signature'
  /** The key it names is not one of the tenant's keys. */
  | 'unknown_key'

/** One disagreement between a checkpoint and the chain. */
export interface CheckpointProblem {
  /** `stored`: from the database; `external`: from a saved or published copy. */
  source: 'stored' | 'external'
  checkpoint: Checkpoint
  reason: CheckpointProblemReason
  /** The chain's length (highest seq) when checked. */
  chainLength: number
}

/** The result of `verifyAuditIntegrity`. */
export interface IntegrityResult {
  /** True when the chain is intact and agrees with every checkpoint. */
  ok: boolean
  /** The walk of the chain itself. */
  chain: VerifyResult
  /** The chain's length (highest seq present). */
  chainLength: number
  /** Checkpoints checked, from the database and from the copy given. */
  checkpoints: { stored: number; external: number }
  /** The newest valid checkpoint seen (to print, and to save elsewhere). */
  latest?: Checkpoint
  problems: CheckpointProblem[]
}

/**
 * Verifies the tenant's chain and checks it against every stored checkpoint and every
 * checkpoint of `external` (a saved or published copy; other tenants' entries are ignored):
 * each signature must verify with one of the tenant's keys, the chain must reach the
 * checkpoint's seq (else it was truncated) and have the checkpoint's hash there (else it was
 * rewritten).
 */
export async function verifyAuditIntegrity(db: Db, tenantId: string, external: Checkpoint[] = []): Promise<IntegrityResult> {
  const chain = await verifyAuditChain(db, tenantId)
  const [len] = await db
    .select({ max: sql<number | null>`max(${auditEvents.seq})` })
    .from(auditEvents)
    .where(eq(auditEvents.tenantId, tenantId))
  const chainLength = Number(len?.max ?? 0)
  const stored = await db.select().from(auditCheckpoints).where(eq(auditCheckpoints.tenantId, tenantId))
  const mine = external.filter((c) => c.tenantId === tenantId)
  const all: { source: 'stored' | 'external'; checkpoint: Checkpoint }[] = [
    ...stored.map((r) => ({ source: 'stored' as const, checkpoint: present(r) })),
    ...mine.map((c) => ({ source: 'external' as const, checkpoint: c })),
  ]
  const keys = new Map(
    (await db.select({ pem: signingKeys.publicKeyPem }).from(signingKeys).where(eq(signingKeys.tenantId, tenantId))).map((k) => [
      keyIdOf(k.pem),
      k.pem,
    ]),
  )
  const seqs = [...new Set(all.map((c) => c.checkpoint.seq))]
  const hashes = new Map<number, string>()
  for (let i = 0; i < seqs.length; i += 1000) {
    const rows = await db
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenantId), inArray(auditEvents.seq, seqs.slice(i, i + 1000))))
    for (const r of rows) hashes.set(r.seq, r.hash)
  }
  const problems: CheckpointProblem[] = []
  let latest: Checkpoint | undefined
  for (const { source, checkpoint } of all) {
    const reason = problemOf(checkpoint, keys, hashes, chainLength)
    if (reason) problems.push({ source, checkpoint, reason, chainLength })
    else if (!latest || checkpoint.seq > latest.seq) latest = checkpoint
  }
  problems.sort((a, b) => a.checkpoint.seq - b.checkpoint.seq)
  return {
    ok: chain.ok && problems.length === 0,
    chain,
    chainLength,
    checkpoints: { stored: stored.length, external: mine.length },
    latest,
    problems,
  }
}

function problemOf(
  c: Checkpoint,
  keys: Map<string, string>,
  hashes: Map<number, string>,
  chainLength: number,
): CheckpointProblemReason | null {
  const pem = keys.get(c.keyId)
  if (!pem) return 'unknown_key'
  let valid = false
  try {
    valid = verify(null, Buffer.from(checkpointMessage(c)), createPublicKey(pem), Buffer.from(c.signature, 'base64url'))
  } catch {
    valid = false
  }
  if (!valid) return 'bad_signature'
  if (c.seq > chainLength) return 'truncated'
  if (hashes.get(c.seq) !== c.hash) return 'rewritten'
  return null
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * Reads checkpoints from saved JSON: one checkpoint object, an array of them, or the published
 * list (`{ checkpoints: [...] }`). Anything else is refused with AUDIT_CHECKPOINT_INVALID, so
 * that a wrong file cannot pass as "nothing to compare".
 */
export function parseCheckpoints(value: unknown): Checkpoint[] {
  const list = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && Array.isArray((value as { checkpoints?: unknown }).checkpoints)
      ? (value as { checkpoints: unknown[] }).checkpoints
      : [value]
  if (list.length === 0) throw new AppError('AUDIT_CHECKPOINT_INVALID', { reason: 'empty list / danh sách rỗng' })
  return list.map((item, i) => {
    const c = (item ?? {}) as Record<string, unknown>
    const ok =
      typeof c.tenantId === 'string' &&
      UUID.test(c.tenantId) &&
      typeof c.seq === 'number' &&
      Number.isSafeInteger(c.seq) &&
      c.seq > 0 &&
      typeof c.hash === 'string' &&
      /^[0-9a-f]{64}$/.test(c.hash) &&
      typeof c.createdAt === 'string' &&
      ISO.test(c.createdAt) &&
      typeof c.keyId === 'string' &&
      c.keyId.length > 0 &&
      typeof c.signature === 'string' &&
      /^[A-Za-z0-9_-]+$/.test(c.signature)
    if (!ok) throw new AppError('AUDIT_CHECKPOINT_INVALID', { reason: `#${i + 1}: tenantId, seq, hash, createdAt, keyId, signature` })
    return { tenantId: c.tenantId, seq: c.seq, hash: c.hash, createdAt: c.createdAt, keyId: c.keyId, signature: c.signature } as Checkpoint
  })
}
