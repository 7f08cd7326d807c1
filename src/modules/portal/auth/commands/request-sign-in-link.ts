/**
 * Step 1 of signing in by e-mail: someone types an address on /doi-tac/dang-nhap. The request
 * itself only checks the rate limits and queues a job, the same work for a known and an unknown
 * address, so neither the answer nor its timing says whether the address belongs to a partner.
 * The job ({@link sendSignInLink}) looks the address up and mails the link.
 */
import type { Database } from '../../../../db/index.ts'
import { withTransaction } from '../../../../db/index.ts'
import { tokenHash } from '../../../../platform/auth/secrets.ts'
import { now } from '../../../../platform/clock.ts'
import { enqueue } from '../../../../platform/jobs/index.ts'
import { createRateLimiter } from '../../../../platform/http/rate-limit.ts'
import { signInEmailKey } from '../partner-lookup.ts'

/** The job that issues and mails a link (declared in auth.jobs.ts). */
export const SIGN_IN_LINK_JOB = 'portal.sign-in-link'

/** What the job receives: never the nonce itself, only its hash. */
export interface SignInLinkJobData {
  tenantId: string
  /** The normalised e-mail key. */
  email: string
  nonceHash: string
  ip: string
  /** Where the link points (the site's public address). */
  publicUrl: string
}

/**
 * Per address: 3 links, then one more every 5 minutes. Per IP: 10, then 1 a minute. Both count
 * for unknown addresses too (the same answer either way). One pair of limiters per app.
 */
export function signInLinkLimiters() {
  return {
    email: createRateLimiter({ name: 'portal-link-email', capacity: 3, perMinute: 0.2 }),
    ip: createRateLimiter({ name: 'portal-link-ip', capacity: 10, perMinute: 1 }),
  }
}

/** Options of {@link requestSignInLink}. */
export interface RequestSignInLinkOptions {
  database: Database
  tenantId: string
  /** The address as typed. */
  email: string
  /** The random nonce of the asking browser (its cookie). */
  nonce: string
  ip: string
  publicUrl: string
  limiters: ReturnType<typeof signInLinkLimiters>
}

/**
 * Validates the address (INVALID_EMAIL for what cannot be one), takes a token from the IP and
 * the address limiters (RATE_LIMITED with Retry-After), and queues the link job. Answers the
 * same for every well-formed address.
 */
export async function requestSignInLink(o: RequestSignInLinkOptions): Promise<void> {
  const email = signInEmailKey(o.email)
  const at = now().getTime()
  await o.limiters.ip.take(o.ip, at)
  await o.limiters.email.take(`${o.tenantId}:${email}`, at)
  const data: SignInLinkJobData = { tenantId: o.tenantId, email, nonceHash: tokenHash(o.nonce), ip: o.ip, publicUrl: o.publicUrl }
  await withTransaction(o.database.pool, (tx) => enqueue(tx, SIGN_IN_LINK_JOB, data))
}
