/**
 * Evidence on the claim page: the list (kind, title, SHA-256 short with the full hash on hover,
 * capture time, immutable) and the ways to add one — capture a page by URL, paste a page that
 * cannot be fetched, upload a file, a link, or a published release. Also the page that shows
 * one captured page's stored text and HTML source (as text, never rendered).
 */
import { CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import type { claimEvidence } from '../factcheck.tables.ts'
import type { ClaimPage } from './claim-page.ts'
import { DESK, DESK_STYLE, type R } from './desk-kit.tsx'

/** An evidence row. */
export type Evidence = typeof claimEvidence.$inferSelect

/** A SHA-256 shown short, the full value in the title (hover) and for screen readers. */
export function Sha({ sha }: { sha: string }): SafeHtml {
  return (
    <code class="sha" title={sha} data-sha256={sha}>
      {`${sha.slice(0, 12)}…`}
    </code>
  )
}

function EvidenceList({ req, page }: { req: R['req']; page: ClaimPage }): SafeHtml {
  const l = req.locale
  const c = page.loaded
  if (c.evidence.length === 0) return <p class="muted small">{t(l, 'desk.ev.none')}</p>
  return (
    <div class="table-wrap">
      <table id="evidence" class="stack-phone">
        <caption class="sr-only">{t(l, 'desk.ev.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t(l, 'desk.ev.kind')}</th>
            <th scope="col">{t(l, 'desk.ev.item')}</th>
            <th scope="col">SHA-256</th>
            <th scope="col">{t(l, 'desk.ev.capturedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {c.evidence.map((e) => (
            <tr data-evidence={e.id}>
              <td data-label={t(l, 'desk.ev.kind')}>{t(l, `desk.ev.kind.${e.kind}`)}</td>
              <td>
                {e.kind === 'page' || e.kind === 'file' ? (
                  <a href={`${DESK}/${c.claim.id}/evidence/${e.id}`}>{e.title}</a>
                ) : (
                  <span>{e.title}</span>
                )}
                {e.url ? (
                  <div class="small">
                    <a href={e.url} rel="noopener noreferrer nofollow" target="_blank">
                      {e.url}
                    </a>
                  </div>
                ) : null}
              </td>
              <td data-label="SHA-256">
                <Sha sha={e.sha256} />
              </td>
              <td class="small" data-label={t(l, 'desk.ev.capturedAt')}>
                {formatTime(e.capturedAt, l)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The evidence section of the claim page. */
export function EvidenceSection({ req, reply, page }: R & { page: ClaimPage }): SafeHtml {
  const l = req.locale
  const c = page.loaded.claim
  const canAdd = can(req.actor, 'investigate', { type: 'claim', tenantId: c.tenantId }) && c.status !== 'merged' && c.status !== 'dismissed'
  const base = `${DESK}/${c.id}/evidence`
  return (
    <section aria-labelledby="ev-h">
      <h2 id="ev-h">{t(l, 'desk.ev.title')}</h2>
      <p class="small muted">{t(l, 'desk.ev.immutable')}</p>
      <EvidenceList req={req} page={page} />
      {canAdd ? (
        <div class="stack">
          <details class="card" open>
            <summary>{t(l, 'desk.ev.capture')}</summary>
            <form method="post" action={`${base}/capture`} class="stack">
              <CsrfField req={req} reply={reply} />
              <label>
                URL
                <input name="url" type="url" required maxlength="2000" placeholder="https://" />
              </label>
              <label>
                {t(l, 'desk.ev.titleField')}
                <span class="hint">{t(l, 'desk.ev.titleHint')}</span>
                <input name="title" maxlength="300" />
              </label>
              <button type="submit">{t(l, 'desk.ev.captureSubmit')}</button>
            </form>
          </details>
          <details class="card">
            <summary>{t(l, 'desk.ev.paste')}</summary>
            <form method="post" action={`${base}/paste`} class="stack">
              <CsrfField req={req} reply={reply} />
              <label>
                URL
                <input name="url" type="url" required maxlength="2000" placeholder="https://" />
              </label>
              <label>
                {t(l, 'desk.ev.titleField')}
                <input name="title" maxlength="300" required />
              </label>
              <label>
                {t(l, 'desk.ev.pasteContent')}
                <span class="hint">{t(l, 'desk.ev.pasteHint')}</span>
                <textarea name="content" rows="6" required />
              </label>
              <button type="submit">{t(l, 'desk.ev.pasteSubmit')}</button>
            </form>
          </details>
          <details class="card">
            <summary>{t(l, 'desk.ev.file')}</summary>
            <form method="post" action={`${base}/file`} enctype="multipart/form-data" class="stack">
              <CsrfField req={req} reply={reply} />
              <label>
                {t(l, 'desk.ev.titleField')}
                <input name="title" maxlength="300" />
              </label>
              <label>
                {t(l, 'desk.ev.fileField')}
                <span class="hint">{t(l, 'desk.ev.fileHint')}</span>
                <input name="file" type="file" required accept=".pdf,.png,.jpg,.jpeg,.webp,.docx" />
              </label>
              <button type="submit">{t(l, 'desk.ev.fileSubmit')}</button>
            </form>
          </details>
          <details class="card">
            <summary>{t(l, 'desk.ev.link')}</summary>
            <form method="post" action={`${base}/link`} class="stack">
              <CsrfField req={req} reply={reply} />
              <label>
                URL
                <input name="url" type="url" required maxlength="2000" placeholder="https://" />
              </label>
              <label>
                {t(l, 'desk.ev.titleField')}
                <input name="title" maxlength="300" required />
              </label>
              <button type="submit">{t(l, 'desk.ev.linkSubmit')}</button>
            </form>
          </details>
          <details class="card">
            <summary>{t(l, 'desk.ev.release')}</summary>
            {page.releases.length === 0 ? (
              <p class="muted small">{t(l, 'desk.ev.noReleases')}</p>
            ) : (
              <form method="post" action={`${base}/release`} class="stack">
                <CsrfField req={req} reply={reply} />
                <label>
                  {t(l, 'desk.ev.releaseField')}
                  <select name="releaseId" required>
                    {page.releases.map((r) => (
                      <option value={r.id}>{`${r.title} (${formatTime(r.firstPublishedAt, l)})`}</option>
                    ))}
                  </select>
                </label>
                <button type="submit">{t(l, 'desk.ev.releaseSubmit')}</button>
              </form>
            )}
          </details>
        </div>
      ) : null}
    </section>
  )
}

/** One captured page: its stored text and HTML source, shown as text. */
export function evidencePage({ req, reply }: R, o: { claimId: string; claimCode: string; evidence: Evidence }) {
  const l = req.locale
  const e = o.evidence
  return sendPage(
    req,
    reply,
    { title: e.title, shell: 'console', current: 'desk.nav', head: raw(`<style>${DESK_STYLE}</style>`) },
    <>
      <p class="small">
        <a href={`${DESK}/${o.claimId}`}>← {o.claimCode}</a>
      </p>
      <h1>{e.title}</h1>
      <dl class="kv card">
        <dt>{t(l, 'desk.ev.kind')}</dt>
        <dd>{t(l, `desk.ev.kind.${e.kind}`)}</dd>
        {e.url ? (
          <>
            <dt>URL</dt>
            <dd>{e.url}</dd>
          </>
        ) : null}
        <dt>SHA-256</dt>
        <dd>
          <code class="mono">{e.sha256}</code>
        </dd>
        <dt>{t(l, 'desk.ev.capturedAt')}</dt>
        <dd>{formatTime(e.capturedAt, l)}</dd>
      </dl>
      <p class="small muted">{t(l, 'desk.ev.immutable')}</p>
      {e.kind === 'file' ? (
        <p>
          <a class="button" href={`${DESK}/${o.claimId}/evidence/${e.id}/file`}>
            {t(l, 'desk.ev.download')}
          </a>
        </p>
      ) : null}
      {e.contentText !== null ? (
        <section>
          <h2>{t(l, 'desk.ev.text')}</h2>
          <pre class="captured" id="captured-text">
            {e.contentText}
          </pre>
        </section>
      ) : null}
      {e.contentHtml ? (
        <details>
          <summary>{t(l, 'desk.ev.html')}</summary>
          <pre class="captured">{e.contentHtml}</pre>
        </details>
      ) : null}
    </>,
  )
}
