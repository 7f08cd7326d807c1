/**
 * /console/phan-phoi/webhook: every partner endpoint, disabled first, with its partner, host,
 * run of failures, last attempt and why it was disabled. Every staff member reads it (the
 * office must see which partners are not receiving); approvers and admins switch a disabled
 * endpoint back on, with a reason.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import type { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf, FormError, runForm } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { can } from '../../../platform/policy/index.ts'
import { DISABLE_AFTER_FAILURES } from './commands/record-outcome.ts'
import { reenableWebhook } from './commands/enable-webhook.ts'
import { hostOf } from './commands/disable-webhook.ts'
import { type EndpointRow, listEndpoints } from './webhooks.queries.ts'

const READ = { access: { action: 'read', subject: 'distribution' } }
const REENABLE = { access: { action: 'reenable-webhook', subject: 'distribution' } }
const Hidden = { hide: true }
const UUID = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'
const IdParams = Type.Object({ id: Type.String({ pattern: UUID }) })
const ReenableBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 500 })),
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
})
const DoneQuery = Type.Object({ bat: Type.Optional(Type.String({ maxLength: 64 })) })

/** Registers the staff's webhook page and its re-enable form. */
export async function registerWebhookConsoleRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx

  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { notice?: string; error?: AppError; errorFor?: string; reason?: string } = {},
  ) => {
    const rows = await listEndpoints(database.db, tenant.id)
    return webhooksPage(req, reply, { rows, canReenable: can(req.actor, 'reenable-webhook', 'distribution'), ...o })
  }

  app.get('/console/phan-phoi/webhook', { config: READ, schema: { ...Hidden, querystring: DoneQuery } }, async (req, reply) => {
    const done = req.query.bat
    return show(req, reply, { notice: done ? t(req.locale, 'dist.webhooks.page.reenabled', { host: done }) : undefined })
  })

  app.post(
    '/console/phan-phoi/webhook/:id/bat-lai',
    { config: REENABLE, schema: { ...Hidden, params: IdParams, body: ReenableBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      const { id } = req.params
      return runForm(
        reply,
        async () => {
          const url = await withTransaction(database.pool, async (tx) => {
            await reenableWebhook(tx, {
              tenantId: tenant.id,
              webhookId: id,
              actor: auditOf(actor),
              reason: req.body.reason ?? '',
              ip: req.ip,
            })
            const [row] = (await listEndpoints(database.db, tenant.id)).filter((r) => r.id === id)
            return row?.url ?? ''
          })
          return reply.redirect(`/console/phan-phoi/webhook?bat=${encodeURIComponent(hostOf(url))}`, 303)
        },
        (error) => show(req, reply, { error, errorFor: id, reason: req.body.reason }),
      )
    },
  )
}

function webhooksPage(
  req: FastifyRequest,
  reply: FastifyReply,
  o: { rows: EndpointRow[]; canReenable: boolean; notice?: string; error?: AppError; errorFor?: string; reason?: string },
): FastifyReply {
  const l = req.locale
  const active = o.rows.filter((r) => r.state === 'active').length
  const disabled = o.rows.length - active
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.webhooks.page.title'), shell: 'console', current: 'distribution.nav', status: o.error?.status },
    <>
      <p class="small">
        <a href="/console/phan-phoi">← {t(l, 'distribution.nav')}</a>
      </p>
      <h1>{t(l, 'dist.webhooks.page.title')}</h1>
      <p class="muted">{t(l, 'dist.webhooks.page.lead', { threshold: DISABLE_AFTER_FAILURES })}</p>
      {o.notice ? <Alert kind="ok">{o.notice}</Alert> : null}
      {/* A refusal shows beside its endpoint's form; one for an endpoint with no form (active, gone) shows here. */}
      {o.error && !o.rows.some((r) => r.id === o.errorFor && r.state === 'disabled') ? <FormError l={l} error={o.error} /> : null}
      {o.rows.length === 0 ? (
        <p class="card muted">{t(l, 'dist.webhooks.page.empty')}</p>
      ) : (
        <>
          <p class="small" data-counts>
            {t(l, 'dist.webhooks.page.counts', { active, disabled })}
          </p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t(l, 'dist.webhooks.page.partner')}</th>
                  <th>{t(l, 'dist.webhooks.page.host')}</th>
                  <th>{t(l, 'dist.webhooks.page.state')}</th>
                  <th>{t(l, 'dist.webhooks.page.failures')}</th>
                  <th>{t(l, 'dist.webhooks.page.lastStatus')}</th>
                  <th>{t(l, 'dist.webhooks.page.lastSuccess')}</th>
                </tr>
              </thead>
              <tbody>
                {o.rows.map((r) => (
                  <EndpointRows req={req} reply={reply} r={r} o={o} />
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>,
  )
}

function EndpointRows({
  req,
  reply,
  r,
  o,
}: {
  req: FastifyRequest
  reply: FastifyReply
  r: EndpointRow
  o: { canReenable: boolean; error?: AppError; errorFor?: string; reason?: string }
}): SafeHtml {
  const l = req.locale
  const last =
    r.lastAttemptAt === null
      ? t(l, 'dist.webhooks.page.never')
      : `${r.lastStatus ?? t(l, 'dist.webhooks.page.noAnswer')}${r.lastError && r.lastError !== `HTTP ${r.lastStatus}` ? ` · ${r.lastError}` : ''} · ${formatTime(r.lastAttemptAt, l)}`
  return (
    <>
      <tr data-webhook={r.id} data-state={r.state}>
        <td>
          <a href={`/console/doi-tac/${r.partnerId}`}>{r.partnerName}</a>
        </td>
        {/* The host only: a path may carry the partner's own access token. */}
        <td>
          <code>{hostOf(r.url)}</code>
        </td>
        <td>
          <span class={r.state === 'disabled' ? 'badge admin' : 'badge ok'}>{t(l, `dist.webhooks.page.${r.state}`)}</span>
        </td>
        <td>{r.consecutiveFailures}</td>
        <td class="small">{last}</td>
        <td class="small">{r.lastSuccessAt ? formatTime(r.lastSuccessAt, l) : t(l, 'dist.webhooks.page.never')}</td>
      </tr>
      {r.state === 'disabled' ? (
        <tr data-webhook-detail={r.id}>
          <td colspan="6">
            <p class="small">
              <strong>{t(l, 'dist.webhooks.page.reason')}:</strong> {r.disabledReason ?? '—'} · {formatTime(r.disabledAt, l)}
            </p>
            {o.errorFor === r.id ? <FormError l={l} error={o.error} /> : null}
            {o.canReenable ? (
              <form method="post" action={`/console/phan-phoi/webhook/${r.id}/bat-lai`} class="row">
                <CsrfField req={req} reply={reply} />
                <label>
                  {t(l, 'dist.webhooks.page.reenableReason')}
                  <input name="reason" required minlength="5" maxlength="500" value={o.errorFor === r.id ? (o.reason ?? '') : ''} />
                </label>
                <button type="submit" class="secondary">
                  {t(l, 'dist.webhooks.page.reenable')}
                </button>
              </form>
            ) : null}
          </td>
        </tr>
      ) : null}
    </>
  )
}
