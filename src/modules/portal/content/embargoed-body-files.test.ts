/**
 * An embargoed release's text, as the portal shows it, links its own images and files through
 * the partner's logged download (/doi-tac/tep/<id>): the public /tep/<id>/<name> addresses in
 * the stored text answer 404 until the lift, so an image would be broken and a link dead.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { draft, load, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { withTransaction } from '../../../db/index.ts'
import { addAttachment } from '../../releases/commands/add-attachment.ts'
import { editRelease } from '../../releases/commands/edit-release.ts'
import { portalBodyHtml } from './content.pages.tsx'
import { partnerDownloads } from './content.tables.ts'

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.alloc(64, 1),
])
const LIFT = new Date(`${new Date().getUTCFullYear() + 1}-12-20T09:00:00+07:00`)

let t: TestApp
let dataDir: string
let editor: MadeUser
let approver: MadeUser
let imageId: string
let pdfId: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'donghanh-portal-body-'))
  t = await createTestApp({ DATA_DIR: dataDir })
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  const spokespersonId = await makeSpokesperson(t)
  const id = await draft(t, editor, { spokespersonId, content: { title: 'Họp báo chuyên án zqbody', bodyMd: 'Tạm.' } })
  const actor = { id: editor.id, label: editor.email }
  const attach = (filename: string, data: Buffer) =>
    withTransaction(t.database.pool, async (tx) => addAttachment({ tx, release: await load(t, id), actor, dataDir, filename, data }))
  imageId = (await attach('hien-truong.png', PNG)).id
  pdfId = (await attach('ket-luan.pdf', PDF)).id
  const bodyMd = [
    'Toàn văn kết luận.',
    '',
    `![Ảnh hiện trường](/tep/${imageId}/hien-truong.png)`,
    '',
    `Xem [bản kết luận](/tep/${pdfId}/ket-luan.pdf) và [cổng thông tin](https://congan.example.vn/tep/x).`,
    '',
    `Mã nguồn: \`src="/tep/${imageId}/x"\``,
  ].join('\n')
  await withTransaction(t.database.pool, async (tx) => {
    const release = await load(t, id)
    return editRelease({ tx, release, actor, content: { ...release.working, bodyMd } })
  })
  await submitAndApprove(t, id, editor, approver, 'embargo', LIFT)
})

afterAll(async () => {
  await t?.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('portalBodyHtml', () => {
  it("rewrites only attribute values that name one of our /tep/ files; text, code and other sites' paths stay", () => {
    const html = portalBodyHtml(
      `![Ảnh](/tep/${imageId}/a.png) [tệp](/tep/${pdfId}/b.pdf?x=1) [ngoài](https://example.vn/tep/${pdfId}/b.pdf) \`href="/tep/${pdfId}/c"\``,
    )
    expect(html).toContain(`<img src="/doi-tac/tep/${imageId}" alt="Ảnh"`)
    expect(html).toContain(`<a href="/doi-tac/tep/${pdfId}">tệp</a>`)
    expect(html).toContain(`href="https://example.vn/tep/${pdfId}/b.pdf"`)
    // Code is escaped text (its quote is &quot;), never an attribute.
    expect(html).toContain(`<code>href=&quot;/tep/${pdfId}/c&quot;</code>`)
  })
})

describe('an embargoed release in the portal', () => {
  it('shows its image and file through the logged download while the public addresses still 404', async () => {
    const { partner, login } = await makePartner(t)
    const home = await t.app.inject({ method: 'GET', url: '/doi-tac', headers: login.headers })
    expect(home.statusCode).toBe(200)
    expect(home.body).toContain(`<img src="/doi-tac/tep/${imageId}" alt="Ảnh hiện trường"`)
    expect(home.body).toContain(`<a href="/doi-tac/tep/${pdfId}">bản kết luận</a>`)
    expect(home.body).not.toContain(`"/tep/${imageId}/`)
    expect(home.body).not.toContain(`"/tep/${pdfId}/`)
    expect(home.body).toContain('href="https://congan.example.vn/tep/x"')

    // The stored addresses are public only after the lift.
    expect((await t.app.inject({ method: 'GET', url: `/tep/${imageId}/hien-truong.png` })).statusCode).toBe(404)
    const image = await t.app.inject({ method: 'GET', url: `/doi-tac/tep/${imageId}`, headers: login.headers })
    expect(image.statusCode).toBe(200)
    expect(image.headers['content-type']).toBe('image/png')
    const logged = await t.database.db.select().from(partnerDownloads).where(eq(partnerDownloads.partnerId, partner.id))
    expect(logged.map((d) => [d.attachmentId, d.embargoed])).toEqual([[imageId, true]])
  })

  it('gives a partner without embargo access nothing through the rewritten address', async () => {
    const { login } = await makePartner(t, { status: 'suspended' })
    const home = await t.app.inject({ method: 'GET', url: '/doi-tac', headers: login.headers })
    expect(home.body).not.toContain('zqbody')
    const image = await t.app.inject({ method: 'GET', url: `/doi-tac/tep/${imageId}`, headers: login.headers })
    expect(image.statusCode).toBe(403)
  })
})
