/**
 * The coverage capture job. Whether private addresses may be fetched is configuration
 * (OUTBOUND_ALLOW_PRIVATE, tests and closed networks only), read from the process's config.
 */
import { processConfig } from '../../../config.ts'
import { defineJob } from '../../../platform/jobs/index.ts'
import { captureCoverage } from './commands/capture-coverage.ts'
import { COVERAGE_CAPTURE_JOB } from './commands/report-coverage.ts'

/** Attempts after the first for a network error, a timeout or a 5xx. */
const RETRY_LIMIT = 2

/** Captures and judges one reported page. */
export const coverageCaptureJob = defineJob<{ reportId: string }>(
  COVERAGE_CAPTURE_JOB,
  async (data, job, ctx) => {
    await captureCoverage({
      database: ctx.database,
      reportId: data.reportId,
      capture: { allowPrivate: processConfig().outboundAllowPrivate },
      lastAttempt: job.retryCount >= RETRY_LIMIT,
    })
  },
  { retryLimit: RETRY_LIMIT },
)
