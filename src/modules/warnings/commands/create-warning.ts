import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { localYear } from '../../../platform/time.ts'
import { fold } from '../../../text/normalize.ts'
import type { WarningRow } from '../warnings.repository.ts'
import { warnings } from '../warnings.tables.ts'
import type { WarningActor } from './command-kit.ts'
import { type WarningInput, workingCopyColumns } from './warning-input.ts'

/** The longest slug base (before `-NNNN`). */
export const WARNING_SLUG_MAX = 80

/**
 * The slug base of a title: diacritics folded (đ → d), lower-case, hyphenated, at most
 * {@link WARNING_SLUG_MAX} characters, cut between words.
 */
export function warningSlugBase(title: string): string {
  const full = fold(title.normalize('NFC'))
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  let s = full
  if (full.length > WARNING_SLUG_MAX) {
    const head = full.slice(0, WARNING_SLUG_MAX + 1)
    const cut = head.lastIndexOf('-')
    s = cut > 0 ? head.slice(0, cut) : full.slice(0, WARNING_SLUG_MAX)
  }
  return s.replace(/-+$/g, '') || 'canh-bao'
}

/**
 * The next public code of the tenant for a year (`CB-2026-0001`). Allocation is serialised per
 * tenant and year by a transaction-scoped advisory lock, so two officers creating at the same
 * instant never take the same number (the unique constraint stays as the last guard).
 */
async function nextCode(tx: Tx, tenantId: string, year: string): Promise<{ code: string; number: string }> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`warning-code:${tenantId}:${year}`}))`)
  const r = await tx.execute<{ n: number | null }>(sql`
    SELECT max(substring(code FROM ${`^CB-${year}-([0-9]+)$`})::int) AS n
    FROM warnings WHERE tenant_id = ${tenantId} AND code LIKE ${`CB-${year}-%`}`)
  const n = (r.rows[0]?.n ?? 0) + 1
  const number = String(n).padStart(4, '0')
  return { code: `CB-${year}-${number}`, number }
}

/** A slug free in the tenant: `<title>-<NNNN>`, with the year when a past year took it. */
async function freeSlug(tx: Tx, tenantId: string, base: string, year: string, number: string): Promise<string> {
  for (const candidate of [`${base}-${number}`, `${base}-${year}-${number}`]) {
    const r = await tx.execute(sql`SELECT 1 FROM warnings WHERE tenant_id = ${tenantId} AND slug = ${candidate}`)
    if (r.rows.length === 0) return candidate
  }
  return `${base}-${year}-${number}-${Date.now().toString(36)}`
}

/**
 * Drafts a warning: its code (`CB-<year>-<NNNN>`, per tenant and local year) and its public slug
 * are fixed now; the author is its first contributor (four-eyes). A missing person's consent is
 * recorded with who recorded it and when. Audited 'warning.created'.
 */
export async function createWarning(o: {
  /** The transaction of the decision. */
  tx: Tx
  tenantId: string
  /** Who drafts it. */
  actor: WarningActor
  /** The checked working copy (`parseWarningInput`). */
  input: WarningInput
  ip?: string
}): Promise<WarningRow> {
  const at = now()
  const year = localYear(at)
  const { code, number } = await nextCode(o.tx, o.tenantId, year)
  const slug = await freeSlug(o.tx, o.tenantId, warningSlugBase(o.input.titleVi), year, number)
  const i = o.input
  const [row] = await o.tx
    .insert(warnings)
    .values({
      tenantId: o.tenantId,
      code,
      slug,
      ...workingCopyColumns(i),
      consentNote: i.consentGiven ? i.consentNote : null,
      consentAt: i.consentGiven ? at : null,
      consentRecordedBy: i.consentGiven ? o.actor.id : null,
      state: 'draft',
      review: 'none',
      dirty: true,
      version: 0,
      createdBy: o.actor.id,
      contributors: [o.actor.id],
      createdAt: at,
      updatedAt: at,
    })
    .returning()
  const w = row as WarningRow
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'warning.created',
    subjectType: 'warning',
    subjectId: w.id,
    summary: {
      code,
      kind: i.kind,
      level: i.level,
      wholeProvince: i.wholeProvince,
      communes: i.communes.length,
      consentRecorded: i.consentGiven,
    },
    ip: o.ip,
  })
  return w
}
