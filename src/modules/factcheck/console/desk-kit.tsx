/**
 * Small helpers shared by the verification desk's console routes and pages: the form runner
 * that re-renders a page with its error, the bilingual error block (desk wording first), the
 * access subject of a claim, loading a claim or answering "not found", and the desk's styles.
 */
import type { Db, Tx } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { FormError as SharedFormError } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { hasMessage, type Locale, t } from '../../../platform/i18n/index.ts'
import type { Subject } from '../../../platform/policy/index.ts'
import { type LoadedClaim, unsafeLoadClaim } from '../factcheck.repository.ts'

/** The desk's console base path. */
export const DESK = '/console/kiem-chung'

/**
 * An expected refusal of the desk with its own message (`desk.errors.<key>`), e.g. a page
 * that could not be captured. Status comes from `code`.
 */
export class DeskError extends AppError {
  constructor(
    code: 'BAD_REQUEST' | 'VALIDATION' | 'UNSUPPORTED_MEDIA_TYPE' | 'PAYLOAD_TOO_LARGE',
    /** Key under `desk.errors.` of the message shown. */
    readonly key: string,
    params: Record<string, string | number> = {},
  ) {
    super(code, params)
  }
}

export { actorOf, auditOf, listOf, type R, runForm } from '../../../platform/html/forms.tsx'

/** The message key of an error: the desk's own wording when it has one, else the platform's. */
export function errorKey(e: AppError): string {
  if (e instanceof DeskError) return `desk.errors.${e.key}`
  return hasMessage(`desk.errors.${e.code}`) ? `desk.errors.${e.code}` : `errors.${e.code}`
}

/** The error block of a refused form, with the desk's own wording where it has one. */
export function FormError({ l, error }: { l: Locale; error?: AppError | null }): SafeHtml | null {
  return SharedFormError({ l, error, messageKey: errorKey })
}

/** The policy subject of a claim of a tenant. */
export function claimSubject(tenantId: string): Subject {
  return { type: 'claim', tenantId }
}

/** Loads a claim of the tenant or answers 404 (a missing claim and a foreign one look alike). */
export async function loadClaimOr404(db: Db | Tx, tenantId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<LoadedClaim> {
  const c = await unsafeLoadClaim(db, tenantId, id, opts)
  if (!c) throw new AppError('NOT_FOUND')
  return c
}

/** Links typed one per line (or separated by spaces), as a list. */
export function linesOf(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s]+/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** "3 h 12 min" / "2 ngày 4 giờ": a duration for SLA clocks. */
export function formatDuration(ms: number, l: Locale): string {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000))
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  if (d > 0) return t(l, 'desk.duration.dh', { d, h })
  if (h > 0) return t(l, 'desk.duration.hm', { h, m })
  return t(l, 'desk.duration.m', { m })
}

/** A number in the page's language (decimal comma in Vietnamese). */
export function formatNumber(n: number, l: Locale, digits = 1): string {
  return new Intl.NumberFormat(l === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(n)
}

/** Extra `<head>` styles of the desk (CSP allows inline styles, not inline scripts). */
export const DESK_STYLE = `
.desk-grid{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
@media (min-width:1000px){.desk-grid{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}}
.desk-grid>section,.desk-grid>div{min-width:0}
.filters{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end}
.filters label{margin:0}
.overdue{color:#a4161a;font-weight:600}
tr.overdue-row td{background:#fde8e6}
.badge.level-critical{background:#a4161a;color:#fff}
.badge.level-high{background:#b54700;color:#fff}
.badge.level-normal{background:#e7ebe8;color:#1b1b1b}
.badge.escalated{background:#6a040f;color:#fff}
.statement{font-size:1.1rem;white-space:pre-wrap;overflow-wrap:anywhere}
.sub-text{white-space:pre-wrap;overflow-wrap:anywhere}
.sha{font-family:ui-monospace,monospace;font-size:.85em;cursor:help}
.preview{border:1px dashed var(--line);border-radius:var(--radius);padding:1rem;background:#fff;overflow-wrap:anywhere}
.inline-form{display:inline}
.actions{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(240px,1fr))}
.actions form{margin:0}
ul.plain{list-style:none;padding:0;margin:0}
ul.plain>li{padding:.4rem 0;border-bottom:1px solid var(--line)}
.done{text-decoration:line-through;color:#555}
figure.chart{margin:0 0 1.5rem}
figure.chart svg{width:100%;height:auto;max-width:760px;display:block}
figure.chart figcaption{font-weight:600;margin:.5rem 0}
.legend{display:flex;flex-wrap:wrap;gap:.75rem;font-size:.9rem;margin:.25rem 0 .5rem;padding:0;list-style:none}
.legend .swatch{display:inline-block;width:.9rem;height:.9rem;margin-right:.3rem;vertical-align:middle;border:1px solid #0003}
dl.kv{grid-template-columns:max-content minmax(0,1fr)}
dl.kv dd{min-width:0;overflow-wrap:anywhere}
@media (max-width:480px){dl.kv{grid-template-columns:minmax(0,1fr)}dl.kv dd{margin-bottom:.4rem}}
@media (max-width:640px){
table.stack-phone thead{position:absolute;left:-9999px}
table.stack-phone,table.stack-phone tbody,table.stack-phone tr,table.stack-phone td{display:block;width:auto}
table.stack-phone tr{border-bottom:2px solid var(--line);padding:.4rem 0}
table.stack-phone td{border:0;padding:.15rem .5rem}
table.stack-phone td[data-label]::before{content:attr(data-label) ": ";font-weight:600}
}
pre.captured{white-space:pre-wrap;overflow-wrap:anywhere;max-height:60vh;overflow:auto;background:#f6f7f6;padding:.75rem;border-radius:var(--radius)}
`
