/**
 * Console routes: dashboard, audit log, outbox, partner portal.
 */
import { Type } from '@sinclair/typebox'
import { and, eq, sql } from 'drizzle-orm'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { verifyAuditIntegrity } from '../../platform/audit/checkpoints.ts'
import { listAuditEvents } from '../../platform/audit/index.ts'
import { AppError } from '../../platform/errors.ts'
import { getOutboxMessage, listOutbox } from '../../platform/mail/index.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import { authorize, can, isStaffRole } from '../../platform/policy/index.ts'
import { localDayStart } from '../../platform/time.ts'
import { users } from '../accounts/accounts.tables.ts'
import type { TypedApp } from '../../platform/modules.ts'
import { approvalInbox, inboxPeople } from '../approvals/inbox.ts'
import { auditPage, type DashboardApprovals, dashboardPage, outboxMessagePage, outboxPage } from './console.pages.tsx'
import { auditActorRole, auditMaskedFor, countOverdueReleasesFor } from './console.queries.ts'
import { CadenceWarning } from '../events/console/console.pages.tsx'
import { cadenceStatus } from '../events/events.cadence.ts'

const Hidden = { hide: true }
/** How many waiting items the dashboard lists (the inbox has them all). */
const DASHBOARD_APPROVALS = 3
const AuditQuery = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 60 })),
  actor: Type.Optional(Type.String({ maxLength: 40 })),
  subject: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  q: Type.Optional(Type.String({ maxLength: 100 })),
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  verify: Type.Optional(Type.String({ maxLength: 1 })),
})

/** A yyyy-mm-dd local date as the instant its day starts (or the next day; no DST, so 24 h later). */
function dayStart(value: string | undefined, nextDay = false): Date | undefined {
  const at = localDayStart(value)
  if (!at) return undefined
  return nextDay ? new Date(at.getTime() + 86_400_000) : at
}

/** Registers the console routes. */
export async function registerConsoleRoutes(app: TypedApp): Promise<void> {
  const { config, database, tenant } = app.ctx
  const db = database.db

  app.get('/console', { config: { access: 'signed-in' }, schema: Hidden }, async (req, reply) => {
    const actor = req.actor
    if (!actor || !isStaffRole(actor.role)) return reply.redirect('/doi-tac', 303)
    authorize(actor, 'read', 'console')
    const count = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? 0
    // Only the figures of pages this person may open.
    const counts = {
      users: can(actor, 'list', 'user')
        ? await count(db.select({ n: sql<number>`count(*)::int` }).from(users).where(eq(users.tenantId, tenant.id)))
        : undefined,
      audit: can(actor, 'read', 'audit')
        ? await count(db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(eq(auditEvents.tenantId, tenant.id)))
        : undefined,
      outboxKept: can(actor, 'read', 'outbox')
        ? await count(
            db
              .select({ n: sql<number>`count(*)::int` })
              .from(mailOutbox)
              .where(and(eq(mailOutbox.tenantId, tenant.id), eq(mailOutbox.status, config.smtpUrl ? 'failed' : 'kept'))),
          )
        : undefined,
    }
    // Counted among the releases this person may see: a sealed one outside their circle is not hinted at.
    const overdue = can(actor, 'list', 'release') ? await countOverdueReleasesFor(db, actor) : 0
    // What waits on this approver: the count they can approve and the oldest few items.
    let approvals: DashboardApprovals | undefined
    if (can(actor, 'read', 'approvals')) {
      const items = await approvalInbox(db, actor)
      const first = items.slice(0, DASHBOARD_APPROVALS)
      approvals = {
        approvable: items.filter((i) => !i.notYours).length,
        total: items.length,
        first,
        people: await inboxPeople(db, actor.tenantId, first),
      }
    }
    return dashboardPage(
      { req, reply },
      {
        name: req.session?.user.name || actor.email,
        role: actor.role,
        counts,
        smtp: !!config.smtpUrl,
        overdue,
        approvals,
        // Decree 09/2017 cadence: warned before a rule falls due, only to those who read events.
        cadence: can(actor, 'read', 'event') ? CadenceWarning({ l: req.locale, rules: await cadenceStatus(db, tenant.id) }) : null,
      },
    )
  })

  // The old partner page: the portal now lives at /doi-tac (portal module); bookmarks follow.
  app.get('/portal', { config: { access: 'public' }, schema: Hidden }, async (_req, reply) => reply.redirect('/doi-tac', 301))

  app.get(
    '/console/audit',
    { config: { access: { action: 'read', subject: 'audit' } }, schema: { ...Hidden, querystring: AuditQuery } },
    async (req, reply) => {
      const actor = req.actor
      authorize(actor, 'read', 'audit')
      const q = req.query
      const rows = await listAuditEvents(db, {
        tenantId: tenant.id,
        action: q.action || undefined,
        actorId: q.actor && /^[0-9a-f-]{36}$/.test(q.actor) ? q.actor : undefined,
        subjectType: q.subject || undefined,
        text: q.q || undefined,
        from: dayStart(q.from),
        to: dayStart(q.to, true),
        beforeSeq: q.before,
        limit: 50,
        // Rows about a case sealed to this reader keep their place but not their details.
        maskedWhen: auditMaskedFor(actor),
        actorRole: auditActorRole,
      })
      const actors = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.tenantId, tenant.id))
      let chain:
        | { ok: boolean; checked: number; brokenSeq?: number; checkpoints: number; problems: { seq: number; reason: string }[] }
        | undefined
      if (q.verify === '1') {
        // The chain and its signed checkpoints: a truncated or rewritten log shows here too.
        const v = await verifyAuditIntegrity(db, tenant.id)
        chain = {
          ok: v.ok,
          checked: v.chain.checked,
          brokenSeq: v.chain.broken?.seq,
          checkpoints: v.checkpoints.stored,
          problems: v.problems.map((p) => ({ seq: p.checkpoint.seq, reason: p.reason })),
        }
      }
      const last = rows[rows.length - 1]
      return auditPage(
        { req, reply },
        {
          rows,
          filter: { action: q.action, actor: q.actor, subject: q.subject, q: q.q, from: q.from, to: q.to },
          actors,
          chain,
          nextBefore: rows.length === 50 ? last?.seq : undefined,
        },
      )
    },
  )

  app.get('/console/outbox', { config: { access: { action: 'read', subject: 'outbox' } }, schema: Hidden }, async (req, reply) => {
    authorize(req.actor, 'read', 'outbox')
    return outboxPage({ req, reply }, { rows: await listOutbox(db, tenant.id), smtp: !!config.smtpUrl })
  })
  app.get(
    '/console/outbox/:id',
    {
      config: { access: { action: 'read', subject: 'outbox' } },
      schema: { ...Hidden, params: Type.Object({ id: Type.String({ maxLength: 40 }) }) },
    },
    async (req, reply) => {
      authorize(req.actor, 'read', 'outbox')
      const id = (req.params as { id: string }).id
      const msg = /^[0-9a-f-]{36}$/.test(id) ? await getOutboxMessage(db, tenant.id, id) : undefined
      if (!msg) throw new AppError('NOT_FOUND')
      return outboxMessagePage({ req, reply }, msg)
    },
  )
}
