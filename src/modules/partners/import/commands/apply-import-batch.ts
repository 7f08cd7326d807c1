/**
 * Applies one batch of checked rows to the registry, in the caller's transaction: a row whose
 * keys match no partner creates one (status `applied`, keys, channels, first history row); a
 * row that matches one partner fills only that partner's empty fields, changes nothing when all
 * are equal, and is reported as a conflict when a value differs (never overwritten); a row whose
 * keys belong to two different partners is a conflict too. One audit row per batch lists the
 * partners created and filled (a per-partner audit row would cost more than the import itself
 * at 50,000 rows; the list keeps every id findable in the log).
 */
import { randomUUID } from 'node:crypto'
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { normalizePressCard } from '../../partners.normalize.ts'
import { type PartnerRow, partnerChannels, type partnerKeys, type partnerStatusHistory, partners } from '../../partners.tables.ts'
import { type partnerImportIssues, partnerImports } from '../import.tables.ts'
import type { ImportField } from '../mapping.ts'
import type { ImportRecord, RowProblem } from '../rows.ts'

/** A row of the batch: a checked record, or its problems, or a duplicate of an earlier row. */
export type BatchRow =
  | { rowNumber: number; record: ImportRecord }
  | { rowNumber: number; problems: RowProblem[] }
  | { rowNumber: number; duplicateOf: number; key: string }

/** Counts of one batch (added to the import's totals). */
export interface BatchCounts {
  created: number
  updated: number
  unchanged: number
  conflicts: number
  duplicates: number
  errors: number
}

/** Options of {@link applyImportBatch}. */
export interface ApplyBatchOptions {
  tx: Tx
  tenantId: string
  /** Who started the import (the audit rows and status history name them). */
  actor: AuditActor & { id: string }
  importId: string
  /** The import's header, to name columns in the report. */
  header: string[]
  /** Field → column, to name the column of a problem. */
  mapping: Partial<Record<ImportField, number>>
  rows: BatchRow[]
  /** Data rows done once this batch commits (the resume point). */
  rowsDoneAfter: number
}

/**
 * A name compared the way people read it: NFC, case and spacing ignored, and the tone mark
 * taken per syllable wherever it sits, so "Hoà" (old style) equals "Hòa" but not "Hóa".
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFC')
    .toLowerCase()
    .trim()
    .split(/\s+/)
    .map((w) => {
      const d = w.normalize('NFD')
      const tone = d.match(/[\u0300\u0301\u0303\u0309\u0323]/)?.[0] ?? ''
      return d.replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '').normalize('NFC') + tone
    })
    .join(' ')
}

type Comparable = 'name' | 'outletId' | 'pressCardNumber' | 'pressCardExpiresOn' | 'phone' | 'email' | 'accreditationEndsOn'
const SCALARS: readonly [Comparable, ImportField][] = [
  ['name', 'name'],
  ['outletId', 'outlet'],
  ['pressCardNumber', 'pressCard'],
  ['pressCardExpiresOn', 'pressCardExpires'],
  ['phone', 'phone'],
  ['email', 'email'],
  ['accreditationEndsOn', 'accreditationEnds'],
]

function same(field: Comparable, a: string, b: string): boolean {
  if (field === 'name') return nameKey(a) === nameKey(b)
  if (field === 'pressCardNumber') return normalizePressCard(a) === normalizePressCard(b)
  return a === b
}

/** Applies a batch; returns its counts. The progress row is updated in the same transaction. */
export async function applyImportBatch(o: ApplyBatchOptions): Promise<BatchCounts> {
  const { tx, tenantId } = o
  const counts: BatchCounts = { created: 0, updated: 0, unchanged: 0, conflicts: 0, duplicates: 0, errors: 0 }
  const issues: (typeof partnerImportIssues.$inferInsert)[] = []
  const issueSeq = new Map<number, number>()
  const column = (f: ImportField | null) => (f === null || o.mapping[f] === undefined ? null : (o.header[o.mapping[f] as number] ?? null))
  const issue = (
    rowNumber: number,
    outcome: 'error' | 'conflict' | 'duplicate',
    p: Omit<RowProblem, 'field'> & { column: string | null },
    partnerId?: string,
  ) =>
    issues.push({
      tenantId,
      importId: o.importId,
      rowNumber,
      seq: nextSeq(issueSeq, rowNumber),
      outcome,
      columnName: p.column,
      messageKey: p.key,
      params: p.params,
      partnerId: partnerId ?? null,
    })

  const records: ImportRecord[] = []
  for (const r of o.rows) {
    if ('record' in r) records.push(r.record)
    else if ('problems' in r) {
      counts.errors++
      for (const p of r.problems) issue(r.rowNumber, 'error', { key: p.key, params: p.params, column: column(p.field) })
    } else {
      counts.duplicates++
      issue(r.rowNumber, 'duplicate', {
        key: 'partners.import.row.duplicateInFile',
        params: { row: r.duplicateOf, key: r.key },
        column: null,
      })
    }
  }

  // Who already holds the batch's keys (one query), and those partners (one more).
  const allKeys = records.flatMap((r) => r.keys)
  const holders = new Map<string, string>()
  if (allKeys.length) {
    const rows = await tx.execute<{ kind: string; value: string; partner_id: string }>(sql`
      SELECT k.kind, k.value, k.partner_id FROM partner_keys k
      JOIN json_to_recordset(${JSON.stringify(allKeys)}::json) AS i(kind text, value text)
        ON k.kind = i.kind AND k.value = i.value
      WHERE k.tenant_id = ${tenantId}`)
    for (const r of rows.rows) holders.set(`${r.kind}:${r.value}`, r.partner_id)
  }
  const matchedIds = [...new Set(holders.values())]
  const existing = new Map<string, PartnerRow>()
  const channelUrls = new Map<string, Set<string>>()
  if (matchedIds.length) {
    for (const p of await tx.select().from(partners).where(inArray(partners.id, matchedIds))) existing.set(p.id, p)
    for (const c of await tx
      .select({ partnerId: partnerChannels.partnerId, url: partnerChannels.url })
      .from(partnerChannels)
      .where(inArray(partnerChannels.partnerId, matchedIds))) {
      const set = channelUrls.get(c.partnerId) ?? new Set()
      set.add(c.url)
      channelUrls.set(c.partnerId, set)
    }
  }

  const at = now()
  const created: string[] = []
  const filled: { id: string; fields: string[] }[] = []
  const newPartners: (typeof partners.$inferInsert)[] = []
  const newKeys: (typeof partnerKeys.$inferInsert)[] = []
  const newChannels: (typeof partnerChannels.$inferInsert)[] = []
  const history: (typeof partnerStatusHistory.$inferInsert)[] = []

  for (const r of records) {
    const ids = [...new Set(r.keys.map((k) => holders.get(`${k.kind}:${k.value}`)).filter((x): x is string => !!x))]
    if (ids.length > 1) {
      counts.conflicts++
      issue(r.rowNumber, 'conflict', {
        key: 'partners.import.row.keysOfTwo',
        params: { names: ids.map((id) => existing.get(id)?.name ?? id).join(' / ') },
        column: null,
      })
      continue
    }
    if (ids.length === 0) {
      const id = randomUUID()
      newPartners.push({
        id,
        tenantId,
        kind: r.kind,
        name: r.name,
        outletId: r.outletId,
        pressCardNumber: r.pressCardNumber,
        pressCardExpiresOn: r.pressCardExpiresOn,
        phone: r.phone,
        email: r.email,
        beats: r.beats,
        communeCodes: r.communeCodes,
        accreditationEndsOn: r.accreditationEndsOn,
        status: 'applied',
        statusChangedAt: at,
        createdAt: at,
      })
      for (const k of r.keys) newKeys.push({ tenantId, partnerId: id, kind: k.kind, value: k.value })
      for (const c of r.channels) newChannels.push({ tenantId, partnerId: id, platform: c.platform, url: c.url, followers: null })
      history.push({
        tenantId,
        partnerId: id,
        fromStatus: null,
        toStatus: 'applied',
        reason: null,
        actorId: o.actor.id,
        actorLabel: o.actor.label,
        at,
      })
      created.push(id)
      counts.created++
      continue
    }
    // One partner holds the keys: fill what it lacks, refuse what differs.
    const p = existing.get(ids[0] as string) as PartnerRow
    const conflicts: ImportField[] = []
    const fill: Partial<typeof partners.$inferInsert> = {}
    if (p.kind !== r.kind) conflicts.push('kind')
    for (const [field, importField] of SCALARS) {
      const value = r[field]
      const current = p[field]
      if (value === null || value === '') continue
      if (current === null || current === '') (fill as Record<string, string>)[field] = value
      else if (!same(field, current, value)) conflicts.push(importField)
    }
    for (const [field, importField] of [
      ['beats', 'beats'],
      ['communeCodes', 'communes'],
    ] as const) {
      const value = r[field]
      if (value.length === 0) continue
      if (p[field].length === 0) fill[field] = value
      else if (!value.every((v) => p[field].includes(v))) conflicts.push(importField)
    }
    const urls = channelUrls.get(p.id) ?? new Set<string>()
    const addChannels = r.channels.filter((c) => !urls.has(c.url))
    if (addChannels.length && urls.size > 0) conflicts.push('otherChannel')
    if (conflicts.length) {
      counts.conflicts++
      issue(
        r.rowNumber,
        'conflict',
        {
          key: 'partners.import.row.conflict',
          params: { name: p.name, fields: conflicts.map((f) => column(f) ?? f).join(', ') },
          column: conflicts.map((f) => column(f) ?? f).join(', '),
        },
        p.id,
      )
      continue
    }
    if (p.mergedInto) {
      // Keys of a merged record belong to the survivor, so this is not reached; refuse anyway.
      counts.conflicts++
      issue(r.rowNumber, 'conflict', { key: 'partners.import.row.merged', params: { name: p.name }, column: null }, p.id)
      continue
    }
    const fields = Object.keys(fill)
    if (fields.length === 0 && addChannels.length === 0) {
      counts.unchanged++
      continue
    }
    if (fields.length)
      await tx
        .update(partners)
        .set(fill)
        .where(and(eq(partners.id, p.id), eq(partners.tenantId, tenantId)))
    for (const k of r.keys)
      if (!holders.has(`${k.kind}:${k.value}`)) newKeys.push({ tenantId, partnerId: p.id, kind: k.kind, value: k.value })
    for (const c of addChannels) newChannels.push({ tenantId, partnerId: p.id, platform: c.platform, url: c.url, followers: null })
    filled.push({ id: p.id, fields: [...fields, ...(addChannels.length ? ['channels'] : [])] })
    counts.updated++
  }

  // Set-based inserts: the rows travel as one JSON parameter, which PostgreSQL expands
  // (json_populate_recordset) far faster than a statement with thousands of parameters.
  await insertJson(
    tx,
    'partners',
    newPartners.map((p) => ({
      id: p.id,
      tenant_id: p.tenantId,
      kind: p.kind,
      name: p.name,
      outlet_id: p.outletId,
      press_card_number: p.pressCardNumber,
      press_card_expires_on: p.pressCardExpiresOn,
      phone: p.phone,
      email: p.email,
      beats: p.beats,
      commune_codes: p.communeCodes,
      accreditation_ends_on: p.accreditationEndsOn,
      status: p.status,
      status_changed_at: at.toISOString(),
      created_at: at.toISOString(),
    })),
  )
  if (newKeys.length) {
    const won = await insertJson(
      tx,
      'partner_keys',
      newKeys.map((k) => ({ tenant_id: k.tenantId, kind: k.kind, value: k.value, partner_id: k.partnerId })),
      'ON CONFLICT DO NOTHING',
    )
    // Another writer took a key since we looked: roll the batch back; the retry sees the holder.
    if (won !== newKeys.length) throw new Error('partner import: a key was taken concurrently; retrying the batch')
  }
  await insertJson(
    tx,
    'partner_channels',
    newChannels.map((c) => ({ tenant_id: c.tenantId, partner_id: c.partnerId, platform: c.platform, url: c.url, followers: null })),
  )
  await insertJson(
    tx,
    'partner_status_history',
    history.map((h) => ({
      tenant_id: h.tenantId,
      partner_id: h.partnerId,
      from_status: null,
      to_status: h.toStatus,
      reason: null,
      actor_id: h.actorId,
      actor_label: h.actorLabel,
      at: at.toISOString(),
    })),
  )
  await insertJson(
    tx,
    'partner_import_issues',
    issues.map((i) => ({
      tenant_id: i.tenantId,
      import_id: i.importId,
      row_number: i.rowNumber,
      seq: i.seq,
      outcome: i.outcome,
      column_name: i.columnName,
      message_key: i.messageKey,
      params: i.params,
      partner_id: i.partnerId,
    })),
  )
  if (created.length || filled.length) {
    await recordAudit(tx, {
      tenantId,
      actor: o.actor,
      action: 'partner.imported',
      subjectType: 'partner_import',
      subjectId: o.importId,
      summary: { rows: o.rows.length, created, filled },
    })
  }
  await tx
    .update(partnerImports)
    .set({
      rowsDone: o.rowsDoneAfter,
      createdCount: sql`${partnerImports.createdCount} + ${counts.created}`,
      updatedCount: sql`${partnerImports.updatedCount} + ${counts.updated}`,
      unchangedCount: sql`${partnerImports.unchangedCount} + ${counts.unchanged}`,
      conflictCount: sql`${partnerImports.conflictCount} + ${counts.conflicts}`,
      duplicateCount: sql`${partnerImports.duplicateCount} + ${counts.duplicates}`,
      errorCount: sql`${partnerImports.errorCount} + ${counts.errors}`,
    })
    .where(eq(partnerImports.id, o.importId))
  return counts
}

function nextSeq(seqs: Map<number, number>, rowNumber: number): number {
  const n = seqs.get(rowNumber) ?? 0
  seqs.set(rowNumber, n + 1)
  return n
}

const INSERTABLE = new Set(['partners', 'partner_keys', 'partner_channels', 'partner_status_history', 'partner_import_issues'])

/**
 * Inserts rows (objects keyed by column name) into one of our tables in one statement; returns
 * how many were inserted. The table name is checked against a fixed list (it is spliced in).
 */
async function insertJson(tx: Tx, table: string, rows: Record<string, unknown>[], onConflict = ''): Promise<number> {
  if (rows.length === 0) return 0
  if (!INSERTABLE.has(table)) throw new Error(`insertJson: unexpected table ${table}`)
  const cols = sql.raw(Object.keys(rows[0] as object).join(', '))
  const name = sql.raw(table)
  const res = await tx.execute(
    sql`INSERT INTO ${name} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${name}, ${JSON.stringify(rows)}::json) ${sql.raw(onConflict)}`,
  )
  return res.rowCount ?? 0
}
