import { sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { Actor } from '../../../../platform/policy/index.ts'
import { distributionPreferences } from '../../distribution.tables.ts'
import { EMAIL_MODES, type EmailMode } from '../../distribution.types.ts'
import { emailPreferenceOf } from '../settings.queries.ts'

/**
 * Sets how the partner receives items by e-mail: `immediate` (one mail per item), `digest` (one
 * mail a day at `digestHour`, local time) or `off` (portal inbox and webhooks only). Raw form
 * values are checked here: an unknown mode or an hour outside 0–23 is refused
 * (DISTRIBUTION_PREFERENCES_INVALID) and nothing is written. A bounce mark is kept (it is about
 * the address, not the mode). Audited with before and after, in the same transaction; a change
 * to the same values writes nothing.
 */
export async function setEmailPreference(o: {
  tx: Tx
  /** The partner's account. */
  actor: Actor
  /** The partner (loaded live by the route with `requirePartner`). */
  partnerId: string
  /** One of `EMAIL_MODES`. */
  mode: unknown
  /** 0–23; only read for `digest` (otherwise the stored hour is kept). */
  digestHour: unknown
  ip?: string
}): Promise<{ changed: boolean }> {
  const mode = o.mode
  if (typeof mode !== 'string' || !(EMAIL_MODES as readonly string[]).includes(mode)) throw new AppError('DISTRIBUTION_PREFERENCES_INVALID')
  const before = await emailPreferenceOf(o.tx, o.actor.tenantId, o.partnerId)
  let hour = before.digestHour
  if (mode === 'digest') {
    const raw = typeof o.digestHour === 'string' ? o.digestHour.trim() : o.digestHour
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d{1,2}$/.test(raw) ? Number(raw) : Number.NaN
    if (!Number.isInteger(n) || n < 0 || n > 23) throw new AppError('DISTRIBUTION_PREFERENCES_INVALID')
    hour = n
  }
  if (before.emailMode === mode && before.digestHour === hour) return { changed: false }
  const at = now()
  await o.tx
    .insert(distributionPreferences)
    .values({ partnerId: o.partnerId, tenantId: o.actor.tenantId, emailMode: mode as EmailMode, digestHour: hour, updatedAt: at })
    .onConflictDoUpdate({
      target: distributionPreferences.partnerId,
      set: { emailMode: mode as EmailMode, digestHour: hour, updatedAt: at },
      // A partner row is one tenant's; the guard keeps a stray id from crossing tenants.
      setWhere: sql`${distributionPreferences.tenantId} = ${o.actor.tenantId}`,
    })
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'distribution.preferences_changed',
    subjectType: 'partner',
    subjectId: o.partnerId,
    summary: {
      emailMode: { before: before.emailMode, after: mode },
      digestHour: { before: before.digestHour, after: hour },
    },
    ip: o.ip,
  })
  return { changed: true }
}
