/**
 * Small helpers shared by the console pages of releases, cases and spokespersons: the form
 * runner that re-renders a form with its error, the bilingual error block, and the
 * Asia/Ho_Chi_Minh conversions of `datetime-local` inputs (always to a UTC instant; time
 * strings are never compared).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AuditActor } from '../../../platform/audit/index.ts'
import type { Locale } from '../../../platform/i18n/index.ts'
import type { Actor } from '../../../platform/policy/index.ts'

/** A request and its reply, as pages take them. */
export type R = { req: FastifyRequest; reply: FastifyReply }

/** The time zone of the province: every time shown or typed in the console is in it. */
export const LOCAL_ZONE = 'Asia/Ho_Chi_Minh'

export { actorOf, FormError, listOf, runForm } from '../../../platform/html/forms.tsx'

/** The audit actor of a signed-in person. */
export function auditOf(actor: Actor): AuditActor & { id: string } {
  return { id: actor.id, label: actor.email }
}

const LOCAL_INPUT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/

/**
 * A `datetime-local` value (`2026-11-20T14:30`) read as Asia/Ho_Chi_Minh wall time, returned as
 * the UTC instant (`2026-11-20T07:30:00Z`). Vietnam has no daylight saving time, so the offset is
 * always +07:00. Returns null for anything else (offsets, seconds, garbage are refused).
 */
export function parseLocalDateTime(value: string | undefined | null): Date | null {
  if (!value) return null
  const m = LOCAL_INPUT_RE.exec(value.trim())
  if (!m) return null
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00+07:00`)
  if (Number.isNaN(at.getTime())) return null
  // Reject dates the Date constructor rolled over (2026-02-31 → March).
  if (localInputValue(at) !== `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}`) return null
  return at
}

const PARTS = new Intl.DateTimeFormat('en-CA', {
  timeZone: LOCAL_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

function localParts(at: Date): Record<string, string> {
  return Object.fromEntries(PARTS.formatToParts(at).map((p) => [p.type, p.value]))
}

/** An instant as a `datetime-local` value in Asia/Ho_Chi_Minh (`2026-11-20T14:30`). */
export function localInputValue(at: Date): string {
  const p = localParts(at)
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`
}

/** The Asia/Ho_Chi_Minh calendar day of an instant (`2026-11-20`), for grouping. */
export function localDay(at: Date): string {
  const p = localParts(at)
  return `${p.year}-${p.month}-${p.day}`
}

/** A day key (`2026-11-20`) as a heading: weekday and date in the page's language. */
export function formatDay(day: string, l: Locale): string {
  const at = new Date(`${day}T12:00:00+07:00`)
  return new Intl.DateTimeFormat(l === 'vi' ? 'vi-VN' : 'en-GB', {
    timeZone: LOCAL_ZONE,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(at)
}


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
