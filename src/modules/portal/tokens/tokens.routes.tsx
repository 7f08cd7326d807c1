/**
 * The partner's API tokens (`/doi-tac/token`): list, create (the token shown once), revoke.
 * Partner roles only (`read portal`), and the live partner record is asked on every request
 * (requirePartner): staff and accounts without a live partner record get 403. The bearer
 * check that lets tokens in is `bearer.ts`.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import type { AppError } from '../../../platform/errors.ts'
import { actorOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { hasEmbargoAccess, requirePartner } from '../../partners/partners.actor.ts'
import { createPartnerToken } from './commands/create-partner-token.ts'
import { revokePartnerToken } from './commands/revoke-partner-token.ts'
import { type TokensPageOptions, tokensPage } from './tokens.pages.tsx'
import { listOwnTokens } from './tokens.repository.ts'

const Str = (max: number) => Type.String({ maxLength: max })
const Hidden = { hide: true }
// The portal's rule (journalists and influencers); each handler then loads the live partner record.
const PORTAL = { access: { action: 'read', subject: 'portal' } } as const
const Csrf = { _csrf: Type.Optional(Str(100)) }
const CreateBody = Type.Object({
  name: Type.Optional(Str(400)),
  // One ticked box arrives as a string, several as an array.
  scopes: Type.Optional(Type.Union([Str(40), Type.Array(Str(40), { maxItems: 10 })])),
  days: Type.Optional(Str(10)),
  ...Csrf,
})
const IdParams = Type.Object({ id: Str(64) })
const NoticeQuery = Type.Object({ revoked: Type.Optional(Str(2)) })

/** Registers `/doi-tac/token` and its actions. */
export async function registerPortalTokenRoutes(app: TypedApp): Promise<void> {
  const { database } = app.ctx
  const show = async (req: FastifyRequest, reply: FastifyReply, o: Omit<TokensPageOptions, 'tokens' | 'embargoAccess'> = {}) => {
    const actor = actorOf(req)
    const partner = await requirePartner(database.db, actor)
    const tokens = await listOwnTokens(database.db, actor.tenantId, actor.id)
    return tokensPage({ req, reply }, { tokens, embargoAccess: hasEmbargoAccess(partner), ...o })
  }

  app.get('/doi-tac/token', { config: PORTAL, schema: { ...Hidden, querystring: NoticeQuery } }, async (req, reply) =>
    show(req, reply, req.query.revoked ? { notice: 'portal.tokens.revokedNotice' } : {}),
  )

  app.post('/doi-tac/token', { config: PORTAL, schema: { ...Hidden, body: CreateBody } }, async (req, reply) => {
    const actor = actorOf(req)
    await requirePartner(database.db, actor)
    const b = req.body
    const values = {
      name: b.name,
      scopes: b.scopes === undefined ? [] : Array.isArray(b.scopes) ? b.scopes : [b.scopes],
      days: Number(b.days) || undefined,
    }
    return runForm(
      reply,
      async () => {
        const created = await withTransaction(database.pool, (tx) =>
          createPartnerToken({ tx, actor, input: { name: b.name, scopes: values.scopes, days: b.days }, ip: req.ip }),
        )
        // Answered directly (not a redirect): the clear token exists only in this response.
        return show(req, reply, { created: { token: created.token, name: created.name, expiresAt: created.expiresAt } })
      },
      (e: AppError) => show(req, reply, { error: e, values }),
    )
  })

  app.post(
    '/doi-tac/token/:id/thu-hoi',
    { config: PORTAL, schema: { ...Hidden, params: IdParams, body: Type.Object(Csrf) } },
    async (req, reply) => {
      const actor = actorOf(req)
      await requirePartner(database.db, actor)
      await withTransaction(database.pool, (tx) => revokePartnerToken({ tx, actor, tokenId: req.params.id, ip: req.ip }))
      return reply.redirect('/doi-tac/token?revoked=1', 303)
    },
  )
}
