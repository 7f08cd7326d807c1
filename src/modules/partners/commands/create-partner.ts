import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError, type ErrorCode } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { isCommuneCode } from '../../reference/communes.ts'
import { isUuid, parseDay } from '../partners.normalize.ts'
import { findDuplicates, type PartnerKey, partnerKeysOf } from '../partners.repository.ts'
import {
  CHANNEL_PLATFORMS,
  type ChannelPlatform,
  type KeyKind,
  PARTNER_KINDS,
  type PartnerKind,
  partnerChannels,
  partnerKeys,
  partnerStatusHistory,
  partners,
  pressOutlets,
} from '../partners.tables.ts'
import { isHttpUrl } from './create-press-outlet.ts'

/** One channel of an influencer. */
export interface ChannelInput {
  platform: ChannelPlatform
  /** The channel's http(s) address. */
  url: string
  /** Followers as the influencer declared them. */
  followers?: number | null
}

/** Fields of a new partner. */
export interface PartnerInput {
  kind: PartnerKind
  name: string
  /** Journalists only: their outlet (a press outlet of the same tenant). */
  outletId?: string | null
  /** Journalists only: the press card as printed, and its expiry day (`YYYY-MM-DD`). */
  pressCardNumber?: string | null
  pressCardExpiresOn?: string | null
  /** Vietnamese number in any usual form; stored as `0xxxxxxxxx`. */
  phone?: string | null
  /** Stored normalised (lower-case, punycode domain). */
  email?: string | null
  /** Beats or topics (short labels). */
  beats?: string[]
  /** Communes covered, codes from `reference/communes.ts`. */
  communeCodes?: string[]
  /** End of the accreditation term (`YYYY-MM-DD`), if already known. */
  accreditationEndsOn?: string | null
  /** The partner's account, if they have one. */
  userId?: string | null
  /** Influencers' channels. */
  channels?: ChannelInput[]
}

/** The error that names the key a duplicate shares. */
export const DUPLICATE_ERROR: Record<KeyKind, ErrorCode> = {
  press_card: 'PARTNER_DUPLICATE_PRESS_CARD',
  email: 'PARTNER_DUPLICATE_EMAIL',
  phone: 'PARTNER_DUPLICATE_PHONE',
}

/**
 * Adds a partner (status `applied`) with its keys and channels, a first status-history row and
 * an audit row. Refused when another partner of the tenant holds the same press card, e-mail or
 * phone (normalised): the error names the key, and nothing is written.
 */
export async function createPartner(o: { tx: Tx; actor: Actor; input: PartnerInput; ip?: string }): Promise<{ id: string }> {
  authorize(o.actor, 'manage', { type: 'partner', tenantId: o.actor.tenantId })
  return unsafeCreatePartner({ ...o, tenantId: o.actor.tenantId, actor: { id: o.actor.id, label: o.actor.email } })
}

/**
 * The creation itself, WITHOUT the policy check: for `createPartner` after it authorised and
 * for a verified public application (the system acts for the applicant, `application/`).
 */
export async function unsafeCreatePartner(o: {
  tx: Tx
  tenantId: string
  actor: AuditActor
  input: PartnerInput
  ip?: string
}): Promise<{ id: string }> {
  const tenantId = o.tenantId
  const v = await validatePartnerInput(o.tx, tenantId, o.input)
  const keys = partnerKeysOf(o.input)
  const [dup] = await findDuplicates(o.tx, tenantId, keys)
  if (dup) throw duplicateError(dup.matched[0] as PartnerKey)

  const byKind = Object.fromEntries(keys.map((k) => [k.kind, k.value])) as Partial<Record<KeyKind, string>>
  const at = now()
  const { channels, ...fields } = v
  const [row] = await o.tx
    .insert(partners)
    .values({
      tenantId,
      ...fields,
      email: byKind.email ?? null,
      phone: byKind.phone ?? null,
      status: 'applied',
      statusChangedAt: at,
      createdAt: at,
    })
    .returning({ id: partners.id })
  const id = row?.id as string
  for (const k of keys) {
    // A concurrent application with the same key committed since the check: refuse alike.
    const won = await o.tx
      .insert(partnerKeys)
      .values({ tenantId, partnerId: id, ...k })
      .onConflictDoNothing()
      .returning()
    if (won.length === 0) throw duplicateError(k)
  }
  for (const c of channels) await o.tx.insert(partnerChannels).values({ tenantId, partnerId: id, ...c })
  const actor = o.actor
  await o.tx.insert(partnerStatusHistory).values({
    tenantId,
    partnerId: id,
    fromStatus: null,
    toStatus: 'applied',
    reason: null,
    actorId: actor.id,
    actorLabel: actor.label,
    at,
  })
  await recordAudit(o.tx, {
    tenantId,
    actor,
    action: 'partner.created',
    subjectType: 'partner',
    subjectId: id,
    summary: { kind: v.kind, name: v.name, keys: keys.map((k) => k.kind), channels: channels.length },
    ip: o.ip,
  })
  return { id }
}

function duplicateError(k: PartnerKey): AppError {
  return new AppError(DUPLICATE_ERROR[k.kind], { value: k.value })
}

/**
 * Checks and cleans a partner's fields (kind rules, outlet and account of the tenant, beats,
 * communes, channels, days); PARTNER_INVALID naming the field otherwise. Shared with the
 * console's `updatePartner`.
 */
export async function validatePartnerInput(tx: Tx, tenantId: string, input: PartnerInput) {
  const kind = input.kind
  if (!(PARTNER_KINDS as readonly string[]).includes(kind)) throw new AppError('PARTNER_INVALID', { field: 'kind' })
  const name = cleanLine(input.name, 200)
  if (!name) throw new AppError('PARTNER_INVALID', { field: 'name' })
  if (!input.email?.trim() && !input.phone?.trim()) throw new AppError('PARTNER_INVALID', { field: 'email/phone' })
  const journalist = kind === 'journalist'
  if (!journalist && (input.outletId || input.pressCardNumber || input.pressCardExpiresOn))
    throw new AppError('PARTNER_INVALID', { field: 'outlet/press card' })
  if (journalist && input.channels?.length) throw new AppError('PARTNER_INVALID', { field: 'channels' })
  if (input.outletId) {
    if (!isUuid(input.outletId)) throw new AppError('PARTNER_INVALID', { field: 'outlet' })
    const [outlet] = await tx
      .select({ id: pressOutlets.id })
      .from(pressOutlets)
      .where(and(eq(pressOutlets.id, input.outletId), eq(pressOutlets.tenantId, tenantId)))
    if (!outlet) throw new AppError('PARTNER_INVALID', { field: 'outlet' })
  }
  if (input.userId) {
    const [user] = isUuid(input.userId)
      ? await tx
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.id, input.userId), eq(users.tenantId, tenantId)))
      : []
    if (!user) throw new AppError('PARTNER_INVALID', { field: 'account' })
  }
  const beats = [...new Set((input.beats ?? []).map((b) => cleanLine(b, 80)).filter(Boolean))]
  if (beats.length > 30) throw new AppError('PARTNER_INVALID', { field: 'beats' })
  const communeCodes = [...new Set(input.communeCodes ?? [])]
  if (!communeCodes.every(isCommuneCode)) throw new AppError('PARTNER_INVALID', { field: 'communes' })
  const channels = (input.channels ?? []).map((c) => {
    const url = cleanLine(c.url, 500)
    const followers = c.followers ?? null
    if (!(CHANNEL_PLATFORMS as readonly string[]).includes(c.platform) || !isHttpUrl(url))
      throw new AppError('PARTNER_INVALID', { field: 'channel' })
    if (followers !== null && (!Number.isSafeInteger(followers) || followers < 0 || followers > 2_000_000_000)) {
      throw new AppError('PARTNER_INVALID', { field: 'followers' })
    }
    return { platform: c.platform, url, followers }
  })
  const pressCardNumber = input.pressCardNumber?.trim() ? cleanLine(input.pressCardNumber, 40) : null
  return {
    kind,
    name,
    outletId: input.outletId || null,
    pressCardNumber,
    pressCardExpiresOn: input.pressCardExpiresOn ? parseDay(input.pressCardExpiresOn, 'press card expiry') : null,
    beats,
    communeCodes,
    accreditationEndsOn: input.accreditationEndsOn ? parseDay(input.accreditationEndsOn, 'accreditation end') : null,
    userId: input.userId || null,
    channels,
  }
}
