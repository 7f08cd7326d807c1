/**
 * Public pages. The home page names the unit, its hotline and contacts; later modules add
 * the newsroom, warnings and the verification desk.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sendPage } from '../../platform/html/layout.tsx'
import { t } from '../../platform/i18n/index.ts'
import type { Tenant } from '../../platform/tenancy/index.ts'

/** The public home page. */
export function homePage({ req, reply }: { req: FastifyRequest; reply: FastifyReply }, tenant: Tenant) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'public.homeTitle'), shell: 'public', current: 'home' },
    <>
      <section class="hero">
        <h1>{tenant.name}</h1>
        <p>{t(l, 'public.intro')}</p>
      </section>
      <div class="grid">
        <section class="card" aria-labelledby="h-hotline">
          <h2 id="h-hotline" style="margin-top:0">
            {t(l, 'public.hotline')}
          </h2>
          <p class="hotline">
            <a href={`tel:${tenant.hotline.replace(/\s+/g, '')}`}>{tenant.hotline}</a>
          </p>
          <p class="small muted">{t(l, 'public.emergency')}</p>
        </section>
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
          </dl>
        </section>
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
