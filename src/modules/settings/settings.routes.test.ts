/**
 * Day one (issue #13, items 9 and 10) over HTTP: the fresh install's neutral identity, the
 * office's identity and logo as an admin's setting (audited, seen at once by pages and by other
 * processes), the empty spokesperson list that says who fills it, and the partners' own header.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, loginAs, makeUser, type Login, type TestApp } from '../../../test/support/app.ts'
import { makePartner } from '../../../test/support/partners.ts'
import { withTransaction } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { createEventListener } from '../../platform/events.ts'
import { svgToPng } from '../../platform/html/raster.ts'
import { type Tenant, watchTenant } from '../../platform/tenancy/index.ts'
import { saveSpokesperson } from '../spokespersons/commands/save-spokesperson.ts'

let t: TestApp
let admin: Login
let editor: Login
let journalist: Login
let influencer: Login

const OFFICE = {
  identityName: 'Công an tỉnh Thử Nghiệm',
  shortName: 'CA Thử Nghiệm',
  province: 'Thử Nghiệm',
  hotline: '0200 000 113',
  identityEmail: 'banbientap@thunghiem.example.vn',
  address: '1 đường Thử, phường Một, tỉnh Thử Nghiệm',
  website: 'https://thunghiem.example.vn',
}

beforeAll(async () => {
  t = await createTestApp({ DATA_DIR: `/tmp/donghanh-settings-test-${process.pid}` })
  admin = await loginAs(t, await makeUser(t, { role: 'admin' }))
  editor = await loginAs(t, await makeUser(t, { role: 'editor' }))
  // Partner accounts with their partner records (the portal asks for the record on every page).
  journalist = (await makePartner(t)).login
  influencer = (await makePartner(t, { kind: 'influencer', status: 'verified' })).login
})
afterAll(async () => {
  await t.close()
  const { rm } = await import('node:fs/promises')
  await rm(`/tmp/donghanh-settings-test-${process.pid}`, { recursive: true, force: true })
})

const get = (url: string, who?: Login) => t.app.inject({ url, headers: who ? { cookie: who.cookie } : {} })
const post = (url: string, who: Login, fields: Record<string, string>) => {
  const f = form({ _csrf: who.csrf, ...fields })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: who.cookie } })
}

/** A multipart body with one file field `logo`. */
function multipart(csrf: string, file: { name: string; type: string; data: Buffer }) {
  const boundary = '----dh-settings-test'
  const parts = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="logo"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

describe('a fresh install', () => {
  it('names no province: neutral placeholder, no hotline or e-mail on the public pages', async () => {
    expect(t.tenant).toMatchObject({ name: 'Đồng Hành', hotline: '', email: '', province: '', identitySetAt: null })
    const home = await get('/')
    expect(home.body).not.toMatch(/Thanh Hóa|2609|congan\.gov\.vn/)
    expect(home.body).not.toContain('href="tel:')
    expect(home.body).not.toContain('href="mailto:')
  })

  it('the home page promises only what exists (no press-conference invitations, no media kits)', async () => {
    const vi = await get('/')
    expect(vi.body).not.toMatch(/lời mời họp báo|bộ tài liệu truyền thông/)
    const en = await get('/?lang=en')
    expect(en.body).not.toMatch(/press-conference invitations|campaign kits/)
  })
})

describe('the empty spokesperson list says who fills it', () => {
  it('an editor is told only admins and approvers add one, with the link to the register', async () => {
    const res = await get('/console/releases/new', editor)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('id="no-spokesperson"')
    expect(res.body).toContain('Chỉ quản trị viên hoặc người duyệt thêm được người phát ngôn')
    expect(res.body).toContain('<a href="/console/spokespersons">Xem danh sách người phát ngôn</a>')
    expect(res.body).toContain('aria-describedby="no-spokesperson"')
    const register = await get('/console/spokespersons', editor)
    expect(register.body).toContain('Chỉ quản trị viên và người duyệt thêm, sửa được người phát ngôn.')
  })

  it('an admin is offered to add one', async () => {
    const res = await get('/console/releases/new?lang=en', admin)
    expect(res.body).toContain('<a href="/console/spokespersons">Add a spokesperson</a>')
  })

  it('says nothing once an active spokesperson exists', async () => {
    await withTransaction(t.database.pool, (tx) =>
      saveSpokesperson({
        tx,
        tenantId: t.tenant.id,
        actor: { id: null, label: 'test' },
        input: { name: 'Đại tá Trần Văn Phát', title: 'Phó Giám đốc', phone: '0200 000 114', email: 'pn@thunghiem.example.vn' },
      }),
    )
    const res = await get('/console/releases/new', editor)
    expect(res.body).not.toContain('id="no-spokesperson"')
    expect(res.body).toContain('Đại tá Trần Văn Phát — Phó Giám đốc')
  })
})

describe('the office identity as a setting', () => {
  it('only admins reach the settings page and its menu entry', async () => {
    const anonymous = await get('/console/settings')
    expect(anonymous.statusCode).toBe(302)
    expect(anonymous.headers.location).toMatch(/^\/console\/sign-in/)
    expect((await get('/console/settings', editor)).statusCode).toBe(403)
    expect((await post('/console/settings/identity', editor, OFFICE)).statusCode).toBe(403)
    expect((await get('/console', editor)).body).not.toContain('href="/console/settings"')
    const page = await get('/console/settings', admin)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Cài đặt đơn vị')
    expect((await get('/console', admin)).body).toContain('href="/console/settings"')
  })

  it('refuses a bad field with a 400 in both languages and keeps the rest', async () => {
    const res = await post('/console/settings/identity', admin, { ...OFFICE, identityEmail: 'không phải thư' })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('E-mail liên hệ của đơn vị không hợp lệ.')
    expect(res.body).toContain('The office contact e-mail is not valid.')
    expect(res.body).toContain('value="Công an tỉnh Thử Nghiệm"')
    const web = await post('/console/settings/identity', admin, { ...OFFICE, website: 'javascript:alert(1)' })
    expect(web.statusCode).toBe(400)
    expect(t.tenant.identitySetAt).toBeNull()
  })

  it('saves, audits, and every page, cached ones included, and every process read it at once', async () => {
    // Another process's live tenant, kept by its own listener.
    const events = createEventListener(t.database.url)
    const elsewhere: Tenant = { ...t.tenant }
    try {
      await watchTenant(events, t.database.db, elsewhere)
      await get('/') // the home page is now in the public page cache
      const res = await post('/console/settings/identity', admin, OFFICE)
      expect(res.statusCode).toBe(303)
      expect(res.headers.location).toBe('/console/settings?done=identity')
      expect(t.tenant).toMatchObject({ name: OFFICE.identityName, hotline: OFFICE.hotline, province: OFFICE.province })
      // The cached home page is dropped as soon as the cache hears of the change (NOTIFY is
      // asynchronous, as for a publication: within 5 s here).
      let home = await get('/')
      for (const until = Date.now() + 5000; Date.now() < until && !home.body.includes(OFFICE.identityName); ) {
        await new Promise((r) => setTimeout(r, 20))
        home = await get('/')
      }
      expect(home.body).toContain(`<h1>${OFFICE.identityName}</h1>`)
      expect(home.body).toContain(OFFICE.hotline)
      expect(home.body).toContain('href="https://thunghiem.example.vn"')
      const [row] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'tenant.identity_updated'))
      expect(row?.summary).toMatchObject({ first: true, changed: { name: { from: 'Đồng Hành', to: OFFICE.identityName } } })
      for (let i = 0; i < 200 && elsewhere.name !== OFFICE.identityName; i++) await new Promise((r) => setTimeout(r, 25))
      expect(elsewhere).toMatchObject({ name: OFFICE.identityName, hotline: OFFICE.hotline })
      expect(elsewhere.identitySetAt).toBeInstanceOf(Date)
    } finally {
      await events.close()
    }
    const again = await get('/console/settings?done=identity', admin)
    expect(again.body).toContain('Đã lưu thông tin đơn vị.')
  })

  it('takes a PNG logo (shown in the public header), refuses a non-image, and serves only the current one', async () => {
    const png = svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8" fill="#b71c1c"/></svg>')
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
    const refused = await t.app.inject({
      method: 'POST',
      url: '/console/settings/logo',
      ...withCookie(multipart(admin.csrf, { name: 'logo.pdf', type: 'application/pdf', data: pdf }), admin),
    })
    expect(refused.statusCode).toBe(415)
    expect(refused.body).toContain('Biểu trưng phải là ảnh PNG, JPEG hoặc WebP.')
    expect(refused.body).toContain('The logo must be a PNG, JPEG or WebP image.')
    const byEditor = await t.app.inject({
      method: 'POST',
      url: '/console/settings/logo',
      ...withCookie(multipart(editor.csrf, { name: 'logo.png', type: 'image/png', data: png }), editor),
    })
    expect(byEditor.statusCode).toBe(403)
    const ok = await t.app.inject({
      method: 'POST',
      url: '/console/settings/logo',
      ...withCookie(multipart(admin.csrf, { name: 'logo.png', type: 'image/png', data: png }), admin),
    })
    expect(ok.statusCode).toBe(303)
    const href = `/logo/${t.tenant.logoSha256}.png`
    let home = await get('/')
    for (const until = Date.now() + 5000; Date.now() < until && !home.body.includes(href); ) {
      await new Promise((r) => setTimeout(r, 20))
      home = await get('/')
    }
    expect(home.body).toContain(`<img class="brand-logo" src="${href}"`)
    const logo = await get(href)
    expect(logo.statusCode).toBe(200)
    expect(logo.headers['content-type']).toBe('image/png')
    expect(logo.rawPayload.equals(png)).toBe(true)
    expect((await get(`/logo/${'0'.repeat(64)}.png`)).statusCode).toBe(404)
    const [row] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'tenant.logo_updated'))
    expect(row?.summary).toMatchObject({ from: null, to: t.tenant.logoSha256, type: 'png' })
  })
})

function withCookie(body: { payload: Buffer; headers: Record<string, string> }, who: Login) {
  return { payload: body.payload, headers: { ...body.headers, cookie: who.cookie } }
}

describe('partners get their own header', () => {
  it('a journalist: partner portal brand and menu (embargo included), no staff console entries', async () => {
    const res = await get('/doi-tac', journalist)
    expect(res.statusCode).toBe(200)
    const header = res.body.slice(res.body.indexOf('<header'), res.body.indexOf('</header>'))
    expect(header).toContain('Đồng Hành · Cổng đối tác')
    expect(header).not.toContain('Bàn làm việc')
    expect(header).not.toContain('href="/console"')
    expect(header).not.toContain('Tổng quan')
    expect(header).toContain('href="/doi-tac/ho-so"')
    expect(header).toContain('href="/doi-tac/bao-mat"')
    expect(res.body).toContain('id="portal-embargo"')
  })

  it('an influencer not (yet) accredited is shown no embargoed material', async () => {
    const res = await get('/doi-tac', influencer)
    expect(res.statusCode).toBe(200)
    expect(res.body).not.toContain('data-countdown=')
    expect(res.body).toContain('chỉ dành cho đối tác đang được công nhận')
    const header = res.body.slice(res.body.indexOf('<header'), res.body.indexOf('</header>'))
    expect(header).toContain('Cổng đối tác')
    expect(header).not.toContain('href="/console"')
  })

  it('staff keep the console header', async () => {
    const header = (await get('/console', editor)).body
    expect(header).toContain('Đồng Hành · Bàn làm việc')
  })
})
