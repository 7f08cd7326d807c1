/**
 * Lists in the console (/console/phan-phoi/danh-sach…) and an item's chosen lists
 * (POST /console/phan-phoi/muc/:type/:id/danh-sach). Thin routes: validate, authorise, one
 * command or query, present; a refused form is shown again with the bilingual reason and
 * nothing written.
 */
import { type Static, Type } from '@sinclair/typebox'
import { sql } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, listOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize, can } from '../../../platform/policy/index.ts'
import { addListMember } from './commands/add-list-member.ts'
import { archiveList } from './commands/archive-list.ts'
import { createList } from './commands/create-list.ts'
import { removeListMember } from './commands/remove-list-member.ts'
import { setItemTargets } from './commands/set-item-targets.ts'
import { updateList } from './commands/update-list.ts'
import type { ListInput } from './list-input.ts'
import { emptyListForm, type ListDetailView, type ListFormValues, listDetailPage, listsPage, newListPage } from './lists.pages.tsx'
import { allLists, getList, type ListRow, searchPartners, staticMembers } from './lists.repository.ts'
import { listCounts, resolveRecipients } from './recipients.ts'
import { listName } from './targets.tsx'

const Str = (max: number) => Type.String({ maxLength: max })
const Opt = (max: number) => Type.Optional(Str(max))
const Many = (max: number) => Type.Optional(Type.Union([Str(max), Type.Array(Str(max), { maxItems: 200 })]))
const Hidden = { hide: true }
const READ = { access: { action: 'read', subject: 'distribution' } }
const MANAGE = { access: { action: 'manage', subject: 'distribution' } }
const IdParams = Type.Object({ id: Str(64) })
const ListBody = Type.Object({
  kind: Opt(20),
  name: Str(1000),
  description: Opt(4000),
  kinds: Many(20),
  beats: Opt(4000),
  communes: Many(100),
  outlets: Many(64),
  _csrf: Opt(100),
})
const MemberBody = Type.Object({ partnerId: Str(64), _csrf: Opt(100) })
const TargetsBody = Type.Object({ lists: Many(64), _csrf: Opt(100) })
const ItemParams = Type.Object({ type: Str(20), id: Str(64) })
const DONE = new Set(['created', 'updated', 'unchanged', 'archived', 'added', 'removed'])

type ListBodyT = Static<typeof ListBody>

function valuesOf(kind: 'rule' | 'static', b: ListBodyT): ListFormValues {
  return {
    kind,
    name: b.name,
    description: b.description ?? '',
    kinds: listOf(b.kinds),
    beats: b.beats ?? '',
    communes: listOf(b.communes),
    outletIds: listOf(b.outlets),
  }
}

function inputOf(b: ListBodyT): ListInput {
  return {
    name: b.name,
    description: b.description,
    rule: {
      kinds: listOf(b.kinds) as ('journalist' | 'influencer')[],
      beats: (b.beats ?? '').split(/[,;\n]/),
      communes: listOf(b.communes),
      outletIds: listOf(b.outlets),
    },
  }
}

function valuesOfList(x: ListRow): ListFormValues {
  return {
    kind: x.kind === 'static' ? 'static' : 'rule',
    name: x.name,
    description: x.description ?? '',
    kinds: x.rule.kinds ?? [],
    beats: (x.rule.beats ?? []).join(', '),
    communes: x.rule.communes ?? [],
    outletIds: x.rule.outletIds ?? [],
  }
}

/** Lists: /console/phan-phoi/danh-sach (builtin, rule and static lists, preview with who is left out and why). */
export async function registerListRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db
  const outletsOf = async () =>
    (
      await db.execute<{ id: string; name: string }>(
        sql`SELECT id, name FROM press_outlets WHERE tenant_id = ${tenant.id} ORDER BY fold_vi(name), id`,
      )
    ).rows

  app.get(
    '/console/phan-phoi/danh-sach',
    { config: READ, schema: { ...Hidden, querystring: Type.Object({ done: Opt(20) }) } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'read', 'distribution')
      const lists = await allLists(db, tenant.id, { archived: true })
      const counts = await listCounts(
        db,
        tenant.id,
        lists.map((x) => x.id),
      )
      const done = req.query.done
      return listsPage(
        { req, reply },
        {
          lists,
          counts,
          canManage: can(actor, 'manage', 'distribution'),
          notice: done === 'archived' ? 'dist.lists.done.archived' : undefined,
        },
      )
    },
  )

  app.get(
    '/console/phan-phoi/danh-sach/moi',
    { config: MANAGE, schema: { ...Hidden, querystring: Type.Object({ kind: Opt(20) }) } },
    async (req, reply) => {
      authorize(actorOf(req), 'manage', 'distribution')
      return newListPage(
        { req, reply },
        { values: emptyListForm(req.query.kind === 'static' ? 'static' : 'rule'), outlets: await outletsOf() },
      )
    },
  )
  app.post('/console/phan-phoi/danh-sach/moi', { config: MANAGE, schema: { ...Hidden, body: ListBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'manage', 'distribution')
    const b = req.body
    const kind = b.kind === 'static' ? 'static' : 'rule'
    return runForm(
      reply,
      async () => {
        const { id } = await withTransaction(database.pool, (tx) =>
          createList({ tx, actor, kind: b.kind ?? 'rule', input: inputOf(b), ip: req.ip }),
        )
        return reply.redirect(`/console/phan-phoi/danh-sach/${id}?done=created`, 303)
      },
      async (error) => newListPage({ req, reply }, { values: valuesOf(kind, b), outlets: await outletsOf(), error }),
    )
  })

  const showDetail = async (req: FastifyRequest, reply: FastifyReply, id: string, o: Partial<ListDetailView> = {}) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'distribution')
    const list = await getList(db, tenant.id, id)
    if (!list) throw new AppError('DISTRIBUTION_NOT_FOUND')
    const [resolved, members, outlets, all] = await Promise.all([
      list.archivedAt ? Promise.resolve({ included: [], excluded: [] }) : resolveRecipients(db, tenant.id, [list.id]),
      list.kind === 'static' ? staticMembers(db, tenant.id, list.id) : Promise.resolve([]),
      outletsOf(),
      allLists(db, tenant.id, { archived: true }),
    ])
    return listDetailPage(
      { req, reply },
      {
        list,
        included: resolved.included,
        excluded: resolved.excluded,
        members,
        outlets,
        canManage: can(actor, 'manage', 'distribution'),
        values: valuesOfList(list),
        listNames: new Map(all.map((x) => [x.id, listName(req.locale, x)])),
        ...o,
      },
    )
  }

  app.get(
    '/console/phan-phoi/danh-sach/:id',
    { config: READ, schema: { ...Hidden, params: IdParams, querystring: Type.Object({ done: Opt(20), q: Opt(200) }) } },
    async (req, reply) => {
      const { done, q } = req.query
      const canManage = !!req.actor && can(req.actor, 'manage', 'distribution')
      const found = canManage && q !== undefined ? await searchPartners(db, tenant.id, q) : undefined
      return showDetail(req, reply, req.params.id, {
        notice: done && DONE.has(done) ? `dist.lists.done.${done}` : undefined,
        q,
        found,
      })
    },
  )

  app.post(
    '/console/phan-phoi/danh-sach/:id',
    { config: MANAGE, schema: { ...Hidden, params: IdParams, body: ListBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'distribution')
      const { id } = req.params
      const b = req.body
      return runForm(
        reply,
        async () => {
          const r = await withTransaction(database.pool, (tx) => updateList({ tx, actor, listId: id, input: inputOf(b), ip: req.ip }))
          return reply.redirect(`/console/phan-phoi/danh-sach/${id}?done=${r.changed ? 'updated' : 'unchanged'}`, 303)
        },
        async (error) => {
          const list = await getList(db, tenant.id, id)
          if (!list) throw error
          return showDetail(req, reply, id, { error, values: valuesOf(list.kind === 'static' ? 'static' : 'rule', b) })
        },
      )
    },
  )

  const memberRoute = (path: string, run: (o: Parameters<typeof addListMember>[0]) => Promise<unknown>, done: string) =>
    app.post(path, { config: MANAGE, schema: { ...Hidden, params: IdParams, body: MemberBody } }, async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'distribution')
      const { id } = req.params
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) => run({ tx, actor, listId: id, partnerId: req.body.partnerId, ip: req.ip }))
          return reply.redirect(`/console/phan-phoi/danh-sach/${id}?done=${done}`, 303)
        },
        (error) => showDetail(req, reply, id, { error }),
      )
    })
  memberRoute('/console/phan-phoi/danh-sach/:id/them-thanh-vien', addListMember, 'added')
  memberRoute('/console/phan-phoi/danh-sach/:id/bo-thanh-vien', removeListMember, 'removed')

  app.post(
    '/console/phan-phoi/danh-sach/:id/luu-tru',
    { config: MANAGE, schema: { ...Hidden, params: IdParams, body: Type.Object({ _csrf: Opt(100) }) } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'distribution')
      const { id } = req.params
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) => archiveList({ tx, actor, listId: id, ip: req.ip }))
          return reply.redirect('/console/phan-phoi/danh-sach?done=archived', 303)
        },
        (error) => showDetail(req, reply, id, { error }),
      )
    },
  )

  // An item's lists: saved, then back to the item's page (the console part's), which shows the outcome.
  app.post(
    '/console/phan-phoi/muc/:type/:id/danh-sach',
    { config: MANAGE, schema: { ...Hidden, params: ItemParams, body: TargetsBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'distribution')
      const { type, id } = req.params
      if (type !== 'release' && type !== 'verdict') throw new AppError('DISTRIBUTION_NOT_FOUND')
      await withTransaction(database.pool, (tx) =>
        setItemTargets({ tx, actor, itemType: type, itemId: id, listIds: listOf(req.body.lists), ip: req.ip }),
      )
      return reply.redirect(`/console/phan-phoi/muc/${type}/${id}?done=targets`, 303)
    },
  )
}
