/**
 * What a warning's deliveries say (subscribers' mail and partners' channels): the warning as the
 * public may see it NOW (warnings.public.ts, asked when the subscriber runs, never the working
 * copy), its words (level and kind, area, validity), and the neutral notice of its end, which
 * names no one: a closed warning about a person comes down from every surface, mail included.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import type { DomainEvent } from '../../../platform/domain-events/index.ts'
import { both } from '../../../platform/i18n/index.ts'
import { tenants } from '../../../platform/tenancy/tenants.tables.ts'
import type { DeliveryPayload } from '../../distribution/distribution.types.ts'
import { communeByCode } from '../../reference/communes.ts'
import { PROVINCE, plainText } from '../cap/cap.ts'
import type { WarningEvents } from '../warnings.events.ts'
import { warningPath } from '../warnings.paths.ts'
import { publicWarningBySlug } from '../warnings.public.ts'
import { warnings } from '../warnings.tables.ts'
import { PERSON_KINDS, type WarningKind, type WarningLevel, type WarningSnapshot } from '../warnings.types.ts'

/** The payload of `warning.published`. */
export type WarningPublished = WarningEvents['warning.published']

/** Communes named in full in a message's area line; the rest are counted. */
const AREA_NAMES = 12
/** Length of the summary cut from the description. */
const SUMMARY_CHARS = 600

/** What one run decided about the event, from the public rule asked now. */
export type WarningDecision =
  | { do: 'skip'; why: 'not_found' | 'not_public' | 'superseded' | 'expired' }
  /** Alert or Update: the visible version's content. */
  | { do: 'content'; warning: WarningHead; snapshot: WarningSnapshot; update: boolean; changeNote: string | null }
  /** Cancel (cancelled or closed): the end notice. */
  | { do: 'end'; warning: WarningHead; closed: boolean; snapshot: WarningSnapshot | null }

/** The warning's row as a message needs it. */
export interface WarningHead {
  id: string
  code: string
  slug: string
  kind: WarningKind
  level: WarningLevel
  cancelReason: string | null
}

/**
 * Applies THE public rule to a `warning.published` event at run time: content only for the
 * version the public sees now (a later version's own event says the rest), still active and
 * not expired; the end notice for a Cancel, whatever the state moved to since.
 */
export async function decideWarning(tx: Tx, event: DomainEvent<'warning.published'>): Promise<WarningDecision> {
  const p = event.payload
  const [w] = await tx
    .select({
      id: warnings.id,
      code: warnings.code,
      slug: warnings.slug,
      kind: warnings.kind,
      level: warnings.level,
      state: warnings.state,
      cancelReason: warnings.cancelReason,
    })
    .from(warnings)
    .where(and(eq(warnings.tenantId, event.tenantId), eq(warnings.id, p.warningId)))
  if (!w) return { do: 'skip', why: 'not_found' }
  const head: WarningHead = { id: w.id, code: w.code, slug: w.slug, kind: w.kind, level: w.level, cancelReason: w.cancelReason }
  const seen = await publicWarningBySlug(tx, event.tenantId, w.slug)
  if (p.state !== 'active') {
    // The end of a warning: what was public before (for a cancelled, non-person warning only).
    return { do: 'end', warning: head, closed: p.state === 'closed', snapshot: seen.kind === 'visible' ? seen.warning.snapshot : null }
  }
  if (seen.kind !== 'visible' || seen.warning.state !== 'active') return { do: 'skip', why: 'not_public' }
  if (seen.warning.version !== p.version) return { do: 'skip', why: 'superseded' }
  const s = seen.warning.snapshot
  if (s.validUntil && new Date(s.validUntil) <= now()) return { do: 'skip', why: 'expired' }
  let changeNote: string | null = null
  if (p.msgType === 'Update') {
    // The version row of this very event (its change note).
    const r = await tx.execute<{ change_note: string | null }>(
      sql`SELECT change_note FROM warning_versions WHERE warning_id = ${w.id} AND version = ${p.version}`,
    )
    changeNote = r.rows[0]?.change_note ?? null
  }
  return { do: 'content', warning: { ...head, kind: s.kind, level: s.level }, snapshot: s, update: p.msgType === 'Update', changeNote }
}

/** Vietnamese and English of a message key, as payload texts carry them (both languages). */
export function bilingual(key: string, params: Record<string, string | number> = {}): string {
  const b = both(key, params)
  return `${b.vi} / ${b.en}`
}

/** Level and kind in words: `Khẩn cấp · Thủ đoạn lừa đảo / Alert · Scam methods`. */
export function warningLabel(level: WarningLevel, kind: WarningKind): string {
  const l = both(`wsubs.level.${level}`)
  const k = both(`wsubs.kind.${kind}`)
  return `${l.vi} · ${k.vi} / ${l.en} · ${k.en}`
}

/** The area as the public reads it: the province, or the communes' names (the first few, then a count). */
export function areaText(s: Pick<WarningSnapshot, 'wholeProvince' | 'communes'>): string {
  if (s.wholeProvince) return `${PROVINCE.nameVi} / ${PROVINCE.nameEn}`
  const names = s.communes.map((c) => communeByCode(c)?.name ?? c)
  if (names.length <= AREA_NAMES) return names.join(', ')
  return `${names.slice(0, AREA_NAMES).join(', ')} ${bilingual('wsubs.area.more', { count: names.length - AREA_NAMES })}`
}

/** The office named as the source, and its site. */
export async function sourceOf(tx: Tx, tenantId: string, publicUrl: string): Promise<DeliveryPayload['source']> {
  const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId))
  return { name: tenant?.name ?? '', url: publicUrl }
}

/**
 * The content payload of a visible version: title, summary (the description cut), what to do,
 * level and kind, area, validity, the page and the source. `full`: the whole description too
 * (partners carry the text; subscribers read the page).
 */
export function contentPayload(
  d: Extract<WarningDecision, { do: 'content' }>,
  o: { publicUrl: string; source: DeliveryPayload['source']; version: number; full: boolean },
): DeliveryPayload {
  const s = d.snapshot
  const description = plainText(s.descriptionVi)
  const instruction = plainText(s.instructionVi)
  // The instruction is written in Vietnamese: its label too.
  const todo = instruction ? both('wsubs.instruction', { text: instruction }).vi : ''
  const body = o.full ? [description, todo].filter(Boolean).join('\n\n') : todo
  return {
    event: 'warning.published',
    itemType: 'warning',
    itemId: d.warning.id,
    title: plainText(s.titleVi),
    summary: description.length > SUMMARY_CHARS ? `${description.slice(0, SUMMARY_CHARS - 1)}…` : description,
    ...(body ? { body } : {}),
    publicUrl: `${o.publicUrl}${warningPath(d.warning.slug)}`,
    edition: o.version,
    label: warningLabel(s.level, s.kind),
    area: areaText(s),
    validFrom: s.validFrom,
    ...(s.validUntil ? { validUntil: s.validUntil } : {}),
    ...(d.update ? { changeNote: d.changeNote ?? '' } : {}),
    source: o.source,
  }
}

/**
 * The end notice: for a closed warning or any warning about a person, only "Cảnh báo <code> đã
 * kết thúc" (no title, no text, no reason typed by staff: nothing that could name the person);
 * for a cancelled warning of another kind, its public title and the reason too.
 */
export function endPayload(
  d: Extract<WarningDecision, { do: 'end' }>,
  o: { publicUrl: string; source: DeliveryPayload['source'] },
): DeliveryPayload {
  const neutral = d.closed || PERSON_KINDS.includes(d.warning.kind) || !d.snapshot
  const base: DeliveryPayload = {
    event: 'warning.published',
    itemType: 'warning',
    itemId: d.warning.id,
    title: bilingual(neutral ? 'wsubs.ended' : 'wsubs.cancelled', { code: d.warning.code }),
    summary: '',
    // The page says only that it ended (a closed warning) or shows the cancellation.
    publicUrl: `${o.publicUrl}${warningPath(d.warning.slug)}`,
    label: warningLabel(d.snapshot?.level ?? d.warning.level, d.snapshot?.kind ?? d.warning.kind),
    source: o.source,
  }
  if (neutral || !d.snapshot) return base
  return { ...base, summary: plainText(d.snapshot.titleVi), ...(d.warning.cancelReason ? { reason: d.warning.cancelReason } : {}) }
}
