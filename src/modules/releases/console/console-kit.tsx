/**
 * What only the release console shares between its pages: its extra styles. The generic
 * plumbing that used to live here (form runner, error block, `R`, `auditOf`, local-time
 * conversions) is in `platform/html/forms.tsx` and `platform/time.ts`, so cases and
 * spokespersons no longer import from the releases module for it.
 */

/** Extra `<head>` styles of the release console (CSP allows inline styles, not scripts). */
export const CONSOLE_STYLE = `
.tabs{display:flex;gap:.4rem;flex-wrap:wrap;margin:0 0 1rem;padding:0;list-style:none}
.tabs a{display:inline-block;padding:.35rem .8rem;border-radius:999px;background:#e7ebe8;color:inherit;text-decoration:none}
.tabs a[aria-current=page]{background:var(--brand);color:var(--brand-ink)}
.editor{display:grid;gap:1rem;grid-template-columns:minmax(0,1fr)}
div.stack{display:grid;gap:.9rem}
@media (min-width:960px){.editor{grid-template-columns:minmax(0,1fr) minmax(0,1fr)}}
.preview{border:1px dashed var(--line);border-radius:var(--radius);padding:1rem;background:#fff;overflow-wrap:anywhere}
.preview img{max-width:100%}
.actions{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
.actions form{margin:0}
.diff ins{background:#d5f0dc;color:#0c4a2e;text-decoration:none;border-bottom:2px solid #2f8f57}
.diff del{background:#fde0dc;color:#7a1a13;text-decoration:line-through}
.diff .body{white-space:pre-wrap;overflow-wrap:anywhere}
.overdue{background:#fde8e6}
.calendar .badge{white-space:nowrap}
@media (max-width:640px){
.calendar thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0,0,0,0)}
.calendar tr{display:grid;grid-template-columns:minmax(0,1fr) auto;border-bottom:1px solid var(--line)}
.calendar td{border-bottom:0}
.calendar td:nth-child(1){grid-area:1/1}
.calendar td:nth-child(2){grid-area:2/1/3/3;padding-top:0}
.calendar td:nth-child(3){grid-area:1/2;text-align:right}
}
tr.mine td{background:#fff8e1}
.count-over{color:var(--accent);font-weight:600}
`

/**
 * The catalogue key of an edition's status as the console shows it. The edition a withdrawn
 * (or gone) release published keeps the status `published` in the table (it is what was
 * signed), but "Đã gỡ · Phiên bản #1 (đang công bố)" contradicts itself: such an edition is
 * shown as published and since withdrawn (or removed).
 */
export function editionStatusKey(releaseStatus: string, editionStatus: string): string {
  if (editionStatus === 'published' && (releaseStatus === 'withdrawn' || releaseStatus === 'gone'))
    return `releases.editionStatus.${releaseStatus}`
  return `releases.editionStatus.${editionStatus}`
}
