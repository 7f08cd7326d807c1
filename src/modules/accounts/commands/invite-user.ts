import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { normalizeEmail } from '../../../platform/auth/secrets.ts'
import { AppError } from '../../../platform/errors.ts'
import { t } from '../../../platform/i18n/index.ts'
import { queueMail } from '../../../platform/mail/index.ts'
import { isRole } from '../../../platform/policy/index.ts'
import { users } from '../accounts.tables.ts'
import { issueToken } from '../tokens.ts'
import { findUserByEmail } from '../users.ts'

/** Input of an invitation. */
export interface InviteUserOptions {
  tx: Tx
  tenantId: string
  /** Name of the unit, for the mail. */
  tenantName: string
  actor: AuditActor
  email: unknown
  role: unknown
  name?: string
  /** Base URL for the link in the mail. */
  publicUrl: string
  /** Demo accounts (seed-demo) are marked. */
  isDemo?: boolean
  ip?: string
}

/**
 * Creates an invited account and mails a single-use link (valid 7 days) where the person
 * sets a password; staff then enrol TOTP at first sign-in. Returns the link as well, for
 * the `admin create` command to print.
 */
export async function inviteUser(o: InviteUserOptions): Promise<{ userId: string; link: string }> {
  const email = normalizeEmail(o.email)
  if (!isRole(o.role)) throw new AppError('ROLE_UNKNOWN', { role: String(o.role).slice(0, 40) })
  if (await findUserByEmail(o.tx, o.tenantId, email)) throw new AppError('EMAIL_TAKEN')
  const [user] = await o.tx
    .insert(users)
    .values({
      tenantId: o.tenantId,
      email,
      name: (o.name ?? '').trim().normalize('NFC').slice(0, 200),
      role: o.role,
      status: 'invited',
      isDemo: o.isDemo ?? false,
    })
    .returning({ id: users.id })
  if (!user) throw new Error('user insert returned nothing')
  const token = await issueToken(o.tx, { tenantId: o.tenantId, userId: user.id, kind: 'invite' })
  const link = `${o.publicUrl}/console/invite/accept?token=${encodeURIComponent(token)}`
  const role = { vi: t('vi', `role.${o.role}`), en: t('en', `role.${o.role}`) }
  await queueMail(o.tx, {
    tenantId: o.tenantId,
    to: email,
    subject: `${t('vi', 'mail.invite.subject', { unit: o.tenantName })} / ${t('en', 'mail.invite.subject', { unit: o.tenantName })}`,
    text: [
      t('vi', 'mail.invite.body', { unit: o.tenantName, role: role.vi, link }),
      '',
      '---',
      '',
      t('en', 'mail.invite.body', { unit: o.tenantName, role: role.en, link }),
    ].join('\n'),
  })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'user.invited',
    subjectType: 'user',
    subjectId: user.id,
    summary: { email, role: o.role },
    ip: o.ip,
  })
  return { userId: user.id, link }
}
