/**
 * Erases a partner's personal data under Law 91/2025/QH15 (consent withdrawn, or the stated
 * time after the partnership ended): the record stays, with a neutral name, so its status
 * history, audit rows, inquiries and download log keep their subject; everything personal goes.
 */
import { and, eq, inArray, or, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { t } from '../../../../platform/i18n/index.ts'
import { recoveryCodes, users } from '../../../accounts/accounts.tables.ts'
import { addCounts, type HeldCounts, partnerDataHolders } from '../../partners.extensions.ts'
import { type PartnerRow, partnerChannels, partnerKeys, partners } from '../../partners.tables.ts'
import { partnerApplications } from '../application.tables.ts'
import { type ReleasedFile, unsafeDeleteApplications } from './erase-application.ts'

/** Why a partner's data is erased (kept in the audit row). */
export type PartnerErasureCause = 'consent_withdrawn' | 'retention_ended'

/** What an erasure did: counts only (the audit row's summary), and the files to remove. */
export interface PartnerErasure {
  records: number
  keys: number
  channels: number
  applications: number
  files: ReleasedFile[]
  accountDisabled: boolean
  /** What the other modules that hold partner data changed (inquiries, downloads, sessions …). */
  held: HeldCounts
}

/** The neutral name an erased record carries: both languages and a short reference, nothing personal. */
export function erasedPartnerName(partnerId: string): string {
  const ref = partnerId.slice(0, 8).toUpperCase()
  return `${t('vi', 'application.retention.erasedName')} / ${t('en', 'application.retention.erasedName')} · ${ref}`
}

/**
 * Erases `partner` (locked by the caller in `tx`) and the records merged into it (the same
 * person): name → neutral label; e-mail, phone, press card, beats and communes emptied; keys,
 * channels, applications (with proof-file rows, answers, links) and sign-in links deleted;
 * the asker's name and contacts on their inquiries replaced; IP and browser of their downloads
 * dropped; the partner account (never a staff one) disabled with a placeholder address, its
 * sessions, tokens, passkeys and recovery codes ended. Status history, acknowledgements (text
 * version, hash, time), reminders and audit rows stay: they hold no personal values. One
 * `partner.data_erased` audit row with the cause and the counts. The returned files are
 * removed after the commit when nothing else names their content.
 */
export async function erasePartnerData(o: {
  tx: Tx
  partner: PartnerRow
  cause: PartnerErasureCause
  actor: AuditActor
}): Promise<PartnerErasure> {
  const { tx, partner } = o
  // The record and those merged into it, at any depth (a merge keeps the old row, with its data).
  const rows = await tx.execute<{ id: string; user_id: string | null }>(sql`
    WITH RECURSIVE family AS (
      SELECT id, user_id FROM partners WHERE id = ${partner.id}
      UNION
      SELECT p.id, p.user_id FROM partners p JOIN family f ON p.merged_into = f.id
    ) SELECT id, user_id FROM family`)
  const ids = rows.rows.map((r) => r.id)
  const userIds = [...new Set(rows.rows.map((r) => r.user_id).filter((u): u is string => !!u))]
  const at = now()

  const name = erasedPartnerName(partner.id)
  await tx
    .update(partners)
    .set({ name, email: null, phone: null, pressCardNumber: null, pressCardExpiresOn: null, beats: [], communeCodes: [], erasedAt: at })
    .where(inArray(partners.id, ids))
  const keys = await tx.delete(partnerKeys).where(inArray(partnerKeys.partnerId, ids)).returning({ v: partnerKeys.value })
  const channels = await tx.delete(partnerChannels).where(inArray(partnerChannels.partnerId, ids)).returning({ id: partnerChannels.id })
  const apps = await tx
    .select({ id: partnerApplications.id })
    .from(partnerApplications)
    .where(or(inArray(partnerApplications.partnerId, ids), inArray(partnerApplications.duplicateOf, ids)))
  const deleted = await unsafeDeleteApplications(
    tx,
    apps.map((a) => a.id),
  )
  // The other modules' rows (the portal's links, downloads, passkeys; inquiries' asker details).
  const held: HeldCounts = {}
  for (const h of partnerDataHolders())
    if (h.erase)
      addCounts(held, await h.erase({ tx, tenantId: partner.tenantId, partnerIds: ids, userIds, erasedName: name, actor: o.actor }))
  let accountDisabled = false
  for (const userId of userIds) {
    for (const h of partnerDataHolders())
      if (h.endAccess)
        addCounts(held, await h.endAccess({ tx, tenantId: partner.tenantId, partnerId: partner.id, userId, actor: o.actor, audit: false }))
    // Only a partner account: a staff account wrongly linked keeps its identity (fail closed).
    const disabled = await tx
      .update(users)
      .set({
        email: `erased-${userId}@erased.invalid`,
        name: '',
        status: 'disabled',
        passwordHash: null,
        totpSecret: null,
        totpEnabledAt: null,
        updatedAt: at,
      })
      .where(and(eq(users.id, userId), inArray(users.role, ['journalist', 'influencer'])))
      .returning({ id: users.id })
    if (disabled.length > 0) {
      accountDisabled = true
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId))
    }
  }

  const result: PartnerErasure = {
    records: ids.length,
    keys: keys.length,
    channels: channels.length,
    applications: deleted.applications,
    files: deleted.files,
    accountDisabled,
    held,
  }
  await recordAudit(tx, {
    tenantId: partner.tenantId,
    actor: o.actor,
    action: 'partner.data_erased',
    subjectType: 'partner',
    subjectId: partner.id,
    summary: {
      cause: o.cause,
      status: partner.status,
      records: result.records,
      keys: result.keys,
      channels: result.channels,
      applications: result.applications,
      accountDisabled,
      ...held,
      files: deleted.files.length,
    },
  })
  return result
}
