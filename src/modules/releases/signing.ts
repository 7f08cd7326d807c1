/**
 * Signed editions. Each published edition is signed with the tenant's Ed25519 key over a
 * canonical JSON of what the public reads; the page shows a short verification code that
 * anyone can check at /xac-minh, and the public key is published at a well-known URL. The key
 * itself is the tenant's (platform/signing), shared with the audit checkpoints.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto'
import { canonicalJson } from '../../platform/audit/index.ts'

/** What is signed: the public content of one edition. */
export interface SignedContent {
  releaseId: string
  edition: number
  kind: string
  title: string
  summary: string
  bodyMd: string
  publishedAt: Date
  /** Public change note of a correction, if any. */
  changeNote: string | null
}

/** The canonical text that is hashed and signed (version-tagged for future changes). */
export function canonicalEdition(c: SignedContent): string {
  return canonicalJson({
    v: 1,
    releaseId: c.releaseId,
    edition: c.edition,
    kind: c.kind,
    title: c.title.normalize('NFC'),
    summary: c.summary.normalize('NFC'),
    body: c.bodyMd.normalize('NFC'),
    publishedAt: c.publishedAt.toISOString(),
    changeNote: c.changeNote,
  })
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** A short human code derived from the signature: 12 Crockford base32 characters, XXXX-XXXX-XXXX. */
export function verificationCodeOf(signature: string): string {
  const digest = createHash('sha256').update(signature).digest()
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of digest) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5 && out.length < 12) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
    if (out.length >= 12) break
  }
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}`
}

/** Normalises a typed code: upper-case, Crockford look-alikes (O→0, I/L→1; U is not used), dashes. */
export function normalizeVerificationCode(input: string): string | null {
  const c = input
    .toUpperCase()
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1')
    .replace(/[^0-9A-Z]/g, '')
  if (c.length !== 12 || [...c].some((ch) => !CROCKFORD.includes(ch))) return null
  return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8, 12)}`
}

/** Signs an edition: its content hash, the Ed25519 signature (base64url) and the short code. */
export function signContent(privateKeyPem: string, content: SignedContent) {
  const canonical = canonicalEdition(content)
  const contentHash = createHash('sha256').update(canonical).digest('hex')
  const signature = sign(null, Buffer.from(canonical), createPrivateKey(privateKeyPem)).toString('base64url')
  return { contentHash, signature, verificationCode: verificationCodeOf(signature) }
}

/** Checks a signature against the public key. */
export function verifyContent(publicKeyPem: string, content: SignedContent, signature: string): boolean {
  try {
    return verify(null, Buffer.from(canonicalEdition(content)), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64url'))
  } catch {
    return false
  }
}
