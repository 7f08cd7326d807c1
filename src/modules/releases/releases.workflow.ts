/**
 * Rules shared by the release commands: input normalisation and validation, slugs, the
 * sealed-case gate and four-eyes by contributors (refusals are audited), transition errors
 * and change notifications.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm'
import type { Tx } from '../../db/index.ts'
import { type AuditActor, AuditedRefusal } from '../../platform/audit/index.ts'
import { AppError } from '../../platform/errors.ts'
import { cleanLine } from '../../platform/text-input.ts'
import { fold, normalizeText, prepareText } from '../../text/normalize.ts'
import { isCommuneCode } from '../reference/communes.ts'
import type { Edition, LoadedRelease } from './releases.repository.ts'
import {
  type ContributionKind,
  type EditionContribution,
  RELEASE_KINDS,
  type ReleaseKind,
  releaseEditions,
  releaseSlugs,
  releases,
} from './releases.tables.ts'

/** The editable content of an edition. */
export interface EditionInput {
  title: string
  summary: string
  bodyMd: string
  category: string
  tags: string[]
  communes: string[]
}

/** Normalises and validates edition content; titles and text are stored NFC. */
export function cleanEditionInput(input: Partial<EditionInput>): EditionInput {
  const title = cleanLine(input.title, 300)
  if (!title) throw new AppError('TITLE_REQUIRED')
  const summary = normalizeText(input.summary ?? '')
  if (summary.length > 300) throw new AppError('SUMMARY_TOO_LONG')
  const bodyMd = prepareText(input.bodyMd ?? '').text.replace(/\r\n?/g, '\n')
  const tags = [...new Set((input.tags ?? []).map((t) => cleanLine(t, 60)).filter(Boolean))].slice(0, 20)
  const communes = [...new Set(input.communes ?? [])]
  for (const c of communes) if (!isCommuneCode(c)) throw new AppError('COMMUNE_UNKNOWN', { code: String(c).slice(0, 60) })
  return { title, summary, bodyMd, category: cleanLine(input.category, 80), tags, communes }
}

/** Validates a release kind. */
export function cleanKind(kind: unknown): ReleaseKind {
  if (typeof kind === 'string' && (RELEASE_KINDS as readonly string[]).includes(kind)) return kind as ReleaseKind
  throw new AppError('VALIDATION', { detail: 'kind' })
}

/** The longest slug made from a title (a suffix `-2`, `-3` … may follow). */
export const SLUG_MAX = 80

/**
 * The slug of a title: diacritics folded (đ → d), lower-case, hyphenated, at most
 * {@link SLUG_MAX} characters, cut between words (`…quy-mo-hon-100-ty`, never `…100-ty-d`: a
 * syllable cut in two reads as another word). Only a first word longer than the limit is cut.
 */
export function slugify(title: string): string {
  const full = fold(title.normalize('NFC'))
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  let s = full
  if (full.length > SLUG_MAX) {
    // On a boundary when the next character is a hyphen; otherwise back to the last hyphen.
    const head = full.slice(0, SLUG_MAX + 1)
    const cut = head.lastIndexOf('-')
    s = cut > 0 ? head.slice(0, cut) : full.slice(0, SLUG_MAX)
  }
  return s.replace(/-+$/g, '') || 'tin'
}

/** A slug for `title` not used by another release of the tenant (now or in the past). */
export async function uniqueSlug(tx: Tx, tenantId: string, title: string, releaseId?: string): Promise<string> {
  const base = slugify(title)
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`
    const [current] = await tx
      .select({ id: releases.id })
      .from(releases)
      .where(and(eq(releases.tenantId, tenantId), eq(releases.slug, candidate)))
    const [old] = await tx
      .select({ id: releaseSlugs.releaseId })
      .from(releaseSlugs)
      .where(and(eq(releaseSlugs.tenantId, tenantId), eq(releaseSlugs.slug, candidate)))
    const owner = current?.id ?? old?.id
    if (!owner || owner === releaseId) return candidate
  }
  throw new Error('no free slug')
}

/**
 * Refuses (and audits the refusal) when the release is linked to a sealed case: it cannot be
 * submitted, approved or published; the refusal names the legal ground.
 */
export function assertNotSealed(r: LoadedRelease, actor: AuditActor, attempted: string, ip?: string): void {
  if (r.case?.state !== 'sealed') return
  throw new AuditedRefusal(
    'CASE_SEALED',
    { ground: r.case.secrecyGround },
    {
      tenantId: r.release.tenantId,
      actor,
      action: 'release.refused',
      subjectType: 'release',
      subjectId: r.release.id,
      summary: { attempted, reason: 'case_sealed', caseCode: r.case.code, ground: r.case.secrecyGround },
      ip,
    },
  )
}

/** The contribution of `userId` to an edition's text at `at`, as `release_editions.contributors` keeps it. */
export function contribution(userId: string, what: ContributionKind, at: Date): EditionContribution {
  return { userId, what, at: at.toISOString() }
}

/**
 * SQL for `SET contributors = …`: the edition's list with `c` appended, read and written in the
 * one UPDATE (so two saves racing cannot drop each other's entry; the database also refuses a
 * list that shrinks).
 */
export function withContribution(c: EditionContribution): SQL {
  return sql`${releaseEditions.contributors} || ${JSON.stringify([c])}::jsonb`
}

/**
 * Four-eyes by contributors: refuses (and audits the refusal) when `actor` wrote or changed the
 * text of `edition`, whoever submitted it. The summary says what they did, never the text.
 */
export function assertNotContributor(r: LoadedRelease, edition: Edition, actor: AuditActor, attempted: string, ip?: string): void {
  if (!actor.id) return
  const mine = (edition.contributors ?? []).filter((c) => c.userId === actor.id).map((c) => c.what)
  // The author counts even for a row whose list lacks them (the migration backfilled it from there).
  if (edition.createdBy === actor.id) mine.unshift('created')
  if (mine.length === 0) return
  throw new AuditedRefusal(
    'FOUR_EYES_CONTRIBUTOR',
    {},
    {
      tenantId: r.release.tenantId,
      actor,
      action: 'release.refused',
      subjectType: 'release',
      subjectId: r.release.id,
      summary: { attempted, reason: 'four_eyes_contributor', edition: edition.number, contributed: [...new Set(mine)] },
      ip,
    },
  )
}

/** Throws ILLEGAL_TRANSITION naming the action and the current status. */
export function illegal(action: string, status: string): never {
  throw new AppError('ILLEGAL_TRANSITION', { action, status })
}

// Tells every process (on commit) that public content changed; the platform owns the channel.
export { notifyPublicChange } from '../../platform/notify.ts'

/** Tells every process that a lift time was set or removed, so they re-arm their timers. */
export async function notifySchedule(tx: Tx, releaseId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_notify('donghanh_schedule', ${releaseId})`)
}
