/**
 * Public Q&As (`/hoi-dap`, `/hoi-dap/<slug>`): answers the office chose to publish, with the
 * question as published (personal data taken out; the asker named only when they agreed), the
 * spokesperson and the agency. Never one linked to a sealed case (`inquiries.repository.ts`).
 * Not cached: an answer appears as soon as it is given.
 */
import { Type } from '@sinclair/typebox'
import { AppError } from '../../platform/errors.ts'
import { sendPage } from '../../platform/html/layout.tsx'
import { t } from '../../platform/i18n/index.ts'
import type { TypedApp } from '../../platform/modules.ts'
import { attributionLine, formatDue } from './inquiries.mail.ts'
import { findPublicQa, listPublicQa } from './inquiries.repository.ts'
import type { InquiryRow } from './inquiries.tables.ts'

const Hidden = { hide: true }
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 40 }) })

function asker(i: InquiryRow): string | null {
  if (!i.askerNamePublic) return null
  return i.askerOutlet ? `${i.askerName} (${i.askerOutlet})` : i.askerName
}

/** Registers the public Q&A pages. */
export async function registerPublicQaRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  app.get('/hoi-dap', { config: { access: 'public' }, schema: Hidden }, async (req, reply) => {
    const l = req.locale
    const rows = await listPublicQa(db, tenant.id)
    reply.header('cache-control', 'no-cache')
    return sendPage(
      req,
      reply,
      { title: t(l, 'inquiries.public.title'), shell: 'public' },
      <>
        <h1>{t(l, 'inquiries.public.title')}</h1>
        <p class="muted">{t(l, 'inquiries.public.intro')}</p>
        {rows.length === 0 ? <p class="muted">{t(l, 'inquiries.public.empty')}</p> : null}
        <ul class="news-list">
          {rows.map((i) => (
            <li class="news-card">
              <a href={`/hoi-dap/${i.publicSlug}`}>
                <strong>{i.topic}</strong>
              </a>
              <br />
              <span class="small muted">
                {i.code} · {formatDue(i.answeredAt as Date, l)}
              </span>
            </li>
          ))}
        </ul>
      </>,
    )
  })

  app.get('/hoi-dap/:slug', { config: { access: 'public' }, schema: { ...Hidden, params: SlugParams } }, async (req, reply) => {
    const l = req.locale
    const i = await findPublicQa(db, tenant.id, req.params.slug.toLowerCase())
    if (!i) throw new AppError('NOT_FOUND')
    const by = asker(i)
    reply.header('cache-control', 'no-cache')
    return sendPage(
      req,
      reply,
      { title: i.topic, shell: 'public' },
      <article class="release">
        <p class="small">
          <a href="/hoi-dap">← {t(l, 'inquiries.public.title')}</a>
        </p>
        <h1>{i.topic}</h1>
        <p class="small muted">
          {i.code}
          {by ? ` · ${t(l, 'inquiries.public.askedBy', { name: by })}` : ''}
        </p>
        <h2>{t(l, 'inquiries.field.question')}</h2>
        <p style="white-space:pre-wrap" data-public-question>
          {i.publicQuestion}
        </p>
        <h2>{t(l, 'inquiries.answer')}</h2>
        <div class="prose" style="white-space:pre-wrap">
          {i.answer}
        </div>
        <p data-attribution>
          <strong>
            {attributionLine(l, {
              name: i.answerSpokespersonName ?? '',
              title: i.answerSpokespersonTitle ?? '',
              agency: i.answerAgency ?? '',
            })}
          </strong>
        </p>
        <p class="small muted">{t(l, 'inquiries.answeredAt', { at: formatDue(i.answeredAt as Date, l) })}</p>
      </article>,
    )
  })
}
