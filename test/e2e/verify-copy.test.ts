/**
 * A reader's copy of a release page, checked at `/xac-minh`, as it happens in Chromium: on
 * each public demo release (a table, a bulleted list, sub-headings, none), at desktop width
 * and on a 390-px phone, the reader selects the article, the whole page (Ctrl+A), and the
 * title with the body but without its sub-headings, and pastes each into `/xac-minh`. Every
 * copy is a faithful one: the answer is "identical", or "identical apart from layout and page
 * furniture" naming what was set aside — never "altered". Then one number of the article is
 * changed: that copy is altered, and the diff shows that number and nothing else (none of the
 * page's furniture). The copies are kept under test-output/e2e/verify-copy/ with the
 * screenshots.
 *
 * Chromium: see test/e2e/global-setup.ts (CHROMIUM_PATH, a system Chromium, or the npm one).
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DESKTOP,
  type DemoRun,
  expectVietnameseFont,
  heading,
  navigate,
  PHONE,
  ROOT,
  screenshots,
  seen,
  startDemoRun,
  stopDemoRun,
  submitButton,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/verify-copy')
const shot = screenshots(SHOTS)

/** The bits of the browser's DOM the selections use (the project compiles without lib.dom). */
interface SelectionDom {
  document: {
    execCommand(c: string): boolean
    createRange(): { selectNodeContents(n: unknown): void }
    querySelector(s: string): unknown
    querySelectorAll(s: string): Iterable<{ tagName: string }>
  }
  getSelection(): { toString(): string; removeAllRanges(): void; addRange(r: unknown): void } | null
}

/** What a reader copies: the whole page (Ctrl+A), the `<article>`, or the title and the body's blocks without its sub-headings. */
type CopyKind = 'page' | 'article' | 'title-body'

/** The selected text of `kind`, as the clipboard would get it (the selection's text). */
function copyOf(page: Page, kind: CopyKind): Promise<string> {
  return page.evaluate((k) => {
    const w = globalThis as unknown as SelectionDom
    const sel = w.getSelection()
    if (!sel) throw new Error('no selection')
    const pick = (node: unknown) => {
      sel.removeAllRanges()
      const range = w.document.createRange()
      range.selectNodeContents(node)
      sel.addRange(range)
      return sel.toString()
    }
    if (k === 'page') {
      sel.removeAllRanges()
      w.document.execCommand('selectAll')
      return sel.toString()
    }
    if (k === 'article') return pick(w.document.querySelector('article.release'))
    // Title, then each block of the summary and the body one by one, skipping the sub-headings:
    // what a reader pastes after copying the paragraphs they want, one after the other.
    const parts = [pick(w.document.querySelector('article.release h1'))]
    for (const el of w.document.querySelectorAll('.release-content .lead, .release-content .prose > *')) {
      if (/^H[1-6]$/.test(el.tagName)) continue
      parts.push(pick(el))
    }
    sel.removeAllRanges()
    return parts.join('\n\n')
  }, kind)
}

/** Pastes `text` into `/xac-minh`, submits it, and returns the verdict's name and the outcome as seen. */
async function check(page: Page, base: string, text: string): Promise<{ verdict: string; outcome: string }> {
  await navigate(page, () => page.goto(`${base}/xac-minh`))
  await page.getByLabel('Nội dung cần kiểm tra').fill(text)
  const res = await submitButton(page, '/xac-minh')
  expect(res.status()).toBe(200)
  const cls = (await page.locator('.verify-outcome .verdict').getAttribute('class')) ?? ''
  return { verdict: /verdict-([\w-]+)/.exec(cls)?.[1] ?? cls, outcome: await seen(page.locator('.verify-outcome')) }
}

describe('faithful copies of a release page at /xac-minh', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-verify-copy-')
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('calls copies of the article, the whole page and title + body faithful, on desktop and phone; a changed number is altered, alone in the diff', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())
    const releases = run.manifest.items.filter((i) => i.kind === 'release' && i.state === 'public' && i.url)
    expect(releases.length).toBeGreaterThanOrEqual(3)

    const answers: string[] = []
    let articleCopy: { text: string; title: string } | undefined
    for (const [n, r] of releases.entries()) {
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        await page.setViewportSize(viewport)
        expect((await navigate(page, () => page.goto(`${base}${r.url}`))).status()).toBe(200)
        expect(await heading(page)).toBe(r.title)
        for (const kind of ['article', 'page', 'title-body'] as const) {
          await navigate(page, () => page.goto(`${base}${r.url}`))
          const text = await copyOf(page, kind)
          await writeFile(path.join(SHOTS, `copy-${n + 1}-${size}-${kind}.txt`), text)
          expect(text).toContain(r.title)
          const { verdict, outcome } = await check(page, base, text)
          answers.push(`${n + 1} ${size} ${kind}: ${verdict}`)
          // Faithful: identical, or identical apart from the page's furniture (which is named).
          // Soft: every copy is tried and listed, also when one is answered wrong.
          expect.soft(['identical', 'identical-layout'], `${r.title} — ${size} ${kind}:\n${outcome}`).toContain(verdict)
          expect.soft(outcome, `${size} ${kind}`).toContain(r.title)
          expect.soft(outcome, `${size} ${kind}`).not.toContain('ĐÃ BỊ SỬA ĐỔI')
          if (kind === 'page') {
            expect.soft(verdict, `${r.title} — ${size} ${kind}`).toBe('identical-layout')
            expect.soft(outcome, `${size} ${kind}`).toMatch(/đã bỏ qua:.*dòng thời gian đăng.*khối mã xác minh/s)
          }
          if (n === 0 && kind !== 'article') await shot(page, `verify-${size}-${kind}`)
          if (kind === 'article' && size === 'desktop' && n === 0) articleCopy = { text, title: r.title }
        }
      }
    }
    await page.setViewportSize(DESKTOP)
    await expectVietnameseFont(page)

    // One number of the article changed: altered, and the diff holds that change only.
    if (!articleCopy) throw new Error('no article copy')
    const number = /\b(\d+) đối tượng/.exec(articleCopy.text)
    expect(number, articleCopy.text).not.toBeNull()
    const old = (number as RegExpExecArray)[1] as string
    const changed = articleCopy.text.replace(`${old} đối tượng`, `${Number(old) + 12} đối tượng`)
    const { verdict, outcome } = await check(page, base, changed)
    expect(verdict, outcome).toBe('altered')
    expect(outcome).toContain('ĐÃ BỊ SỬA ĐỔI so với bản chính thức.')
    expect(await page.locator('.verify-outcome .diff ins').allInnerTexts()).toEqual([String(Number(old) + 12)])
    expect(await page.locator('.verify-outcome .diff del').allInnerTexts()).toEqual([old])
    await shot(page, 'verify-altered-number', { phone: true })
    console.info(`verify-copy e2e: ${answers.join('; ')}`)
  }, 600_000)
})
