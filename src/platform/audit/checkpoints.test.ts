/**
 * Signed checkpoints make truncation and rewriting of the audit chain detectable. Each
 * tampering below is done as a superuser who bypasses the append-only triggers, and each one
 * passes the chain walk alone (`verifyAuditChain`, what `audit verify` ran before): the
 * checkpoints, stored or kept as a copy elsewhere, are what catch it.
 */
import { execFile } from 'node:child_process'
import { generateKeyPairSync, sign, verify, createPublicKey } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { asc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, loginAs, makeUser, type TestApp } from '../../../test/support/app.ts'
import { createTestDatabase } from '../../../test/support/db.ts'
import { type Database, withTransaction } from '../../db/index.ts'
import { publicJwk } from '../../modules/newsroom/verify.ts'
import { ensureSigningKey } from '../signing/index.ts'
import { isAppError } from '../errors.ts'
import { ensureDefaultTenant, type Tenant } from '../tenancy/index.ts'
import { tenants } from '../tenancy/tenants.tables.ts'
import { auditEvents } from './audit.tables.ts'
import {
  type Checkpoint,
  checkpointMessage,
  checkpointAllTenants,
  createCheckpoint,
  keyIdOf,
  listCheckpoints,
  parseCheckpoints,
  verifyAuditIntegrity,
} from './checkpoints.ts'
import { hashEvent, recordAudit, verifyAuditChain } from './index.ts'

const run = promisify(execFile)
let database: Database
let tenant: Tenant
let dir: string

beforeAll(async () => {
  database = await createTestDatabase()
  tenant = await ensureDefaultTenant(database.db)
  dir = await mkdtemp(path.join(tmpdir(), 'donghanh-checkpoints-'))
})
afterAll(async () => {
  await database.close()
  await rm(dir, { recursive: true, force: true })
})

/** A tenant of its own per scenario: chains are per tenant, so scenarios do not interfere. */
async function newTenant(): Promise<string> {
  const slug = `t${Math.random().toString(36).slice(2, 10)}`
  const [row] = await database.db
    .insert(tenants)
    .values({ slug, name: slug, shortName: slug, hotline: '0', email: `${slug}@example.test`, address: '-' })
    .returning({ id: tenants.id })
  return row?.id as string
}

async function append(tenantId: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await withTransaction(database.pool, (tx) =>
      recordAudit(tx, {
        tenantId,
        actor: { id: null, label: 'test' },
        action: 'user.created',
        subjectType: 'user',
        subjectId: `u${i}`,
        summary: { i },
      }),
    )
  }
}

async function checkpoint(tenantId: string): Promise<Checkpoint | null> {
  return withTransaction(database.pool, (tx) => createCheckpoint(tx, tenantId))
}

/** Runs `sql` as a superuser with the append-only triggers off (what an attacker would do). */
async function asAttacker(fn: (q: (text: string, values?: unknown[]) => Promise<unknown>) => Promise<void>): Promise<void> {
  const client = await database.pool.connect()
  try {
    await client.query('SET session_replication_role = replica')
    await fn((text, values) => client.query(text, values))
  } finally {
    await client.query('SET session_replication_role = DEFAULT')
    client.release()
  }
}

/** Deletes row `seq` and renumbers and re-hashes every later row with the app's own hashEvent. */
async function removeAndRehash(tenantId: string, seq: number): Promise<void> {
  await asAttacker(async (q) => {
    await q('DELETE FROM audit_events WHERE tenant_id = $1 AND seq = $2', [tenantId, seq])
    const rows = await database.db.select().from(auditEvents).where(eq(auditEvents.tenantId, tenantId)).orderBy(asc(auditEvents.seq))
    let prev = rows.find((r) => r.seq === seq - 1)?.hash ?? '0'.repeat(64)
    for (const row of rows.filter((r) => r.seq > seq)) {
      const moved = { ...row, seq: row.seq - 1 }
      const hash = hashEvent(prev, moved)
      await q('UPDATE audit_events SET seq = $1, prev_hash = $2, hash = $3 WHERE id = $4', [moved.seq, prev, hash, row.id])
      prev = hash
    }
  })
}

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run('npx', ['tsx', 'src/main.ts', ...args], { env: { ...process.env, DATABASE_URL: database.url, NODE_ENV: 'test' } }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )
}

describe('audit checkpoints', () => {
  it('signs the chain head with the editions key, once per growth, and an intact chain verifies', async () => {
    const t = await newTenant()
    expect(await checkpoint(t)).toBeNull() // empty chain: nothing to sign
    await append(t, 3)
    const first = await checkpoint(t)
    expect(first).toMatchObject({ tenantId: t, seq: 3 })
    expect(await checkpoint(t)).toBeNull() // no new rows
    await append(t, 2)
    const second = await checkpoint(t)
    expect(second?.seq).toBe(5)

    // Signed `format|tenant|seq|hash|time` with the tenant's Ed25519 key, named by its published kid.
    const key = await ensureSigningKey(database.db, t)
    expect(second?.keyId).toBe(publicJwk(key.publicKeyPem).kid)
    expect(keyIdOf(key.publicKeyPem)).toBe(publicJwk(key.publicKeyPem).kid)
    const c = second as Checkpoint
    expect(checkpointMessage(c)).toBe(`donghanh.audit-checkpoint.v1|${t}|5|${c.hash}|${c.createdAt}`)
    expect(verify(null, Buffer.from(checkpointMessage(c)), createPublicKey(key.publicKeyPem), Buffer.from(c.signature, 'base64url'))).toBe(
      true,
    )

    const r = await verifyAuditIntegrity(database.db, t)
    expect(r).toMatchObject({ ok: true, chainLength: 5, checkpoints: { stored: 2, external: 0 }, problems: [] })
    expect(r.latest?.seq).toBe(5)
  })

  it('the job signs every tenant whose chain grew', async () => {
    const a = await newTenant()
    const b = await newTenant()
    await append(a, 2)
    await append(b, 1)
    await checkpointAllTenants(database)
    expect((await listCheckpoints(database.db, a))[0]?.seq).toBe(2)
    expect((await listCheckpoints(database.db, b))[0]?.seq).toBe(1)
  })

  it('detects deleting the newest rows, which the chain walk alone does not', async () => {
    const t = await newTenant()
    await append(t, 6)
    await checkpoint(t)
    await asAttacker((q) => q('DELETE FROM audit_events WHERE tenant_id = $1 AND seq > 4', [t]).then(() => undefined))
    expect(await verifyAuditChain(database.db, t)).toEqual({ ok: true, checked: 4 }) // blind
    const r = await verifyAuditIntegrity(database.db, t)
    expect(r.ok).toBe(false)
    expect(r.chain.ok).toBe(true)
    expect(r.problems).toMatchObject([{ source: 'stored', reason: 'truncated', chainLength: 4, checkpoint: { seq: 6 } }])
  })

  it('detects a middle row removed and the later hashes recomputed, which the chain walk alone does not', async () => {
    const t = await newTenant()
    await append(t, 4)
    await checkpoint(t)
    await append(t, 4)
    await checkpoint(t)
    await removeAndRehash(t, 2)
    expect(await verifyAuditChain(database.db, t)).toEqual({ ok: true, checked: 7 }) // blind
    const r = await verifyAuditIntegrity(database.db, t)
    expect(r.ok).toBe(false)
    expect(r.problems.map((p) => [p.checkpoint.seq, p.reason])).toEqual([
      [4, 'rewritten'],
      [8, 'truncated'],
    ])
  })

  it('refuses checkpoints it did not sign: a forged signature, an unknown key', async () => {
    const t = await newTenant()
    await append(t, 2)
    const real = await checkpoint(t)
    const other = generateKeyPairSync('ed25519')
    const [head] = await database.db.select().from(auditEvents).where(eq(auditEvents.tenantId, t)).orderBy(asc(auditEvents.seq))
    const forged = { tenantId: t, seq: 1, hash: head?.hash as string, createdAt: new Date().toISOString() }
    const signature = sign(null, Buffer.from(checkpointMessage(forged)), other.privateKey).toString('base64url')
    const external: Checkpoint[] = [
      { ...forged, keyId: real?.keyId as string, signature },
      { ...forged, keyId: keyIdOf(other.publicKey.export({ type: 'spki', format: 'pem' }).toString()), signature },
    ]
    const r = await verifyAuditIntegrity(database.db, t, external)
    expect(r.ok).toBe(false)
    expect(r.problems.map((p) => p.reason).sort()).toEqual(['bad_signature', 'unknown_key'])
    expect(r.latest?.seq).toBe(2)
  })

  it('reads a saved checkpoint, an array or the published list, and refuses anything else', () => {
    const c = { tenantId: tenant.id, seq: 1, hash: 'a'.repeat(64), createdAt: '2025-01-01T00:00:00.000Z', keyId: 'k', signature: 'abc' }
    expect(parseCheckpoints(c)).toEqual([c])
    expect(parseCheckpoints([c, c])).toHaveLength(2)
    expect(parseCheckpoints({ algorithm: 'Ed25519', checkpoints: [c] })).toEqual([c])
    for (const bad of [null, 'x', [], { checkpoints: [] }, { ...c, seq: '1' }, { ...c, hash: 'zz' }, { ...c, createdAt: 'yesterday' }]) {
      let caught: unknown
      try {
        parseCheckpoints(bad)
      } catch (e) {
        caught = e
      }
      expect(isAppError(caught) && caught.code).toBe('AUDIT_CHECKPOINT_INVALID')
    }
  })
})

describe('published checkpoints and `donghanh audit verify`', () => {
  let served: TestApp
  let listUrl: string

  beforeAll(async () => {
    served = await createTestApp({}, undefined, { database })
    const address = await served.app.listen({ port: 0, host: '127.0.0.1' })
    listUrl = `${address}/.well-known/donghanh-audit-checkpoints.json`
  })
  afterAll(async () => {
    await served.close()
  })

  it('publishes the checkpoints beside the key that verifies them', async () => {
    await append(tenant.id, 5)
    await checkpoint(tenant.id)
    const res = await served.app.inject({ method: 'GET', url: '/.well-known/donghanh-audit-checkpoints.json' })
    expect(res.statusCode).toBe(200)
    const list = res.json() as { algorithm: string; checkpoints: Checkpoint[] }
    expect(list.algorithm).toBe('Ed25519')
    expect(list.checkpoints.map((c) => c.seq)).toEqual([5])
    const jwks = (await served.app.inject({ method: 'GET', url: '/.well-known/donghanh-signing-key.json' })).json() as {
      keys: (JsonWebKey & { kid: string })[]
    }
    const c = list.checkpoints[0] as Checkpoint
    const jwk = jwks.keys.find((k) => k.kid === c.keyId)
    expect(jwk).toBeDefined()
    const key = createPublicKey({ key: jwk as unknown as import('node:crypto').JsonWebKey, format: 'jwk' })
    expect(verify(null, Buffer.from(checkpointMessage(c)), key, Buffer.from(c.signature, 'base64url'))).toBe(true)
  })

  it('CLI: ok on an intact chain, then catches truncation through a saved copy after the checkpoint rows are deleted too', async () => {
    await append(tenant.id, 2)
    const signed = await cli(['audit', 'checkpoint'])
    expect(signed.code).toBe(0)
    const saved = JSON.parse(signed.stdout) as Checkpoint
    expect(saved.seq).toBe(7)

    const ok = await cli(['audit', 'verify', '--checkpoint-url', listUrl])
    expect(ok.code).toBe(0)
    expect(ok.stdout).toMatch(/audit: OK/)
    expect(ok.stdout).toMatch(/2 trong CSDL \/ stored, 2 từ bản sao \/ from the copy/)

    // Keep the published list and the printed checkpoint elsewhere, as an outsider would.
    const listFile = path.join(dir, 'published.json')
    await writeFile(listFile, (await served.app.inject({ method: 'GET', url: '/.well-known/donghanh-audit-checkpoints.json' })).body)
    const oneFile = path.join(dir, 'one.json')
    await writeFile(oneFile, JSON.stringify(saved))

    // The attacker deletes the two newest rows and every checkpoint row.
    await asAttacker(async (q) => {
      await q('DELETE FROM audit_events WHERE tenant_id = $1 AND seq > 5', [tenant.id])
      await q('DELETE FROM audit_checkpoints WHERE tenant_id = $1', [tenant.id])
    })
    const blind = await cli(['audit', 'verify'])
    expect(blind.code).toBe(0) // nothing left in the database can tell…
    expect(blind.stdout).toMatch(/no checkpoint yet/)

    for (const file of [listFile, oneFile]) {
      const caught = await cli(['audit', 'verify', '--checkpoint', file]) // …the copy can
      expect(caught.code).toBe(3)
      expect(caught.stdout).toMatch(/TRUNCATED — chuỗi chỉ còn 5 bản ghi .* seq=7/)
      expect(caught.stdout).toMatch(/the newest rows were deleted \[bản sao \/ copy\]/)
      expect(caught.stdout).toMatch(/FAILED/)
    }
  }, 180_000)

  it('CLI: a rewritten chain is caught by the saved copy', async () => {
    const saved = JSON.parse((await cli(['audit', 'checkpoint'])).stdout) as Checkpoint
    expect(saved.seq).toBe(5)
    await append(tenant.id, 2)
    const file = path.join(dir, 'before-rewrite.json')
    await writeFile(file, JSON.stringify([saved]))
    await removeAndRehash(tenant.id, 3)
    await asAttacker((q) => q('DELETE FROM audit_checkpoints WHERE tenant_id = $1', [tenant.id]).then(() => undefined))
    const r = await cli(['audit', 'verify', '--checkpoint', file])
    expect(r.code).toBe(3)
    expect(r.stdout).toMatch(/REWRITTEN — bản ghi seq=5 .* the chain was rewritten \[bản sao \/ copy\]/)
  }, 180_000)

  it('CLI: an unreadable or invalid copy is refused in both languages (exit 2), never taken as "nothing to compare"', async () => {
    const bad = path.join(dir, 'bad.json')
    await writeFile(bad, '{"checkpoints": [{"seq": "x"}]}')
    const invalid = await cli(['audit', 'verify', '--checkpoint', bad])
    expect(invalid.code).toBe(2)
    expect(invalid.stderr).toContain('Điểm kiểm tra nhật ký không hợp lệ')
    expect(invalid.stderr).toContain('Invalid audit checkpoint')
    const missing = await cli(['audit', 'verify', '--checkpoint', path.join(dir, 'nope.json')])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('Không đọc được điểm kiểm tra')
    expect(missing.stderr).toContain('Could not read checkpoints')
  }, 180_000)
})

describe('the console audit page checks the checkpoints too', () => {
  it('says the chain agrees with its checkpoints, then names the truncation after the newest rows are deleted', async () => {
    const t = await createTestApp()
    try {
      const admin = await makeUser(t, { role: 'admin' })
      const login = await loginAs(t, admin)
      for (let i = 0; i < 3; i++) {
        await withTransaction(t.database.pool, (tx) =>
          recordAudit(tx, {
            tenantId: t.tenant.id,
            actor: { id: null, label: 'test' },
            action: 'user.created',
            subjectType: 'user',
            subjectId: `c${i}`,
          }),
        )
      }
      const signed = await withTransaction(t.database.pool, (tx) => createCheckpoint(tx, t.tenant.id))
      expect(signed).not.toBeNull()
      const ok = await t.app.inject({ method: 'GET', url: '/console/audit?verify=1', headers: login.headers })
      expect(ok.statusCode).toBe(200)
      expect(ok.body).toContain('khớp với 1 điểm kiểm đã ký')

      // Delete the newest rows as a superuser: the chain that is left is consistent in itself.
      const client = await t.database.pool.connect()
      try {
        await client.query('SET session_replication_role = replica')
        await client.query('DELETE FROM audit_events WHERE tenant_id = $1 AND seq > $2', [t.tenant.id, (signed?.seq ?? 1) - 1])
      } finally {
        await client.query('SET session_replication_role = DEFAULT')
        client.release()
      }
      expect((await verifyAuditChain(t.database.db, t.tenant.id)).ok).toBe(true)
      const caught = await t.app.inject({ method: 'GET', url: '/console/audit?verify=1', headers: login.headers })
      expect(caught.body).toContain('Nhật ký không khớp với điểm kiểm đã ký')
      expect(caught.body).toContain('nhật ký bị cắt ngắn')
    } finally {
      await t.close()
    }
  })
})
