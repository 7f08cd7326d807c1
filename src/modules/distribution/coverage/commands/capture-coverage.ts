/**
 * Captures a reported page and judges it (the `distribution.coverage-capture` job's work):
 * the desk's guarded capture (http(s) only, no credentials, non-public addresses refused before
 * and at connect time and on every redirect hop, 10 s, 5 MB decompressed, HTML/XHTML/plain
 * text only), Readability's main text, the comparison with the official text, the headline's
 * clickbait score; then one transaction writes the result and its audit row (system actor).
 *
 * A refused address, a non-page, a page too large or one that needs JavaScript fails for good
 * (a retry would get the same answer). A network error, a timeout or an HTTP error is thrown
 * so the queue retries it, and fails the report on the last attempt.
 */
import { and, eq } from 'drizzle-orm'
import type { Database } from '../../../../db/index.ts'
import { withTransaction } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { isAppError } from '../../../../platform/errors.ts'
import { scoreClickbait } from '../../../../text/clickbait.ts'
import { type CapturedPage, type CaptureOptions, capturePage } from '../../../factcheck/console/capture.ts'
import { DeskError } from '../../../factcheck/console/desk-kit.tsx'
import { type Article, extractArticle, judgeCoverage, NeedsJavaScriptError } from '../compare.ts'
import { type CoverageFailure, coverageReports } from '../coverage.tables.ts'
import { hostOf } from './report-coverage.ts'

const SYSTEM = { id: null, label: 'system' }

/** A capture failure: for good, or worth another attempt. */
class CaptureFailure extends Error {
  constructor(
    readonly reason: CoverageFailure,
    readonly detail: string,
    readonly retryable: boolean,
  ) {
    super(`${reason}: ${detail}`)
  }
}

/** The failure a desk capture error stands for. */
function failureOf(e: unknown): CaptureFailure {
  if (e instanceof DeskError) {
    const p = e.params
    switch (e.key) {
      case 'capturePrivate':
        return new CaptureFailure('private', String(p.host ?? ''), false)
      case 'captureTooLarge':
        return new CaptureFailure('too_large', `${p.mb ?? 5} MB`, false)
      case 'captureNotPage':
        return new CaptureFailure('not_page', String(p.type ?? '?'), false)
      case 'captureUrl':
        // Checked when reported; a redirect to a non-http(s) address lands here.
        return new CaptureFailure('private', String(p.url ?? ''), false)
      default: {
        const reason = String(p.reason ?? 'network')
        // A 4xx page will not appear by asking again; a 5xx, a timeout or the network may.
        return new CaptureFailure('unreachable', reason, !/^HTTP 4/.test(reason) && reason !== 'redirects')
      }
    }
  }
  if (e instanceof NeedsJavaScriptError) return new CaptureFailure('needs_js', '', false)
  if (isAppError(e)) return new CaptureFailure('unreachable', e.code, true)
  throw e
}

/** Options of {@link captureCoverage}. */
export interface CaptureCoverageOptions {
  database: Database
  reportId: string
  /** The capture's guards (`allowPrivate` from config.outboundAllowPrivate). */
  capture: CaptureOptions
  /** The last attempt: a retryable failure is recorded instead of thrown. */
  lastAttempt: boolean
  /** Fetches the page (default: the desk's guarded `capturePage`; the demo hands over its own HTML). */
  fetchPage?: (url: string, o: CaptureOptions) => Promise<CapturedPage>
}

/**
 * Captures and judges one pending report; does nothing for a report already captured or
 * failed (a doubled job). Returns the state it left.
 */
export async function captureCoverage(o: CaptureCoverageOptions): Promise<'captured' | 'failed' | 'skipped'> {
  const db = o.database.db
  const [report] = await db.select().from(coverageReports).where(eq(coverageReports.id, o.reportId))
  if (report?.state !== 'pending') return 'skipped'
  let article: Article
  let finalUrl: string
  try {
    const page = await (o.fetchPage ?? capturePage)(report.url, o.capture)
    finalUrl = page.finalUrl
    article = extractArticle(page)
  } catch (e) {
    const f = failureOf(e)
    if (f.retryable && !o.lastAttempt) throw f
    const failed = await withTransaction(o.database.pool, async (tx) => {
      const rows = await tx
        .update(coverageReports)
        .set({ state: 'failed', failureReason: f.reason, failureDetail: f.detail.slice(0, 200), capturedAt: now() })
        .where(and(eq(coverageReports.id, report.id), eq(coverageReports.state, 'pending')))
        .returning({ id: coverageReports.id })
      if (rows.length === 0) return false
      await recordAudit(tx, {
        tenantId: report.tenantId,
        actor: SYSTEM,
        action: 'coverage.capture_failed',
        subjectType: 'coverage',
        subjectId: report.id,
        summary: { host: hostOf(report.url), reason: f.reason, detail: f.detail.slice(0, 200) },
      })
      return true
    })
    return failed ? 'failed' : 'skipped'
  }
  const judged = await judgeCoverage(db, report.tenantId, report.itemType, report.itemId, article)
  const lead = article.text.split('\n', 1)[0]?.slice(0, 600)
  const clickbait = scoreClickbait(article.headline, lead)
  const done = await withTransaction(o.database.pool, async (tx) => {
    const rows = await tx
      .update(coverageReports)
      .set({
        state: 'captured',
        finalUrl: finalUrl.slice(0, 4096),
        headline: article.headline,
        text: article.text,
        editionId: judged.editionId,
        editionNumber: judged.editionNumber,
        verdict: judged.verdict,
        changes: judged.changes,
        diff: judged.diff,
        clickbaitScore: clickbait.score,
        clickbaitReasons: clickbait.reasons,
        capturedAt: now(),
      })
      .where(and(eq(coverageReports.id, report.id), eq(coverageReports.state, 'pending')))
      .returning({ id: coverageReports.id })
    if (rows.length === 0) return false
    await recordAudit(tx, {
      tenantId: report.tenantId,
      actor: SYSTEM,
      action: 'coverage.captured',
      subjectType: 'coverage',
      subjectId: report.id,
      summary: {
        host: hostOf(report.url),
        verdict: judged.verdict,
        edition: judged.editionNumber,
        // The published side stays in the report (erasable), not in the append-only audit.
        changes: judged.changes.map((c) => ({ kind: c.kind, official: c.official })),
        clickbait: Math.round(clickbait.score * 100) / 100,
      },
    })
    return true
  })
  return done ? 'captured' : 'skipped'
}
