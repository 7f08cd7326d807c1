/**
 * The release editor: the form (new release, draft, correction of a published one) with its
 * live preview pane (htmx), the seal, rejection and four-eyes notices, the uploads, and the
 * workflow buttons the viewer may use in the current state.
 */
import { type AppError, isAppError } from '../../../platform/errors.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { renderMarkdown } from '../../../platform/markdown/index.ts'
import { CommuneField } from '../../reference/commune-field.tsx'
import { attachmentMarkdown } from '../commands/add-attachment.ts'
import type { Edition, LoadedRelease } from '../releases.repository.ts'
import { RELEASE_KINDS } from '../releases.tables.ts'
import { withdrawalKeepsText } from '../releases.public.ts'
import type { Attachment } from './console.queries.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import { CONSOLE_STYLE, editionStatusKey } from './console-kit.tsx'
import { contributorNames, type Person } from './contributors.tsx'
import { WorkflowActions } from './release-actions.pages.tsx'

/** Longest summary, in characters (the domain rule, shown live). */
export const SUMMARY_MAX = 300

/** The values of the editor form. */
export interface EditorValues {
  kind: string
  title: string
  summary: string
  bodyMd: string
  category: string
  /** Comma-separated. */
  tags: string
  communes: string[]
  spokespersonId: string
  caseId: string
  changeNote: string
  minor: boolean
}

/** What the editor page shows. */
export interface EditorPage {
  /** Absent for a new release. */
  loaded?: LoadedRelease
  values: EditorValues
  spokespersons: { id: string; name: string; title: string; active: boolean }[]
  /** Cases the viewer may see (the only ones that may be linked). */
  cases: { id: string; code: string; title: string; state: string }[]
  attachments: Attachment[]
  editions: Edition[]
  /** Display names of the people named in the history. */
  names: Map<string, string>
  /** Names and roles of the contributors of the editions (approval form, history). */
  people: Map<string, Person>
  error?: AppError
  /** A notice key (`releases.done.*`). */
  notice?: string
  /** The Markdown snippet of the upload just made. */
  snippet?: string
}

/** Values of the form for an existing release (its working edition). */
export function valuesOf(r: LoadedRelease): EditorValues {
  const w = r.working
  return {
    kind: r.release.kind,
    title: w.title,
    summary: w.summary,
    bodyMd: w.bodyMd,
    category: w.category,
    tags: w.tags.join(', '),
    communes: w.communes,
    spokespersonId: r.release.spokespersonId ?? '',
    caseId: r.release.caseId ?? '',
    changeNote: w.changeNote ?? '',
    minor: w.minor,
  }
}

/** Empty values of a new release. */
export const EMPTY_VALUES: EditorValues = {
  kind: 'press_release',
  title: '',
  summary: '',
  bodyMd: '',
  category: '',
  tags: '',
  communes: [],
  spokespersonId: '',
  caseId: '',
  changeNote: '',
  minor: false,
}

/** True when the form may change the release in its current state. */
export function isEditable(r: LoadedRelease | undefined): boolean {
  if (!r) return true
  return !['approved', 'scheduled', 'embargoed', 'withdrawn', 'gone'].includes(r.release.status)
}

/** The live count of the summary (also sent out-of-band by the preview). */
export function SummaryCount({ l, length, oob }: { l: Locale; length: number; oob?: boolean }): SafeHtml {
  return (
    <span
      id="summary-count"
      class={length > SUMMARY_MAX ? 'count-over' : 'muted'}
      aria-live="polite"
      hx-swap-oob={oob ? 'true' : undefined}
    >
      {t(l, 'releases.summaryCount', { n: length, max: SUMMARY_MAX })}
    </span>
  )
}

/** The preview pane's content: title, summary and the rendered body (safe HTML). */
export function PreviewContent({ l, title, summary, html }: { l: Locale; title: string; summary: string; html: string | null }): SafeHtml {
  return (
    <>
      <p class="small muted">{t(l, 'releases.previewNote')}</p>
      <h2 style="margin-top:0">{title || t(l, 'releases.untitled')}</h2>
      {summary ? (
        <p>
          <strong>{summary}</strong>
        </p>
      ) : null}
      {html === null ? <Alert kind="error">{t(l, 'errors.BODY_TOO_LARGE', { max: 200000 })}</Alert> : raw(html)}
    </>
  )
}

function StatusLine({ l, r }: { l: Locale; r: LoadedRelease }): SafeHtml {
  return (
    <p class="muted">
      <span class="badge">{t(l, `releases.status.${r.release.status}`)}</span> ·{' '}
      {t(l, 'releases.editionLine', { n: r.working.number, status: t(l, editionStatusKey(r.release.status, r.working.status)) })}
      {r.release.publishAt ? ` · ${t(l, 'releases.liftAt')}: ${formatTime(r.release.publishAt, l)}` : ''}
    </p>
  )
}

function Notices({ l, r, actorId, cases }: { l: Locale; r: LoadedRelease; actorId: string; cases: EditorPage['cases'] }): SafeHtml {
  const w = r.working
  const linked = r.case
  return (
    <>
      {linked?.state === 'sealed' ? (
        <Alert kind="warn">
          <strong>{t(l, 'releases.sealedWarning', { code: linked.code })}</strong>
          <br />
          {t(l, 'releases.sealedGround', { ground: linked.secrecyGround })}{' '}
          {cases.some((c) => c.id === linked.id) ? <a href={`/console/cases/${linked.id}`}>{t(l, 'releases.openCase')}</a> : null}
        </Alert>
      ) : null}
      {w.rejectionComment ? (
        <Alert kind="warn">
          <strong>{t(l, 'releases.rejectedWith')}</strong> {w.rejectionComment}
        </Alert>
      ) : null}
      {w.status === 'submitted' && w.submittedBy === actorId ? <Alert kind="warn">{t(l, 'releases.fourEyesNote')}</Alert> : null}
      {r.release.status === 'withdrawn' && r.release.withdrawnReason ? (
        <Alert kind="warn">
          {r.release.withdrawnCategory ? (
            <>
              <strong>{t(l, `releases.withdrawCategory.${r.release.withdrawnCategory}`)}</strong>
              {' · '}
            </>
          ) : null}
          {t(l, 'releases.withdrawnReason')}: {r.release.withdrawnReason}
          <br />
          {t(l, withdrawalKeepsText(r.release.withdrawnCategory) ? 'releases.withdrawn.textKept' : 'releases.withdrawn.textRemoved')}
        </Alert>
      ) : null}
      {r.release.forcedBy && !r.release.retroApprovedBy ? (
        <Alert kind="warn">
          {t(l, 'releases.awaitingRetro')}: {r.release.forcedReason ?? ''}
        </Alert>
      ) : null}
    </>
  )
}

function EditorForm({ req, reply, page, editable }: R & { page: EditorPage; editable: boolean }): SafeHtml {
  const l = req.locale
  const v = page.values
  const r = page.loaded
  const action = r ? `/console/releases/${r.release.id}` : '/console/releases/new'
  const fixed = !!r // kind, spokesperson and case are chosen when the release is created
  const correction = r?.release.status === 'published'
  // As editRelease decides: a draft or submitted correction is saved in place (a submitted one
  // goes back to draft); only from the published edition does saving start a new correction.
  const submitLabel = !r
    ? 'releases.create'
    : !correction
      ? 'releases.save'
      : r.working.status === 'draft' || r.working.status === 'submitted'
        ? 'releases.saveCorrection'
        : 'releases.startCorrection'
  const disabled = editable ? undefined : true
  // A required list with nothing to choose would only get the browser's "select an item": say
  // who fills the register, and link to it (it names who may add, and lets them add).
  const noSpokesperson = !fixed && !page.spokespersons.some((s) => s.active)
  const mayAddSpokesperson = can(req.actor, 'manage', 'spokesperson')
  return (
    <form method="post" action={action} class="card" data-checks="1">
      <CsrfField req={req} reply={reply} />
      {noSpokesperson ? (
        <div class="alert warn" role="status" id="no-spokesperson">
          <p>{t(l, mayAddSpokesperson ? 'releases.noSpokesperson.manager' : 'releases.noSpokesperson.ask')}</p>
          <p>
            <a href="/console/spokespersons">{t(l, mayAddSpokesperson ? 'releases.noSpokesperson.add' : 'releases.noSpokesperson.open')}</a>
          </p>
        </div>
      ) : null}
      {/* The live content checks (clickbait, personal data, wording for the case's stage). */}
      <input type="hidden" name="caseStage" value={r?.case?.stage ?? ''} />
      <div
        hidden
        hx-post="/console/checks/panel"
        hx-trigger="load, input changed delay:700ms from:closest form"
        hx-target="#findings"
        hx-swap="innerHTML"
      />
      {/* htmx sends the whole form to the preview; on a non-form element it skips HTML validation, so a half-typed draft previews too. */}
      <div
        class="stack"
        hx-post="/console/releases/preview"
        hx-trigger="input changed delay:400ms"
        hx-target="#preview"
        hx-swap="innerHTML"
      >
        <div class="row">
          <label>
            {t(l, 'releases.field.kind')}
            <select name="kind" disabled={fixed || disabled}>
              {RELEASE_KINDS.map((k) => (
                <option value={k} selected={v.kind === k}>
                  {t(l, `releases.kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'releases.field.spokesperson')}
            <select
              name="spokespersonId"
              required
              disabled={fixed || disabled}
              aria-describedby={noSpokesperson ? 'no-spokesperson' : undefined}
            >
              <option value="">{t(l, 'releases.choose')}</option>
              {page.spokespersons
                .filter((s) => s.active || s.id === v.spokespersonId)
                .map((s) => (
                  <option value={s.id} selected={v.spokespersonId === s.id}>
                    {`${s.name} — ${s.title}`}
                  </option>
                ))}
            </select>
          </label>
        </div>
        <label>
          {t(l, 'releases.field.title')}
          <input name="title" required maxlength="300" value={v.title} disabled={disabled} />
        </label>
        <label>
          {t(l, 'releases.field.summary')}
          <span class="hint">
            <SummaryCount l={l} length={v.summary.length} />
          </span>
          <textarea name="summary" rows="3" maxlength={String(SUMMARY_MAX)} aria-describedby="summary-count" disabled={disabled}>
            {v.summary}
          </textarea>
        </label>
        <label>
          {t(l, 'releases.field.body')}
          <span class="hint">{t(l, 'releases.hint.body')}</span>
          <textarea name="bodyMd" rows="14" class="mono" disabled={disabled}>
            {v.bodyMd}
          </textarea>
        </label>
        <div class="row">
          <label>
            {t(l, 'releases.field.category')}
            <input name="category" maxlength="80" value={v.category} disabled={disabled} />
          </label>
          <label>
            {t(l, 'releases.field.tags')}
            <span class="hint">{t(l, 'releases.hint.tags')}</span>
            <input name="tags" maxlength="1000" value={v.tags} disabled={disabled} />
          </label>
        </div>
        {/* Without JavaScript this is the plain multiple select; /assets/commune-picker.js turns
            it into a search box with chips (166 options cannot be Ctrl-clicked on a phone) and
            reads its words from the data-picker-* attributes, so the script holds no text. */}
        <CommuneField
          l={l}
          label={t(l, 'releases.field.communes')}
          hint={t(l, 'releases.hint.communes')}
          selected={v.communes}
          size={8}
          disabled={disabled}
        />
        <label>
          {t(l, 'releases.field.case')}
          <span class="hint">{t(l, 'releases.hint.case')}</span>
          <select name="caseId" disabled={fixed || disabled}>
            <option value="">{t(l, 'releases.noCase')}</option>
            {page.cases.map((c) => (
              <option value={c.id} selected={v.caseId === c.id}>
                {`${c.code} — ${c.title} (${t(l, `cases.state.${c.state}`)})`}
              </option>
            ))}
            {r?.case && !page.cases.some((c) => c.id === r.case?.id) ? (
              <option value={r.case.id} selected>
                {r.case.code}
              </option>
            ) : null}
          </select>
        </label>
        {correction ? (
          <fieldset class="card">
            <legend>{t(l, 'releases.correction')}</legend>
            <p class="small muted">{t(l, 'releases.correctionHint')}</p>
            <label>
              {t(l, 'releases.field.changeNote')}
              <textarea name="changeNote" rows="2" maxlength="1000" disabled={disabled}>
                {v.changeNote}
              </textarea>
            </label>
            <label style="display:flex;gap:.5rem;align-items:center">
              <input type="checkbox" name="minor" value="1" checked={v.minor} disabled={disabled} />
              {t(l, 'releases.field.minor')}
            </label>
          </fieldset>
        ) : null}
        {editable ? (
          <div class="row">
            <button type="submit">{t(l, submitLabel)}</button>
          </div>
        ) : (
          <p class="muted small">{t(l, 'releases.notEditable')}</p>
        )}
      </div>
    </form>
  )
}

function Uploads({ req, reply, page }: R & { page: EditorPage }): SafeHtml | null {
  const l = req.locale
  const r = page.loaded
  if (!r) return <p class="muted small">{t(l, 'releases.uploadAfterCreate')}</p>
  const canUpload = r.working.status === 'draft'
  return (
    <section class="card">
      <h2 style="margin-top:0">{t(l, 'releases.files')}</h2>
      {page.snippet ? (
        <Alert kind="ok">
          {t(l, 'releases.snippetHint')}
          <br />
          <code>{page.snippet}</code>
        </Alert>
      ) : null}
      {page.attachments.length ? (
        <ul>
          {page.attachments.map((a) => (
            <li>
              <a href={`/console/releases/${r.release.id}/files/${a.id}`}>{a.fileName}</a>{' '}
              <span class="small muted">
                ({a.fileType.toUpperCase()}, {Math.max(1, Math.round(a.sizeBytes / 1024))} KB)
              </span>
              <br />
              <code class="small">{attachmentMarkdown(a)}</code>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">{t(l, 'releases.noFiles')}</p>
      )}
      {canUpload ? (
        <form method="post" action={`/console/releases/${r.release.id}/files`} enctype="multipart/form-data" class="stack">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'releases.field.file')}
            <span class="hint">{t(l, 'releases.hint.file')}</span>
            <input type="file" name="file" required accept=".pdf,.jpg,.jpeg,.png,.webp,.docx" />
          </label>
          <label>
            {t(l, 'releases.field.alt')}
            <input name="alt" maxlength="200" />
          </label>
          <div class="row">
            <button type="submit" class="secondary">
              {t(l, 'releases.upload')}
            </button>
          </div>
        </form>
      ) : (
        <p class="muted small">{t(l, 'releases.uploadOnlyDraft')}</p>
      )}
    </section>
  )
}

function History({
  l,
  r,
  editions,
  names,
  people,
}: {
  l: Locale
  r: LoadedRelease
  editions: Edition[]
  names: Map<string, string>
  people: Map<string, Person>
}): SafeHtml {
  const last = editions[editions.length - 1]
  return (
    <section>
      <h2>{t(l, 'releases.history')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t(l, 'releases.col.edition')}</th>
              <th>{t(l, 'releases.col.status')}</th>
              <th>{t(l, 'releases.col.who')}</th>
              <th>{t(l, 'releases.col.when')}</th>
              <th>{t(l, 'releases.col.diff')}</th>
            </tr>
          </thead>
          <tbody>
            {[...editions].reverse().map((e) => (
              <tr>
                <td>
                  #{e.number}{' '}
                  {e.changeNote ? (
                    <span class="small muted">— {e.changeNote}</span>
                  ) : e.minor ? (
                    <span class="small muted">({t(l, 'releases.minorFix')})</span>
                  ) : null}
                </td>
                <td>{t(l, editionStatusKey(r.release.status, e.status))}</td>
                <td class="small">
                  {t(l, 'releases.by.created')}: {names.get(e.createdBy) ?? '—'}
                  {e.contributors.some((c) => c.userId !== e.createdBy || c.what !== 'created')
                    ? [<br />, `${t(l, 'releases.by.contributors')}: ${contributorNames(e.contributors, (id) => people.get(id)?.name)}`]
                    : null}
                  {e.submittedBy ? [<br />, `${t(l, 'releases.by.submitted')}: ${names.get(e.submittedBy) ?? '—'}`] : null}
                  {e.approvedBy ? [<br />, `${t(l, 'releases.by.approved')}: ${names.get(e.approvedBy) ?? '—'}`] : null}
                </td>
                <td class="small">
                  {formatTime(e.createdAt, l)}
                  {e.publishedAt ? [<br />, `${t(l, 'releases.by.published')}: ${formatTime(e.publishedAt, l)}`] : null}
                </td>
                <td>
                  {e.number > 1 ? (
                    <a href={`/console/releases/${r.release.id}/diff?from=${e.number - 1}&to=${e.number}`}>
                      {t(l, 'releases.diffPrev', { n: e.number - 1 })}
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {last && last.number > 1 ? (
        <p>
          <a href={`/console/releases/${r.release.id}/diff?from=1&to=${last.number}`}>{t(l, 'releases.diffAll')}</a>
        </p>
      ) : null}
    </section>
  )
}

/** The body rendered for the first preview (the live one comes from the preview endpoint). */
function previewHtml(bodyMd: string): string | null {
  try {
    return renderMarkdown(bodyMd).html
  } catch (e) {
    if (isAppError(e)) return null
    throw e
  }
}

/** The editor page (new release, or an existing one with its actions and history). */
export function editorPage({ req, reply }: R, page: EditorPage) {
  const l = req.locale
  const r = page.loaded
  const actorId = req.actor?.id ?? ''
  const editable = isEditable(r)
  const title = r ? r.working.title : t(l, 'releases.new')
  return sendPage(
    req,
    reply,
    {
      title,
      shell: 'console',
      current: 'releases',
      status: page.error?.status,
      head: raw(
        `<style>${CONSOLE_STYLE}</style><script src="/assets/htmx/htmx.min.js" defer></script><script src="/assets/checks-panel.js" defer></script><script src="/assets/commune-picker.js" defer></script>`,
      ),
    },
    <>
      <p class="small">
        <a href="/console/releases">← {t(l, 'releases.title')}</a>
      </p>
      <h1>{title}</h1>
      {r ? <StatusLine l={l} r={r} /> : null}
      {r ? (
        <p class="small">
          <a href={`/console/phan-phoi/muc/release/${r.release.id}`} id="distribution-link">
            {t(l, 'dist.console.releaseLink')}
          </a>
        </p>
      ) : null}
      <FormError l={l} error={page.error} />
      {page.notice ? <Alert kind="ok">{t(l, page.notice)}</Alert> : null}
      {r ? <Notices l={l} r={r} actorId={actorId} cases={page.cases} /> : null}
      <div class="editor">
        <EditorForm req={req} reply={reply} page={page} editable={editable} />
        <section>
          <h2 style="margin-top:0">{t(l, 'releases.preview')}</h2>
          <div id="preview" class="preview" aria-live="polite">
            <PreviewContent l={l} title={page.values.title} summary={page.values.summary} html={previewHtml(page.values.bodyMd)} />
          </div>
          <h2>{t(l, 'checks.findings')}</h2>
          <div id="findings" aria-live="polite" />
          <Uploads req={req} reply={reply} page={page} />
        </section>
      </div>
      {r ? <WorkflowActions req={req} reply={reply} loaded={r} people={page.people} /> : null}
      {r ? <History l={l} r={r} editions={page.editions} names={page.names} people={page.people} /> : null}
    </>,
  )
}
