/**
 * The lists panel of an item's distribution page (/console/phan-phoi/muc/:type/:id): which
 * lists the item goes to (chosen, or the two builtin lists by default) and, for staff who
 * manage distribution, the form that changes them (POST …/danh-sach, `setItemTargets`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { CsrfField } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { allLists, type ListRow } from './lists.repository.ts'
import { resolveRecipients } from './recipients.ts'
import { chosenListIds, type TargetItemType, targetListIds } from './targets.queries.ts'

/** A list's name for the reader (builtin lists in the page's language). */
export function listName(l: FastifyRequest['locale'], list: Pick<ListRow, 'name' | 'builtinKey'>): string {
  return list.builtinKey ? t(l, `dist.lists.builtin.${list.builtinKey}`) : list.name
}

/** The panel: the lists (checked = chosen or default), how many partners they reach now, and the save button for managers. */
export function TargetsPanel(o: {
  req: FastifyRequest
  reply: FastifyReply
  itemType: TargetItemType
  itemId: string
  /** The lists the item goes to (chosen, or the defaults). */
  current: readonly string[]
  /** Whether staff chose them (false: the defaults apply). */
  chosen: boolean
  /** Every live list of the tenant. */
  lists: readonly Pick<ListRow, 'id' | 'name' | 'builtinKey' | 'kind'>[]
  /** Partners the current lists reach now. */
  reach?: number
}): SafeHtml {
  const l = o.req.locale
  const manage = !!o.req.actor && can(o.req.actor, 'manage', 'distribution')
  const current = new Set(o.current)
  return (
    <div id="targets-panel" class="stack">
      {o.chosen ? null : <p class="muted">{t(l, 'dist.lists.targets.default')}</p>}
      {o.reach === undefined ? null : (
        <p>
          <strong data-reach={String(o.reach)}>{t(l, 'dist.lists.targets.reach', { n: o.reach.toLocaleString('vi-VN') })}</strong>
        </p>
      )}
      <form method="post" action={`/console/phan-phoi/muc/${o.itemType}/${o.itemId}/danh-sach`} class="stack">
        <CsrfField req={o.req} reply={o.reply} />
        <fieldset>
          <legend>{t(l, 'dist.lists.targets.title')}</legend>
          {o.lists.map((x) => (
            <label>
              <input type="checkbox" name="lists" value={x.id} checked={current.has(x.id)} disabled={!manage} /> {listName(l, x)}{' '}
              <span class="muted small">({t(l, `dist.lists.kind.${x.kind}`)})</span>
            </label>
          ))}
        </fieldset>
        <p class="hint">{t(l, 'dist.lists.targets.hint')}</p>
        {manage ? <button type="submit">{t(l, 'dist.lists.targets.save')}</button> : null}
      </form>
    </div>
  )
}

/** Loads what the panel shows for an item and renders it (for the item page's slot). */
export async function loadTargetsPanel({ req, reply }: R, itemType: TargetItemType, itemId: string): Promise<SafeHtml> {
  const { database, tenant } = req.server.ctx
  const db = database.db
  const [lists, chosen, current] = await Promise.all([
    allLists(db, tenant.id),
    chosenListIds(db, tenant.id, itemType, itemId),
    targetListIds(db, tenant.id, itemType, itemId),
  ])
  const reach = (await resolveRecipients(db, tenant.id, current)).included.length
  return (
    <TargetsPanel
      req={req}
      reply={reply}
      itemType={itemType}
      itemId={itemId}
      current={current}
      chosen={chosen !== null}
      lists={lists}
      reach={reach}
    />
  )
}
