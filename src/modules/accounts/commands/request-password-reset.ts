import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { normalizeEmail } from '../../../platform/auth/secrets.ts'
import { t } from '../../../platform/i18n/index.ts'
import { queueMail } from '../../../platform/mail/index.ts'
import { issueToken } from '../tokens.ts'
import { findUserByEmail } from '../users.ts'

/**
 * Mails a single-use reset link valid 30 minutes to an active account. The caller shows
 * the same answer whether or not the account exists, so the form reveals nothing.
 */
export async function requestPasswordReset(o: {
  tx: Tx
  tenantId: string
  tenantName: string
  email: unknown
  publicUrl: string
  ip?: string
}): Promise<void> {
  const email = normalizeEmail(o.email)
  const user = await findUserByEmail(o.tx, o.tenantId, email)
  if (user?.status !== 'active') return
  const token = await issueToken(o.tx, { tenantId: o.tenantId, userId: user.id, kind: 'reset' })
  const link = `${o.publicUrl}/console/password/reset?token=${encodeURIComponent(token)}`
  await queueMail(o.tx, {
    tenantId: o.tenantId,
    to: user.email,
    subject: `${t('vi', 'mail.reset.subject')} / ${t('en', 'mail.reset.subject')}`,
    text: [
      t('vi', 'mail.reset.body', { unit: o.tenantName, link }),
      '',
      '---',
      '',
      t('en', 'mail.reset.body', { unit: o.tenantName, link }),
    ].join('\n'),
  })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: { id: user.id, label: user.email },
    action: 'user.password_reset_requested',
    subjectType: 'user',
    subjectId: user.id,
    ip: o.ip,
  })
}
