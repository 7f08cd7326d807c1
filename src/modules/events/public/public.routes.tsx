/**
 * The public schedule of press conferences (issue 16 item 8): announced regular and ad-hoc
 * press conferences, upcoming first then the last ten past, each with time, place (map link),
 * topic and speakers, and an "add to calendar" file (METHOD:PUBLISH). Who is invited, badges
 * and questions never appear here; drafts, cancelled events and partner meetings are 404 (a
 * press conference held, state done, stays in the past part).
 */
import { Type } from '@sinclair/typebox'
import { and, asc, desc, eq, gte, inArray, lt } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { processConfig } from '../../../config.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { spokespersons } from '../../spokespersons/spokespersons.tables.ts'
import { eventTime } from '../console/console.pages.tsx'
import { calendarFileName, eventCalendar } from '../events.ics.ts'
import { events, eventSpeakers } from '../events.tables.ts'

/** The kinds the public schedule lists. */
export const PUBLIC_KINDS = ['regular_press_conference', 'adhoc_press_conference'] as const
/** How many past press conferences the schedule keeps. */
const PAST_SHOWN = 10

type EventRow = typeof events.$inferSelect
type Speaker = { name: string; title: string }

/** Announced press conferences, and those held (done) for the past part; never drafts or cancelled ones. */
const publicWhere = (tenantId: string) =>
  and(eq(events.tenantId, tenantId), inArray(events.state, ['announced', 'done']), inArray(events.kind, [...PUBLIC_KINDS]))

/** Announced press conferences: upcoming (soonest first) and the last ten past (latest first). */
export async function publicSchedule(db: Db, tenantId: string, at: Date) {
  const [upcoming, past] = await Promise.all([
    db
      .select()
      .from(events)
      .where(and(publicWhere(tenantId), gte(events.endsAt, at)))
      .orderBy(asc(events.startsAt), asc(events.id)),
    db
      .select()
      .from(events)
      .where(and(publicWhere(tenantId), lt(events.endsAt, at)))
      .orderBy(desc(events.startsAt), asc(events.id))
      .limit(PAST_SHOWN),
  ])
  const ids = [...upcoming, ...past].map((e) => e.id)
  const speakers = new Map<string, Speaker[]>()
  if (ids.length) {
    const rows = await db
      .select({ eventId: eventSpeakers.eventId, name: spokespersons.name, title: spokespersons.title })
      .from(eventSpeakers)
      .innerJoin(spokespersons, eq(spokespersons.id, eventSpeakers.spokespersonId))
      .where(inArray(eventSpeakers.eventId, ids))
      .orderBy(asc(eventSpeakers.position))
    for (const r of rows) speakers.set(r.eventId, [...(speakers.get(r.eventId) ?? []), { name: r.name, title: r.title }])
  }
  return { upcoming, past, speakers }
}

/** The public schedule file path of an event. */
export function publicIcsPath(id: string): string {
  return `/lich-hop-bao/${id}.ics`
}

function Item({ l, e, speakers }: { l: Locale; e: EventRow; speakers: Speaker[] }): SafeHtml {
  return (
    <article class="card" id={`su-kien-${e.id}`}>
      <h3 style="margin-top:0">{e.title}</h3>
      <p>
        <span class="badge">{t(l, `events-core.kind.${e.kind}`)}</span> <time datetime={e.startsAt.toISOString()}>{eventTime(e, l)}</time>{' '}
        (GMT+7)
      </p>
      {e.place || e.mapUrl ? (
        <p>
          {t(l, 'events-core.field.place')}: {e.place || '—'}
          {e.mapUrl ? (
            <>
              {' '}
              · <a href={e.mapUrl}>{t(l, 'events-core.map')}</a>
            </>
          ) : null}
        </p>
      ) : null}
      {e.topic ? (
        <p>
          {t(l, 'events-core.field.topic')}: {e.topic}
        </p>
      ) : null}
      {speakers.length ? (
        <p>
          {t(l, 'events-core.field.speakers')}: {speakers.map((s) => `${s.name} (${s.title})`).join('; ')}
        </p>
      ) : null}
      <p>
        <a href={publicIcsPath(e.id)} download>
          {t(l, 'events-core.public.addToCalendar')}
        </a>
      </p>
    </article>
  )
}

/** The office as ORGANIZER: its name and the address its mail is sent from (as invitations use). */
function officeOrganizer(name: string): { name: string; email: string } {
  const from = processConfig().mailFrom
  return { name, email: /<([^>]+)>/.exec(from)?.[1]?.trim() ?? from.trim() }
}

const IcsParams = Type.Object({ file: Type.String({ maxLength: 80 }) })

/** Public: /lich-hop-bao (announced press conferences) and /lich-hop-bao/:id.ics. */
export async function registerEventPublicRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  app.get('/lich-hop-bao', { config: { access: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const l = req.locale
    const { upcoming, past, speakers } = await publicSchedule(db, tenant.id, now())
    return sendPage(
      req,
      reply,
      { title: t(l, 'events-core.public.title'), shell: 'public', current: 'schedule' },
      <>
        <h1>{t(l, 'events-core.public.title')}</h1>
        <p class="muted">{t(l, 'events-core.public.intro')}</p>
        <h2>{t(l, 'events-core.upcoming')}</h2>
        {upcoming.length ? (
          upcoming.map((e) => <Item l={l} e={e} speakers={speakers.get(e.id) ?? []} />)
        ) : (
          <p class="muted">{t(l, 'events-core.public.noneUpcoming')}</p>
        )}
        {past.length ? (
          <>
            <h2>{t(l, 'events-core.past')}</h2>
            {past.map((e) => (
              <Item l={l} e={e} speakers={speakers.get(e.id) ?? []} />
            ))}
          </>
        ) : null}
      </>,
    )
  })

  app.get('/lich-hop-bao/:file', { config: { access: 'public' }, schema: { hide: true, params: IcsParams } }, async (req, reply) => {
    const m = /^([0-9a-f-]{36})\.ics$/i.exec(req.params.file)
    if (!m) throw new AppError('EVENT_NOT_FOUND')
    const [event] = await db
      .select()
      .from(events)
      .where(and(publicWhere(tenant.id), eq(events.id, m[1] as string)))
    if (!event) throw new AppError('EVENT_NOT_FOUND')
    const text = eventCalendar(event, {
      method: 'PUBLISH',
      organizer: officeOrganizer(tenant.name),
      publicUrl: `${processConfig().publicUrl}/lich-hop-bao#su-kien-${event.id}`,
    })
    return reply
      .header('content-type', 'text/calendar; charset=utf-8; method=PUBLISH')
      .header('content-disposition', `attachment; filename="${calendarFileName(event)}"`)
      .header('cache-control', 'public, max-age=300')
      .send(text)
  })
}
