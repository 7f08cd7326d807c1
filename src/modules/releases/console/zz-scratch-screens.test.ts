import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { it } from 'vitest'
import { createTestApp, form, loginAs, makeUser } from '../../../../test/support/app.ts'
import { makeSealedCase, makeSpokesperson } from '../../../../test/support/releases.ts'

it('screens', async () => {
  const t = await createTestApp({ DATA_DIR: await mkdtemp(join(tmpdir(), 'dh-shots-')) })
  const editor = await makeUser(t, { role: 'editor' })
  const approver = await makeUser(t, { role: 'approver' })
  const e = await loginAs(t, editor)
  const a = await loginAs(t, approver)
  const sp = await makeSpokesperson(t)
  const caseId = await makeSealedCase(t, approver, 'CA-36-MT')
  const post = async (l: typeof e, url: string, f: Record<string, string>) => {
    const b = form({ ...f, _csrf: l.csrf })
    return t.app.inject({ method: 'POST', url, payload: b.payload, headers: { ...b.headers, cookie: l.cookie } })
  }
  const r1 = await post(e, '/console/releases/new', { kind: 'warning', title: 'Cảnh báo thủ đoạn lừa đảo giả danh công an gọi điện', summary: 'Công an tỉnh Thanh Hóa cảnh báo người dân về thủ đoạn giả danh cán bộ công an gọi điện yêu cầu chuyển tiền.', bodyMd: '## Thủ đoạn\n\nĐối tượng gọi điện, xưng là **cán bộ công an**, yêu cầu:\n\n- chuyển tiền vào tài khoản "tạm giữ"\n- cài ứng dụng lạ\n\n| Việc nên làm | Việc không làm |\n|---|---|\n| Gọi 113 | Chuyển tiền |', category: 'Cảnh báo', tags: 'lừa đảo, giả danh', spokespersonId: sp, communes: 'phuong-hac-thanh' })
  const id = /releases\/([0-9a-f-]{36})/.exec(String(r1.headers.location))?.[1] as string
  await post(e, `/console/releases/${id}/submit`, {})
  const local = new Date(Date.now() + 26 * 3_600_000 + 7 * 3_600_000).toISOString().slice(0, 16)
  await post(a, `/console/releases/${id}/approve`, { mode: 'embargo', at: local })
  const r2 = await post(a, '/console/releases/new', { kind: 'press_release', title: 'Triệt phá chuyên án ma túy', summary: 'Tóm tắt', bodyMd: 'Nội dung', spokespersonId: sp, caseId })
  const id2 = /releases\/([0-9a-f-]{36})/.exec(String(r2.headers.location))?.[1] as string
  await post(a, `/console/releases/${id2}/submit`, {})
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' })
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] })
  for (const [name, size] of [['phone', { width: 390, height: 844 }], ['desktop', { width: 1280, height: 900 }]] as const) {
    const ctx = await browser.newContext({ viewport: size })
    await ctx.addCookies([{ name: 'dh_sid', value: a.cookie.slice('dh_sid='.length), url: address }])
    const page = await ctx.newPage()
    for (const [shot, url] of [['editor', `/console/releases/${id2}`], ['calendar', '/console/calendar'], ['approvals', '/console/approvals'], ['list', '/console/releases?tab=scheduled'], ['case', `/console/cases/${caseId}`], ['spokes', '/console/spokespersons']]) {
      await page.goto(address + url)
      await page.screenshot({ path: `/tmp/rc/shots/${name}-${shot}.png`, fullPage: true })
    }
    // live preview via htmx
    await page.goto(`${address}/console/releases/new`)
    await page.fill('textarea[name=summary]', 'Một đoạn tóm tắt thử nghiệm')
    await page.fill('textarea[name=bodyMd]', '## Xem trước\n\n**Đậm** và <script>alert(1)</script>')
    await page.waitForTimeout(1200)
    await page.screenshot({ path: `/tmp/rc/shots/${name}-new-preview.png`, fullPage: true })
    await ctx.close()
  }
  await browser.close()
  await t.close()
}, 120_000)
