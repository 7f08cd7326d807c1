/**
 * The contributors of an edition as the console shows them (approval form, approval queue,
 * diff, history): each person once, with their role, what they did to the text (wrote it,
 * changed it n times) and when last. Four-eyes bars every one of them from approving it, so
 * an approver sees at a glance whether the text is someone else's.
 */
import { formatTime } from '../../../platform/html/layout.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { type ContributorSummary, summariseContributors } from '../../../platform/contributors.ts'
import type { EditionContribution } from '../releases.tables.ts'

/** A person as the console names them. */
export interface Person {
  name: string
  role: string
}

/** Everyone named in the contributions of `editions` (to load their names and roles). */
export function contributorIds(editions: readonly { contributors: readonly EditionContribution[] }[]): string[] {
  return [...new Set(editions.flatMap((e) => e.contributors.map((c) => c.userId)))]
}

/** True when `userId` wrote or changed the edition's text (four-eyes then refuses their approval). */
export function contributed(list: readonly EditionContribution[], userId: string | undefined): boolean {
  return !!userId && list.some((c) => c.userId === userId)
}

/** What one person did, in words: "wrote it · changed the text (2×) · last 20/11/2026 10:00". */
function doneBy(l: Locale, s: ContributorSummary): string {
  const parts: string[] = []
  if (s.created) parts.push(t(l, 'releases.contributors.created'))
  if (s.edits > 0) parts.push(t(l, 'releases.contributors.edited', { n: s.edits }))
  parts.push(t(l, 'releases.contributors.last', { at: formatTime(s.lastAt, l) }))
  return parts.join(' · ')
}

/** The list of contributors: name, role, what they did; the viewer marked. */
export function ContributorList({
  l,
  contributions,
  people,
  me,
  id,
}: {
  l: Locale
  contributions: readonly EditionContribution[]
  people: Map<string, Person>
  /** The viewer's id: their line says "you". */
  me?: string
  /** The list's element id (tests and links find it). */
  id?: string
}): SafeHtml {
  const rows = summariseContributors(contributions)
  if (rows.length === 0) return <p class="small muted">{t(l, 'releases.contributors.none')}</p>
  return (
    <ul class="small contributors" id={id}>
      {rows.map((s) => {
        const p = people.get(s.userId)
        return (
          <li data-contributor={s.userId}>
            <strong>{p?.name ?? '—'}</strong>
            {p ? ` (${t(l, `role.${p.role}`)})` : ''} — {doneBy(l, s)}
            {s.userId === me ? (
              <>
                {' '}
                <span class="badge warn">{t(l, 'releases.contributors.you')}</span>
              </>
            ) : null}
          </li>
        )
      })}
    </ul>
  )
}

/** Names only, for a table cell: "Nguyễn Văn A, Trần Thị B". */
export function contributorNames(contributions: readonly EditionContribution[], nameOf: (userId: string) => string | undefined): string {
  return summariseContributors(contributions)
    .map((s) => nameOf(s.userId) ?? '—')
    .join(', ')
}
