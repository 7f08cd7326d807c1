import { describe, expect, it } from 'vitest'
import { warningUrn } from './cap.ts'
import { all, parseXml, text, type XmlNode } from './cap.test-support.ts'
import { activeAlertsFeed, type CapFeedEntry, type CapFeedOptions } from './feed.ts'

const SITE = 'https://congan.thanhhoa.example.vn'
const OPTS: CapFeedOptions = {
  feedUrl: `${SITE}/canh-bao/cap.atom`,
  listUrl: `${SITE}/canh-bao`,
  title: 'Cảnh báo — Công an tỉnh Thanh Hóa',
  authorName: 'Công an tỉnh Thanh Hóa',
  now: new Date('2026-11-20T00:00:00Z'),
}

function entry(id: string, over: Partial<CapFeedEntry> = {}): CapFeedEntry {
  return {
    id: warningUrn(SITE, id),
    title: `Cảnh báo ${id}`,
    summary: 'Không bấm vào đường link lạ.',
    published: new Date('2026-11-19T01:00:00Z'),
    updated: new Date('2026-11-19T02:00:00Z'),
    pageUrl: `${SITE}/canh-bao/${id}`,
    capUrl: `${SITE}/canh-bao/${id}.cap.xml`,
    ...over,
  }
}

const ATOM = 'http://www.w3.org/2005/Atom'

function links(node: XmlNode): Record<string, string>[] {
  return all(node, 'link').map((l) => l.attrs)
}

describe('activeAlertsFeed', () => {
  it('lists each active warning with its page and its CAP message', () => {
    const feed = parseXml(
      activeAlertsFeed([entry('w-2', { updated: new Date('2026-11-20T03:04:05Z') }), entry('w-1', { summary: null })], OPTS),
    )
    expect(feed.name).toBe('feed')
    expect(feed.uri).toBe(ATOM)
    expect(feed.attrs.lang).toBe('vi')
    expect(text(feed, 'id')).toBe(OPTS.feedUrl)
    expect(text(feed, 'title')).toBe('Cảnh báo — Công an tỉnh Thanh Hóa')
    // The newest entry's time, in +07:00.
    expect(text(feed, 'updated')).toBe('2026-11-20T10:04:05+07:00')
    expect(text(all(feed, 'author')[0] as XmlNode, 'name')).toBe('Công an tỉnh Thanh Hóa')
    expect(links(feed)).toEqual([
      { rel: 'self', type: 'application/atom+xml', href: OPTS.feedUrl },
      { rel: 'alternate', type: 'text/html', href: OPTS.listUrl },
    ])

    const entries = all(feed, 'entry')
    expect(entries.map((e) => text(e, 'id'))).toEqual([
      'urn:donghanh:congan.thanhhoa.example.vn:warning:w-2',
      'urn:donghanh:congan.thanhhoa.example.vn:warning:w-1',
    ])
    const [first, second] = entries as [XmlNode, XmlNode]
    expect(text(first, 'title')).toBe('Cảnh báo w-2')
    expect(text(first, 'published')).toBe('2026-11-19T08:00:00+07:00')
    expect(text(first, 'updated')).toBe('2026-11-20T10:04:05+07:00')
    expect(text(first, 'summary')).toBe('Không bấm vào đường link lạ.')
    expect(text(second, 'summary')).toBeUndefined()
    for (const [e, id] of [
      [first, 'w-2'],
      [second, 'w-1'],
    ] as const) {
      expect(links(e)).toEqual([
        { rel: 'alternate', type: 'text/html', href: `${SITE}/canh-bao/${id}` },
        { rel: 'related', type: 'application/cap+xml', href: `${SITE}/canh-bao/${id}.cap.xml` },
      ])
    }
  })

  it('is well-formed with hostile titles and URLs, and keeps them as text', () => {
    const xml = activeAlertsFeed(
      [
        entry('w-3', {
          title: 'Lãi <b>30%</b> & "siêu lợi nhuận"\u0000\u001b 🚨<script>alert(1)</script>',
          summary: '<p>a < b</p>',
          pageUrl: `${SITE}/canh-bao/w-3?a=1&b="2"`,
        }),
      ],
      OPTS,
    )
    expect(xml).not.toMatch(/<script|<b>|<p>/)
    const e = all(parseXml(xml), 'entry')[0] as XmlNode
    expect(text(e, 'title')).toBe('Lãi 30% & "siêu lợi nhuận" 🚨')
    expect(text(e, 'summary')).toBe('a < b')
    expect(links(e)[0]?.href).toBe(`${SITE}/canh-bao/w-3?a=1&b=%222%22`)
  })

  it('is a valid empty feed when nothing is active, updated now', () => {
    const feed = parseXml(activeAlertsFeed([], OPTS))
    expect(all(feed, 'entry')).toEqual([])
    expect(text(feed, 'updated')).toBe('2026-11-20T07:00:00+07:00')
  })

  it('the parser refuses a document that is not well-formed, so the checks above can fail', () => {
    expect(() => parseXml('<feed><entry></feed>')).toThrow()
    expect(() => parseXml('<feed>a & b</feed>')).toThrow()
  })
})
