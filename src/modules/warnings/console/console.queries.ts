/**
 * What the warnings console reads besides the repository: the CAP preview of a working copy,
 * the content checks of its Vietnamese text, and the names of the people in its history. Pure
 * reads; every decision goes through the commands.
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { checkText, type CheckResult } from '../../../text/check.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { capMessage } from '../cap/cap.ts'
import { capOptionsFor, capReferencesBefore, capWarningOf } from '../cap/cap-of.ts'
import { snapshotOf } from '../commands/publish-version.ts'
import type { warnings } from '../warnings.tables.ts'

type WarningRow = typeof warnings.$inferSelect

/** The CAP preview of a working copy: its XML, or why CAP cannot carry it yet. */
export type CapPreview =
  | { ok: true; xml: string; version: number; msgType: 'Alert' | 'Update' }
  | { ok: false; reason: string; version: number; msgType: 'Alert' | 'Update' }

/**
 * The CAP message the next approval of `row` would publish (an Alert the first time, an
 * Update after), made by the same writer as the public endpoint. A working copy CAP cannot
 * carry (the CAP writer's RangeError: no area, an unknown commune, validity ending before it
 * starts) gives the writer's reason instead of an error page.
 */
export async function capPreviewOf(db: Db, row: WarningRow, publicUrl: string): Promise<CapPreview> {
  const version = row.version + 1
  const msgType = version === 1 ? 'Alert' : 'Update'
  try {
    const refs = await capReferencesBefore(db, row.id, version)
    const opts = await capOptionsFor(db, row.tenantId, publicUrl, row.slug)
    const xml = capMessage(capWarningOf({ id: row.id, version, state: 'active', issuedAt: null }, snapshotOf(row), refs), opts)
    return { ok: true, xml, version, msgType }
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, reason: e.message, version, msgType }
    throw e
  }
}

/**
 * The project's content checks on the working copy's Vietnamese text: the title (clickbait),
 * the description and the instruction (personal data, wording). A missing-person or wanted
 * notice names its person by necessity; the findings are shown all the same for review.
 */
export function contentChecksOf(row: Pick<WarningRow, 'titleVi' | 'descriptionVi' | 'instructionVi'>): CheckResult {
  return checkText({ title: row.titleVi, text: [row.descriptionVi, row.instructionVi].filter(Boolean).join('\n\n') })
}

/** Display names (name, else e-mail) of staff by id, for the history and the urgent notice. */
export async function staffNames(db: Db, tenantId: string, ids: readonly (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))]
  if (wanted.length === 0) return new Map()
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, wanted)))
  return new Map(rows.map((r) => [r.id, r.name || r.email]))
}
