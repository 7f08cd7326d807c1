/** Jobs of partner sign-in, listed in the portal manifest. */
import { defineJob } from '../../../platform/jobs/index.ts'
import { SIGN_IN_LINK_JOB, type SignInLinkJobData } from './commands/request-sign-in-link.ts'
import { sendSignInLink } from './commands/send-sign-in-link.ts'

/** Issues and mails a sign-in link (or, for an address that may not sign in, nothing). */
export const signInLinkJob = defineJob<SignInLinkJobData>(
  SIGN_IN_LINK_JOB,
  async (data, _job, ctx) => {
    await sendSignInLink(ctx.database, data)
  },
  { retryLimit: 3 },
)
