/**
 * Demo distribution for seed-demo: lists (rule, static, by commune) with targets on one release,
 * the demo partners' channels (e-mail now or in a digest, one live webhook endpoint and one the
 * receiver took down), public subscriptions in every state, the deliveries of every decision the
 * demo made, in every state, and three coverage reports (faithful, excerpt, altered) with a
 * correction request. Everything goes through the real commands at the moment it happened
 * (`happenedAt`), so times, audit rows and notices are the ones the office would have.
 *
 * The demo releases and verdicts were decided before the partners existed and their domain
 * events are still undispatched: this seed runs the two distribution subscribers on them itself,
 * in the order they happened, after the lists, channels and subscriptions exist. The delivery
 * row (`deliverEvent`) makes a later `serve` skip them. The sender is not started by the seed:
 * what it would have done back then (sent, bounced, a temporary failure) is written by
 * {@link settle} in commented SQL, because its outcome recording is internal to the sender;
 * the webhook part of an outcome goes through the real `recordAttempt` (attempt rows, the
 * endpoint's run of failures, disabling on 410 with its notices).
 */
import { and, asc, eq, sql } from 'drizzle-orm'
import { type Database, withTransaction } from '../../db/index.ts'
import { type AuditActor, recordAudit, runAudited } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { renderMarkdown } from '../../platform/markdown/index.ts'
import { deliverEvent } from '../../platform/domain-events/index.ts'
import { domainEventDeliveries, domainEvents } from '../../platform/domain-events/domain-events.tables.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import type { Actor } from '../../platform/policy/index.ts'

import { SYSTEM_ACTOR } from '../accounts/users.ts'
import { happenedAt, localDaysAgo } from '../../platform/demo-time.ts'
import { partners } from '../partners/partners.tables.ts'
import { approveRelease } from '../releases/commands/approve-release.ts'
import { editRelease } from '../releases/commands/edit-release.ts'
import { submitRelease } from '../releases/commands/submit-release.ts'
import { unsafeLoadRelease } from '../releases/releases.repository.ts'
import { releaseEditions, releases } from '../releases/releases.tables.ts'
import { recordLinkDownloaded } from './console/commands/record-link-use.ts'
import { captureCoverage } from './coverage/commands/capture-coverage.ts'
import { reportCoverage } from './coverage/commands/report-coverage.ts'
import { requestCorrection } from './coverage/commands/request-correction.ts'
import { coverageReports } from './coverage/coverage.tables.ts'
import { distributionDeliveries } from './distribution.tables.ts'
import { FANOUT_EVENTS, fanOutToPartners } from './fanout/fanout.ts'
import { addListMember } from './lists/commands/add-list-member.ts'
import { createList } from './lists/commands/create-list.ts'
import { setItemTargets } from './lists/commands/set-item-targets.ts'
import { createWebhook } from './portal/commands/create-webhook.ts'
import { openMessage } from './portal/commands/open-message.ts'
import { setEmailPreference } from './portal/commands/set-email-preference.ts'
import { confirmSubscription } from './subscriptions/commands/confirm-subscription.ts'
import { requestSubscription } from './subscriptions/commands/request-subscription.ts'
import { unsubscribe } from './subscriptions/commands/unsubscribe.ts'
import { SUBSCRIBER_EVENTS } from './subscriptions/subscriptions.fanout.ts'
import { subscriberUrls, subscriptionKey } from './subscriptions/subscriptions.links.ts'
import { publicSubscriptions } from './subscriptions/subscriptions.tables.ts'
import { recordAttempt } from './webhooks/commands/record-outcome.ts'

type Person = { id: string; email: string }
/** A demo partner account: its registry record and its user. */
type PartnerAccount = { partnerId: string; userId: string; email: string }

/** What the demo made (for the manifest and the seed's test). */
export interface DemoDistribution {
  items: { kind: string; id: string; title: string; state: string; url: string | null }[]
}

const FANOUT = 'distribution.fanout'
const PUBLIC = 'distribution.public-subscribers'

/**
 * RFC 2606 names resolve nowhere, by design: the URL check's one look-up is answered here with
 * an RFC 5737 documentation address (which the address guard rightly counts as non-public, so
 * the guard is off for this check only). When `serve` sends, the system resolver fails the name
 * and the delivery is retried: nothing leaves the machine.
 */
const demoResolve = async () => [{ address: '192.0.2.10', family: 4 }]

/** The three coverage copies of the gambling release, as their pages show them. */
function coveragePages(title: string, summary: string, bodyMd: string) {
  // The newspaper ran the release whole: lead, headings, the table of seized items.
  const faithful = `<p>${summary}</p>${renderMarkdown(bodyMd).html}`
  // The TV newsroom ran one paragraph of it.
  const first = bodyMd.split(/\n{2,}/).find((p) => !p.startsWith('#') && !p.startsWith('|'))
  const excerpt = `<p>${first ?? ''}</p>`
  // The influencer's post changed a figure: 7 people held became 17.
  const altered = faithful.replaceAll('tạm giữ 7 đối tượng', 'tạm giữ 17 đối tượng')
  if (altered === faithful) throw new Error('seed-demo: the gambling release no longer says "tạm giữ 7 đối tượng"')
  const page = (headline: string, body: string, site: string) =>
    `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${headline} | ${site}</title>` +
    `<meta property="og:title" content="${headline}"></head><body><header><nav>${site} · Thời sự · Pháp luật · Xã hội</nav></header>` +
    `<main><article><h1>${headline}</h1>${body}</article></main>` +
    `<footer>© ${site}. Ghi rõ nguồn khi phát hành lại.</footer></body></html>`
  return [
    {
      who: 'journalist' as const,
      by: 'partner' as const,
      url: 'https://baothanhhoa.vn/phap-luat/triet-pha-duong-day-danh-bac-qua-mang-hon-100-ty-dong-26112026.htm',
      html: page(title, faithful, 'Báo Thanh Hóa'),
    },
    {
      who: 'other' as const,
      by: 'staff' as const,
      url: 'https://ttv.org.vn/thoi-su/triet-pha-duong-day-danh-bac-100-ty-dong',
      html: page('Triệt phá đường dây đánh bạc qua mạng hơn 100 tỷ đồng', excerpt, 'Đài PT-TH Thanh Hóa'),
    },
    {
      who: 'influencer' as const,
      by: 'partner' as const,
      url: 'https://www.facebook.com/xuthanhhomnay/posts/pfbid02demo100ty',
      html: page('SỐC: Bắt gọn 17 con bạc trong đường dây trăm tỷ, sự thật khiến ai cũng bất ngờ!', altered, 'Xứ Thanh hôm nay'),
    },
  ]
}

/**
 * Seeds the demo distribution (see the file comment). Needs the demo releases, verdicts and
 * partners; the demo journalist and influencer accounts are `journalist` and `influencer`.
 */
export async function seedDemoDistribution(o: {
  database: Database
  tenantId: string
  tenantName: string
  publicUrl: string
  editor: Person
  approver: Person
  journalist: PartnerAccount
  influencer: PartnerAccount
}): Promise<DemoDistribution> {
  const { database, tenantId, publicUrl } = o
  const pool = database.pool
  const staff = (p: Person, role: 'editor' | 'approver'): Actor => ({ id: p.id, tenantId, role, email: p.email })
  const editor = staff(o.editor, 'editor')
  const approver = staff(o.approver, 'approver')
  const partnerActor = (a: PartnerAccount, role: 'journalist' | 'influencer'): Actor => ({ id: a.userId, tenantId, role, email: a.email })
  const items: DemoDistribution['items'] = []

  // The other partners the demo needs, by their registry e-mail (demo-partners.ts).
  const byEmail = async (email: string) => {
    const [p] = await database.db
      .select({ id: partners.id })
      .from(partners)
      .where(and(eq(partners.tenantId, tenantId), eq(partners.email, email)))
    if (!p) throw new Error(`seed-demo: no demo partner ${email}`)
    return p.id
  }
  const tvJournalist = await byEmail('le.thuy@ttv.example.vn')
  const expiredInfluencer = await byEmail('lanbui.zalo@example.vn')
  const verifiedInfluencer = await byEmail('minhkhoe.review@gmail.example')

  // The demo releases, by what they are.
  const releaseRows = await database.db
    .select({ id: releases.id, status: releases.status, title: releaseEditions.title, createdAt: releases.createdAt })
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.workingEditionId))
    .where(eq(releases.tenantId, tenantId))
  const release = (pick: (r: (typeof releaseRows)[number]) => boolean, what: string) => {
    const r = releaseRows.find(pick)
    if (!r) throw new Error(`seed-demo: no demo release ${what}`)
    return r
  }
  const gambling = release((r) => r.title.startsWith('Công an tỉnh Thanh Hóa triệt phá đường dây đánh bạc'), 'gambling')
  const warning = release((r) => r.title.startsWith('Cảnh báo thủ đoạn giả danh công an'), 'warning')
  const traffic = release((r) => r.title.startsWith('Thông báo phân luồng giao thông'), 'traffic')
  const withdrawn = release((r) => r.status === 'withdrawn', 'withdrawn')

  // 1. Lists, a month ago: by beat (follows the registry), a hand-picked group, by commune.
  const lists = await happenedAt(localDaysAgo(30, 9, 15), async (step) => {
    const security = await withTransaction(pool, (tx) =>
      createList({
        tx,
        actor: editor,
        kind: 'rule',
        input: {
          name: 'Phóng viên mảng an ninh trật tự',
          description: 'Phóng viên được công nhận theo dõi mảng an ninh trật tự; tự cập nhật theo sổ đối tác.',
          rule: { kinds: ['journalist'], beats: ['an ninh trật tự'] },
        },
      }),
    )
    step(5)
    const kol = await withTransaction(pool, (tx) =>
      createList({
        tx,
        actor: editor,
        kind: 'static',
        input: {
          name: 'Nhóm KOL hỗ trợ cảnh báo lừa đảo',
          description: 'Người có ảnh hưởng nhận cảnh báo lừa đảo để lan tỏa ngay trên kênh của mình.',
        },
      }),
    )
    // A hand-picked list keeps whom staff chose; the preview says who is left out now and why
    // (an expired accreditation, one not accredited yet).
    for (const partnerId of [o.influencer.partnerId, expiredInfluencer, verifiedInfluencer]) {
      step(1)
      await withTransaction(pool, (tx) => addListMember({ tx, actor: editor, listId: kol.id, partnerId }))
    }
    step(5)
    const coast = await withTransaction(pool, (tx) =>
      createList({
        tx,
        actor: editor,
        kind: 'rule',
        input: {
          name: 'Đối tác địa bàn Sầm Sơn',
          description: 'Đối tác theo dõi phường Sầm Sơn và Nam Sầm Sơn.',
          rule: { communes: ['phuong-sam-son', 'phuong-nam-sam-son'] },
        },
      }),
    )
    return { security, kol, coast }
  })
  for (const [id, name] of [
    [lists.security.id, 'Phóng viên mảng an ninh trật tự'],
    [lists.kol.id, 'Nhóm KOL hỗ trợ cảnh báo lừa đảo'],
    [lists.coast.id, 'Đối tác địa bàn Sầm Sơn'],
  ] as const) {
    items.push({ kind: 'distribution.list', id, title: name, state: 'active', url: `/console/phan-phoi/danh-sach/${id}` })
  }
  // The scam warning goes to the security desks and the anti-scam influencers only, chosen while
  // it was being drafted.
  await happenedAt(new Date(warning.createdAt.getTime() + 20 * 60_000), () =>
    withTransaction(pool, (tx) =>
      setItemTargets({ tx, actor: editor, itemType: 'release', itemId: warning.id, listIds: [lists.security.id, lists.kol.id] }),
    ),
  )
  items.push({
    kind: 'distribution.item',
    id: warning.id,
    title: warning.title,
    state: 'targeted',
    url: `/console/phan-phoi/muc/release/${warning.id}`,
  })

  // 2. The influencer's channels: a webhook endpoint (its receiver will answer 410 Gone and be
  // switched off; a new one follows in the replay below). The demo journalist keeps none, so her
  // settings page starts empty.
  const influencerHook = (url: string) =>
    withTransaction(pool, (tx) =>
      createWebhook({
        tx,
        actor: partnerActor(o.influencer, 'influencer'),
        partnerId: o.influencer.partnerId,
        url,
        allowPrivate: true,
        resolve: demoResolve,
      }),
    )
  const goneHook = await happenedAt(localDaysAgo(40, 14, 0), () => influencerHook('https://hooks.xuthanhhomnay.invalid/donghanh'))

  // 3. Public subscriptions: double opt-in through the mailed link, as a reader would click it.
  const subscribe = async (email: string, kinds: ('release' | 'warning' | 'verdict')[], communes: string[], confirm: boolean) => {
    await withTransaction(pool, (tx) => requestSubscription({ tx, tenantId, publicUrl, email, choices: { kinds, communes }, locale: 'vi' }))
    if (!confirm) return
    const [mail] = await database.db
      .select({ text: mailOutbox.textBody })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.tenantId, tenantId), eq(mailOutbox.toAddress, email)))
      .orderBy(sql`${mailOutbox.createdAt} DESC`)
      .limit(1)
    const token = /\/nhan-tin\/xac-nhan\/([^\s"<>]+)/.exec(mail?.text ?? '')?.[1]
    if (!token) throw new Error(`seed-demo: no confirmation link mailed to ${email}`)
    await withTransaction(pool, (tx) => confirmSubscription({ tx, tenantId, token: decodeURIComponent(token) }))
  }
  await happenedAt(localDaysAgo(35, 20, 10), async (step) => {
    await subscribe('nguyen.van.binh@example.vn', ['release', 'warning', 'verdict'], ['phuong-sam-son', 'phuong-nam-sam-son'], true)
    step(95)
    await subscribe('tran.thi.mai@example.vn', ['warning', 'verdict'], [], true)
    step(30)
    await subscribe('pham.quoc.viet@example.vn', ['release', 'warning'], [], true)
  })

  // 4. A correction of the traffic notice (a day after it went out): the hours were wrong.
  const trafficLoaded = await unsafeLoadRelease(database.db, tenantId, traffic.id)
  if (!trafficLoaded) throw new Error('seed-demo: traffic release vanished')
  await happenedAt(localDaysAgo(2, 9, 20), async (step) => {
    const w = trafficLoaded.working
    const who = (p: Person) => ({ id: p.id, label: p.email })
    await runAudited(pool, async (tx) =>
      editRelease({
        tx,
        release: trafficLoaded,
        actor: who(o.editor),
        content: {
          title: w.title,
          summary: w.summary,
          bodyMd: w.bodyMd.replace('từ 6 giờ đến 18 giờ', 'từ 5 giờ đến 22 giờ'),
          category: w.category,
          tags: w.tags,
          communes: w.communes,
        },
        changeNote: 'Sửa khung giờ hạn chế xe tải: từ 5 giờ đến 22 giờ (bản trước ghi nhầm từ 6 giờ đến 18 giờ).',
      }),
    )
    step(10)
    await runAudited(pool, async (tx) =>
      submitRelease({ tx, release: (await unsafeLoadRelease(tx, tenantId, traffic.id))!, actor: who(o.editor) }),
    )
    step(25)
    await runAudited(pool, async (tx) =>
      approveRelease({ tx, release: (await unsafeLoadRelease(tx, tenantId, traffic.id))!, actor: who(o.approver), mode: 'now' }),
    )
  })

  // 5. The decisions, in the order they happened, reach the partners and the subscribers.
  // Events carry the real time they were recorded (the seed's minute); the decision's own time
  // (the edition published or approved, the withdrawal, the verdict) orders and dates the replay.
  const events = (
    await database.pool.query<{ id: number; type: string; subject_id: string | null; at: Date }>(
      `SELECT e.id, e.type, e.subject_id, coalesce(CASE
          WHEN e.type IN ('release.published', 'release.corrected', 'release.embargoed') THEN
            (SELECT coalesce(ed.published_at, ed.approved_at) FROM release_editions ed WHERE ed.id = (e.payload->>'editionId')::uuid)
          WHEN e.type = 'release.withdrawn' THEN (SELECT r.withdrawn_at FROM releases r WHERE r.id = (e.payload->>'releaseId')::uuid)
          WHEN e.type = 'release.gone' THEN (SELECT r.gone_at FROM releases r WHERE r.id = (e.payload->>'releaseId')::uuid)
          WHEN e.type = 'verdict.published' THEN (SELECT v.published_at FROM verdicts v WHERE v.id = (e.payload->>'verdictId')::uuid)
        END, e.occurred_at) AS at
       FROM domain_events e
       WHERE e.tenant_id = $1 AND e.type = ANY($2::text[])
       ORDER BY at, e.id`,
      [tenantId, [...FANOUT_EVENTS]],
    )
  ).rows.map((r) => ({ id: r.id, type: r.type, subjectId: r.subject_id, at: r.at }))
  // What the partners and readers did between the decisions, each at its moment.
  const milestones: { at: Date; run: () => Promise<unknown> }[] = [
    // After the 410, the influencer set up a new receiver.
    { at: localDaysAgo(24, 20, 30), run: () => influencerHook('https://api.xuthanhhomnay.example/donghanh/webhook') },
    // A reader left by the one-click link of a mail.
    { at: localDaysAgo(10, 21, 40), run: () => leaveByOneClick(database, tenantId, publicUrl, 'pham.quoc.viet@example.vn') },
    // This morning the influencer moved to the evening digest.
    {
      at: new Date(now().getTime() - 2 * 3_600_000),
      run: () =>
        withTransaction(pool, (tx) =>
          setEmailPreference({
            tx,
            actor: partnerActor(o.influencer, 'influencer'),
            partnerId: o.influencer.partnerId,
            mode: 'digest',
            digestHour: 18,
          }),
        ),
    },
  ]
  const due = async (until: Date) => {
    while (milestones[0] && milestones[0].at <= until) {
      const m = milestones.shift() as (typeof milestones)[number]
      await happenedAt(m.at, m.run)
    }
  }
  for (const e of events) {
    await due(e.at)
    await happenedAt(new Date(e.at.getTime() + 60_000), async (step) => {
      if (e.type === 'release.published' && e.subjectId === withdrawn.id)
        await fanOutAsPublished(database, tenantId, e.id, withdrawn.id, publicUrl)
      else await deliverEvent(database, e.id, FANOUT)
      if ((SUBSCRIBER_EVENTS as readonly string[]).includes(e.type)) await deliverEvent(database, e.id, PUBLIC)
      // The fan-out's rows take the database's clock; the demo's decision happened at e.at.
      await database.pool.query('UPDATE distribution_deliveries SET created_at = $2 WHERE event_id = $1', [
        e.id,
        new Date(e.at.getTime() + 60_000),
      ])
      step(4)
      // The embargo's messages are still on their way when the demo starts: `serve` sends them.
      if (e.type !== 'release.embargoed')
        await settle(database, tenantId, e.id, { tvJournalist, withdrawnId: withdrawn.id, trafficId: traffic.id, goneHook: goneHook.id })
    })
  }
  await due(now())
  // One reader asked within the hour and has not confirmed yet.
  await happenedAt(new Date(now().getTime() - 50 * 60_000), () =>
    withTransaction(pool, (tx) =>
      requestSubscription({
        tx,
        tenantId,
        publicUrl,
        email: 'le.hoang.nam@example.vn',
        choices: { kinds: ['warning'], communes: ['phuong-hac-thanh'] },
        locale: 'vi',
      }),
    ),
  )

  // 6. What the partners did with them: read in the portal, fetched through their link.
  const delivery = async (partnerId: string, itemId: string, channel: 'portal' | 'email', kind = 'publish') => {
    const [d] = await database.db
      .select({ id: distributionDeliveries.id, sentAt: distributionDeliveries.sentAt })
      .from(distributionDeliveries)
      .where(
        and(
          eq(distributionDeliveries.tenantId, tenantId),
          eq(distributionDeliveries.partnerId, partnerId),
          eq(distributionDeliveries.itemId, itemId),
          eq(distributionDeliveries.channel, channel),
          sql`${distributionDeliveries.kind} = ${kind}`,
        ),
      )
    if (!d?.sentAt) throw new Error(`seed-demo: no ${channel} ${kind} delivery of ${itemId} to ${partnerId}`)
    return { id: d.id, sentAt: d.sentAt }
  }
  const later = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000)
  for (const [account, itemId, kind, after] of [
    [o.journalist, gambling.id, 'publish', 12],
    [o.journalist, warning.id, 'publish', 35],
    [o.journalist, withdrawn.id, 'kill', 8],
    [o.journalist, traffic.id, 'correction', 50],
    [o.influencer, warning.id, 'publish', 6],
    [o.influencer, gambling.id, 'publish', 90],
  ] as const) {
    const d = await delivery(account.partnerId, itemId, 'portal', kind)
    await happenedAt(later(d.sentAt, after), () =>
      openMessage({ db: database.db, tenantId, partnerId: account.partnerId, deliveryId: d.id }),
    )
  }
  // The journalist fetched the gambling release through the link in her e-mail (the link route's mark).
  const mailed = await delivery(o.journalist.partnerId, gambling.id, 'email')
  await happenedAt(later(mailed.sentAt, 20), () => recordLinkDownloaded(database.db, mailed.id))

  // 7. Coverage of the gambling release: reported, captured (the page given here: no network in
  // the seed) and judged by the real comparison; the altered one gets a correction request.
  const published = await database.db
    .select({
      title: releaseEditions.title,
      summary: releaseEditions.summary,
      bodyMd: releaseEditions.bodyMd,
      at: releases.firstPublishedAt,
    })
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
    .where(eq(releases.id, gambling.id))
  const official = published[0]
  if (!official?.at) throw new Error('seed-demo: the gambling release is not published')
  const accounts = { journalist: o.journalist, influencer: o.influencer }
  let hour = 20
  const judged: Record<string, string> = {}
  for (const c of coveragePages(official.title, official.summary, official.bodyMd)) {
    hour += 3
    const partnerId = c.who === 'other' ? tvJournalist : accounts[c.who].partnerId
    const actor =
      c.by === 'staff'
        ? { id: o.editor.id, label: o.editor.email }
        : { id: accounts[c.who as 'journalist'].userId, label: accounts[c.who as 'journalist'].email }
    const at = later(official.at, hour * 60)
    const reportId = await happenedAt(at, () =>
      withTransaction(pool, async (tx) => {
        const r = await reportCoverage({
          tx,
          tenantId,
          itemType: 'release',
          itemId: gambling.id,
          partnerId,
          url: c.url,
          by: { kind: c.by, actor },
        })
        return r.report.id
      }),
    )
    judged[c.url] = await happenedAt(later(at, 1), () => captureGiven(database, reportId, c.url, c.html))
  }
  const verdicts = Object.values(judged).sort()
  if (verdicts.join() !== 'altered,excerpt,faithful') throw new Error(`seed-demo: coverage judged ${verdicts.join(', ')}`)
  const [altered] = await database.db
    .select({ id: coverageReports.id, at: coverageReports.capturedAt })
    .from(coverageReports)
    .where(and(eq(coverageReports.tenantId, tenantId), eq(coverageReports.verdict, 'altered')))
  if (!altered?.at) throw new Error('seed-demo: no altered coverage')
  await happenedAt(later(altered.at, 40), () =>
    withTransaction(pool, (tx) =>
      requestCorrection({
        tx,
        tenantId,
        reportId: altered.id,
        actor: { id: approver.id, label: approver.email },
        office: { name: o.tenantName, publicUrl },
      }),
    ),
  )
  // Notices and correction requests (no event) took the database's clock too.
  await database.pool.query(
    'UPDATE distribution_deliveries SET created_at = coalesce(sent_at, next_attempt_at) WHERE tenant_id = $1 AND event_id IS NULL',
    [tenantId],
  )
  items.push({
    kind: 'distribution.coverage',
    id: gambling.id,
    title: gambling.title,
    state: 'faithful, excerpt, altered',
    url: `/console/phan-phoi/muc/release/${gambling.id}`,
  })
  return { items }
}

/** The reader who left, by the one-click link of their mails (RFC 8058). */
async function leaveByOneClick(database: Database, tenantId: string, publicUrl: string, email: string): Promise<void> {
  await withTransaction(database.pool, async (tx) => {
    const [row] = await tx
      .select()
      .from(publicSubscriptions)
      .where(and(eq(publicSubscriptions.tenantId, tenantId), eq(publicSubscriptions.email, email)))
    if (!row) throw new Error(`seed-demo: no subscription ${email}`)
    const { unsubscribeUrl } = subscriberUrls(await subscriptionKey(tx, tenantId), publicUrl, row)
    const token = decodeURIComponent(unsubscribeUrl.split('/huy/')[1] ?? '')
    await unsubscribe({ tx, tenantId, token, via: 'one-click' })
  })
}

/**
 * The withdrawn demo release went out when it was published; the fan-out reads the release as
 * it is when it runs, and now it is withdrawn (so it would send nothing, and the kill notice
 * would have nobody to reach). The fan-out of its publication is run as it ran then: in ONE
 * transaction, the release reads as published for the fan-out and is put back before the commit,
 * so no one ever sees it published again; the subscriber's delivery row is written in the same
 * transaction, exactly as `deliverEvent` does, so `serve` never runs it again.
 */
async function fanOutAsPublished(
  database: Database,
  tenantId: string,
  eventId: number,
  releaseId: string,
  publicUrl: string,
): Promise<void> {
  await withTransaction(database.pool, async (tx) => {
    const claimed = await tx
      .insert(domainEventDeliveries)
      .values({ eventId, subscriber: FANOUT, tenantId })
      .onConflictDoNothing()
      .returning({ eventId: domainEventDeliveries.eventId })
    if (claimed.length === 0) return
    const [event] = await tx.select().from(domainEvents).where(eq(domainEvents.id, eventId))
    if (!event) throw new Error(`domain event ${eventId} not found`)
    const [before] = await tx.select({ status: releases.status }).from(releases).where(eq(releases.id, releaseId)).for('update')
    await tx.update(releases).set({ status: 'published' }).where(eq(releases.id, releaseId))
    await fanOutToPartners(
      tx,
      {
        id: event.id,
        tenantId,
        type: 'release.published',
        subjectType: event.subjectType,
        subjectId: event.subjectId,
        actorId: event.actorId,
        payload: event.payload as never,
        occurredAt: event.occurredAt,
      },
      publicUrl,
    )
    await tx
      .update(releases)
      .set({ status: before?.status ?? 'withdrawn' })
      .where(eq(releases.id, releaseId))
  })
}

/** The simulated sender's system actor (its audit rows read as the sender's). */
const SENDER: AuditActor = SYSTEM_ACTOR

/**
 * What the sender did back then with one decision's queued e-mails and webhooks (the seed does
 * not start it; its outcome recording is internal to it, so the states are written here in SQL,
 * with the columns it writes): e-mails sent, except the TV journalist's mailbox, which refused
 * the traffic correction for good (bounced, as the sender records it: the preference's bounce
 * mark and an audit row) and was busy when the withdrawn notice went out (a temporary 421: still
 * queued for a retry, so the withdrawal cancels it). Webhooks go through `recordAttempt`: the
 * influencer's first endpoint answered 410 Gone, which disables it; his new one answers 200.
 * Digest rows wait for the evening digest.
 */
async function settle(
  database: Database,
  tenantId: string,
  eventId: number,
  o: { tvJournalist: string; withdrawnId: string; trafficId: string; goneHook: string },
): Promise<void> {
  await withTransaction(database.pool, async (tx) => {
    const rows = await tx
      .select()
      .from(distributionDeliveries)
      .where(and(eq(distributionDeliveries.eventId, eventId), eq(distributionDeliveries.state, 'queued')))
      .orderBy(asc(distributionDeliveries.id))
    const at = now()
    const set = async (
      id: string,
      state: 'sent' | 'failed' | 'bounced' | 'queued',
      status: number | null,
      error: string | null,
      next?: Date,
    ) =>
      // The sender's own effect on the row (RECORD_SQL in delivery/sender.ts), written directly.
      tx.execute(sql`
        UPDATE distribution_deliveries
        SET state = ${state}, attempts = attempts + 1, last_status = ${status}, last_error = ${error},
            sent_at = CASE WHEN ${state} = 'sent' THEN ${at}::timestamptz ELSE sent_at END,
            next_attempt_at = coalesce(${next ?? null}::timestamptz, next_attempt_at)
        WHERE id = ${id} AND state = 'queued'`)
    for (const d of rows) {
      if (d.channel === 'digest') continue
      if (d.channel === 'webhook' && d.webhookId) {
        const gone = d.webhookId === o.goneHook
        const outcome = gone
          ? { state: 'failed' as const, retryable: false, gone: true, status: 410, error: 'HTTP 410 Gone', durationMs: 184 }
          : { state: 'sent' as const, retryable: false, status: 200, durationMs: 96 }
        await recordAttempt(tx, { tenantId, deliveryId: d.id, webhookId: d.webhookId, outcome, final: true })
        await set(d.id, outcome.state, outcome.status, outcome.state === 'sent' ? null : outcome.error)
        continue
      }
      if (d.channel !== 'email') continue
      if (d.partnerId === o.tvJournalist && d.itemId === o.withdrawnId && d.kind === 'publish') {
        await set(d.id, 'queued', 421, '421 4.2.1 Mailbox busy, try again later', new Date(at.getTime() + 30 * 60_000))
        continue
      }
      if (d.partnerId === o.tvJournalist && d.itemId === o.trafficId && d.kind === 'correction') {
        const error = '550 5.1.1 <le.thuy@ttv.example.vn>: Recipient address rejected: User unknown'
        await set(d.id, 'bounced', 550, error)
        await tx.execute(sql`
          INSERT INTO distribution_preferences (partner_id, tenant_id, email_bounced_at) VALUES (${d.partnerId}, ${tenantId}, ${at})
          ON CONFLICT (partner_id) DO UPDATE SET email_bounced_at = excluded.email_bounced_at, updated_at = excluded.email_bounced_at`)
        await recordAudit(tx, {
          tenantId,
          actor: SENDER,
          action: 'distribution.delivery_bounced',
          subjectType: 'distribution_delivery',
          subjectId: d.id,
          summary: { partnerId: d.partnerId, address: d.address, status: 550, error },
        })
        continue
      }
      await set(d.id, 'sent', 250, null)
    }
  })
}

/**
 * A reported page captured with its HTML given (the seed makes no request): the real capture
 * command (Readability, comparison, clickbait score, audit) with the fetch replaced by the
 * seed's page. The queued capture job later finds the report captured and does nothing.
 */
async function captureGiven(database: Database, reportId: string, url: string, html: string): Promise<string> {
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? ''
  const state = await captureCoverage({
    database,
    reportId,
    capture: { allowPrivate: false },
    lastAttempt: true,
    fetchPage: async () => ({ url, finalUrl: url, title, text: '', html }),
  })
  if (state !== 'captured') throw new Error(`seed-demo: coverage ${reportId} was ${state}`)
  const [report] = await database.db
    .select({ verdict: coverageReports.verdict })
    .from(coverageReports)
    .where(eq(coverageReports.id, reportId))
  return report?.verdict ?? '?'
}
