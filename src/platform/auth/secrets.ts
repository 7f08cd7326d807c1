/**
 * Secrets: passwords (argon2id), random tokens and their hashes, TOTP (RFC 6238) with
 * replay protection, recovery codes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import { authenticator } from 'otplib'
import { AppError } from '../errors.ts'

// argon2id with OWASP's second recommended profile: m=19 MiB, t=2, p=1.
const ARGON = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

/** Hashes a password with argon2id. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON)
}

/** Checks a password against its argon2id hash (constant-time inside argon2). */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false
  try {
    return await verify(passwordHash, password)
  } catch {
    return false
  }
}

// A hash to verify against when the account does not exist, so that timing does not
// reveal which e-mail addresses have accounts.
let dummyHash: Promise<string> | undefined
/** Spends the same time as a real verification. */
export async function verifyDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('dummy-password-for-timing')
  await verifyPassword(await dummyHash, password)
}

const COMMON = new Set([
  'password1234',
  '123456789012',
  'matkhau12345',
  'qwertyuiop12',
  'abc123456789',
  '111111111111',
  'congan123456',
  'thanhhoa1234',
  'admin1234567',
  'iloveyou1234',
])

/** Rejects weak passwords: under 12 characters, common, one repeated character, or the e-mail. */
export function assertStrongPassword(password: string, email = ''): void {
  const p = password.normalize('NFC')
  const local = email.split('@')[0]?.toLowerCase() ?? ''
  if (
    p.length < 12 ||
    p.length > 256 ||
    COMMON.has(p.toLowerCase()) ||
    /^(.)\1+$/.test(p) ||
    (local.length >= 4 && p.toLowerCase().includes(local))
  ) {
    throw new AppError('WEAK_PASSWORD', { min: 12 })
  }
}

const EMAIL = /^[^\s@<>()[\]\\,;:"]{1,64}@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/i

/** Normalises an e-mail address (trim, lower-case) and rejects invalid ones. */
export function normalizeEmail(input: unknown): string {
  const email = typeof input === 'string' ? input.trim().toLowerCase() : ''
  if (email.length > 254 || !EMAIL.test(email)) throw new AppError('INVALID_EMAIL')
  return email
}

/** A URL-safe random token. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

/** SHA-256 hex of a token: what the database stores. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** Constant-time string comparison. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** A new base32 TOTP secret. */
export function newTotpSecret(): string {
  return authenticator.generateSecret(20)
}

/** The otpauth:// URI for authenticator apps. */
export function totpUri(email: string, issuer: string, secret: string): string {
  return authenticator.keyuri(email, issuer, secret)
}

/** The code of `secret` for one 30-second time step (a clone, so no shared options change). */
function codeAtStep(secret: string, step: number): string {
  return authenticator.clone({ epoch: step * 30_000, step: 30, window: 0, digits: 6 }).generate(secret)
}

/**
 * Checks a TOTP code and returns its time step; refuses codes of a step already used
 * (a replayed code), and codes outside ±1 step.
 */
export function checkTotp(secret: string, code: string, lastStep: number | null, at: Date): number {
  const clean = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(clean)) throw new AppError('TOTP_INVALID')
  const base = Math.floor(at.getTime() / 30_000)
  for (const step of [base, base - 1, base + 1]) {
    if (safeEqual(codeAtStep(secret, step), clean)) {
      if (lastStep !== null && step <= lastStep) throw new AppError('TOTP_REPLAYED')
      return step
    }
  }
  throw new AppError('TOTP_INVALID')
}

/** The current code for a secret (tests, demo manifest). */
export function totpNow(secret: string, at: Date = new Date()): string {
  return codeAtStep(secret, Math.floor(at.getTime() / 30_000))
}

/** Ten recovery codes, formatted xxxxx-xxxxx. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const raw = randomBytes(6).toString('hex').slice(0, 10)
    return `${raw.slice(0, 5)}-${raw.slice(5)}`
  })
}

/** Canonical form of a typed recovery code. */
export function normalizeRecoveryCode(code: string): string {
  const c = code
    .trim()
    .toLowerCase()
    .replace(/[^0-9a-f]/g, '')
  return c.length === 10 ? `${c.slice(0, 5)}-${c.slice(5)}` : c
}
