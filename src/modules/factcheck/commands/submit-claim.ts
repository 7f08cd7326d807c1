import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { normalizeEmail } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { localYear } from '../../../platform/time.ts'
import { canonicalUrl } from '../../../text/url-canonical.ts'
import { fold, normalizeText } from '../../../text/normalize.ts'
import { announceSubmissions, findSimilarClaims } from '../matcher.ts'
import { randomTicketCode } from '../ticket-code.ts'
import { harmOf, levelOf, priorityOf, slaDue } from '../triage.ts'

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
  /** The ticket codes to try, in order (tests); by default three random ones. */
  ticketCodes?: string[]
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
async function nextValue(tx: Tx, sequence: 'claim_code_seq'): Promise<number> {
  const r = await tx.execute(sql`SELECT nextval(${sequence}) AS n`)
  return Number((r.rows[0] as { n: number }).n)
}

/** A claim's internal code: TD-000042 (tin đồn). */
export async function nextClaimCode(tx: Tx, _tenantId: string): Promise<string> {
  return `TD-${String(await nextValue(tx, 'claim_code_seq')).padStart(6, '0')}`
}

/**
 * The intake only needs the one claim to merge into, which is among the best few by the
 * prefilter (a merge needs a near-identical text); a flood of similar rumours makes every
 * template word's postings long, so the postings visited are capped well below the staff
 * default. Suggestions for staff and for the submitter use the full effort.
 */
const INTAKE_MATCH_EFFORT = { candidates: 12, postingsBudget: 40_000 }

/** The submission's row as the intake statement returns it. */
interface IntakeRow {
  id: string
  ticket: string
  ticket_key: string
  claim_id: string
  duplicate: boolean
  merged: boolean
}

/**
 * The intake in one statement (prepared once per connection): the same submission within the
 * dedupe window ($3) returns its row; otherwise a claim sharing a link, else the matcher's
 * merge candidate ($5), is followed through merges to the claim that holds the submissions;
 * without one (or when it was dismissed) a new claim is opened (with the harm its words suggest,
 * $19); the submission gets the first of the random ticket codes ($13) that no earlier submission holds (the unique constraint stays
 * the backstop); joining a claim is written to its history.
 */
const INTAKE_SQL = `
WITH RECURSIVE
recent AS (
  SELECT id, ticket, ticket_key, claim_id FROM claim_submissions
  WHERE tenant_id = $1 AND fingerprint = $2 AND created_at > $3
  ORDER BY created_at DESC LIMIT 1
),
by_link AS (
  -- Through the GIN index on links only: "(tenant_id = $1) IS TRUE" is not an index condition,
  -- so a planner without fresh statistics cannot pick the tenant's btree and scan every row.
  SELECT claim_id FROM claim_submissions
  WHERE cardinality($4::text[]) > 0 AND links && $4::text[] AND (tenant_id = $1) IS TRUE LIMIT 1
),
chain (id, merged_into, status, depth) AS (
  SELECT c.id, c.merged_into, c.status, 0 FROM claims c
  WHERE c.tenant_id = $1 AND c.id = COALESCE((SELECT claim_id FROM by_link), $5::uuid)
  UNION ALL
  SELECT c.id, c.merged_into, c.status, chain.depth + 1 FROM claims c JOIN chain ON c.id = chain.merged_into
  WHERE chain.depth < 20
),
root AS (
  SELECT id FROM chain WHERE merged_into IS NULL AND status NOT IN ('dismissed', 'merged') LIMIT 1
),
new_claim AS (
  INSERT INTO claims (tenant_id, code, statement, status, harm, requests, partner_reports, priority, level,
                      appearances, first_seen_at, sla_due_at, created_at, updated_at)
  SELECT $1, 'TD-' || lpad(nextval('claim_code_seq')::text, 6, '0'), $6, 'new', $19, $7, $8, $9, $10,
         $4::text[], $11, $12, $11, $11
  WHERE NOT EXISTS (SELECT 1 FROM recent) AND NOT EXISTS (SELECT 1 FROM root)
  RETURNING id
),
target AS (
  SELECT id, true AS merged FROM root UNION ALL SELECT id, false FROM new_claim
),
submission AS (
  INSERT INTO claim_submissions (tenant_id, ticket, ticket_key, claim_id, channel, text, links, seen_where,
                                 contact_email, fingerprint, created_at)
  SELECT $1, CASE
    -- One probe of the unique index per candidate, in order (a set-returning form was planned as
    -- an anti-join over the whole table and doubled the intake's cost in PostgreSQL).
    WHEN NOT EXISTS (SELECT 1 FROM claim_submissions s WHERE s.tenant_id = $1 AND s.ticket = ($13::text[])[1]) THEN ($13::text[])[1]
    WHEN NOT EXISTS (SELECT 1 FROM claim_submissions s WHERE s.tenant_id = $1 AND s.ticket = ($13::text[])[2]) THEN ($13::text[])[2]
    ELSE ($13::text[])[3] END, $14, target.id, $15,
         $16, $4::text[], $17, $18, $2, $11
  FROM target WHERE NOT EXISTS (SELECT 1 FROM recent)
  RETURNING id, ticket, ticket_key, claim_id
),
history AS (
  INSERT INTO claim_history (tenant_id, claim_id, kind, submission_id, created_at)
  SELECT $1, submission.claim_id, 'auto_merged', submission.id, $11
  FROM submission JOIN target ON target.merged
)
SELECT id, ticket, ticket_key, claim_id, true AS duplicate, false AS merged FROM recent
UNION ALL
SELECT submission.id, ticket, ticket_key, claim_id, false, target.merged FROM submission, target`

/**
 * Takes a submission: the same one within minutes returns its ticket; otherwise it joins an
 * existing claim when a link is the same or the matcher says merge (long texts only), or
 * opens a new claim. The ticket is returned; spread counts and the priority of an existing
 * claim are refreshed by `refreshClaimCounts` within seconds.
 *
 * The matcher runs in memory first; then ONE statement does the rest (the dedupe look-up, the
 * link look-up, following merges to the claim that holds the submissions, the new claim if
 * needed, the submission with its random ticket code, the merge history): the intake is
 * bound by round trips to PostgreSQL, not by the work in them.
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
  // The matcher's merge candidate (a link in common wins over it, in the statement).
  let matched: string | null = null
  if (text.length >= 5) {
    const [best] = await findSimilarClaims(o.tenantId, text, 1, INTAKE_MATCH_EFFORT)
    if (best?.decision === 'merge') matched = best.claimId
  }
  const isPartner = o.channel === 'partner'
  // The first triage of a new claim: the harm its words suggest, read with diacritics folded
  // ("bat coc tre em" is the safety case "bắt cóc trẻ em"). Staff correct it on the claim page.
  const harm = harmOf(text)
  const priority = priorityOf(harm, isPartner ? 0 : 1, isPartner ? 1 : 0)
  const level = levelOf(priority)
  // Three candidates: the first no earlier ticket holds is taken (a clash among 10^10 codes a year
  // is already unlikely; three in a row would take the unique constraint's error).
  const year = localYear(at)
  const r = await o.tx.$client.query<IntakeRow>({
    name: 'donghanh_intake_v3',
    text: INTAKE_SQL,
    values: [
      o.tenantId,
      fingerprint,
      new Date(at.getTime() - DEDUPE_WINDOW_MS),
      links,
      matched,
      (text || links[0] || '').slice(0, 2000),
      isPartner ? 0 : 1,
      isPartner ? 1 : 0,
      priority,
      level,
      at,
      slaDue(at, level),
      o.ticketCodes ?? [0, 1, 2].map(() => randomTicketCode(year)),
      randomBytes(9).toString('base64url'),
      o.channel,
      text,
      seenWhere,
      contactEmail,
      harm,
    ],
  })
  const row = r.rows[0]
  if (!row) throw new Error('intake statement returned nothing')
  const result: SubmitClaimResult = {
    ticket: row.ticket,
    ticketKey: row.ticket_key,
    submissionId: row.id,
    claimId: row.claim_id,
    duplicate: row.duplicate,
    merged: row.merged,
  }
  if (result.duplicate) return result
  // Staff entries are decisions and go to the audit chain. A public or partner submission is
  // the record itself (claim_submissions, with its ticket); chaining every one would
  // serialise the intake on the tenant's audit lock.
  if (o.channel === 'staff')
    await recordAudit(o.tx, {
      tenantId: o.tenantId,
      actor: o.actor,
      action: 'claim.submitted',
      subjectType: 'claim',
      subjectId: result.claimId,
      // The ticket and channel only: the desk keeps no file on who asked.
      summary: { ticket: result.ticket, channel: o.channel, merged: result.merged, links: links.length },
      ip: null,
    })
  await announceSubmissions(o.tx, o.tenantId, [{ submissionId: result.submissionId, claimId: result.claimId, text }])
  return result
}
