/**
 * `/console/releases/:id/diff?from=N&to=M`: word diff between two editions, with who wrote
 * and changed each of them.
 */
import { Type } from '@sinclair/typebox'
import { AppError } from '../../../platform/errors.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { listEditions } from '../releases.repository.ts'
import { userLabels } from '../../accounts/users.ts'
import { userPeople } from './console.queries.ts'
import { contributorIds } from './contributors.tsx'
import { actorOf } from '../../../platform/html/forms.tsx'
import { diffPage } from './release-diff.pages.tsx'
import { loadVisibleRelease } from './release-view.ts'

const Params = Type.Object({ id: Type.String({ maxLength: 64 }) })
const Query = Type.Object({ from: Type.Optional(Type.Integer({ minimum: 1 })), to: Type.Optional(Type.Integer({ minimum: 1 })) })

/** Registers the diff page. */
export async function registerReleaseDiffRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db
  app.get(
    '/console/releases/:id/diff',
    { config: { access: { action: 'list', subject: 'release' } }, schema: { hide: true, params: Params, querystring: Query } },
    async (req, reply) => {
      const actor = actorOf(req)
      const { id } = req.params
      const q = req.query
      const loaded = await loadVisibleRelease(db, actor, id)
      const editions = await listEditions(db, loaded.release.id)
      const last = editions[editions.length - 1]
      if (!last) throw new AppError('NOT_FOUND')
      const toNumber = q.to ?? last.number
      const to = editions.find((e) => e.number === toNumber)
      const from = editions.find((e) => e.number === (q.from ?? Math.max(1, toNumber - 1)))
      if (!from || !to) throw new AppError('NOT_FOUND')
      const names = await userLabels(
        db,
        tenant.id,
        editions.flatMap((e) => [e.createdBy, e.submittedBy, e.approvedBy]),
      )
      const people = await userPeople(db, tenant.id, contributorIds(editions))
      return diffPage({ req, reply }, { loaded, editions, from, to, names, people })
    },
  )
}
