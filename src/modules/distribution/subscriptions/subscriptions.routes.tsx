/**
 * Public e-mail subscriptions: /nhan-tin (the form), /nhan-tin/xac-nhan/:token (confirm: the GET
 * shows a button, the POST confirms), /nhan-tin/tuy-chon/:token (preferences without an
 * account), /nhan-tin/huy/:token (RFC 8058 one-click unsubscribe). Routes are thin: read the
 * form, call one command, present.
 *
 * CSRF: the form and the confirmation carry the anonymous double-submit token like every public
 * form. The preference and unsubscribe POSTs are exempt (`csrf: false`): their authority is the
 * signed token in the address, which a page elsewhere cannot know, and no cookie or session
 * grants anything there; RFC 8058 requires exactly that for one-click (mail clients POST
 * `List-Unsubscribe=One-Click` with no cookies and no form token).
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import type { AppError } from '../../../platform/errors.ts'
import { runForm } from '../../../platform/html/forms.tsx'
import { createRateLimiter } from '../../../platform/http/rate-limit.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { changeSubscription } from './commands/change-subscription.ts'
import { confirmSubscription } from './commands/confirm-subscription.ts'
import { requestSubscription } from './commands/request-subscription.ts'
import { subscriptionByLink } from './commands/subscription-by-link.ts'
import { unsubscribe } from './commands/unsubscribe.ts'
import { formEcho, subscriptionChoices, subscriptionEmail, subscriptionLocale } from './subscriptions.input.ts'
import { preferencesPath, SUBSCRIBE_PATH, signedToken, subscriptionKey } from './subscriptions.links.ts'
import {
  confirmedPage,
  confirmPage,
  HONEYPOT_FIELD,
  preferencesPage,
  subscribeFormPage,
  subscribeSentPage,
  unsubscribePage,
} from './subscriptions.pages.tsx'

const Str = (max: number) => Type.Optional(Type.String({ maxLength: max }))
const Many = Type.Optional(Type.Union([Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 60 }), { maxItems: 200 })]))
const FormBody = Type.Object({
  email: Str(300),
  kinds: Many,
  communes: Many,
  warningKinds: Many,
  [HONEYPOT_FIELD]: Str(500),
  _csrf: Str(100),
})
const ChoicesBody = Type.Object({ kinds: Many, communes: Many, warningKinds: Many })
const CsrfBody = Type.Object({ _csrf: Str(100) })
// A signed link is 66 characters, a confirmation token 43; anything longer is not ours.
const TokenParams = Type.Object({ token: Type.String({ maxLength: 120 }) })
const SavedQuery = Type.Object({ ok: Str(10) })

/** Registers the subscription pages. */
export async function registerSubscriptionRoutes(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db
  const pub = { access: 'public' as const }
  const linkRoute = { access: 'public' as const, csrf: false as const }
  // The form mails an address: a few per client address. The steps behind tokens more freely
  // (256-bit tokens cannot be guessed anyway). One-click POSTs are not limited: mail providers
  // send them for many people from few addresses.
  const subscribeLimiter = createRateLimiter({ name: 'distribution.subscribe', capacity: 5, perMinute: 2 })
  const stepLimiter = createRateLimiter({ name: 'distribution.subscribe.step', capacity: 30, perMinute: 30 })
  const limitSubscribe = async (req: FastifyRequest) => subscribeLimiter.take(req.ip)
  const limitStep = async (req: FastifyRequest) => stepLimiter.take(req.ip)
  const secretPage = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' }

  app.get(SUBSCRIBE_PATH, { config: pub, schema: { hide: true } }, async (req, reply) => subscribeFormPage({ req, reply }))

  app.post(SUBSCRIBE_PATH, { config: pub, onRequest: limitSubscribe, schema: { hide: true, body: FormBody } }, async (req, reply) => {
    const sent = () => reply.code(303).header('location', `${SUBSCRIBE_PATH}/da-gui`).send()
    // A filled honeypot gets the normal answer; nothing is stored.
    if (req.body[HONEYPOT_FIELD]) return sent()
    return runForm(
      reply,
      async () => {
        const email = subscriptionEmail(req.body.email)
        const choices = subscriptionChoices(req.body)
        await withTransaction(database.pool, (tx) =>
          requestSubscription({
            tx,
            tenantId: tenant.id,
            publicUrl: config.publicUrl,
            email,
            choices,
            locale: subscriptionLocale(req.locale),
          }),
        )
        return sent()
      },
      (error) => subscribeFormPage({ req, reply }, { values: formEcho(req.body), error, status: error.status }),
    )
  })

  app.get(`${SUBSCRIBE_PATH}/da-gui`, { config: pub, schema: { hide: true } }, async (req, reply) => subscribeSentPage({ req, reply }))

  // GET only shows a button: mail scanners fetch links and must not confirm anything.
  app.get(
    `${SUBSCRIBE_PATH}/xac-nhan/:token`,
    { config: pub, onRequest: limitStep, schema: { hide: true, params: TokenParams } },
    async (req, reply) => {
      reply.headers(secretPage)
      return confirmPage({ req, reply }, { token: req.params.token })
    },
  )

  app.post(
    `${SUBSCRIBE_PATH}/xac-nhan/:token`,
    { config: pub, onRequest: limitStep, schema: { hide: true, params: TokenParams, body: CsrfBody } },
    async (req, reply) => {
      reply.headers(secretPage)
      return runForm(
        reply,
        async () => {
          const r = await withTransaction(database.pool, (tx) => confirmSubscription({ tx, tenantId: tenant.id, token: req.params.token }))
          return confirmedPage({ req, reply }, r)
        },
        (error) => confirmPage({ req, reply }, { token: '', error, status: error.status }),
      )
    },
  )

  /** The preference page of a verified link (404 for any other). */
  const showPreferences = async (
    req: FastifyRequest,
    reply: FastifyReply,
    token: string,
    o: { saved?: boolean; error?: AppError; values?: { kinds: string[]; communes: string[]; warningKinds: string[] } } = {},
  ) => {
    const row = await subscriptionByLink(db, { tenantId: tenant.id, token, purpose: 'preferences' })
    const key = await subscriptionKey(db, tenant.id)
    reply.headers(secretPage)
    return preferencesPage(
      { req, reply },
      {
        token,
        unsubscribeToken: signedToken(key, row.id, row.linkVersion, 'unsubscribe'),
        email: row.email ?? '',
        active: row.state === 'active',
        kinds: o.values?.kinds ?? row.kinds,
        communes: o.values?.communes ?? row.communes,
        warningKinds: o.values?.warningKinds ?? row.warningKinds,
        saved: o.saved,
        error: o.error,
        status: o.error?.status,
      },
    )
  }

  app.get(
    `${SUBSCRIBE_PATH}/tuy-chon/:token`,
    { config: pub, onRequest: limitStep, schema: { hide: true, params: TokenParams, querystring: SavedQuery } },
    async (req, reply) => showPreferences(req, reply, req.params.token, { saved: req.query.ok === 'saved' }),
  )

  app.post(
    `${SUBSCRIBE_PATH}/tuy-chon/:token`,
    { config: linkRoute, onRequest: limitStep, schema: { hide: true, params: TokenParams, body: ChoicesBody } },
    async (req, reply) =>
      runForm(
        reply,
        async () => {
          const choices = subscriptionChoices(req.body)
          await withTransaction(database.pool, (tx) =>
            changeSubscription({ tx, tenantId: tenant.id, token: req.params.token, choices, locale: subscriptionLocale(req.locale) }),
          )
          return reply
            .code(303)
            .header('location', `${preferencesPath(req.params.token)}?ok=saved`)
            .send()
        },
        (error) =>
          error.code === 'SUBSCRIPTION_LINK_INVALID'
            ? Promise.reject(error)
            : showPreferences(req, reply, req.params.token, { error, values: formEcho(req.body) }),
      ),
  )

  // One-click (RFC 8058): mail clients POST `List-Unsubscribe=One-Click` as a form, and some as
  // multipart; the body says nothing the link does not, so a multipart body is read and dropped.
  await app.register(async (scope: TypedApp) => {
    scope.addContentTypeParser('multipart/form-data', { parseAs: 'string', bodyLimit: 4096 }, (_req, _body, done) => done(null, {}))

    scope.get(
      `${SUBSCRIBE_PATH}/huy/:token`,
      { config: pub, onRequest: limitStep, schema: { hide: true, params: TokenParams } },
      async (req, reply) => {
        const row = await subscriptionByLink(db, { tenantId: tenant.id, token: req.params.token, purpose: 'unsubscribe' })
        reply.headers(secretPage)
        return unsubscribePage({ req, reply }, { token: req.params.token, state: row.state === 'unsubscribed' ? 'already' : 'ask' })
      },
    )

    scope.post(`${SUBSCRIBE_PATH}/huy/:token`, { config: linkRoute, schema: { hide: true, params: TokenParams } }, async (req, reply) => {
      const oneClick = (req.body as Record<string, unknown> | undefined)?.['List-Unsubscribe'] === 'One-Click'
      const r = await withTransaction(database.pool, (tx) =>
        unsubscribe({ tx, tenantId: tenant.id, token: req.params.token, via: oneClick ? 'one-click' : 'page' }),
      )
      reply.headers(secretPage)
      return unsubscribePage({ req, reply }, { token: req.params.token, state: r.already ? 'already' : 'done' })
    })
  })
}
