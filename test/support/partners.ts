/**
 * Factories for partner tests: a partner record in any status, with a linked partner account
 * (role = the partner's kind) and, on request, a signed-in session. Records are inserted
 * directly; the registry's own commands have their own tests.
 */
import { randomToken } from '../../src/platform/auth/secrets.ts'
import { partnerKeysOf } from '../../src/modules/partners/partners.repository.ts'
import { type PartnerKind, type PartnerRow, type PartnerStatus, partnerKeys, partners } from '../../src/modules/partners/partners.tables.ts'
import { type Login, loginAs, type MadeUser, makeUser, type TestApp } from './app.ts'

/** A partner made by the factory, its account and (when asked) its session. */
export interface MadePartner {
  partner: PartnerRow
  user: MadeUser
  login: Login
}

/**
 * Creates a partner (default: an accredited journalist with a press card valid for a year and a
 * unique e-mail), its account linked through `partners.user_id`, and a full session.
 */
export async function makePartner(
  t: TestApp,
  o: { kind?: PartnerKind; status?: PartnerStatus; email?: string; name?: string; pressCardNumber?: string | null } = {},
): Promise<MadePartner> {
  const kind = o.kind ?? 'journalist'
  const email = o.email ?? `${kind}-${randomToken(6).toLowerCase()}@bao.example.vn`
  const user = await makeUser(t, { role: kind, email })
  const pressCardNumber =
    o.pressCardNumber !== undefined
      ? o.pressCardNumber
      : kind === 'journalist'
        ? `TB${randomToken(6)
            .toUpperCase()
            .replace(/[^A-Z0-9]/g, '7')}`
        : null
  const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10)
  const [partner] = await t.database.db
    .insert(partners)
    .values({
      tenantId: t.tenant.id,
      kind,
      name: o.name ?? (kind === 'journalist' ? 'Nguyễn Thị Hoà' : 'Trần Văn Khoẻ'),
      email,
      pressCardNumber,
      pressCardExpiresOn: kind === 'journalist' ? nextYear : null,
      accreditationEndsOn: nextYear,
      status: o.status ?? 'accredited',
      userId: user.id,
    })
    .returning()
  const p = partner as PartnerRow
  const keys = partnerKeysOf({ email, pressCardNumber })
  if (keys.length)
    await t.database.db
      .insert(partnerKeys)
      .values(keys.map((k) => ({ tenantId: t.tenant.id, kind: k.kind, value: k.value, partnerId: p.id })))
  return { partner: p, user, login: await loginAs(t, user) }
}
