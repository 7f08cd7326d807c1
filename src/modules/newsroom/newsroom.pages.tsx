/**
 * Newsroom pages: a release, lists (all, by kind, category, commune), search results, the
 * 410 notice of a release published in error, and the journalists' embargo list. Each page
 * renders through the reply it is given (the page cache passes a capturing one).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { raw, type SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { NavLinks, sendPage } from '../../platform/html/layout.tsx'
import { type Locale, t } from '../../platform/i18n/index.ts'
import { isAttachmentSrc, renderMarkdown } from '../../platform/markdown/index.ts'
import type { Tenant } from '../../platform/tenancy/index.ts'
import { communeByCode } from '../reference/communes.ts'
import type { PublicRelease } from '../releases/releases.public.ts'
import { SEARCH_COUNT_CAP } from './search-planner.ts'
import { absoluteUrl, categoryPath, communePath, formatDateTime, kindPath, releasePath } from './newsroom.paths.ts'
import type { Piece } from './search.ts'

/** The request and the reply (or capturing sink) a page renders to. */
export interface PageCtx {
  req: FastifyRequest
  reply: FastifyReply
}

/** A commune's display name (the reference list's, or the code itself). */
export function communeName(code: string): string {
  return communeByCode(code)?.name ?? code
}

/** A `<time>` with its ISO instant and the Asia/Ho_Chi_Minh display. */
export function Time({ at, l }: { at: Date | null | undefined; l: Locale }): SafeHtml {
  if (!at) return raw('')
  return <time datetime={at.toISOString()}>{formatDateTime(at, l)}</time>
}

/** The kind label as a badge linking to its list. */
export function KindBadge({ kind, l }: { kind: string; l: Locale }): SafeHtml {
  return (
    <a class={`badge kind kind-${kind}`} href={kindPath(kind)}>
      {t(l, `news.kind.${kind}`)}
    </a>
  )
}

/** Highlighted text: matches in `<mark>`. */
export function Marked({ pieces }: { pieces: Piece[] }): SafeHtml {
  return <>{pieces.map((p) => (p.mark ? <mark>{p.text}</mark> : p.text))}</>
}

/** A release in a list. */
export function ReleaseCard({ r, l, title, excerpt }: { r: PublicRelease; l: Locale; title?: Piece[]; excerpt?: Piece[] }): SafeHtml {
  return (
    <article class="card news-card" lang="vi">
      <p class="news-meta small">
        <KindBadge kind={r.kind} l={l} /> <Time at={r.lastPublishedAt} l={l} />
      </p>
      <h3>
        <a href={releasePath(r.slug)}>{title ? <Marked pieces={title} /> : r.title}</a>
      </h3>
      {excerpt ? (
        <p class="small">
          <Marked pieces={excerpt} />
        </p>
      ) : r.summary ? (
        <p class="small">{r.summary}</p>
      ) : null}
    </article>
  )
}

/** JSON for a `<script type="application/ld+json">`: `<` escaped so no `</script>` can close it. */
export function jsonLd(value: unknown): SafeHtml {
  const json = JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
  return raw(`<script type="application/ld+json">${json}</script>`)
}

/** What the release page shows beyond the release itself. */
export interface ReleasePageData {
  r: PublicRelease
  history: { number: number; changeNote: string | null; minor: boolean; publishedAt: Date | null; verificationCode: string | null }[]
  qrDataUrl: string | null
  publicUrl: string
  tenant: Tenant
}

/** The public page of a release (published, or withdrawn with its reason). */
export function releasePage({ req, reply }: PageCtx, d: ReleasePageData) {
  const l = req.locale
  const { r, tenant } = d
  const url = absoluteUrl(d.publicUrl, releasePath(r.slug))
  const withdrawn = r.status === 'withdrawn'
  // A withdrawal for privacy, legal, safety or other reasons removed the text (the columns come
  // blank from releases.public.ts): the page is the notice alone, under a neutral title.
  const removed = withdrawn && r.textRemoved
  const title = removed ? t(l, 'news.withdrawn.pageTitle') : r.title
  const description = removed ? t(l, 'news.withdrawn.title') : r.summary || r.title
  const corrections = d.history.filter((h) => h.number > 1 && !h.minor && h.changeNote)
  const org = { '@type': 'Organization', name: tenant.name, url: absoluteUrl(d.publicUrl, '/') }
  const body = renderMarkdown(r.bodyMd)
  // The share image: the body's first image that is one of our own files (never a hotlinked one).
  const shown = withdrawn ? undefined : body.images.find((i) => isAttachmentSrc(i.src))
  // Without one, the release's own card (kind, title, source, verification code; 1200×630).
  const image = shown
    ? { url: absoluteUrl(d.publicUrl, shown.src), alt: shown.alt || r.title, card: false }
    : withdrawn
      ? null
      : { url: `${url}/anh-chia-se.png`, alt: `${t('vi', `news.kind.${r.kind}`)} — ${r.title}`, card: true }
  const head = (
    <>
      <link rel="canonical" href={url} />
      <meta name="description" content={description} />
      {withdrawn ? <meta name="robots" content="noindex" /> : null}
      <meta property="og:type" content="article" />
      <meta property="og:site_name" content={tenant.name} />
      <meta property="og:locale" content="vi_VN" />
      <meta property="og:title" content={title} />
      <meta property="og:description" content={description} />
      <meta property="og:url" content={url} />
      <meta property="article:published_time" content={r.firstPublishedAt?.toISOString()} />
      <meta property="article:modified_time" content={r.lastPublishedAt?.toISOString()} />
      {r.category ? <meta property="article:section" content={r.category} /> : null}
      {image ? <meta property="og:image" content={image.url} /> : null}
      {image ? <meta property="og:image:alt" content={image.alt} /> : null}
      {image?.card ? <meta property="og:image:width" content="1200" /> : null}
      {image?.card ? <meta property="og:image:height" content="630" /> : null}
      <meta name="twitter:card" content={image ? 'summary_large_image' : 'summary'} />
      <meta name="twitter:title" content={title} />
      <meta name="twitter:description" content={description} />
      {withdrawn
        ? null
        : jsonLd({
            '@context': 'https://schema.org',
            '@type': 'NewsArticle',
            headline: r.title.slice(0, 110),
            description,
            datePublished: r.firstPublishedAt?.toISOString(),
            dateModified: r.lastPublishedAt?.toISOString(),
            inLanguage: 'vi',
            url,
            mainEntityOfPage: url,
            articleSection: r.category || undefined,
            keywords: r.tags.length ? r.tags.join(', ') : undefined,
            image: image ? [image.url] : undefined,
            author: org,
            publisher: org,
          })}
    </>
  )
  if (withdrawn) reply.header('x-robots-tag', 'noindex')
  const verifyHref = `/xac-minh?ma=${encodeURIComponent(r.verificationCode ?? '')}`
  return sendPage(
    req,
    reply,
    { title, shell: 'public', current: 'news', head },
    <article class="release" lang="vi">
      {withdrawn ? (
        <div class="alert error withdrawn-notice" role="alert" lang={l}>
          <p>
            <strong>{t(l, 'news.withdrawn.title')}</strong> <Time at={r.withdrawnAt} l={l} />
          </p>
          {r.withdrawnCategory ? (
            <p>
              {t(l, 'news.withdrawn.category')}: {t(l, `news.withdrawn.category.${r.withdrawnCategory}`)}
            </p>
          ) : null}
          <p>
            {t(l, 'news.withdrawn.reason')}: {r.withdrawnReason}
          </p>
          <p>{t(l, removed ? 'news.withdrawn.textRemoved' : 'news.withdrawn.textKept')}</p>
        </div>
      ) : null}
      <p class="news-meta">
        <KindBadge kind={r.kind} l={l} />
        {r.category ? (
          <>
            {' '}
            <a href={categoryPath(r.category)}>{r.category}</a>
          </>
        ) : null}
      </p>
      <h1>
        {withdrawn ? (
          <>
            <span class="badge withdrawn-badge" lang={l}>
              {t(l, 'news.withdrawn.badge')}
            </span>{' '}
          </>
        ) : null}
        {title}
      </h1>
      <p class="news-dates small muted" lang={l}>
        {t(l, 'news.publishedAt')}: <Time at={r.firstPublishedAt} l={l} />
        {r.lastPublishedAt && r.firstPublishedAt && r.lastPublishedAt.getTime() !== r.firstPublishedAt.getTime() ? (
          <>
            {' · '}
            {t(l, 'news.updatedAt')}: <Time at={r.lastPublishedAt} l={l} />
          </>
        ) : null}
        {' · '}
        {t(l, 'news.timeZone')}
      </p>
      {removed ? null : (
        <div class={withdrawn ? 'release-content withdrawn' : 'release-content'}>
          {r.summary ? <p class="lead">{r.summary}</p> : null}
          <div class="prose">{raw(body.html)}</div>
        </div>
      )}
      {r.tags.length || r.communes.length ? (
        <div class="news-tags small" lang={l}>
          {r.tags.length ? (
            <p>
              {t(l, 'news.tags')}:{' '}
              {r.tags.map((tag, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={`/tim-kiem?q=${encodeURIComponent(`"${tag}"`)}`} lang="vi">
                    {tag}
                  </a>
                </>
              ))}
            </p>
          ) : null}
          {r.communes.length ? (
            <p>
              {t(l, 'news.communes')}:{' '}
              {r.communes.map((code, i) => (
                <>
                  {i > 0 ? ', ' : ''}
                  <a href={communePath(code)} lang="vi">
                    {communeName(code)}
                  </a>
                </>
              ))}
            </p>
          ) : null}
        </div>
      ) : null}
      <div class="grid" lang={l}>
        <section class="card spokesperson" aria-labelledby="h-spokesperson">
          <h2 id="h-spokesperson" class="card-title">
            {t(l, 'news.spokesperson')}
          </h2>
          {r.spokespersonName ? (
            <dl class="kv">
              <dt>{t(l, 'news.spokesperson.name')}</dt>
              <dd lang="vi">{r.spokespersonName}</dd>
              <dt>{t(l, 'news.spokesperson.title')}</dt>
              <dd lang="vi">{r.spokespersonTitle}</dd>
              {r.spokespersonPhone ? (
                <>
                  <dt>{t(l, 'news.spokesperson.phone')}</dt>
                  <dd>
                    <a href={`tel:${r.spokespersonPhone.replace(/[^0-9+]/g, '')}`}>{r.spokespersonPhone}</a>
                  </dd>
                </>
              ) : null}
              {r.spokespersonEmail ? (
                <>
                  <dt>{t(l, 'news.spokesperson.email')}</dt>
                  <dd>
                    <a href={`mailto:${r.spokespersonEmail}`}>{r.spokespersonEmail}</a>
                  </dd>
                </>
              ) : null}
            </dl>
          ) : (
            <p class="muted">—</p>
          )}
        </section>
        {removed ? null : (
          <section class="card verify-box" aria-labelledby="h-verify">
            <h2 id="h-verify" class="card-title">
              {t(l, 'news.verify.title')}
            </h2>
            <div class="qr">
              {d.qrDataUrl ? <img class="qr-small" src={d.qrDataUrl} alt={t(l, 'news.verify.qrAlt')} width="132" height="132" /> : null}
              <div>
                <p class="small">{t(l, 'news.verify.code')}</p>
                <p class="verify-code mono">{r.verificationCode}</p>
                <p class="small">
                  <a href={verifyHref}>{t(l, 'news.verify.check')}</a>
                </p>
              </div>
            </div>
          </section>
        )}
      </div>
      {corrections.length ? (
        <section class="card history" aria-labelledby="h-history" lang={l}>
          <h2 id="h-history" class="card-title">
            {t(l, 'news.history')}
          </h2>
          <ol class="history-list">
            {corrections.map((h) => (
              <li>
                <Time at={h.publishedAt} l={l} /> — <span lang="vi">{h.changeNote}</span>{' '}
                {h.verificationCode ? (
                  <a class="small mono" href={`/xac-minh?ma=${encodeURIComponent(h.verificationCode)}`}>
                    {h.verificationCode}
                  </a>
                ) : null}
              </li>
            ))}
          </ol>
          <p class="small muted">
            {t(l, 'news.firstPublished')}: <Time at={r.firstPublishedAt} l={l} />
          </p>
        </section>
      ) : null}
    </article>,
  )
}

/** The 410 notice of a release published in error: no content, not indexed. */
export function gonePage({ req, reply }: PageCtx) {
  const l = req.locale
  reply.header('x-robots-tag', 'noindex')
  return sendPage(
    req,
    reply,
    { title: t(l, 'news.gone.title'), shell: 'public', status: 410, narrow: true, head: <meta name="robots" content="noindex" /> },
    <>
      <h1>{t(l, 'news.gone.title')}</h1>
      <p>{t(l, 'news.gone.text')}</p>
      <p>
        <a href="/tin">{t(l, 'news.all')}</a>
      </p>
    </>,
  )
}

/** Links to the previous and next pages of a list. */
export function Pager({
  l,
  path,
  page,
  hasNext,
  query = {},
}: {
  l: Locale
  path: string
  page: number
  hasNext: boolean
  query?: Record<string, string>
}): SafeHtml {
  if (page <= 1 && !hasNext) return raw('')
  const href = (n: number) => {
    const q = new URLSearchParams(query)
    if (n > 1) q.set('trang', String(n))
    const s = q.toString()
    return s ? `${path}?${s}` : path
  }
  return (
    <nav class="pager" aria-label={t(l, 'news.pages')}>
      {page > 1 ? (
        <a class="button secondary" rel="prev" href={href(page - 1)}>
          {t(l, 'news.prev')}
        </a>
      ) : null}
      <span class="muted small">{t(l, 'news.page', { n: page })}</span>
      {hasNext ? (
        <a class="button secondary" rel="next" href={href(page + 1)}>
          {t(l, 'news.next')}
        </a>
      ) : null}
    </nav>
  )
}

/** The newsroom's own links (all news, kinds, search, verify); `current` marks the page's own. */
export function NewsNav({ l, current }: { l: Locale; current?: string }): SafeHtml {
  const kinds = ['press_release', 'activity', 'warning', 'announcement', 'correction']
  return (
    <nav class="subnav" aria-label={t(l, 'news.nav')}>
      <NavLinks
        current={current}
        items={[
          { key: 'all', href: '/tin', label: t(l, 'news.all') },
          ...kinds.map((k) => ({ key: k, href: kindPath(k), label: t(l, `news.kindPlural.${k}`) })),
          { key: 'search', href: '/tim-kiem', label: t(l, 'news.search') },
          { key: 'verify', href: '/xac-minh', label: t(l, 'news.verify.nav') },
        ]}
      />
    </nav>
  )
}

/** A list of releases with pagination. */
export function listPage(
  { req, reply }: PageCtx,
  o: {
    title: string
    intro?: string
    current?: string
    items: PublicRelease[]
    page: number
    hasNext: boolean
    path: string
    feeds?: boolean
  },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    {
      title: o.title,
      shell: 'public',
      current: 'news',
      head: (
        <>
          <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml" />
          <link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml" />
          <link rel="alternate" type="application/feed+json" title="JSON Feed" href="/feed.json" />
        </>
      ),
    },
    <>
      <NewsNav l={l} current={o.current} />
      <h1>{o.title}</h1>
      {o.intro ? <p class="muted">{o.intro}</p> : null}
      {o.items.length ? (
        <div class="news-list">
          {o.items.map((r) => (
            <ReleaseCard r={r} l={l} />
          ))}
        </div>
      ) : (
        <p class="card muted">{t(l, 'news.empty')}</p>
      )}
      <Pager l={l} path={o.path} page={o.page} hasNext={o.hasNext} />
      <p class="small muted feeds">
        {t(l, 'news.feeds')}: <a href="/rss.xml">RSS</a> · <a href="/atom.xml">Atom</a> · <a href="/feed.json">JSON Feed</a>
      </p>
    </>,
  )
}

/** A search result with its highlights. */
export interface SearchHit {
  r: PublicRelease
  title: Piece[]
  excerpt: Piece[]
}

/** The search page: the form, and results when there is a query. */
export function searchPage(
  { req, reply }: PageCtx,
  o: { q: string; hits: SearchHit[]; total: number; page: number; hasNext: boolean; searched: boolean },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    {
      title: o.q ? `${t(l, 'news.search')}: ${o.q}` : t(l, 'news.search'),
      shell: 'public',
      current: 'search',
      head: <meta name="robots" content="noindex, follow" />,
    },
    <>
      <NewsNav l={l} current="search" />
      <h1>{t(l, 'news.search')}</h1>
      <search>
        <form class="row search-form" method="get" action="/tim-kiem">
          <label>
            <span class="sr-only">{t(l, 'news.search.label')}</span>
            <input type="search" name="q" value={o.q} placeholder={t(l, 'news.search.placeholder')} maxlength="200" />
          </label>
          <button type="submit">{t(l, 'news.search.submit')}</button>
        </form>
      </search>
      <p class="small muted">{t(l, 'news.search.help')}</p>
      {o.searched ? (
        <>
          <p role="status">
            {o.total > SEARCH_COUNT_CAP
              ? t(l, 'news.search.countMore', { n: SEARCH_COUNT_CAP })
              : o.total
                ? t(l, 'news.search.count', { n: o.total })
                : t(l, 'news.search.none')}
          </p>
          <div class="news-list">
            {o.hits.map((h) => (
              <ReleaseCard r={h.r} l={l} title={h.title} excerpt={h.excerpt} />
            ))}
          </div>
          <Pager l={l} path="/tim-kiem" page={o.page} hasNext={o.hasNext} query={{ q: o.q }} />
        </>
      ) : null}
    </>,
  )
}

/** An embargoed release as journalists see it. */
export interface EmbargoedItem {
  id: string
  kind: string
  publishAt: Date | null
  title: string
  summary: string
  bodyMd: string
  spokespersonName: string | null
  spokespersonTitle: string | null
  spokespersonPhone: string | null
  spokespersonEmail: string | null
}

/** Embargoed releases for accredited journalists: EMBARGO label, lift time, full text. */
export function embargoPage({ req, reply }: PageCtx, items: EmbargoedItem[]) {
  const l = req.locale
  reply.header('cache-control', 'private, no-store').header('x-robots-tag', 'noindex, nofollow')
  return sendPage(
    req,
    reply,
    { title: t(l, 'news.embargo.title'), shell: 'console', current: 'portal' },
    <>
      <h1>{t(l, 'news.embargo.title')}</h1>
      <p class="muted">{t(l, 'news.embargo.intro')}</p>
      {items.length === 0 ? <p class="card muted">{t(l, 'news.embargo.empty')}</p> : null}
      {items.map((r) => (
        <article class="card embargo" lang="vi">
          <p class="news-meta" lang={l}>
            <span class="badge embargo-badge">{t(l, 'news.embargo.label')}</span> <span class="badge">{t(l, `news.kind.${r.kind}`)}</span>{' '}
            <strong>
              {t(l, 'news.embargo.until')}: <Time at={r.publishAt} l={l} /> · {t(l, 'news.timeZone')}
            </strong>
          </p>
          <h2>{r.title}</h2>
          {r.summary ? <p class="lead">{r.summary}</p> : null}
          <div class="prose">{raw(renderMarkdown(r.bodyMd).html)}</div>
          {r.spokespersonName ? (
            <p class="small muted">
              {t(l, 'news.spokesperson')}: {r.spokespersonName}, {r.spokespersonTitle}
              {r.spokespersonPhone ? ` · ${r.spokespersonPhone}` : ''}
              {r.spokespersonEmail ? ` · ${r.spokespersonEmail}` : ''}
            </p>
          ) : null}
        </article>
      ))}
    </>,
  )
}
