/**
 * No early leak, on every public path. A scheduled release, an embargoed release and
 * releases linked to a sealed case must appear nowhere — release page, lists, home, search,
 * RSS/Atom/JSON Feed, sitemap, Open Graph, JSON API, verify page (by text and by link) — not
 * even their title; the embargoed one only on the journalists' list. The cache is primed
 * before the lift; after the lift (clock moved, lift swept) the scheduled and embargoed
 * releases appear everywhere once the invalidation has arrived; the sealed ones never do.
 */
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form, loginAs, makeUser } from '../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../test/support/partners.ts'
import { runDigests } from '../distribution/delivery/digest.ts'
import { draft, load, makeSealedCase } from '../../../test/support/releases.ts'
import { runAudited } from '../../platform/audit/index.ts'
import { advanceClock, now, resetClock } from '../../platform/clock.ts'
import { clearCase } from '../cases/commands/clear-case.ts'
import { unsafeLoadCase } from '../cases/cases.repository.ts'
import { submitRelease } from '../releases/commands/submit-release.ts'
import { sweepDueLifts } from '../releases/lift-scheduler.ts'
import { publicCacheFor } from './newsroom.cache.ts'
import { eq } from 'drizzle-orm'
import { withTransaction } from '../../db/index.ts'
import { publishVersion } from '../warnings/commands/publish-version.ts'
import { warningsCacheFor } from '../warnings/public/public.cache.ts'
import { warnings } from '../warnings/warnings.tables.ts'
import { makeDraftWarning, makePublishedWarning } from '../warnings/warnings.test-support.ts'
import {
  approveForLater,
  cacheInvalidated,
  invalidations,
  type NewsroomWorld,
  newsroomWorld,
  publishRelease,
} from './newsroom.test-support.ts'

let w: NewsroomWorld
const HOUR = 3600_000

/** The embargo section of the partner portal's home (the page also lists published releases). */
const embargoSection = (html: string) => html.slice(html.indexOf('id="portal-embargo"'), html.indexOf('id="portal-recent"'))

/** A release under test: a unique marker word in its title, summary and body. */
interface Probe {
  name: string
  slug: string
  marker: string
  title: string
  fullText: string
}

const content = (marker: string, what: string) => ({
  title: `${what} ${marker} tại Thanh Hóa`,
  summary: `Tóm tắt ${marker}: thông tin chưa được công bố.`,
  bodyMd: `Nội dung đầy đủ của ${what.toLowerCase()}, mã ${marker}, gồm nhiều câu để có thể đối chiếu nguyên văn trên trang xác minh.`,
  category: 'Kiểm tra rò rỉ',
  tags: ['rò rỉ'],
  communes: ['phuong-hac-thanh'],
})

const probeOf = (name: string, slug: string, marker: string, what: string): Probe => {
  const c = content(marker, what)
  return { name, slug, marker, title: c.title, fullText: `${c.title}\n${c.summary}\n${c.bodyMd}` }
}

let control: Probe
let scheduled: Probe
let embargoed: Probe
let sealedDraft: Probe
let resealed: Probe
let liftAt: Date
/** Release ids, for the distribution probes. */
const ids: Record<string, string> = {}
/** Partners in every status that matters to an embargo, and a public subscriber. */
let recipients: Record<'accredited' | 'digest' | 'suspended' | 'expired' | 'verified', MadePartner>
const SUBSCRIBER = 'ban-doc-zq@example.vn'

/** Every delivery of a release (partners and public subscribers). */
async function deliveriesOf(releaseId: string) {
  const r = await w.t.database.pool.query<{
    partner_id: string | null
    subscriber_id: string | null
    kind: string
    channel: string
    state: string
  }>('SELECT partner_id, subscriber_id, kind, channel, state FROM distribution_deliveries WHERE item_id = $1', [releaseId])
  return r.rows
}

async function until<T>(fn: () => Promise<T | undefined | false>, what: string): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const v = await fn()
    if (v) return v
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out: ${what}`)
}

/** Every public GET surface, as [label, url]. */
const surfaces = (p: Probe): [string, string][] => [
  ['page', `/tin/${p.slug}`],
  ['share card', `/tin/${p.slug}/anh-chia-se.png`],
  ['list', '/tin'],
  ['kind list', '/tin/loai/thong-cao-bao-chi'],
  ['category list', '/tin/chuyen-muc/kiem-tra-ro-ri'],
  ['commune list', '/tin/xa-phuong/phuong-hac-thanh'],
  ['home', '/'],
  ['search', `/tim-kiem?q=${p.marker}`],
  ['search folded', `/tim-kiem?q=${encodeURIComponent(p.title.normalize('NFD'))}`],
  ['rss', '/rss.xml'],
  ['atom', '/atom.xml'],
  ['json feed', '/feed.json'],
  ['sitemap', '/sitemap.xml'],
  ['api list', '/api/v1/releases?limit=100'],
  ['api search', `/api/v1/releases?q=${p.marker}`],
  ['api release', `/api/v1/releases/${p.slug}`],
  ['verify link (GET)', `/xac-minh?ma=${encodeURIComponent(`http://donghanh.test/tin/${p.slug}`)}`],
]

/** The part of a response that shows results (search and verify pages echo what was asked). */
function resultsOf(label: string, body: string): string {
  if (label.startsWith('search')) return body.split('role="status"')[1] ?? ''
  if (label.startsWith('verify')) return body.match(/<section aria-labelledby="h-outcome".*?<\/section>(?=<form)/s)?.[0] ?? ''
  return body
}

/** Where `p` shows (its marker word or slug), over every surface and the verify page by text and by link. */
async function whereSeen(p: Probe, headers: Record<string, string> = {}): Promise<string[]> {
  const seen: string[] = []
  for (const [label, url] of surfaces(p)) {
    const res = await w.t.app.inject({ url, headers })
    if (label === 'page' || label === 'share card' || label === 'api release') {
      if (res.statusCode === 200) seen.push(label)
      else if (res.statusCode !== 404) seen.push(`${label} (${res.statusCode})`)
      continue
    }
    expect(res.statusCode, `${label} ${url}`).toBe(200)
    const part = resultsOf(label, res.body)
    if (part.includes(p.marker) || part.includes(p.slug) || /verdict-(identical|excerpt|altered|link)/.test(part)) seen.push(label)
  }
  for (const input of [p.fullText, `http://donghanh.test/tin/${p.slug}`]) {
    const f = form({ input })
    const res = await w.t.app.inject({ method: 'POST', url: '/xac-minh', payload: f.payload, headers: { ...f.headers, ...headers } })
    const label = `verify ${input.startsWith('http') ? 'link' : 'text'}`
    // The probes share a template, so a copy may be called an altered copy of the control
    // release (and the diff shows the pasted words): a leak is a match naming this release.
    const part = resultsOf(label, res.body)
    if (part.includes(`href="/tin/${p.slug}"`) || /verdict-(identical|excerpt|link)/.test(part)) seen.push(label)
  }
  return seen
}

const ALL = [...surfaces({ slug: 's', marker: 'm', title: 't', name: '', fullText: '' }).map(([l]) => l), 'verify text', 'verify link']

beforeAll(async () => {
  w = await newsroomWorld()
  liftAt = new Date(now().getTime() + HOUR)
  // Recipients exist before the decisions, so the fan-out has someone to leak to.
  recipients = {
    accredited: await makePartner(w.t),
    digest: await makePartner(w.t),
    suspended: await makePartner(w.t, { status: 'suspended' }),
    expired: await makePartner(w.t, { status: 'expired' }),
    verified: await makePartner(w.t, { status: 'verified' }),
  }
  await w.t.database.pool.query(
    `INSERT INTO distribution_preferences (partner_id, tenant_id, email_mode, digest_hour) VALUES ($1, $2, 'digest', 7)`,
    [recipients.digest.partner.id, w.t.tenant.id],
  )
  await w.t.database.pool.query(
    `INSERT INTO public_subscriptions (tenant_id, email, kinds, state, confirmed_at) VALUES ($1, $2, '{release}', 'active', now())`,
    [w.t.tenant.id, SUBSCRIBER],
  )
  const c = await publishRelease(w, content('zqcontrol', 'Thông cáo kiểm chứng'))
  control = probeOf('control', c.slug, 'zqcontrol', 'Thông cáo kiểm chứng')
  const s = await approveForLater(w, content('zqscheduled', 'Thông cáo hẹn giờ'), 'schedule', liftAt)
  scheduled = probeOf('scheduled', s.slug, 'zqscheduled', 'Thông cáo hẹn giờ')
  ids.scheduled = s.id
  const e = await approveForLater(w, content('zqembargoed', 'Thông cáo cấm đăng trước'), 'embargo', liftAt)
  ids.embargoed = e.id
  embargoed = probeOf('embargoed', e.slug, 'zqembargoed', 'Thông cáo cấm đăng trước')
  // Linked to a sealed case: it cannot even be submitted.
  const officer = await makeUser(w.t, { role: 'officer' })
  const sealedCase = await makeSealedCase(w.t, officer)
  const sd = await draft(w.t, w.editor, {
    spokespersonId: w.spokespersonId,
    content: content('zqsealeddraft', 'Thông cáo chuyên án'),
    caseId: sealedCase,
  })
  await expect(
    runAudited(w.t.database.pool, async (tx) =>
      submitRelease({ tx, release: await load(w.t, sd), actor: { id: w.editor.id, label: w.editor.email } }),
    ),
  ).rejects.toMatchObject({ code: 'CASE_SEALED' })
  sealedDraft = probeOf('sealed draft', (await load(w.t, sd)).release.slug, 'zqsealeddraft', 'Thông cáo chuyên án')
  // Published after its case was cleared; then the case is sealed again behind the app's back
  // (data repaired by hand, a restore…): the public rule itself must still hide it.
  const otherCase = await makeSealedCase(w.t, officer)
  await runAudited(w.t.database.pool, async (tx) =>
    clearCase({
      tx,
      case: (await unsafeLoadCase(tx, w.t.tenant.id, otherCase)) as NonNullable<Awaited<ReturnType<typeof unsafeLoadCase>>>,
      actor: { id: w.approver.id, label: w.approver.email },
      scope: 'Toàn bộ kết quả chuyên án',
      groundLifted: 'Bí mật điều tra',
    }),
  )
  const rs = await publishRelease(w, content('zqresealed', 'Thông cáo kết quả chuyên án'), { caseId: otherCase })
  const before = await invalidations(w)
  await w.t.database.db.execute(sql`UPDATE cases SET state = 'sealed' WHERE id = ${otherCase}`)
  await w.t.database.db.execute(sql`SELECT pg_notify('donghanh_public', ${w.t.tenant.id})`)
  await cacheInvalidated(w, before)
  resealed = probeOf('resealed', rs.slug, 'zqresealed', 'Thông cáo kết quả chuyên án')
})
afterAll(async () => {
  resetClock()
  await w.t.close()
})

describe('no early leak', () => {
  it('sees the published control release on every surface (the probes can see)', async () => {
    expect(await whereSeen(control)).toEqual(ALL)
  })

  it('shows the scheduled, embargoed and sealed releases nowhere before the lift — cache primed', async () => {
    // Twice: the second round is served from the cache primed by the first.
    for (let round = 0; round < 2; round++) {
      for (const p of [scheduled, embargoed, sealedDraft, resealed]) expect(await whereSeen(p), `${p.name}, round ${round}`).toEqual([])
    }
    const cache = await publicCacheFor(w.t.app)
    expect(cache.size).toBeGreaterThan(10)
    const hit = await w.t.app.inject({ url: '/rss.xml' })
    expect(hit.headers['x-cache']).toBe('hit')
    // Browsers and proxies may not keep it past the lift either.
    const maxAge = Number(String(hit.headers['cache-control']).match(/s-maxage=(\d+)/)?.[1])
    expect(maxAge).toBeLessThanOrEqual(60)
    // Nor a signed-in staff member's view, which is never cached.
    const editor = await loginAs(w.t, w.editor)
    const staff = await w.t.app.inject({ url: '/tin', headers: { cookie: editor.cookie } })
    expect(staff.headers['cache-control']).toBe('private, no-store')
    expect(staff.body).not.toContain('zqscheduled')
  })

  it('shows the embargoed release, and only it, to journalists before the lift', async () => {
    // An accredited partner (the portal asks for the live record, not the role).
    const { login: journalist } = await makePartner(w.t)
    const portal = embargoSection((await w.t.app.inject({ url: '/doi-tac', headers: { cookie: journalist.cookie } })).body)
    expect(portal).toContain(embargoed.title)
    expect(portal).toContain('CẤM ĐĂNG TRƯỚC')
    for (const p of [scheduled, sealedDraft, resealed, control]) expect(portal, p.name).not.toContain(p.marker)
    // A journalist's session sees nothing more on the public surfaces.
    expect(await whereSeen(embargoed, { cookie: journalist.cookie })).toEqual([])
    expect(await whereSeen(scheduled, { cookie: journalist.cookie })).toEqual([])
  })

  it('delivers the embargoed release to accredited partners only: no public subscriber, no digest of a partner suspended since, nothing for the scheduled one', async () => {
    const rows = await until(async () => {
      const r = await deliveriesOf(ids.embargoed as string)
      return r.length > 0 && r
    }, 'the embargo fan-out')
    // Only partners accredited when it went out (a test above adds one more accredited journalist).
    const statuses = await w.t.database.pool.query<{ status: string }>('SELECT DISTINCT status FROM partners WHERE id = ANY($1::uuid[])', [
      rows.map((r) => r.partner_id),
    ])
    expect(statuses.rows.map((r) => r.status)).toEqual(['accredited'])
    expect(rows.filter((r) => r.kind !== 'embargo' || r.partner_id === null)).toEqual([])
    const reached = new Set(rows.map((r) => r.partner_id))
    expect(reached.has(recipients.accredited.partner.id) && reached.has(recipients.digest.partner.id)).toBe(true)
    for (const other of [recipients.suspended, recipients.expired, recipients.verified]) expect(reached.has(other.partner.id)).toBe(false)
    expect(
      rows
        .filter((r) => r.partner_id === recipients.digest.partner.id)
        .map((r) => r.channel)
        .sort(),
    ).toEqual(['digest', 'portal'])
    // Nothing at all for the scheduled release (it is nobody's before its time).
    expect(await deliveriesOf(ids.scheduled as string)).toEqual([])
    // The digest partner is suspended before their digest hour: the digest never carries it.
    await w.t.database.pool.query(`UPDATE partners SET status = 'suspended' WHERE id = $1`, [recipients.digest.partner.id])
    const at = new Date(now().getTime())
    at.setUTCHours(0, 30, 0, 0) // 07:30 in Asia/Ho_Chi_Minh, the partner's digest hour
    if (at.getTime() < now().getTime()) at.setUTCDate(at.getUTCDate() + 1)
    const run = await runDigests(w.t.database, { config: w.t.config, at })
    // The digest still goes (it carries the public control release), without the embargoed one.
    expect(run.cancelled).toBeGreaterThanOrEqual(1)
    const digestRows = await deliveriesOf(ids.embargoed as string)
    expect(digestRows.find((r) => r.channel === 'digest')?.state).toBe('cancelled')
    const mailed = await w.t.database.pool.query<{ text_body: string; html_body: string | null; subject: string }>(
      'SELECT subject, text_body, html_body FROM mail_outbox WHERE to_address = $1',
      [recipients.digest.partner.email],
    )
    for (const m of mailed.rows) expect(`${m.subject}${m.text_body}${m.html_body}`).not.toContain(embargoed.marker)
    // The portal's embargo list of a suspended partner stays empty.
    const portal = embargoSection((await w.t.app.inject({ url: '/doi-tac', headers: { cookie: recipients.suspended.login.cookie } })).body)
    expect(portal).not.toContain(embargoed.marker)
  })

  it('lets no cached page outlive the lift instant, even if the notification were lost', async () => {
    expect((await w.t.app.inject({ url: '/tin' })).headers['x-cache']).toBe('hit')
    advanceClock(HOUR + 1000)
    // The lift has not run yet, but the cached page expired at the lift instant.
    expect((await w.t.app.inject({ url: '/tin' })).headers['x-cache']).toBe('miss')
    advanceClock(-(HOUR + 1000))
  })

  it('shows the scheduled and embargoed releases everywhere after the lift; sealed ones still nowhere', async () => {
    // Prime once more right before the lift.
    for (const p of [scheduled, embargoed]) expect(await whereSeen(p)).toEqual([])
    const before = await invalidations(w)
    advanceClock(HOUR + 1000)
    await sweepDueLifts(w.t.database)
    await cacheInvalidated(w, before)
    for (const p of [scheduled, embargoed]) expect(await whereSeen(p), p.name).toEqual(ALL)
    for (const p of [sealedDraft, resealed]) expect(await whereSeen(p), p.name).toEqual([])
    // Public subscribers get it now, and only now.
    await until(
      async () => (await deliveriesOf(ids.embargoed as string)).some((r) => r.subscriber_id !== null && r.kind === 'publish'),
      'subscribers after the lift',
    )
    // The release page now carries its Open Graph card.
    const page = await w.t.app.inject({ url: `/tin/${embargoed.slug}` })
    expect(page.body).toContain(`<meta property="og:title" content="${embargoed.title}">`)
    // And the journalists' list no longer holds it.
    const { login: journalist } = await makePartner(w.t)
    expect(embargoSection((await w.t.app.inject({ url: '/doi-tac', headers: { cookie: journalist.cookie } })).body)).not.toContain(
      embargoed.marker,
    )
  })
})

describe('no leak of warnings: a draft, and a closed warning about a person', () => {
  /** Every public GET surface of warnings (and the newsroom's search, home and feeds) for a warning. */
  const warningSurfaces = (slug: string, marker: string) => [
    `/canh-bao/${slug}`,
    `/canh-bao/${slug}/cap.xml`,
    `/canh-bao/${slug}/cap/1.xml`,
    `/canh-bao/${slug}/the.png`,
    `/canh-bao/${slug}/the-doc.png`,
    '/canh-bao',
    '/canh-bao?loai=tim-nguoi',
    '/canh-bao?loai=lua-dao',
    '/canh-bao?xa=xa-dong-tien',
    '/canh-bao/cap.atom',
    '/canh-bao/kiem-tra-tin-nhan',
    '/',
    '/tin',
    `/tim-kiem?q=${marker}`,
    '/rss.xml',
    '/sitemap.xml',
    `/api/v1/releases?q=${marker}`,
  ]
  /** The surfaces that show `marker` (a card answering 200 counts as showing it). */
  const seenOn = async (slug: string, marker: string) => {
    const seen: string[] = []
    for (const url of warningSurfaces(slug, marker)) {
      const res = await w.t.app.inject({ url })
      // The search page echoes what was asked: only its results count.
      const body = url.startsWith('/tim-kiem') ? resultsOf('search', res.body) : res.body
      const shows = url.endsWith('.png') ? res.statusCode === 200 : body.includes(marker)
      if (shows) seen.push(url)
    }
    return seen
  }

  it('shows a draft warning and a closed missing-person warning on no public path', async () => {
    const cache = await warningsCacheFor(w.t.app)
    const publicUrl = w.t.config.publicUrl
    const draftW = await makeDraftWarning(w.t.database, w.t.tenant.id, {
      titleVi: 'Cảnh báo nháp zqwdraft chưa duyệt',
      descriptionVi: 'Nội dung nháp zqwdraft.',
      communes: ['xa-dong-tien'],
    })
    const person = await makePublishedWarning(
      w.t.database,
      w.t.tenant.id,
      {
        kind: 'missing_person',
        level: 'advisory',
        titleVi: 'Tìm người mất tích: cháu Đỗ Zqwminh, 9 tuổi',
        descriptionVi: 'Cháu Đỗ Zqwminh rời nhà ở xã Đồng Tiến, mặc áo đỏ.',
        communes: ['xa-dong-tien'],
      },
      { publicUrl },
    )
    // The probes can see: while open, the person is on the page, the lists, the feed, CAP and cards.
    const open = await seenOn(person.slug, 'Zqwminh')
    expect(open).toEqual(
      expect.arrayContaining(
        warningSurfaces(person.slug, 'Zqwminh')
          .slice(0, 10)
          .filter((u) => u !== '/canh-bao?loai=lua-dao'),
      ),
    )
    const before = cache.stats.invalidations
    await withTransaction(w.t.database.pool, async (tx) => {
      const [locked] = await tx.select().from(warnings).where(eq(warnings.id, person.id)).for('update')
      await publishVersion(tx, {
        warning: locked as typeof warnings.$inferSelect,
        state: 'closed',
        publishedBy: null,
        approvedBy: null,
        urgent: false,
        set: { closedAt: now(), closeReason: 'found' },
        publicUrl,
      })
    })
    await until(async () => cache.stats.invalidations > before, 'the warnings cache invalidation')
    // Twice: the second round is served from the cache primed by the first.
    for (let round = 0; round < 2; round++) {
      expect(await seenOn(person.slug, 'Zqwminh'), `closed person, round ${round}`).toEqual([])
      expect(await seenOn(draftW.slug, 'zqwdraft'), `draft, round ${round}`).toEqual([])
    }
  })
})
