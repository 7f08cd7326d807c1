import { PATHOLOGICAL_UNITS } from './pathological.ts'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { MAX_BODY_CHARS, markdownToText, renderMarkdown } from './index.ts'

const html = (md: string) => renderMarkdown(md).html

/** Elements and attributes the renderer may produce; anything else is a failure. */
const ALLOWED: Record<string, readonly string[]> = {
  h2: [],
  h3: [],
  h4: [],
  h5: [],
  h6: [],
  p: [],
  em: [],
  strong: [],
  ul: [],
  ol: ['start'],
  li: [],
  blockquote: [],
  a: ['href', 'title', 'rel'],
  img: ['src', 'alt', 'title', 'loading'],
  table: [],
  thead: [],
  tbody: [],
  tr: [],
  th: ['class'],
  td: ['class'],
  pre: [],
  code: ['class'],
  hr: [],
  br: [],
}

/**
 * Parses the output strictly: every `<` must open a well-formed, allowed tag whose attributes are
 * allowed and double-quoted with no raw `"`, `<` or `>` inside; `href`/`src` must be allowed URLs.
 * Returns the tags seen. Text never contains a raw `<` or `>`.
 */
function assertSafeHtml(out: string): string[] {
  const tags: string[] = []
  const tagRe = /<(\/?)([a-z][a-z0-9]*)((?: [a-z-]+="[^"<>]*")*)>/y
  let i = 0
  while (i < out.length) {
    const lt = out.indexOf('<', i)
    const text = out.slice(i, lt < 0 ? out.length : lt)
    expect(text, 'raw > in text').not.toContain('>')
    if (lt < 0) break
    tagRe.lastIndex = lt
    const m = tagRe.exec(out)
    expect(m, `malformed tag at ${out.slice(lt, lt + 40)}`).not.toBeNull()
    const [whole, close, name, attrs] = m as RegExpExecArray
    expect(Object.keys(ALLOWED), `tag <${name}>`).toContain(name)
    for (const a of attrs.matchAll(/ ([a-z-]+)="([^"]*)"/g)) {
      expect(close, 'attribute on a closing tag').toBe('')
      expect(ALLOWED[name], `attribute ${a[1]} on <${name}>`).toContain(a[1])
      const value = a[2]
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&')
      if (a[1] === 'href') expect(value).toMatch(/^(https?:\/\/[^/\\]|\/(?![/\\])|mailto:|tel:)/i)
      if (a[1] === 'src') expect(value).toMatch(/^(https?:\/\/[^/\\]|\/tep\/)/i)
    }
    tags.push(`${close}${name}`)
    i = lt + whole.length
  }
  return tags
}

function refused(fn: () => unknown): AppError {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e
    throw e
  }
  throw new Error('expected an AppError')
}

describe('renderMarkdown: the safe subset', () => {
  it('shifts headings down one level so the body starts at h2 (h6 stays h6)', () => {
    expect(html('# Một\n\n## Hai\n\n### Ba\n\n#### Bốn\n\n##### Năm\n\n###### Sáu\n\nSetext\n===')).toBe(
      '<h2>Một</h2>\n<h3>Hai</h3>\n<h4>Ba</h4>\n<h5>Bốn</h5>\n<h6>Năm</h6>\n<h6>Sáu</h6>\n<h2>Setext</h2>\n',
    )
  })

  it('renders paragraphs, emphasis, lists, blockquotes, code and rules', () => {
    const md = [
      'Công an tỉnh **thông báo** _khẩn_ và `mã`.',
      '',
      '- một',
      '- hai',
      '',
      '3. ba',
      '4. bốn',
      '',
      '> trích dẫn',
      '',
      '```',
      'if (a < b) {}',
      '```',
      '',
      '---',
    ].join('\n')
    expect(html(md)).toBe(
      '<p>Công an tỉnh <strong>thông báo</strong> <em>khẩn</em> và <code>mã</code>.</p>\n' +
        '<ul>\n<li>một</li>\n<li>hai</li>\n</ul>\n' +
        '<ol start="3">\n<li>ba</li>\n<li>bốn</li>\n</ol>\n' +
        '<blockquote>\n<p>trích dẫn</p>\n</blockquote>\n' +
        '<pre><code>if (a &lt; b) {}\n</code></pre>\n' +
        '<hr>\n',
    )
    assertSafeHtml(html(md))
  })

  it('renders tables, with alignment as a class rather than an inline style', () => {
    const out = html('| Xã | Số vụ |\n|:--|--:|\n| Hàm Rồng | 3 |\n| Các Sơn | 1 |')
    expect(out).toBe(
      '<table>\n<thead>\n<tr>\n<th class="align-left">Xã</th>\n<th class="align-right">Số vụ</th>\n</tr>\n</thead>\n' +
        '<tbody>\n<tr>\n<td class="align-left">Hàm Rồng</td>\n<td class="align-right">3</td>\n</tr>\n' +
        '<tr>\n<td class="align-left">Các Sơn</td>\n<td class="align-right">1</td>\n</tr>\n</tbody>\n</table>\n',
    )
    expect(out).not.toContain('style=')
    expect(html('| a | b |\n|---|:-:|\n| 1 | 2 |')).toContain('<td class="align-center">2</td>')
  })

  it('does not autolink bare URLs, apply typography or strike through', () => {
    expect(html('Xem https://example.com -- "trích" ~~xoá~~')).toBe('<p>Xem https://example.com -- &quot;trích&quot; ~~xoá~~</p>\n')
  })

  it('returns NFC HTML for NFD input', () => {
    const nfd = '# Thông báo của Công an tỉnh Thanh Hóa\n\nĐối tượng đã bị bắt.'.normalize('NFD')
    expect(nfd).not.toBe(nfd.normalize('NFC'))
    const out = html(nfd)
    expect(out).toBe(out.normalize('NFC'))
    expect(out).toBe('<h2>Thông báo của Công an tỉnh Thanh Hóa</h2>\n<p>Đối tượng đã bị bắt.</p>\n')
  })
})

describe('renderMarkdown: links', () => {
  it('keeps web, mail, phone and site links; marks external ones', () => {
    expect(html('[Báo](https://baothanhhoa.vn/a?b=1&c=2)')).toBe(
      '<p><a href="https://baothanhhoa.vn/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">Báo</a></p>\n',
    )
    expect(html('[http](HTTP://EXAMPLE.COM)')).toContain('rel="noopener noreferrer nofollow"')
    expect(html('[Tin](/tin/canh-bao-lua-dao)')).toBe('<p><a href="/tin/canh-bao-lua-dao">Tin</a></p>\n')
    expect(html('[Thư](mailto:phongthammuu@congan.vn)')).toBe('<p><a href="mailto:phongthammuu@congan.vn">Thư</a></p>\n')
    expect(html('[Gọi 113](tel:113)')).toBe('<p><a href="tel:113">Gọi 113</a></p>\n')
    expect(html('<https://example.com>')).toBe(
      '<p><a href="https://example.com" rel="noopener noreferrer nofollow">https://example.com</a></p>\n',
    )
  })

  it('percent-encodes Vietnamese in URLs', () => {
    expect(html('[x](/tin/thông-báo)')).toBe('<p><a href="/tin/th%C3%B4ng-b%C3%A1o">x</a></p>\n')
  })

  it.each([
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    ['JAVASCRIPT:alert(1)'],
    ['&#106;avascript:alert(1)'],
    ['&#x6A;avascript:alert(1)'],
    ['&#106&#97;vascript:alert(1)'],
    ['javascript&#58;alert(1)'],
    ['javascript&colon;alert(1)'],
    ['jav&#x09;ascript:alert(1)'],
    ['<javascript:alert(1)>'],
    ['<java\tscript:alert(1)>'],
    ['%6Aavascript:alert(1)'],
    ['\\javascript:alert(1)'],
    [' javascript:alert(1)'],
    ['vbscript:msgbox(1)'],
    ['VBScript:msgbox(1)'],
    ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['data:image/png;base64,AAAA'],
    ['file:///etc/passwd'],
    ['//evil.example/x'],
    ['https:evil.example'],
    ['https:/evil.example'],
    ['ftp://example.com/x'],
    ['relative/path'],
    ['#top'],
  ])('renders a link to %j as its text only', (target) => {
    const out = html(`[bấm vào đây](${target})`)
    expect(out).not.toMatch(/<a /)
    expect(out).toContain('bấm vào đây')
    expect(out.toLowerCase()).not.toMatch(/href|javascript:|vbscript:|data:text/)
    assertSafeHtml(out)
  })

  it('refuses dangerous autolinks, reference links and link-looking text', () => {
    for (const md of [
      '<javascript:alert(1)>',
      '<JAVASCRIPT:alert(1)>',
      '[x][r]\n\n[r]: javascript:alert(1)',
      '[x][r]\n\n[r]: <javascript:alert(1)> "t"',
      '[x](<javascript:alert(1)>)',
      '[x]( javascript:alert(1) )',
    ]) {
      const out = html(md)
      expect(out, md).not.toContain('<a')
      assertSafeHtml(out)
    }
  })

  it('escapes titles, so quotes cannot inject attributes', () => {
    expect(html('[a](https://example.com "x\\" onmouseover=\\"alert(1)")')).toBe(
      '<p><a href="https://example.com" title="x&quot; onmouseover=&quot;alert(1)" rel="noopener noreferrer nofollow">a</a></p>\n',
    )
    expect(html('[a](/tin/x \'y" onclick="alert(1)\')')).toBe('<p><a href="/tin/x" title="y&quot; onclick=&quot;alert(1)">a</a></p>\n')
    expect(html('[a](https://example.com "><script>alert(1)</script>")')).toBe(
      '<p><a href="https://example.com" title="&gt;&lt;script&gt;alert(1)&lt;/script&gt;" rel="noopener noreferrer nofollow">a</a></p>\n',
    )
  })

  it('escapes quotes and angle brackets in URLs', () => {
    const out = html('[a](https://example.com/"onmouseover="alert(1))')
    expect(out).not.toMatch(/" onmouseover|"onmouseover="/)
    assertSafeHtml(out)
    const out2 = html('[a](<https://example.com/"><script>>)')
    expect(out2).not.toContain('<script')
    assertSafeHtml(out2)
  })
})

describe('renderMarkdown: images', () => {
  it('keeps web images and attachments, lazy, with alt and title', () => {
    expect(html('![Hiện trường](/tep/abc123.jpg)')).toBe('<p><img src="/tep/abc123.jpg" alt="Hiện trường" loading="lazy"></p>\n')
    expect(html('![Ảnh **đẹp**](https://cdn.example.com/a.png "Chú thích")')).toBe(
      '<p><img src="https://cdn.example.com/a.png" alt="Ảnh đẹp" title="Chú thích" loading="lazy"></p>\n',
    )
  })

  it.each([
    ['data:image/png;base64,iVBORw0KGgo='],
    ['data:image/svg+xml,%3Csvg%20onload=alert(1)%3E'],
    ['DATA:image/gif;base64,R0lGOD'],
    ['javascript:alert(1)'],
    ['&#106;avascript:alert(1)'],
    ['/admin/delete?id=1'],
    ['/tep/../admin'],
    ['/tep/a/../../admin'],
    ['/tep/%2e%2e/admin'],
    ['/tep/..%2fadmin'],
    ['/tep/'],
    ['//evil.example/x.png'],
    ['file:///etc/passwd'],
    ['x.png'],
  ])('renders an image from %j as its alt text', (src) => {
    const out = html(`![Ảnh minh hoạ](${src})`)
    expect(out).not.toContain('<img')
    expect(out).toBe('<p>Ảnh minh hoạ</p>\n')
  })

  it('leaves a destination with spaces as literal, escaped text', () => {
    const out = html('![x](data:image/svg+xml,<svg onload=alert(1)>)')
    expect(out).toBe('<p>![x](data:image/svg+xml,&lt;svg onload=alert(1)&gt;)</p>\n')
    assertSafeHtml(out)
  })

  it('escapes alt text and titles', () => {
    const out = html('![x" onerror="alert(1)](/tep/a.png "t\\" onerror=\\"alert(1)")')
    expect(out).toBe(
      '<p><img src="/tep/a.png" alt="x&quot; onerror=&quot;alert(1)" title="t&quot; onerror=&quot;alert(1)" loading="lazy"></p>\n',
    )
    assertSafeHtml(out)
  })
})

describe('renderMarkdown: raw HTML is text', () => {
  it.each([
    ['<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n'],
    ['<img src=x onerror=alert(1)>', '<p>&lt;img src=x onerror=alert(1)&gt;</p>\n'],
    ['a <img src=x onerror=alert(1)> b', '<p>a &lt;img src=x onerror=alert(1)&gt; b</p>\n'],
    ['<!-- <script>alert(1)</script> -->', '<p>&lt;!-- &lt;script&gt;alert(1)&lt;/script&gt; --&gt;</p>\n'],
    ['x <!-- y --> z', '<p>x &lt;!-- y --&gt; z</p>\n'],
    ['<iframe src="javascript:alert(1)"></iframe>', '<p>&lt;iframe src=&quot;javascript:alert(1)&quot;&gt;&lt;/iframe&gt;</p>\n'],
    ['<svg><script>alert(1)</script></svg>', '<p>&lt;svg&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;/svg&gt;</p>\n'],
    ['<a href="javascript:alert(1)">x</a>', '<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>\n'],
    ['<style>body{display:none}</style>', '<p>&lt;style&gt;body{display:none}&lt;/style&gt;</p>\n'],
    ['&lt;script&gt;', '<p>&lt;script&gt;</p>\n'],
    ['&#60;script&#62;alert(1)&#60;/script&#62;', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n'],
    ['<scr<script>ipt>alert(1)</script>', '<p>&lt;scr&lt;script&gt;ipt&gt;alert(1)&lt;/script&gt;</p>\n'],
  ])('%j', (md, expected) => {
    expect(html(md)).toBe(expected)
    assertSafeHtml(html(md))
  })

  it('escapes HTML inside code and a hostile fence info string', () => {
    const out = html('```js" onclick="alert(1)\n</code><script>alert(1)</script>\n```\n\n`<b>`')
    expect(out).toBe(
      '<pre><code class="language-js&quot;">&lt;/code&gt;&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n<p><code>&lt;b&gt;</code></p>\n',
    )
    assertSafeHtml(out)
  })

  it('keeps a mixed hostile document within the allowed tags and attributes', () => {
    const md = [
      '# <script>alert(1)</script>',
      '[ok](https://example.com) [bad](javascript:alert(1)) ![i](data:image/png;base64,AA) ![j](/tep/a.png)',
      '<div onclick="x">raw</div>',
      '| <b>a</b> | [b](vbscript:x) |\n|---|---|\n| ![c](javascript:y) | `<i>` |',
      '> <img src=x onerror=alert(1)>',
      '- [x](  JaVaScRiPt:alert(1)  )\n- <https://example.com>\n- <mailto:a@b.vn>',
    ].join('\n\n')
    const tags = assertSafeHtml(html(md))
    expect(tags).toContain('a')
    expect(tags).toContain('img')
    expect(tags).toContain('table')
  })
})

describe('markdownToText', () => {
  it('gives the text a reader sees, one line per block, without markup or URLs', () => {
    const md = [
      '# Thông báo',
      '',
      'Công an tỉnh **Thanh Hóa** [đề nghị](https://example.com) người dân',
      'cảnh giác với `lừa đảo`.',
      '',
      '- một',
      '- hai',
      '',
      '> Trích',
      '',
      '| Xã | Số vụ |',
      '|---|---|',
      '| Hàm Rồng | 3 |',
      '',
      '![Ảnh hiện trường](/tep/a.jpg)',
      '',
      '```',
      'mã   nguồn',
      '```',
      '',
      '---',
      '',
      'Hết&nbsp;.',
    ].join('\n')
    expect(markdownToText(md)).toBe(
      [
        'Thông báo',
        'Công an tỉnh Thanh Hóa đề nghị người dân cảnh giác với lừa đảo.',
        'một',
        'hai',
        'Trích',
        'Xã | Số vụ',
        'Hàm Rồng | 3',
        'Ảnh hiện trường',
        'mã nguồn',
        'Hết .',
      ].join('\n'),
    )
  })

  it('keeps refused links and images as text, and raw HTML as the literal text', () => {
    expect(markdownToText('[bấm](javascript:alert(1)) ![ảnh](data:image/png;base64,AA) <b>đậm</b>')).toBe('bấm ảnh <b>đậm</b>')
    expect(markdownToText('&lt;script&gt; &amp; &#39;')).toBe("<script> & '")
  })

  it('is NFC and the same for NFC and NFD input', () => {
    const md = '## Đối tượng Nguyễn Văn A\n\nbị khởi tố về tội "Lừa đảo chiếm đoạt tài sản".'
    const a = markdownToText(md)
    expect(markdownToText(md.normalize('NFD'))).toBe(a)
    expect(a).toBe(a.normalize('NFC'))
    expect(a).toBe('Đối tượng Nguyễn Văn A\nbị khởi tố về tội "Lừa đảo chiếm đoạt tài sản".')
  })

  it('is empty for an empty body', () => {
    expect(markdownToText('')).toBe('')
    expect(renderMarkdown('').html).toBe('')
  })
})

describe('limits', () => {
  it(`accepts ${MAX_BODY_CHARS} characters and refuses one more with BODY_TOO_LARGE (413)`, () => {
    const ok = 'a'.repeat(MAX_BODY_CHARS)
    expect(renderMarkdown(ok).html.length).toBeGreaterThan(MAX_BODY_CHARS)
    for (const fn of [() => renderMarkdown(`${ok}b`), () => markdownToText(`${ok}b`), () => renderMarkdown('x'.repeat(10_000_000))]) {
      const e = refused(fn)
      expect(e.code).toBe('BODY_TOO_LARGE')
      expect(e.status).toBe(413)
      expect(e.params).toEqual({ max: MAX_BODY_CHARS })
    }
  })

  it('counts the NFC length, so NFD input of an accepted body is accepted', () => {
    const nfc = 'ệ'.repeat(MAX_BODY_CHARS)
    const nfd = nfc.normalize('NFD')
    expect(nfd.length).toBe(3 * MAX_BODY_CHARS)
    expect(markdownToText(nfd)).toBe(nfc)
  })

  const fill = (unit: string, chars: number) => unit.repeat(Math.floor(chars / unit.length))

  // Speed on these inputs is measured in bench/markdown.bench.ts (never in a timed test);
  // here: each renders to safe HTML and to text without throwing.
  it.each(Object.entries(PATHOLOGICAL_UNITS))('renders 200,000 characters of %s safely', (_name, unit) => {
    const body = fill(unit, MAX_BODY_CHARS)
    assertSafeHtml(renderMarkdown(body).html)
    expect(typeof markdownToText(body)).toBe('string')
  })

  it('survives deep nesting', () => {
    const deepQuotes = `${'>'.repeat(50_000)} x`
    expect(() => renderMarkdown(deepQuotes)).not.toThrow()
    const deepList = Array.from({ length: 300 }, (_, i) => `${'  '.repeat(i)}- x`).join('\n')
    expect(() => renderMarkdown(deepList)).not.toThrow()
    assertSafeHtml(renderMarkdown(`${'*'.repeat(5_000)}a${'*'.repeat(5_000)}`).html)
  })
})
