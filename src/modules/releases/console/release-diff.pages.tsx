/**
 * The diff between two editions of a release: title, summary and body word by word, with
 * insertions and deletions highlighted, who wrote and changed each of the two editions (the
 * people four-eyes bars from approving them), and the edition history (who, when, status).
 */
import { formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { Edition, LoadedRelease } from '../releases.repository.ts'
import type { R } from '../../../platform/html/forms.tsx'
import { CONSOLE_STYLE } from './console-kit.tsx'
import { ContributorList, contributorNames, type Person } from './contributors.tsx'
import { type DiffPart, diffWords } from './word-diff.ts'

function Diff({ parts, l }: { parts: DiffPart[]; l: Locale }): SafeHtml {
  if (parts.every((p) => p.op === 'equal')) return <span class="muted small">{t(l, 'diff.unchanged')}</span>
  return (
    <>
      {parts.map((p) =>
        p.op === 'insert' ? (
          <ins>
            <span class="sr-only">{t(l, 'diff.inserted')} </span>
            {p.text}
          </ins>
        ) : p.op === 'delete' ? (
          <del>
            <span class="sr-only">{t(l, 'diff.removed')} </span>
            {p.text}
          </del>
        ) : (
          p.text
        ),
      )}
    </>
  )
}

/** The diff page. */
export function diffPage(
  { req, reply }: R,
  o: { loaded: LoadedRelease; editions: Edition[]; from: Edition; to: Edition; names: Map<string, string>; people: Map<string, Person> },
) {
  const l = req.locale
  const id = o.loaded.release.id
  const fields: [string, string, string, boolean][] = [
    ['releases.field.title', o.from.title, o.to.title, false],
    ['releases.field.summary', o.from.summary, o.to.summary, false],
    ['releases.field.body', o.from.bodyMd, o.to.bodyMd, true],
  ]
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'diff.title', { from: o.from.number, to: o.to.number }),
      shell: 'console',
      current: 'releases',
      head: raw(`<style>${CONSOLE_STYLE}</style>`),
    },
    <>
      <p class="small">
        <a href={`/console/releases/${id}`}>← {o.loaded.working.title}</a>
      </p>
      <h1>{t(l, 'diff.title', { from: o.from.number, to: o.to.number })}</h1>
      <form method="get" action={`/console/releases/${id}/diff`} class="row card">
        {(['from', 'to'] as const).map((name) => (
          <label>
            {t(l, `diff.${name}`)}
            <select name={name}>
              {o.editions.map((e) => (
                <option value={String(e.number)} selected={(name === 'from' ? o.from : o.to).number === e.number}>
                  #{e.number} · {t(l, `releases.editionStatus.${e.status}`)}
                </option>
              ))}
            </select>
          </label>
        ))}
        <button type="submit" class="secondary">
          {t(l, 'diff.compare')}
        </button>
      </form>
      <div class="diff">
        {fields.map(([label, before, after, body]) => (
          <section class="card">
            <h2 style="margin-top:0">{t(l, label)}</h2>
            <div class={body ? 'body' : undefined}>
              <Diff parts={diffWords(before, after)} l={l} />
            </div>
          </section>
        ))}
        {o.to.changeNote ? (
          <p>
            <strong>{t(l, 'releases.field.changeNote')}:</strong> {o.to.changeNote}
          </p>
        ) : null}
      </div>
      <div class="diff" id="diff-contributors">
        {(o.from.number === o.to.number ? [o.to] : [o.from, o.to]).map((e) => (
          <section class="card">
            <h2 style="margin-top:0">{t(l, 'releases.contributors.title', { n: e.number })}</h2>
            <ContributorList l={l} contributions={e.contributors} people={o.people} me={req.actor?.id} id={`contributors-${e.number}`} />
          </section>
        ))}
      </div>
      <h2>{t(l, 'releases.history')}</h2>
      <ol reversed>
        {[...o.editions].reverse().map((e) => (
          <li>
            #{e.number} · {t(l, `releases.editionStatus.${e.status}`)} · {o.names.get(e.createdBy) ?? '—'} · {formatTime(e.createdAt, l)}
            {` · ${t(l, 'releases.by.contributors')}: ${contributorNames(e.contributors, (id) => o.people.get(id)?.name)}`}
            {e.submittedBy
              ? ` · ${t(l, 'releases.by.submitted')}: ${o.names.get(e.submittedBy) ?? '—'} ${formatTime(e.submittedAt, l)}`
              : ''}
            {e.approvedBy ? ` · ${t(l, 'releases.by.approved')}: ${o.names.get(e.approvedBy) ?? '—'} ${formatTime(e.approvedAt, l)}` : ''}
            {e.publishedAt ? ` · ${t(l, 'releases.by.published')}: ${formatTime(e.publishedAt, l)}` : ''}
          </li>
        ))}
      </ol>
    </>,
  )
}
