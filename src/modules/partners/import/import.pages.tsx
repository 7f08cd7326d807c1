/**
 * Pages of the import: the upload form with recent imports, the preview with column mapping,
 * the progress (a plain meta refresh every 2 s: no script, the page works as is) and the result.
 */
import type { AppError } from '../../../platform/errors.ts'
import { type R, FormError } from '../../../platform/html/forms.tsx'
import { CsrfField, formatTime, raw, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { PartnerImportRow } from './import.tables.ts'
import { IMPORT_FIELDS, KEY_FIELDS } from './mapping.ts'
import { CSV_ENCODINGS } from './read.ts'
import type { Preview } from './source.ts'

const BASE = '/console/doi-tac/nhap'
// A constant path: nothing from the request goes into this raw markup.
const PROGRESS_SCRIPT = raw(`<script src="${BASE}/tien-do.js" defer></script>`)
const ENCODING_LABEL: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  cp1258: 'Windows-1258',
  tcvn3: 'TCVN3 (ABC)',
  vni: 'VNI-Windows',
}

/** The upload form and the recent imports. */
export function importListPage(r: R, o: { imports: PartnerImportRow[]; error?: AppError | null }) {
  const l = r.req.locale
  return sendPage(
    r.req,
    r.reply,
    { title: t(l, 'partners.import.title'), shell: 'console', status: o.error?.status },
    <>
      <h1>{t(l, 'partners.import.title')}</h1>
      <FormError l={l} error={o.error} />
      <p>{t(l, 'partners.import.intro')}</p>
      <form method="post" action={BASE} enctype="multipart/form-data" class="stack card">
        <CsrfField req={r.req} reply={r.reply} />
        <label for="import-file">{t(l, 'partners.import.file')}</label>
        <input id="import-file" type="file" name="file" accept=".xlsx,.csv,.txt,.tsv" required />
        <button type="submit">{t(l, 'partners.import.upload')}</button>
      </form>
      <h2>{t(l, 'partners.import.recent')}</h2>
      {o.imports.length === 0 ? (
        <p>{t(l, 'partners.import.none')}</p>
      ) : (
        <ul>
          {o.imports.map((i) => (
            <li>
              <a href={`${BASE}/${i.id}`}>{i.fileName}</a> · {t(l, `partners.import.status.${i.status}`)} · {formatTime(i.createdAt, l)}
            </li>
          ))}
        </ul>
      )}
    </>,
  )
}

/** The preview with the mapping form (status `preview`). */
export function previewPage(r: R, o: { imp: PartnerImportRow; preview: Preview; error?: AppError | null }) {
  const l = r.req.locale
  const { imp, preview } = o
  const header = imp.header
  return sendPage(
    r.req,
    r.reply,
    { title: t(l, 'partners.import.preview', { file: imp.fileName }), shell: 'console', status: o.error?.status },
    <>
      <h1>{t(l, 'partners.import.preview', { file: imp.fileName })}</h1>
      <FormError l={l} error={o.error} />
      <form method="post" action={`${BASE}/${imp.id}`} class="stack card">
        <CsrfField req={r.req} reply={r.reply} />
        {imp.kind === 'csv' ? (
          <>
            <p>
              {t(l, 'partners.import.encodingDetected', { encoding: ENCODING_LABEL[imp.encoding ?? ''] ?? '—' })}{' '}
              {t(l, 'partners.import.delimiter', { delimiter: preview.delimiter === '\t' ? 'TAB' : (preview.delimiter ?? '—') })}
            </p>
            <label for="enc">{t(l, 'partners.import.encoding')}</label>
            <select id="enc" name="encoding">
              {CSV_ENCODINGS.map((e) => (
                <option value={e} selected={e === imp.encoding}>
                  {ENCODING_LABEL[e]}
                </option>
              ))}
            </select>
          </>
        ) : null}
        {preview.merges.length ? (
          <p class="alert warn">
            {t(l, 'partners.import.merged', {
              ranges: preview.merges
                .slice(0, 10)
                .map((m) => m.ref)
                .join(', '),
            })}
          </p>
        ) : null}
        <h2>{t(l, 'partners.import.mapping')}</h2>
        <p class="small">{t(l, 'partners.import.required')}</p>
        <table>
          <thead>
            <tr>
              <th scope="col">{t(l, 'partners.import.field')}</th>
              <th scope="col">{t(l, 'partners.import.column')}</th>
            </tr>
          </thead>
          <tbody>
            {IMPORT_FIELDS.map((f) => (
              <tr>
                <th scope="row">
                  <label for={`map-${f}`}>
                    {t(l, `partners.import.field.${f}`)}
                    {f === 'name' || KEY_FIELDS.includes(f) ? ' *' : ''}
                  </label>
                </th>
                <td>
                  <select id={`map-${f}`} name={`map_${f}`}>
                    <option value="">{t(l, 'partners.import.skip')}</option>
                    {header.map((h, i) => (
                      <option value={String(i)} selected={imp.mapping[f] === i}>
                        {h || `#${i + 1}`}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div class="row">
          <button type="submit" name="action" value="apply" class="secondary">
            {t(l, 'partners.import.apply')}
          </button>
          <button type="submit" name="action" value="start">
            {t(l, 'partners.import.start')}
          </button>
        </div>
        <p class="small">{t(l, 'partners.import.statusNote')}</p>
      </form>
      <h2>{t(l, 'partners.import.firstRows', { n: preview.rows.length })}</h2>
      <section class="table-wrap" aria-label={t(l, 'partners.import.firstRows', { n: preview.rows.length })} tabindex="0">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(l, 'partners.import.row')}</th>
              {header.map((h, i) => (
                <th scope="col">{h || `#${i + 1}`}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.rows.map((row) => (
              <tr>
                <td>{String(row.rowNumber)}</td>
                {header.map((_, i) => {
                  const c = row.cells[i]
                  return <td>{c instanceof Date ? c.toISOString().slice(0, 10) : (c ?? '')}</td>
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>,
  )
}

/** Share done, 0–100 (the total is counted before the rows are applied). */
export function progressPercent(imp: PartnerImportRow): number {
  const total = imp.rowsTotal ?? 0
  return total > 0 ? Math.min(100, Math.round((imp.rowsDone / total) * 100)) : 0
}

/** The progress sentence: waiting, counting, or rows done of the total. */
export function progressText(l: Locale, imp: PartnerImportRow): string {
  if (imp.status === 'queued') return t(l, 'partners.import.queued')
  if (imp.rowsTotal === null) return t(l, 'partners.import.counting')
  return t(l, 'partners.import.progress', { done: imp.rowsDone, total: imp.rowsTotal })
}

/** The counts sentence (created, filled, unchanged, conflicts, duplicates, errors). */
export function countsText(l: Locale, imp: PartnerImportRow): string {
  return t(l, 'partners.import.counts', {
    created: imp.createdCount,
    updated: imp.updatedCount,
    unchanged: imp.unchangedCount,
    conflicts: imp.conflictCount,
    duplicates: imp.duplicateCount,
    errors: imp.errorCount,
  })
}

/** Progress (queued/running, updated by `progress.js`) or the result (done/failed). */
export function progressPage(r: R, o: { imp: PartnerImportRow }) {
  const l = r.req.locale
  const { imp } = o
  const running = imp.status === 'queued' || imp.status === 'running'
  const pct = progressPercent(imp)
  const counts = countsText(l, imp)
  const issues = imp.errorCount + imp.conflictCount + imp.duplicateCount
  return sendPage(
    r.req,
    r.reply,
    {
      title: imp.fileName,
      shell: 'console',
      head: running ? PROGRESS_SCRIPT : undefined,
    },
    <>
      <h1>{imp.fileName}</h1>
      {running ? (
        <div class="stack card" aria-live="polite" data-import-progress={`${BASE}/${imp.id}/tien-do`}>
          <p data-progress-text="">{progressText(l, imp)}</p>
          <progress max="100" value={String(pct)} aria-label={progressText(l, imp)}>
            {`${pct}%`}
          </progress>
          <p class="small" data-progress-counts="">
            {counts}
          </p>
          <p class="small">
            {t(l, 'partners.import.refresh')} <a href={`${BASE}/${imp.id}`}>{t(l, 'partners.import.reload')}</a>
          </p>
        </div>
      ) : imp.status === 'failed' ? (
        <div class="alert error" role="alert">
          {t(l, 'partners.import.failed', { reason: t(l, `errors.${imp.failure?.code ?? 'INTERNAL'}`, imp.failure?.params ?? {}) })}
        </div>
      ) : (
        <div class="stack card">
          <p>{t(l, 'partners.import.done', { rows: imp.rowsDone })}</p>
          <p>{counts}</p>
        </div>
      )}
      {issues > 0 ? (
        <p>
          <a href={`${BASE}/${imp.id}/loi.csv`}>{t(l, 'partners.import.errorsCsv')}</a>
        </p>
      ) : null}
      <p>
        <a href={BASE}>{t(l, 'partners.import.back')}</a>
      </p>
    </>,
  )
}
