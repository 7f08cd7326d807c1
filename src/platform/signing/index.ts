/**
 * The tenant's Ed25519 signing key: one active key per tenant, created on first use. Published
 * editions and audit checkpoints are signed with it; the public half is published at
 * /.well-known/donghanh-signing-key.{pem,json}.
 */
import { generateKeyPairSync } from 'node:crypto'
import { and, eq, isNull } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { signingKeys } from './signing.tables.ts'

export { signingKeys } from './signing.tables.ts'

/** The tenant's active key pair, created on first use. */
export async function ensureSigningKey(tx: Tx | Db, tenantId: string) {
  const [existing] = await tx
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.tenantId, tenantId), isNull(signingKeys.retiredAt)))
  if (existing) return existing
  const { publicKey, privateKey } = generateKeyPairSync('ed25519')
  await tx
    .insert(signingKeys)
    .values({
      tenantId,
      publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    })
    .onConflictDoNothing()
  const [created] = await tx
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.tenantId, tenantId), isNull(signingKeys.retiredAt)))
  if (!created) throw new Error('signing key could not be created')
  return created
}
