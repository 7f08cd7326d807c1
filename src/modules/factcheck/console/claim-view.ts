/**
 * What the claim page needs, loaded in one place so every step's route can re-render the
 * page after a refusal: the claim with its submissions, evidence, notes, tasks, history and
 * verdicts; similar claims from the matcher (itself excluded); the claims its history names;
 * staff names; and published releases that can be linked as evidence.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { now } from '../../../platform/clock.ts'
import type { AppError } from '../../../platform/errors.ts'
import type { MatchDecision } from '../../../text/match-score.ts'
import { type LoadedClaim, workingVerdict } from '../factcheck.repository.ts'
import { candidateOrder, findSimilarClaims, STAFF_MATCH } from '../matcher.ts'
import type { ClaimPage, SeverityValues, VerdictValues } from './claim-page.ts'
import { claimPage } from './claim.pages.tsx'
import { loadClaimOr404 } from './desk-kit.tsx'
import { type ClaimRef, claimRefs, publishedReleases, staffMembers } from './desk.queries.ts'
import { submittedFiles } from './screenshots.tsx'

/** A similar claim as the page shows it. */
export interface Suggestion {
  claim: ClaimRef
  score: number
  decision: MatchDecision
  /** Share of the shorter text the longer carries (what makes a `related` one). */
  containment?: number
  /** Found by the text read from a submitted image. */
  fromImage?: boolean
}

/** The verdict form's starting values: the working verdict, or empty. */
export function verdictValuesOf(c: LoadedClaim): VerdictValues {
  const v = workingVerdict(c)
  if (!v) return { label: '', title: '', bodyMd: '', evidenceIds: [], correctionNote: '' }
  return {
    label: v.label,
    title: v.headline,
    bodyMd: v.explanationMd,
    evidenceIds: v.evidenceIds,
    correctionNote: v.status === 'published' ? '' : (v.correctionNote ?? ''),
  }
}

/** Options of a rendering of the claim page. */
export interface ShowClaimOptions {
  error?: AppError | null
  /** `?done=` notice key (under `desk.done.`). */
  done?: string
  ticket?: string
  /** A claim the notice links to (the new claim of a split). */
  other?: string
  /** Verdict form values to keep after a refusal. */
  verdict?: VerdictValues
  /** Severity form values to keep after a refusal (the reason typed is not lost). */
  severity?: SeverityValues
}

/** Loads everything and renders the claim page (status from the error, if any). */
export async function showClaim(req: FastifyRequest, reply: FastifyReply, id: string, o: ShowClaimOptions = {}): Promise<FastifyReply> {
  const { database, tenant } = req.server.ctx
  const db = database.db
  const loaded = await loadClaimOr404(db, tenant.id, id)
  const c = loaded.claim
  const open = c.status !== 'merged' && c.status !== 'dismissed'
  const files = await submittedFiles(
    db,
    tenant.id,
    loaded.submissions.map((s) => s.id),
  )
  // The text read from screenshots is matched too: a rumour often arrives as an image only.
  const imageTexts = files.flatMap((f) => (f.ocr?.status === 'done' && f.ocr.text ? [f.ocr.text] : []))
  const found = open
    ? [
        // Staff see the related tier too (a pasted post carrying a claim on file); the public never does.
        ...(await findSimilarClaims(tenant.id, c.statement, 11, STAFF_MATCH)).map((x) => ({ ...x, fromImage: false })),
        ...(await Promise.all(imageTexts.map((text) => findSimilarClaims(tenant.id, text, 11, STAFF_MATCH))))
          .flat()
          .map((x) => ({ ...x, fromImage: true })),
      ]
    : []
  const bestOf = new Map<string, (typeof found)[number]>()
  for (const x of found) {
    const prev = bestOf.get(x.claimId)
    if (x.claimId !== c.id && (!prev || candidateOrder(x, prev) < 0)) bestOf.set(x.claimId, x)
  }
  const candidates = [...bestOf.values()].sort(candidateOrder).slice(0, 10)
  const refIds = [
    ...candidates.map((x) => x.claimId),
    ...loaded.history.map((h) => h.otherClaimId).filter((x): x is string => !!x),
    ...(c.mergedInto ? [c.mergedInto] : []),
  ]
  const [refs, staff, releases] = await Promise.all([
    claimRefs(db, tenant.id, refIds),
    staffMembers(db, tenant.id),
    publishedReleases(db, tenant.id),
  ])
  const suggestions: Suggestion[] = candidates.flatMap((x) => {
    const ref = refs.get(x.claimId)
    return ref && ref.status !== 'merged' && ref.status !== 'dismissed'
      ? [{ claim: ref, score: x.score, decision: x.decision, fromImage: x.fromImage, containment: x.containment }]
      : []
  })
  const page: ClaimPage = {
    loaded,
    suggestions,
    files,
    refs,
    staff,
    releases,
    now: now(),
    error: o.error ?? null,
    done: o.done,
    ticket: o.ticket,
    other: o.other && /^[0-9a-f-]{36}$/i.test(o.other) ? o.other : undefined,
    verdict: o.verdict ?? verdictValuesOf(loaded),
    severity: o.severity,
    publicUrl: req.server.ctx.config.publicUrl,
  }
  return claimPage({ req, reply }, page)
}
