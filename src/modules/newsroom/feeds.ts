/**
 * Feeds and crawler files of the newsroom: RSS 2.0, Atom 1.0, JSON Feed 1.1, sitemap.xml and
 * robots.txt. Pure builders over already-public releases; every URL is absolute (from
 * `config.publicUrl`), every text is XML-escaped (or JSON-serialised).
 */
import { renderMarkdown } from '../../platform/markdown/index.ts'
import type { PublicRelease } from '../releases/releases.public.ts'
import { absoluteUrl, releasePath } from './newsroom.paths.ts'

/** The site a feed describes. */
export interface FeedSite {
  publicUrl: string
  /** The unit's name (feed title, author, publisher). */
  name: string
  description: string
  email: string
}

/** A release as feeds need it. */
type FeedItem = Pick<
  PublicRelease,
  'slug' | 'kind' | 'title' | 'summary' | 'bodyMd' | 'category' | 'tags' | 'firstPublishedAt' | 'lastPublishedAt' | 'spokespersonName'
>

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Escapes text for XML content and attributes; drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; they are removed on purpose.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string)
  )
}

function bodyHtml(r: FeedItem): string {
  return renderMarkdown(r.bodyMd).html
}

function latest(items: FeedItem[]): Date {
  return items.reduce((max, r) => (r.lastPublishedAt && r.lastPublishedAt > max ? r.lastPublishedAt : max), new Date(0))
}

/** RSS 2.0 with `content:encoded` and an Atom self link. */
export function rssFeed(site: FeedSite, items: FeedItem[]): string {
  const self = absoluteUrl(site.publicUrl, '/rss.xml')
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
    '<channel>',
    `<title>${xmlEscape(site.name)}</title>`,
    `<link>${xmlEscape(absoluteUrl(site.publicUrl, '/tin'))}</link>`,
    `<description>${xmlEscape(site.description)}</description>`,
    '<language>vi</language>',
    `<lastBuildDate>${latest(items).toUTCString()}</lastBuildDate>`,
    `<atom:link href="${xmlEscape(self)}" rel="self" type="application/rss+xml"/>`,
  ]
  for (const r of items) {
    const url = absoluteUrl(site.publicUrl, releasePath(r.slug))
    out.push(
      '<item>',
      `<title>${xmlEscape(r.title)}</title>`,
      `<link>${xmlEscape(url)}</link>`,
      `<guid isPermaLink="true">${xmlEscape(url)}</guid>`,
      `<pubDate>${(r.firstPublishedAt ?? new Date(0)).toUTCString()}</pubDate>`,
      `<description>${xmlEscape(r.summary)}</description>`,
      `<content:encoded>${xmlEscape(bodyHtml(r))}</content:encoded>`,
      ...(r.category ? [`<category>${xmlEscape(r.category)}</category>`] : []),
      ...r.tags.map((tag) => `<category>${xmlEscape(tag)}</category>`),
      '</item>',
    )
  }
  out.push('</channel>', '</rss>')
  return out.join('\n')
}

/** Atom 1.0. */
export function atomFeed(site: FeedSite, items: FeedItem[]): string {
  const self = absoluteUrl(site.publicUrl, '/atom.xml')
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="vi">',
    `<id>${xmlEscape(absoluteUrl(site.publicUrl, '/'))}</id>`,
    `<title>${xmlEscape(site.name)}</title>`,
    `<subtitle>${xmlEscape(site.description)}</subtitle>`,
    `<updated>${latest(items).toISOString()}</updated>`,
    `<link rel="self" type="application/atom+xml" href="${xmlEscape(self)}"/>`,
    `<link rel="alternate" type="text/html" href="${xmlEscape(absoluteUrl(site.publicUrl, '/tin'))}"/>`,
    `<author><name>${xmlEscape(site.name)}</name><email>${xmlEscape(site.email)}</email></author>`,
  ]
  for (const r of items) {
    const url = absoluteUrl(site.publicUrl, releasePath(r.slug))
    out.push(
      '<entry>',
      `<id>${xmlEscape(url)}</id>`,
      `<title>${xmlEscape(r.title)}</title>`,
      `<link rel="alternate" type="text/html" href="${xmlEscape(url)}"/>`,
      `<published>${(r.firstPublishedAt ?? new Date(0)).toISOString()}</published>`,
      `<updated>${(r.lastPublishedAt ?? new Date(0)).toISOString()}</updated>`,
      `<summary>${xmlEscape(r.summary)}</summary>`,
      `<content type="html">${xmlEscape(bodyHtml(r))}</content>`,
      ...(r.category ? [`<category term="${xmlEscape(r.category)}"/>`] : []),
      '</entry>',
    )
  }
  out.push('</feed>')
  return out.join('\n')
}

/** JSON Feed 1.1. */
export function jsonFeed(site: FeedSite, items: FeedItem[]): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: site.name,
    home_page_url: absoluteUrl(site.publicUrl, '/tin'),
    feed_url: absoluteUrl(site.publicUrl, '/feed.json'),
    description: site.description,
    language: 'vi',
    authors: [{ name: site.name }],
    items: items.map((r) => {
      const url = absoluteUrl(site.publicUrl, releasePath(r.slug))
      return {
        id: url,
        url,
        title: r.title,
        summary: r.summary,
        content_html: bodyHtml(r),
        date_published: r.firstPublishedAt?.toISOString(),
        date_modified: r.lastPublishedAt?.toISOString(),
        tags: [r.category, ...r.tags].filter(Boolean),
        authors: [{ name: site.name }],
        language: 'vi',
      }
    }),
  })
}

/** One `<url>` of the sitemap. */
export interface SitemapEntry {
  path: string
  lastmod?: Date | null
}

/** sitemap.xml (at most 50,000 URLs, as the protocol allows). */
export function sitemapXml(publicUrl: string, entries: SitemapEntry[]): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
  for (const e of entries.slice(0, 50_000)) {
    out.push(
      `<url><loc>${xmlEscape(absoluteUrl(publicUrl, e.path))}</loc>${e.lastmod ? `<lastmod>${e.lastmod.toISOString()}</lastmod>` : ''}</url>`,
    )
  }
  out.push('</urlset>')
  return out.join('\n')
}

/** robots.txt: everything public may be crawled; the console, the portal and the API may not. */
export function robotsTxt(publicUrl: string): string {
  return [
    'User-agent: *',
    'Allow: /',
    'Disallow: /console',
    'Disallow: /portal',
    'Disallow: /api',
    '',
    `Sitemap: ${absoluteUrl(publicUrl, '/sitemap.xml')}`,
    '',
  ].join('\n')
}
