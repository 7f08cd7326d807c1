/**
 * `donghanh seed-demo --manifest FILE`: fills an EMPTY database with realistic Vietnamese
 * demo content and writes a manifest of what it made (users with passwords and TOTP
 * secrets, items with their public state and URL). Demo users are marked and refused in
 * production mode. Later modules extend `seedDemo` with their own content.
 */
import { writeFile } from 'node:fs/promises'
import { and, eq, sql } from 'drizzle-orm'
import type { Config } from '../../config.ts'
import { withTransaction } from '../../db/index.ts'
import { recordAudit } from '../../platform/audit/index.ts'
import { hashPassword, newTotpSecret, randomToken } from '../../platform/auth/secrets.ts'
import { now } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import type { Role } from '../../platform/policy/index.ts'
import { applyTenant, type TenantIdentity } from '../../platform/tenancy/index.ts'
import type { Runtime } from '../../runtime.ts'
import { users } from '../accounts/accounts.tables.ts'
import { SYSTEM_ACTOR } from '../accounts/users.ts'
import { updateIdentity } from '../settings/commands/update-identity.ts'
import { seedDemoFactcheck } from './demo-factcheck.ts'
import { seedDemoPartners } from './demo-partners.ts'
import { seedDemoInquiries } from '../inquiries/inquiries.demo.ts'
import { seedDemoDistribution } from '../distribution/distribution.demo.ts'
import { seedDemoEvents } from '../events/events.demo.ts'
import { seedDemoWarnings } from '../warnings/warnings.demo.ts'
import { spokespersons } from '../spokespersons/spokespersons.tables.ts'
import { seedDemoReleases } from './demo-releases.ts'

/** The manifest written by seed-demo. */
export interface DemoManifest {
  baseUrl?: string
  users: {
    email: string
    password: string
    role: Role
    totpSecret: string | null
    name: string
    /** Partner accounts: their registry record and its status (sign in by the mailed link at /doi-tac/dang-nhap, or with the password). */
    partnerId?: string
    partnerStatus?: string
  }[]
  items: {
    kind: string
    id: string
    title: string
    state: string
    url: string | null
    /** Events: the public calendar file (null when not on the public schedule). */
    ics?: string | null
    /** Events: the start, ISO 8601 with its +07:00 offset. */
    start?: string
    /** Warnings: the path of the latest public CAP 1.2 message (null for a draft). */
    cap?: string | null
  }[]
}

const DEMO_PEOPLE: { role: Role; name: string; local: string }[] = [
  { role: 'admin', name: 'Lê Minh Quân', local: 'quantri' },
  { role: 'editor', name: 'Nguyễn Thị Hồng Nhung', local: 'bientap' },
  { role: 'approver', name: 'Đại tá Trịnh Văn Hải', local: 'lanhdao' },
  { role: 'officer', name: 'Thiếu tá Phạm Đức Thắng', local: 'nghiepvu' },
  { role: 'journalist', name: 'Hoàng Thu Trang (Báo Thanh Hóa)', local: 'phongvien' },
  { role: 'influencer', name: 'Đỗ Quang Huy (kênh "Xứ Thanh hôm nay")', local: 'kol' },
]

/**
 * The demo office's identity. Demo data is the one place a real province's contacts are
 * written down: a fresh install starts neutral and the setup wizard asks for its own.
 */
export const DEMO_IDENTITY: TenantIdentity = {
  name: 'Công an tỉnh Thanh Hóa',
  shortName: 'CA Thanh Hóa',
  province: 'Thanh Hóa',
  hotline: '069 2609 113',
  email: 'phongthammuu@thanhhoa.congan.gov.vn',
  address: '17 Hạc Thành, phường Hạc Thành, tỉnh Thanh Hóa',
  website: '',
}

/** Seeds demo content; refuses a non-empty database and production mode. */
export async function seedDemo(o: { runtime: Runtime; config: Config; manifestPath: string }): Promise<DemoManifest> {
  if (o.config.env === 'production') throw new AppError('DEMO_REFUSED')
  const { database, tenant } = o.runtime
  const manifest: DemoManifest = { baseUrl: o.config.publicUrl, users: [], items: [] }
  const ids = new Map<Role, string>()
  await withTransaction(database.pool, async (tx) => {
    const [{ n } = { n: 0 }] = (await tx.execute(sql`SELECT count(*)::int AS n FROM users WHERE tenant_id = ${tenant.id}`)).rows as {
      n: number
    }[]
    if (n > 0) throw new Error('seed-demo fills an empty database only: this one already has accounts')
    for (const p of DEMO_PEOPLE) {
      const email = `${p.local}@demo.donghanh.vn`
      // Each run draws fresh passwords: demo credentials are never fixed strings in code.
      const password = `demo-${randomToken(12)}`
      const staff = ['admin', 'editor', 'approver', 'officer'].includes(p.role)
      const totpSecret = staff ? newTotpSecret() : null
      const [row] = await tx
        .insert(users)
        .values({
          tenantId: tenant.id,
          email,
          name: p.name,
          role: p.role,
          status: 'active',
          passwordHash: await hashPassword(password),
          totpSecret,
          totpEnabledAt: staff ? now() : null,
          isDemo: true,
        })
        .returning({ id: users.id })
      ids.set(p.role, row?.id as string)
      manifest.users.push({ email, password, role: p.role, totpSecret, name: p.name })
    }
    // The rest of the seed (mails, share cards, the manifest) reads the demo office's name.
    applyTenant(tenant, await updateIdentity({ tx, tenantId: tenant.id, actor: SYSTEM_ACTOR, input: DEMO_IDENTITY }))
    await recordAudit(tx, {
      tenantId: tenant.id,
      actor: SYSTEM_ACTOR,
      action: 'demo.seeded',
      subjectType: 'tenant',
      subjectId: tenant.id,
      summary: { users: manifest.users.length },
    })
  })
  manifest.items.push({ kind: 'page', id: 'home', title: tenant.name, state: 'public', url: '/' })
  const person = (role: Role) => {
    const u = manifest.users.find((x) => x.role === role)
    const id = ids.get(role)
    if (!u || !id) throw new Error(`no demo ${role}`)
    return { id, email: u.email }
  }
  manifest.items.push(
    ...(await seedDemoReleases({
      database,
      tenantId: tenant.id,
      editor: person('editor'),
      approver: person('approver'),
      officer: person('officer'),
    })),
  )
  manifest.items.push(
    ...(await seedDemoFactcheck({
      database,
      tenantId: tenant.id,
      tenantName: tenant.name,
      publicUrl: o.config.publicUrl,
      editor: person('editor'),
      approver: person('approver'),
      officer: person('officer'),
      partner: person('influencer'),
    })),
  )
  const partners = await seedDemoPartners({
    database,
    tenantId: tenant.id,
    editor: person('editor'),
    approver: person('approver'),
    accounts: { journalist: person('journalist'), influencer: person('influencer') },
  })
  manifest.items.push(...partners.items)
  for (const u of manifest.users) {
    const partnerId = partners.partnerIds[u.role]
    if (partnerId) Object.assign(u, { partnerId, partnerStatus: 'accredited' })
  }
  // Press inquiries in every state, asked by the demo partners, answered in the register's name.
  const inquiries = await withTransaction(database.pool, async (tx) => {
    const [speaker] = await tx
      .select({ id: spokespersons.id })
      .from(spokespersons)
      .where(and(eq(spokespersons.tenantId, tenant.id), eq(spokespersons.active, true)))
      .limit(1)
    if (!speaker) throw new Error('seed-demo: the demo releases made no spokesperson')
    const asker = (role: 'journalist' | 'influencer') => {
      const u = manifest.users.find((x) => x.role === role)
      return { id: partners.partnerIds[role] as string, userId: ids.get(role) ?? null, name: u?.name ?? role, email: u?.email ?? null }
    }
    const approver = person('approver')
    return seedDemoInquiries({
      tx,
      tenantId: tenant.id,
      publicUrl: o.config.publicUrl,
      agency: tenant.name,
      staff: { id: approver.id, tenantId: tenant.id, role: 'approver', email: approver.email },
      askers: [asker('journalist'), asker('influencer')],
      spokespersonId: speaker.id,
    })
  })
  for (const i of inquiries) manifest.items.push({ kind: 'inquiry', id: i.id, title: i.code, state: i.state, url: i.url })
  // Distribution: lists, channels, subscriptions, the deliveries of every decision above, coverage.
  const account = (role: 'journalist' | 'influencer') => ({
    partnerId: partners.partnerIds[role] as string,
    userId: person(role).id,
    email: person(role).email,
  })
  const distribution = await seedDemoDistribution({
    database,
    tenantId: tenant.id,
    tenantName: tenant.name,
    publicUrl: o.config.publicUrl,
    editor: person('editor'),
    approver: person('approver'),
    journalist: account('journalist'),
    influencer: account('influencer'),
  })
  manifest.items.push(...distribution.items)
  // Events: a press conference held, an upcoming announced one, a draft partner meeting.
  manifest.items.push(
    ...(await seedDemoEvents({
      database,
      tenantId: tenant.id,
      publicUrl: o.config.publicUrl,
      editor: person('editor'),
      approver: person('approver'),
    })),
  )
  // Warnings: scam warnings the self-check finds, an update, an urgent one awaiting its second
  // approval, a festival diversion, a cancelled and a closed one, a wanted notice under review.
  manifest.items.push(
    ...(await seedDemoWarnings({
      database,
      tenantId: tenant.id,
      officer: person('officer'),
      editor: person('editor'),
      approver: person('approver'),
    })),
  )
  await writeFile(o.manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}
