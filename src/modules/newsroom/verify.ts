/**
 * The verify desk's public check (`/xac-minh`): is this text, link or code an official
 * edition? Only editions of publicly verifiable releases (listed, or withdrawn with their
 * reason) can match; a scheduled, embargoed, sealed or gone text gives "no match" — the same
 * answer as an invented one, so the check leaks nothing.
 *
 * - A code (XXXX-XXXX-XXXX) names one signed edition: current, or outdated by a correction.
 * - A link is official only on our public address, at `/tin/<slug>` (old slugs resolve) or
 *   `/xac-minh?ma=<code>` (the QR code).
 * - A text is compared with the best candidates of a full-text search: identical (after NFC
 *   and whitespace normalisation), identical once the page's furniture and layout are set
 *   aside (verify-furniture.ts), an exact excerpt, altered (with a word diff of the release's
 *   words only), or no match. A code in the text picks the edition it names.
 *   Short texts are never matched as "altered" (Meedan/Cofacts: never merge short texts).
 */
import { createHash, createPublicKey, type JsonWebKey } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { markdownToText } from '../../platform/markdown/index.ts'
import { loadTenant } from '../../platform/tenancy/index.ts'
import { findPublicRelease, type PublicRelease } from '../releases/releases.public.ts'
import { ensureSigningKey, signingKeys } from '../../platform/signing/index.ts'
import { canonicalEdition, normalizeVerificationCode, type SignedContent, verifyContent } from '../releases/signing.ts'
import { findVerifiableEditionByCode, findVerifyCandidates, type VerifiableEdition, verifiableEditions } from './verify-lookups.ts'
import {
  contentWords,
  FURNITURE_KINDS,
  type Furniture,
  type FurnitureKind,
  officialForCopy,
  officialText,
  releaseFurniture,
  sameWords,
  setAsideFurniture,
  withoutLayoutTokens,
} from './verify-furniture.ts'
import { type DiffPart, excerptWindow, normalizeForCompare, trimToCopy, wordDiff, words } from './word-diff.ts'

/** Longest text accepted for a comparison (characters). */
export const MAX_VERIFY_CHARS = 20_000
/**
 * Longest input the page accepts (characters): a pasted copy with its surroundings; only its
 * first {@link MAX_VERIFY_CHARS} are compared. Longer comes back in the form with this limit.
 */
export const MAX_VERIFY_INPUT_CHARS = 60_000
/** Fewer words than this are too short to call "altered" or "an excerpt". */
export const MIN_TEXT_WORDS = 8
/** Share of the copy's words found, in order, in an official text to call it an altered copy. */
const ALTERED_COVERAGE = 0.5

/** What a pasted input was taken for. */
export type VerifyInput =
  | { type: 'empty' }
  | { type: 'code'; code: string | null; raw: string }
  | { type: 'link'; url: string; official: boolean; slug: string | null; code: string | null }
  | { type: 'text'; text: string }

const CODE_SHAPE = /^[0-9a-z]{4}[-\s.]?[0-9a-z]{4}[-\s.]?[0-9a-z]{4}$/i

/** A typed verification code in its canonical form (Crockford look-alikes mapped), or null. */
export function parseVerificationCode(input: string): string | null {
  return normalizeVerificationCode(input)
}

/** Decides whether `input` is a code, a link or a text. */
export function classifyInput(input: string, publicUrl: string): VerifyInput {
  const s = input.normalize('NFC').trim().slice(0, MAX_VERIFY_CHARS)
  if (!s) return { type: 'empty' }
  if (CODE_SHAPE.test(s)) return { type: 'code', code: parseVerificationCode(s), raw: s }
  if (/^(https?:\/\/|www\.)\S+$/i.test(s) || /^[a-z0-9.-]+\.[a-z]{2,}\/\S*$/i.test(s)) {
    let url: URL
    try {
      url = new URL(/^https?:\/\//i.test(s) ? s : `https://${s}`)
    } catch {
      return { type: 'link', url: s, official: false, slug: null, code: null }
    }
    const ours = new URL(publicUrl)
    const official =
      url.hostname.toLowerCase() === ours.hostname.toLowerCase() && (url.port || '') === (ours.port || '') && !url.username && !url.password
    let slug: string | null = null
    let code: string | null = null
    if (official) {
      const m = url.pathname.match(/^\/tin\/([^/]+)\/?$/)
      if (m?.[1] && !['loai', 'chuyen-muc', 'xa-phuong'].includes(m[1])) {
        try {
          slug = decodeURIComponent(m[1])
        } catch {
          slug = null
        }
      }
      if (/^\/xac-minh\/?$/.test(url.pathname)) code = parseVerificationCode(url.searchParams.get('ma') ?? '')
    }
    return { type: 'link', url: url.toString(), official, slug, code }
  }
  return { type: 'text', text: s }
}

/** An edition found by a check, with what the reader needs to judge it. */
export interface FoundEdition {
  edition: VerifiableEdition
  /** The release's current public edition (differs when this one was corrected since). */
  current: { number: number; publishedAt: Date | null; verificationCode: string | null } | null
  /** True when the signature verifies against one of the tenant's public keys. */
  signatureValid: boolean
}

/** The outcome of a check. */
export type VerifyOutcome =
  | { type: 'empty' }
  | { type: 'code'; code: string; found: FoundEdition | null }
  | { type: 'link'; url: string; official: boolean; release: PublicRelease | null; found: FoundEdition | null }
  | {
      type: 'text'
      /** `identical-layout`: the release's text word for word once page furniture and layout are set aside. */
      verdict: 'identical' | 'identical-layout' | 'excerpt' | 'altered'
      found: FoundEdition
      diff?: { parts: DiffPart[]; cutStart: boolean; cutEnd: boolean }
      /** What the copy had besides the release's text and was set aside (dateline, code block…). */
      setAside?: FurnitureKind[]
    }
  | { type: 'text'; verdict: 'none' | 'too-short' }

/** The signed content of an edition (what the signature covers). */
export function signedContentOf(e: VerifiableEdition): SignedContent {
  return {
    releaseId: e.releaseId,
    edition: e.editionNumber,
    kind: e.kind,
    title: e.title,
    summary: e.summary,
    bodyMd: e.bodyMd,
    publishedAt: e.publishedAt as Date,
    changeNote: e.changeNote,
  }
}

/** The canonical JSON that was signed, byte for byte (for offline verification). */
export function canonicalOf(e: VerifiableEdition): string {
  return canonicalEdition(signedContentOf(e))
}

/** Every public key of the tenant (the active one first; retired keys still verify old editions). */
export async function tenantPublicKeys(db: Db, tenantId: string): Promise<{ pem: string; retired: boolean }[]> {
  await ensureSigningKey(db, tenantId)
  const rows = await db
    .select({ pem: signingKeys.publicKeyPem, retiredAt: signingKeys.retiredAt })
    .from(signingKeys)
    .where(and(eq(signingKeys.tenantId, tenantId)))
  return rows.map((r) => ({ pem: r.pem, retired: !!r.retiredAt })).sort((a, b) => Number(a.retired) - Number(b.retired))
}

/** A public key as a JWK with its RFC 7638 thumbprint as `kid`, algorithm Ed25519 (RFC 9864). */
export function publicJwk(pem: string): JsonWebKey & { kid: string; alg: string; use: string } {
  const jwk = createPublicKey(pem).export({ format: 'jwk' })
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x }))
    .digest('base64url')
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: thumbprint, alg: 'Ed25519', use: 'sig' }
}

async function describeEdition(db: Db, tenantId: string, e: VerifiableEdition): Promise<FoundEdition> {
  const all = await verifiableEditions(db, tenantId, [e.releaseId])
  const cur = all.find((x) => x.editionId === e.currentEditionId)
  const keys = await tenantPublicKeys(db, tenantId)
  const content = signedContentOf(e)
  const signatureValid = !!e.signature && !!e.publishedAt && keys.some((k) => verifyContent(k.pem, content, e.signature as string))
  return {
    edition: e,
    current: cur ? { number: cur.editionNumber, publishedAt: cur.publishedAt, verificationCode: cur.verificationCode } : null,
    signatureValid,
  }
}

/** The text a reader sees of an edition: title, summary, body (one block per line). */
export function editionText(e: { title: string; summary: string; bodyMd: string }): { full: string; body: string; summaryAndBody: string } {
  // Images' alt text is part of the signed Markdown but cannot be copied from the page, so a
  // copy of what a reader sees is compared without it.
  const body = markdownToText(e.bodyMd.replace(/!\[[^\]]*\]\([^)]*\)/g, ''))
  return { full: [e.title, e.summary, body].filter(Boolean).join('\n'), body, summaryAndBody: [e.summary, body].filter(Boolean).join('\n') }
}

/** Runs the check of one input. */
export async function verifyInput(db: Db, tenantId: string, publicUrl: string, input: string): Promise<VerifyOutcome> {
  const c = classifyInput(input, publicUrl)
  if (c.type === 'empty') return c
  if (c.type === 'code') {
    const e = c.code ? await findVerifiableEditionByCode(db, tenantId, c.code) : undefined
    return { type: 'code', code: c.code ?? c.raw, found: e ? await describeEdition(db, tenantId, e) : null }
  }
  if (c.type === 'link') {
    if (!c.official) return { type: 'link', url: c.url, official: false, release: null, found: null }
    if (c.code) {
      const e = await findVerifiableEditionByCode(db, tenantId, c.code)
      return { type: 'link', url: c.url, official: true, release: null, found: e ? await describeEdition(db, tenantId, e) : null }
    }
    let release: PublicRelease | null = null
    if (c.slug) {
      let r = await findPublicRelease(db, tenantId, c.slug)
      if (r && 'redirectTo' in r) r = await findPublicRelease(db, tenantId, r.redirectTo)
      if (r && 'release' in r && r.release.status !== 'gone') release = r.release
    }
    return { type: 'link', url: c.url, official: true, release, found: null }
  }
  return compareText(db, tenantId, c.text)
}

/** A verification code as the page prints it, anywhere in a pasted text. */
const CODE_IN_TEXT = /(?<![0-9A-Za-z])[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}(?![0-9A-Za-z])/g

/**
 * The edition named by a verification code in a pasted text (the page's code block, the
 * history's codes), if any names one: the copy is compared with that edition first.
 */
async function editionByCodeInText(db: Db, tenantId: string, text: string): Promise<VerifiableEdition | undefined> {
  for (const m of text.matchAll(CODE_IN_TEXT)) {
    const code = parseVerificationCode(m[0])
    const e = code ? await findVerifiableEditionByCode(db, tenantId, code) : undefined
    if (e) return e
  }
  return undefined
}

/** The furniture kinds set aside, in the page's order. */
function kindsOf(set: Set<FurnitureKind>): FurnitureKind[] {
  return FURNITURE_KINDS.filter((k) => set.has(k))
}

/**
 * Finds the official edition a pasted text matches best, and how. A copy of a release page
 * holds more than the release's text: its furniture (dateline, labels, spokesperson box, code
 * block, the site's menus) is set aside first, for each candidate its own
 * ({@link setAsideFurniture}); sub-headings the copy left out and layout (bullets, table
 * separators) do not count. Only words of the release's text added, removed or changed make
 * a copy "altered", and only they are in the diff.
 */
export async function compareText(
  db: Db,
  tenantId: string,
  text: string,
  /** `releaseIds`: compare with these releases' editions only (coverage of a known item), not the search's candidates. */
  o: { releaseIds?: string[] } = {},
): Promise<VerifyOutcome> {
  const copy = normalizeForCompare(text)
  if (words(copy).length === 0) return { type: 'text', verdict: 'none' }
  // A code in the text names the edition it claims to be: compared first, and preferred.
  const coded = await editionByCodeInText(db, tenantId, text)
  const byCode = coded && (!o.releaseIds || o.releaseIds.includes(coded.releaseId)) ? coded : undefined
  const ids = o.releaseIds ? [...o.releaseIds] : await findVerifyCandidates(db, tenantId, copy, 10)
  if (byCode && !ids.includes(byCode.releaseId)) ids.unshift(byCode.releaseId)
  const editions = await verifiableEditions(db, tenantId, ids)
  const candidates = byCode
    ? [...editions.filter((e) => e.editionId === byCode.editionId), ...editions.filter((e) => e.editionId !== byCode.editionId)]
    : editions
  // 1. Identical to a whole edition (as a whole, body only, or summary and body).
  for (const e of candidates) {
    const t = editionText(e)
    if ([t.full, t.body, t.summaryAndBody].some((x) => x && normalizeForCompare(x) === copy)) {
      return { type: 'text', verdict: 'identical', found: await describeEdition(db, tenantId, e) }
    }
  }
  // 2. Identical once this release's page furniture and the layout are set aside.
  const tenant = await loadTenant(db, tenantId)
  const furnitureOf = new Map<string, Furniture>()
  const cleaned = candidates.map((e) => {
    let furniture = furnitureOf.get(e.releaseId)
    if (!furniture) {
      furniture = releaseFurniture({ editions: candidates.filter((x) => x.releaseId === e.releaseId), tenant })
      furnitureOf.set(e.releaseId, furniture)
    }
    const official = officialText(e)
    const clean = setAsideFurniture(text, official, furniture)
    const against = officialForCopy(official, clean.text)
    if (against.headingsLeftOut) clean.setAside.add('headings')
    if (contentWords(clean.text).length !== words(clean.text).length) clean.setAside.add('bullets')
    return { e, clean, against }
  })
  for (const c of cleaned) {
    if (sameWords(c.against, c.clean.text)) {
      return {
        type: 'text',
        verdict: 'identical-layout',
        found: await describeEdition(db, tenantId, c.e),
        setAside: kindsOf(c.clean.setAside),
      }
    }
  }
  if (words(copy).length < MIN_TEXT_WORDS) return { type: 'text', verdict: 'too-short' }
  // 3. Best alignment: share of the copy's words found in order in the official text.
  // The best: most of the copy's words found in order; then the fewest changes a reader would
  // be shown (an official text holding the copy as it is beats a near twin); then Dice. The
  // edition a code in the text names wins when the copy is a copy of it at all.
  type Scored = { c: (typeof cleaned)[number]; coverage: number; changed: number; dice: number; trimmed: ReturnType<typeof trimToCopy> }
  let best: Scored | undefined
  let named: Scored | undefined
  for (const c of cleaned) {
    const copyText = withoutLayoutTokens(c.clean.text)
    if (words(copyText).length < MIN_TEXT_WORDS) continue
    const officialFull = [c.against.title, c.against.summary, c.against.body].filter(Boolean).join('\n')
    const diff = wordDiff(excerptWindow(officialFull, copyText), copyText)
    if (!diff) continue
    const coverage = diff.same / Math.max(1, diff.copyWords)
    const dice = (2 * diff.same) / Math.max(1, diff.copyWords + diff.officialWords)
    const trimmed = trimToCopy(diff.parts)
    const changed = trimmed.parts.reduce((n, p) => (p.kind === 'same' ? n : n + words(p.text).length), 0)
    const scored = { c, coverage, changed, dice, trimmed }
    if (byCode && c.e.editionId === byCode.editionId) named = scored
    if (
      !best ||
      coverage > best.coverage ||
      (coverage === best.coverage && (changed < best.changed || (changed === best.changed && dice > best.dice)))
    )
      best = scored
  }
  if (named && named.coverage >= ALTERED_COVERAGE) best = named
  if (!best || best.coverage < ALTERED_COVERAGE) return { type: 'text', verdict: 'none' }
  const trimmed = best.trimmed
  const found = await describeEdition(db, tenantId, best.c.e)
  // Sub-headings outside an excerpt were not left out by the reader: not named.
  const setAside = kindsOf(best.c.clean.setAside).filter((k) => k !== 'headings')
  if (trimmed.parts.every((p) => p.kind === 'same')) return { type: 'text', verdict: 'excerpt', found, setAside }
  return { type: 'text', verdict: 'altered', found, diff: trimmed, setAside }
}
