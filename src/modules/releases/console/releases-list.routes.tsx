/**
 * Release lists: by status and the calendar (the approval queue is the approvals inbox's); also the
 * `donghanh_releases_overdue` gauge of `/metrics`.
 */
import { Type } from '@sinclair/typebox'
import type { Db } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { registerGauge } from '../../../platform/http/metrics.ts'
import { authorize, can } from '../../../platform/policy/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { countOverdueReleases, listReleasesFor } from '../releases.repository.ts'
import { calendarItems } from './console.queries.ts'
import { actorOf } from '../../../platform/html/forms.tsx'
import { calendarPage, RELEASE_TABS, type ReleaseTab, releaseListPage } from './releases-list.pages.tsx'

const ListQuery = Type.Object({ tab: Type.Optional(Type.String({ maxLength: 20 })) })
const LIST = { access: { action: 'list', subject: 'release' } }

// The gauge is registered once per process; it reads the database of the latest app built.
let overdueSource: { db: Db; tenantId: string } | null = null

/** Registers the list pages and the overdue gauge. */
export async function registerReleaseListRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db
  overdueSource = { db, tenantId: tenant.id }
  registerGauge({
    name: 'donghanh_releases_overdue',
    help: 'Scheduled or embargoed releases whose lift time has passed but which are not published.',
    collect: async () => (overdueSource ? [{ value: await countOverdueReleases(overdueSource.db, overdueSource.tenantId) }] : []),
  })

  app.get('/console/releases', { config: LIST, schema: { hide: true, querystring: ListQuery } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'list', 'release')
    const q = req.query
    const tab: ReleaseTab = q.tab && Object.hasOwn(RELEASE_TABS, q.tab) ? (q.tab as ReleaseTab) : 'drafts'
    const rows = await listReleasesFor(db, actor, { statuses: [...RELEASE_TABS[tab]] })
    return releaseListPage({ req, reply }, { tab, rows, canCreate: can(actor, 'create', 'release') })
  })

  app.get('/console/calendar', { config: LIST, schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'list', 'release')
    return calendarPage({ req, reply }, { rows: await calendarItems(db, actor), at: now() })
  })
}
