/**
 * The coverage capture job and the small service that hands it this process's outbound rule.
 * Jobs receive only the database; whether private addresses may be fetched is configuration
 * (OUTBOUND_ALLOW_PRIVATE, tests and closed networks only), read where jobs run from the
 * process's own config when its services start, else from the environment.
 */
import { loadConfig } from '../../../config.ts'
import { defineJob } from '../../../platform/jobs/index.ts'
import type { BackgroundService } from '../../../platform/modules.ts'
import { captureCoverage } from './commands/capture-coverage.ts'
import { COVERAGE_CAPTURE_JOB } from './commands/report-coverage.ts'

/** Attempts after the first for a network error, a timeout or a 5xx. */
const RETRY_LIMIT = 2

let allowPrivate: boolean | null = null

/** Sets the outbound rule for captures in this process (the service does; so may a test). */
export const coverageCaptureSettings: BackgroundService = {
  name: 'distribution.coverage-settings',
  runs: 'worker',
  start(ctx) {
    allowPrivate = ctx.config.outboundAllowPrivate
    return {
      stop() {
        allowPrivate = null
      },
    }
  },
}

/** Captures and judges one reported page. */
export const coverageCaptureJob = defineJob<{ reportId: string }>(
  COVERAGE_CAPTURE_JOB,
  async (data, job, ctx) => {
    await captureCoverage({
      database: ctx.database,
      reportId: data.reportId,
      capture: { allowPrivate: allowPrivate ?? loadConfig(process.env).outboundAllowPrivate },
      lastAttempt: job.retryCount >= RETRY_LIMIT,
    })
  },
  { retryLimit: RETRY_LIMIT },
)
