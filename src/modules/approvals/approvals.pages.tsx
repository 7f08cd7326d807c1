/**
 * The approvals inbox: one list of everything waiting on an approver, whatever module it
 * comes from. Items four-eyes bars the viewer from stay listed (so they know it waits on a
 * colleague) but are marked and not counted.
 */
import { Alert, formatTime, sendPage } from '../../platform/html/layout.tsx'
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import type { R } from '../../platform/html/forms.tsx'
import { type Locale, t } from '../../platform/i18n/index.ts'
import type { WaitingItem } from '../../platform/modules.ts'
import type { InboxPerson } from './inbox.ts'

type Tag = NonNullable<WaitingItem['tags']>[number]

function tagText(l: Locale, tag: Tag): string {
  const params: Record<string, string | number> = {}
  for (const [k, v] of Object.entries(tag.params ?? {})) params[k] = typeof v === 'object' ? v[l] : v
  return t(l, tag.key, params)
}

/** The waiting items as a list of cards (the inbox page, the dashboard's first few). */
export function InboxList({ l, items, people }: { l: Locale; items: readonly WaitingItem[]; people: Map<string, InboxPerson> }): SafeHtml {
  return (
    <ul class="inbox">
      {items.map((i) => {
        const submitter = i.submittedBy ? people.get(i.submittedBy) : undefined
        const names = i.contributorIds.map((id) => people.get(id)?.name ?? '—').join(', ')
        return (
          <li class={i.notYours ? 'card inbox-item mine' : 'card inbox-item'} data-kind={i.kind}>
            <p class="inbox-title">
              <span class="badge kind">{t(l, `approvals.kind.${i.kind}`)}</span> <a href={i.href}>{i.title}</a>
            </p>
            {i.tags?.length ? (
              <p class="inbox-tags">
                {i.tags.map((tag) => (
                  <span class={tag.tone ? `badge ${tag.tone}` : 'badge'}>{tagText(l, tag)}</span>
                ))}
              </p>
            ) : null}
            <p class="small muted">
              {t(l, 'approvals.submittedBy', {
                at: formatTime(i.submittedAt, l),
                who: submitter ? (submitter.name === submitter.email ? submitter.email : `${submitter.name} (${submitter.email})`) : '—',
              })}
              {names ? (
                <>
                  <br />
                  {t(l, 'approvals.col.contributors')}: {names}
                </>
              ) : null}
            </p>
            {i.notYours ? (
              <p>
                <span class="badge warn four-eyes">
                  {t(l, i.notYours === 'submitted' ? 'approvals.mine' : 'approvals.mineContributed')}
                </span>
              </p>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

/** The approvals inbox page. */
export function approvalsPage({ req, reply }: R, o: { items: WaitingItem[]; people: Map<string, InboxPerson> }) {
  const l = req.locale
  const approvable = o.items.filter((i) => !i.notYours).length
  return sendPage(
    req,
    reply,
    { title: t(l, 'approvals.title'), shell: 'console', current: 'approvals' },
    <>
      <h1>{t(l, 'approvals.title')}</h1>
      <p class="muted">{t(l, 'approvals.intro')}</p>
      {o.items.length === 0 ? (
        <p class="muted">{t(l, 'approvals.empty')}</p>
      ) : (
        <>
          <Alert kind={approvable > 0 ? 'warn' : 'ok'}>
            <span id="approvals-summary">{t(l, 'approvals.summary', { n: approvable, total: o.items.length })}</span>
          </Alert>
          <InboxList l={l} items={o.items} people={o.people} />
        </>
      )}
    </>,
  )
}
