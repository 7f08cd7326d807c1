/**
 * Page layouts for the console and the public site, and `sendPage` which renders one.
 * Server-rendered HTML; no client bundle ever holds data the viewer may not see.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { CSRF_FIELD, csrfToken } from '../http/csrf.ts'
import { type Locale, t } from '../i18n/index.ts'
import { isStaffRole } from '../policy/index.ts'
import { menuCounts, menuEntries } from '../modules.ts'
import { type SafeHtml, raw } from './jsx-runtime.ts'
import { localFormat } from '../time.ts'

/** Options of one rendered page. */
export interface PageOptions {
  /** The `<title>` and, by default, the `<h1>`. */
  title: string
  /** `console` pages are never cached publicly and are not indexed. */
  shell: 'console' | 'public'
  /** The nav entry to mark as current. */
  current?: string
  /** Narrow single-column layout (sign-in forms). */
  narrow?: boolean
  /** HTTP status (default 200). */
  status?: number
  /** Extra `<head>` content (meta tags, JSON-LD). */
  head?: SafeHtml
}

/** A hidden CSRF input for a form of this request. */
export function CsrfField({ req, reply }: { req: FastifyRequest; reply: FastifyReply }): SafeHtml {
  return <input type="hidden" name={CSRF_FIELD} value={csrfToken(req, reply)} />
}

function langSwitch(req: FastifyRequest, locale: Locale): SafeHtml {
  const other: Locale = locale === 'vi' ? 'en' : 'vi'
  const url = new URL(req.url, 'http://x')
  url.searchParams.set('lang', other)
  return (
    <a href={`${url.pathname}${url.search}`} lang={other} hreflang={other}>
      {other === 'en' ? 'English' : 'Tiếng Việt'}
    </a>
  )
}

// Badge numbers of the console menu, loaded before the handler (sendPage renders synchronously).
const loadedMenuCounts = new WeakMap<FastifyRequest, Map<string, number>>()

/**
 * Loads the console menu's badge numbers (`MenuEntry.count`) for this request's actor, so the
 * page rendered later shows them. Called by the app for signed-in GETs of console pages.
 */
export async function loadMenuCounts(req: FastifyRequest): Promise<void> {
  if (!req.actor) return
  loadedMenuCounts.set(req, await menuCounts(req.actor, req.server.ctx.database.db))
}

function consoleNav(req: FastifyRequest, current: string | undefined): SafeHtml {
  const l = req.locale
  const actor = req.actor
  const counts = loadedMenuCounts.get(req)
  // Each module declares its entries in its manifest; the policy decides who sees them.
  const items = menuEntries().filter((e) => e.visible(actor))
  return (
    <nav aria-label={t(l, 'nav.console')}>
      <NavLinks
        current={current}
        items={items.map(({ key, href }) => ({
          key,
          href,
          label: t(l, key.includes('.') ? key : `nav.${key}`),
          count: counts?.get(key),
        }))}
      />
    </nav>
  )
}

/** The links of a nav, the current one marked (`aria-current="page"`), with an optional badge number. */
export function NavLinks({
  items,
  current,
}: {
  items: { key: string; href: string; label: string; count?: number }[]
  current: string | undefined
}): SafeHtml {
  return (
    <>
      {items.map((i) => (
        <a href={i.href} aria-current={i.key === current ? 'page' : undefined} data-menu={i.key}>
          {i.label}
          {i.count ? (
            <>
              {' '}
              <span class="nav-count" data-count={String(i.count)}>
                {String(i.count)}
              </span>
            </>
          ) : null}
        </a>
      ))}
    </>
  )
}

/**
 * The partners' own menu (journalists, influencers): their portal and what they may use today,
 * never the staff console's entries (a partner sent to /console is only bounced back).
 */
function partnerNav(req: FastifyRequest, current: string | undefined): SafeHtml {
  const l = req.locale
  const items: [string, string, string][] = [
    ['portal', '/doi-tac', 'portal.nav.home'],
    ['inbox', '/doi-tac/hop-thu', 'portal.nav.inbox'],
    ['coverage', '/doi-tac/dua-tin', 'portal.nav.coverage'],
    ['events', '/doi-tac/su-kien', 'portal.nav.events'],
    ['recognition', '/doi-tac/ghi-nhan', 'portal.nav.recognition'],
    ['inquiries', '/doi-tac/cau-hoi', 'portal.nav.inquiries'],
    ['profile', '/doi-tac/ho-so', 'portal.nav.profile'],
    ['security', '/doi-tac/bao-mat', 'portal.nav.security'],
    ['tokens', '/doi-tac/token', 'portal.nav.tokens'],
    ['delivery', '/doi-tac/nhan-tin', 'portal.nav.delivery'],
    ['news', '/tin', 'nav.news'],
    ['factcheck', '/kiem-chung', 'kc.nav'],
  ]
  return (
    <nav aria-label={t(l, 'portal.nav.label')}>
      <NavLinks current={current} items={items.map(([key, href, label]) => ({ key, href, label: t(l, label) }))} />
    </nav>
  )
}

function publicNav(req: FastifyRequest, current: string | undefined): SafeHtml {
  const l = req.locale
  const items: [string, string, string][] = [
    ['home', '/', 'nav.home'],
    ['news', '/tin', 'nav.news'],
    ['verify', '/xac-minh', 'nav.verify'],
    ['checks', '/kiem-tra', 'nav.checks'],
    ['warnings', '/canh-bao', 'wpub.nav'],
    ['factcheck', '/kiem-chung', 'kc.nav'],
    ['schedule', '/lich-hop-bao', 'events-core.publicNav'],
    ['docs', '/docs', 'nav.api'],
  ]
  return (
    <nav aria-label={t(l, 'nav.public')}>
      <NavLinks current={current} items={items.map(([key, href, label]) => ({ key, href, label: t(l, label) }))} />
    </nav>
  )
}

/** Renders a full page and sends it. Console pages carry noindex and no-store. */
export function sendPage(req: FastifyRequest, reply: FastifyReply, opts: PageOptions, body: SafeHtml): FastifyReply {
  const l = req.locale
  const tenant = req.server.ctx.tenant
  const isConsole = opts.shell === 'console'
  // A signed-in journalist or influencer gets the partners' header, not the staff console's.
  const isPartner = isConsole && !!req.actor && !isStaffRole(req.actor.role)
  const consoleName = t(l, isPartner ? 'portal.title' : 'app.console')
  const html = (
    <html lang={l}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${opts.title} · ${isConsole ? consoleName : tenant.name}`}</title>
        {isConsole ? <meta name="robots" content="noindex, nofollow" /> : null}
        <link rel="stylesheet" href="/assets/app.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        {opts.head ?? null}
      </head>
      <body>
        <a class="skip" href="#main">
          {t(l, 'a11y.skip')}
        </a>
        <header class="top">
          <div class="bar">
            <a class="brand" href={isPartner ? '/doi-tac' : isConsole ? '/console' : '/'}>
              {!isConsole && tenant.logoSha256 ? (
                // The office's own logo (settings), served by its content hash.
                <img class="brand-logo" src={`/logo/${tenant.logoSha256}.${tenant.logoExt}`} alt="" width="32" height="32" />
              ) : (
                <span class="star" aria-hidden="true">
                  ★
                </span>
              )}
              <span>{isConsole ? `${t(l, 'app.name')} · ${consoleName}` : tenant.name}</span>
            </a>
            {isPartner ? partnerNav(req, opts.current) : isConsole ? consoleNav(req, opts.current) : publicNav(req, opts.current)}
            <div class="tools">
              {langSwitch(req, l)}
              {isConsole && req.session ? (
                <form method="post" action={isPartner ? '/doi-tac/bao-mat/dang-xuat' : '/console/sign-out'}>
                  <CsrfField req={req} reply={reply} />
                  <button class="link" type="submit">
                    {t(l, 'auth.signOut')}
                  </button>
                </form>
              ) : null}
            </div>
          </div>
        </header>
        <main id="main" class={opts.narrow ? 'narrow' : undefined} tabindex="-1">
          {body}
        </main>
        <footer class="site">
          <div class="bar">
            <span>
              {tenant.name}
              {tenant.hotline ? (
                <>
                  {' '}
                  · {t(l, 'public.hotline')}: <span class="nowrap">{tenant.hotline}</span>
                </>
              ) : null}
            </span>
            {isConsole ? null : <a href="/nhan-tin">{t(l, 'nav.subscribe')}</a>}
            <span>{t(l, 'app.tagline')}</span>
          </div>
        </footer>
      </body>
    </html>
  )
  reply
    .code(opts.status ?? 200)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-language', l)
  if (isConsole) reply.header('cache-control', 'no-store').header('x-robots-tag', 'noindex, nofollow')
  return reply.send(`<!doctype html>${html.value}`)
}

/** An error/notice block. */
export function Alert({ kind, children }: { kind: 'error' | 'ok' | 'warn'; children?: unknown }): SafeHtml {
  return (
    <div class={`alert ${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children as SafeHtml}
    </div>
  )
}

/** Formats an instant in local time (Asia/Ho_Chi_Minh, `platform/time.ts`) for display. */
export function formatTime(at: Date | null | undefined, locale: Locale): string {
  if (!at) return '—'
  return localFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }).format(at)
}

export { raw }
