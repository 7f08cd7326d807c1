/**
 * Every module that declares background jobs, imported before the queue starts so that
 * `serve` and `worker` know the same handlers. Add a line when a module defines a job.
 */
import './platform/mail/index.ts'
import './modules/accounts/sessions.ts'
import './modules/releases/lift-scheduler.ts'
import './modules/factcheck/factcheck.jobs.ts'
