import { createHash, randomBytes } from 'node:crypto'
import { and, arrayOverlaps, desc, eq, gt, sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { normalizeEmail } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { canonicalUrl } from '../../../text/match.ts'
import { fold, normalizeText } from '../../../text/normalize.ts'
import { claimHistory, claimSubmissions, claims } from '../factcheck.tables.ts'
import { announceSubmissions, findSimilarClaims } from '../matcher.ts'
import { levelOf, priorityOf, slaDue } from '../triage.ts'

/** Longest text accepted from a submitter (a rumour is a post, not a book). */
export const MAX_SUBMISSION_CHARS = 20_000
/** The same submission within this window is recognised, not duplicated. */
export const DEDUPE_WINDOW_MS = 10 * 60_000

/** Input of a submission. */
export interface SubmitClaimOptions {
  tx: Tx
  tenantId: string
  /** Where it came from: the public form, a partner, or staff. */
  channel: 'public' | 'partner' | 'staff'
  /** Who, for the audit log: a user, or "public" (no personal data of the submitter). */
  actor: AuditActor
  text: string
  /** Links where the claim appeared (http/https only). */
  links?: string[]
  /** Where it was seen (a platform, a group), free text. */
  seenWhere?: string
  /** Optional contact to be told of the verdict; deleted after the retention period. */
  contactEmail?: string | null
  ip?: string
}

/** What the submitter gets back. */
export interface SubmitClaimResult {
  ticket: string
  ticketKey: string
  submissionId: string
  claimId: string
  /** True when the same submission arrived moments ago: nothing new was stored. */
  duplicate: boolean
  /** True when it joined an existing claim automatically. */
  merged: boolean
}

/** Validates and canonicalises links: only http and https; tracking parameters removed. */
export function cleanLinks(links: string[] | undefined): string[] {
  const out = new Set<string>()
  for (const raw of links ?? []) {
    const trimmed = raw.trim()
    if (!trimmed) continue
    let u: URL
    try {
      u = new URL(trimmed)
    } catch {
      throw new AppError('INVALID_LINK', { link: trimmed.slice(0, 80) })
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('INVALID_LINK', { link: trimmed.slice(0, 80) })
    out.add(canonicalUrl(trimmed) ?? u.toString())
  }
  if (out.size > 20) throw new AppError('VALIDATION', { detail: 'links' })
  return [...out]
}


/** The next value of a sequence (non-transactional: no lock is held until commit). */
async function nextValue(tx: Tx, sequence: 'claim_ticket_seq' | 'claim_code_seq'): Promise<number> {
  const r = await tx.execute(sql`SELECT nextval(${sequence}) AS n`)
  return Number((r.rows[0] as { n: number }).n)
}

/** A claim's internal code: TD-000042 (tin đồn). */
export async function nextClaimCode(tx: Tx, _tenantId: string): Promise<string> {
  return `TD-${String(await nextValue(tx, 'claim_code_seq')).padStart(6, '0')}`
}

/** The next ticket code of the year (Asia/Ho_Chi_Minh): KC-2026-000123. */
async function nextTicket(tx: Tx, _tenantId: string, at: Date): Promise<string> {
  const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(at))
  return `KC-${year}-${String(await nextValue(tx, 'claim_ticket_seq')).padStart(6, '0')}`
}

/** Follows merges to the claim that now holds the submissions (read only: the intake never locks a claim). */
async function rootClaim(tx: Tx, claimId: string) {
  let id = claimId
  for (let i = 0; i < 20; i++) {
    const [c] = await tx.select().from(claims).where(eq(claims.id, id))
    if (!c) return undefined
    if (!c.mergedInto) return c
    id = c.mergedInto
  }
  return undefined
}

/**
 * Takes a submission: the same one within minutes returns its ticket; otherwise it joins an
 * existing claim when the matcher says merge (long texts only) or a link is the same, or
 * opens a new claim. The ticket is returned; spread counts and the priority of an existing
 * claim are refreshed by `refreshClaimCounts` within seconds.
 */
export async function submitClaim(o: SubmitClaimOptions): Promise<SubmitClaimResult> {
  if (o.text.length > MAX_SUBMISSION_CHARS * 2) throw new AppError('TEXT_TOO_LONG', { max: MAX_SUBMISSION_CHARS })
  const text = normalizeText(o.text)
  if (text.length > MAX_SUBMISSION_CHARS) throw new AppError('TEXT_TOO_LONG', { max: MAX_SUBMISSION_CHARS })
  const links = cleanLinks(o.links)
  if (text.length < 5 && links.length === 0) throw new AppError('TEXT_TOO_SHORT')
  const contactEmail = o.contactEmail?.trim() ? normalizeEmail(o.contactEmail) : null
  const seenWhere = normalizeText(o.seenWhere ?? '').slice(0, 300)
  const at = now()
  const fingerprint = createHash('sha256')
    .update(`${fold(text)}\n${[...links].sort().join('\n')}\n${contactEmail ?? ''}`)
    .digest('hex')
  const [recent] = await o.tx
    .select()
    .from(claimSubmissions)
    .where(and(eq(claimSubmissions.tenantId, o.tenantId), eq(claimSubmissions.fingerprint, fingerprint), gt(claimSubmissions.createdAt, new Date(at.getTime() - DEDUPE_WINDOW_MS))))
    .orderBy(desc(claimSubmissions.createdAt))
    .limit(1)
  if (recent) return { ticket: recent.ticket, ticketKey: recent.ticketKey, submissionId: recent.id, claimId: recent.claimId, duplicate: true, merged: false }

  // Same link → same claim; otherwise the matcher decides (never auto-merging short texts).
  let target: typeof claims.$inferSelect | undefined
  if (links.length) {
    const [byLink] = await o.tx
      .select({ id: claimSubmissions.claimId })
      .from(claimSubmissions)
      .where(and(eq(claimSubmissions.tenantId, o.tenantId), arrayOverlaps(claimSubmissions.links, links)))
      .limit(1)
    if (byLink) target = await rootClaim(o.tx, byLink.id)
  }
  if (!target && text.length >= 5) {
    const [best] = await findSimilarClaims(o.tenantId, text, 1, 30)
    if (best?.decision === 'merge') target = await rootClaim(o.tx, best.claimId)
  }
  let merged = !!target
  if (target && (target.status === 'dismissed' || target.status === 'merged')) {
    target = undefined
    merged = false
  }
  if (!target) {
    const isPartner = o.channel === 'partner'
    const priority = priorityOf('other', isPartner ? 0 : 1, isPartner ? 1 : 0)
    const level = levelOf(priority)
    const [created] = await o.tx
      .insert(claims)
      .values({
        tenantId: o.tenantId,
        code: await nextClaimCode(o.tx, o.tenantId),
        statement: (text || links[0] || '').slice(0, 2000),
        status: 'new',
        harm: 'other',
        requests: isPartner ? 0 : 1,
        partnerReports: isPartner ? 1 : 0,
        priority,
        level,
        appearances: links,
        firstSeenAt: at,
        slaDueAt: slaDue(at, level),
        createdAt: at,
        updatedAt: at,
      })
      .returning()
    target = created
  }
  if (!target) throw new Error('claim insert returned nothing')
  const [submission] = await o.tx
    .insert(claimSubmissions)
    .values({
      tenantId: o.tenantId,
      ticket: await nextTicket(o.tx, o.tenantId, at),
      ticketKey: randomBytes(9).toString('base64url'),
      claimId: target.id,
      channel: o.channel,
      text,
      links,
      seenWhere,
      contactEmail,
      fingerprint,
      createdAt: at,
    })
    .returning()
  if (!submission) throw new Error('submission insert returned nothing')
  // Joining an existing claim does not touch the claim row: a viral rumour would make it a
  // hot row that serialises the whole intake. Spread counts, appearances and the priority
  // follow within seconds (refreshClaimCounts).
  if (merged) {
    await o.tx.insert(claimHistory).values({ tenantId: o.tenantId, claimId: target.id, kind: 'auto_merged', submissionId: submission.id, createdAt: at })
  }
  // Staff entries are decisions and go to the audit chain. A public or partner submission is
  // the record itself (claim_submissions, with its ticket); chaining every one would
  // serialise the intake on the tenant's audit lock.
  if (o.channel === 'staff') await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'claim.submitted',
    subjectType: 'claim',
    subjectId: target.id,
    // The ticket and channel only: the desk keeps no file on who asked.
    summary: { ticket: submission.ticket, channel: o.channel, merged, links: links.length },
    ip: null,
  })
  await announceSubmissions(o.tx, o.tenantId, [{ submissionId: submission.id, claimId: target.id, text }])
  return { ticket: submission.ticket, ticketKey: submission.ticketKey, submissionId: submission.id, claimId: target.id, duplicate: false, merged }
}
