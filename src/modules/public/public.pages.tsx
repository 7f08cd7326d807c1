/**
 * Public pages. The home page names the unit: current warnings and the latest news first,
 * then its hotline and contacts.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendPage } from '../../platform/html/layout.tsx'
import { t } from '../../platform/i18n/index.ts'
import type { Tenant } from '../../platform/tenancy/index.ts'
import { ReleaseCard, Time } from '../newsroom/newsroom.pages.tsx'
import { releasePath } from '../newsroom/newsroom.paths.ts'
import type { PublicRelease } from '../releases/releases.public.ts'

/** What the home page lists. */
export interface HomeData {
  /** The latest listed releases. */
  latest: PublicRelease[]
  /** Recent warnings (kind `warning`). */
  warnings: PublicRelease[]
}

/** The public home page. */
export function homePage(
  { req, reply }: { req: FastifyRequest; reply: FastifyReply },
  tenant: Tenant,
  data: HomeData = { latest: [], warnings: [] },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'public.homeTitle'),
      shell: 'public',
      current: 'home',
      head: (
        <>
          <link rel="alternate" type="application/rss+xml" title="RSS" href="/rss.xml" />
          <link rel="alternate" type="application/atom+xml" title="Atom" href="/atom.xml" />
          <link rel="alternate" type="application/feed+json" title="JSON Feed" href="/feed.json" />
        </>
      ),
    },
    <>
      <section class="hero">
        <h1>{tenant.name}</h1>
        <p>{t(l, 'public.intro')}</p>
        <search>
          <form class="row hero-search" method="get" action="/tim-kiem">
            <label>
              <span class="sr-only">{t(l, 'news.search.label')}</span>
              <input type="search" name="q" placeholder={t(l, 'news.search.placeholder')} maxlength="200" />
            </label>
            <button type="submit">{t(l, 'news.search.submit')}</button>
          </form>
        </search>
        <p class="small">
          <a href="/tin">{t(l, 'news.all')}</a> · <a href="/xac-minh">{t(l, 'news.verify.nav')}</a> ·{' '}
          {/* The partners' application (partners/application): journalists and influencers. */}
          <a href="/doi-tac/dang-ky" data-partner-apply="">
            {t(l, 'application.homeLink')}
          </a>
        </p>
      </section>
      {data.warnings.length ? (
        <section class="warnings" aria-labelledby="h-warnings">
          <h2 id="h-warnings">{t(l, 'news.home.warnings')}</h2>
          {data.warnings.map((w) => (
            <article class="alert warn warning-item" lang="vi">
              <p>
                <strong>
                  <a href={releasePath(w.slug)}>{w.title}</a>
                </strong>{' '}
                <span class="small">
                  <Time at={w.lastPublishedAt} l={l} />
                </span>
              </p>
              {w.summary ? <p class="small">{w.summary}</p> : null}
            </article>
          ))}
        </section>
      ) : null}
      <section aria-labelledby="h-latest">
        <h2 id="h-latest">{t(l, 'news.home.latest')}</h2>
        {data.latest.length ? (
          <div class="news-list">
            {data.latest.map((r) => (
              <ReleaseCard r={r} l={l} />
            ))}
          </div>
        ) : (
          <p class="card muted">{t(l, 'news.empty')}</p>
        )}
        <p>
          <a href="/tin">{t(l, 'news.home.more')}</a>
        </p>
      </section>
      <div class="grid">
        {/* A fresh install has no contacts yet (the setup wizard asks for them): nothing empty is shown. */}
        {tenant.hotline ? (
          <section class="card" aria-labelledby="h-hotline">
            <h2 id="h-hotline" style="margin-top:0">
              {t(l, 'public.hotline')}
            </h2>
            <p class="hotline">
              <a href={`tel:${tenant.hotline.replace(/\s+/g, '')}`}>{tenant.hotline}</a>
            </p>
            <p class="small muted">{t(l, 'public.emergency')}</p>
          </section>
        ) : null}
        {tenant.address || tenant.email ? (
          <section class="card" aria-labelledby="h-contact">
            <h2 id="h-contact" style="margin-top:0">
              {t(l, 'public.contact')}
            </h2>
            <dl class="kv">
              <dt>{t(l, 'public.address')}</dt>
              <dd>{tenant.address}</dd>
              <dt>E-mail</dt>
              <dd>
                <a href={`mailto:${tenant.email}`}>{tenant.email}</a>
              </dd>
              {tenant.website ? (
                <>
                  <dt>Web</dt>
                  <dd>
                    <a href={tenant.website} rel="noopener">
                      {tenant.website}
                    </a>
                  </dd>
                </>
              ) : null}
            </dl>
          </section>
        ) : null}
        <section class="card" aria-labelledby="h-press">
          <h2 id="h-press" style="margin-top:0">
            {t(l, 'public.press')}
          </h2>
          <p>{t(l, 'public.pressText')}</p>
          <p>
            <a href="/console/sign-in">{t(l, 'public.partnerSignIn')}</a>
          </p>
        </section>
      </div>
    </>,
  )
}
