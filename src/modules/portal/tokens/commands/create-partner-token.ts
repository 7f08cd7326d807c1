import { eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { users } from '../../../accounts/accounts.tables.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { randomToken, tokenHash } from '../../../../platform/auth/secrets.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { PartnerTokenScope } from '../../../../platform/http/context.ts'
import type { Actor } from '../../../../platform/policy/index.ts'
import { normalizeText } from '../../../../text/normalize.ts'
import { countActiveTokens, MAX_ACTIVE_TOKENS, TOKEN_LIFETIMES_DAYS, TOKEN_PREFIX, VISIBLE_PREFIX_LENGTH } from '../tokens.repository.ts'
import { PARTNER_TOKEN_SCOPES, partnerTokens } from '../tokens.tables.ts'

/** What a partner asks for when creating a token (raw form values; validated here). */
export interface CreatePartnerTokenInput {
  /** The name the partner gives it (1–80 characters after NFC and trimming). */
  name: unknown
  /** The scopes ticked: a subset of `PARTNER_TOKEN_SCOPES`, at least one. */
  scopes: unknown
  /** Lifetime in days: one of `TOKEN_LIFETIMES_DAYS`. */
  days: unknown
}

/** The created token: the clear value (to show once, never stored) and its row's id and prefix. */
export interface CreatedPartnerToken {
  id: string
  /** The name as stored (normalised). */
  name: string
  token: string
  prefix: string
  expiresAt: Date
}

/**
 * Creates a personal API token for the signed-in partner `actor` (the caller has checked that
 * the account has a live partner record). The clear token is returned once; the row keeps only
 * its SHA-256 and a short visible prefix. Refuses a missing name, no scope, an unknown lifetime,
 * and an 11th active token (the account row is locked, so two concurrent creations cannot both
 * pass the count). Audited in the same transaction.
 */
export async function createPartnerToken(o: {
  tx: Tx
  /** The partner's account (owner of the token). */
  actor: Actor
  input: CreatePartnerTokenInput
  ip?: string
}): Promise<CreatedPartnerToken> {
  const name = normalizeText(typeof o.input.name === 'string' ? o.input.name : '')
  if (name.length === 0 || name.length > 80) throw new AppError('PARTNER_TOKEN_NAME_REQUIRED')
  const ticked = (Array.isArray(o.input.scopes) ? o.input.scopes : [o.input.scopes]).filter((s) => s !== undefined && s !== '')
  if (ticked.length === 0) throw new AppError('PARTNER_TOKEN_SCOPES_REQUIRED')
  // Fail closed on an unknown scope rather than dropping it silently.
  if (!ticked.every((s): s is PartnerTokenScope => (PARTNER_TOKEN_SCOPES as readonly unknown[]).includes(s)))
    throw new AppError('PARTNER_TOKEN_SCOPES_REQUIRED')
  const scopes = PARTNER_TOKEN_SCOPES.filter((s) => ticked.includes(s))
  const days = Number(o.input.days)
  if (!(TOKEN_LIFETIMES_DAYS as readonly number[]).includes(days)) throw new AppError('PARTNER_TOKEN_EXPIRY_INVALID')

  // Serialise an account's creations: the limit is counted under this lock.
  await o.tx.select({ id: users.id }).from(users).where(eq(users.id, o.actor.id)).for('update')
  const at = now()
  if ((await countActiveTokens(o.tx, o.actor.tenantId, o.actor.id, at)) >= MAX_ACTIVE_TOKENS)
    throw new AppError('PARTNER_TOKEN_LIMIT', { max: MAX_ACTIVE_TOKENS })

  const token = `${TOKEN_PREFIX}${randomToken(32)}`
  const prefix = token.slice(0, VISIBLE_PREFIX_LENGTH)
  const expiresAt = new Date(at.getTime() + days * 86_400_000)
  const [row] = await o.tx
    .insert(partnerTokens)
    .values({
      tenantId: o.actor.tenantId,
      userId: o.actor.id,
      name,
      tokenHash: tokenHash(token),
      prefix,
      scopes,
      createdAt: at,
      expiresAt,
    })
    .returning({ id: partnerTokens.id })
  const id = row?.id as string
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'partner_token.created',
    subjectType: 'partner_token',
    subjectId: id,
    // Never the token itself, nor its hash: the prefix is enough to recognise it.
    summary: { name, prefix, scopes, expiresAt: expiresAt.toISOString(), days },
    ip: o.ip,
  })
  return { id, name, token, prefix, expiresAt }
}
