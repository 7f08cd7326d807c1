/**
 * A citizen's choice to send a self-checked message to the verification desk: the only way
 * anything pasted into "Tin nhắn này có phải lừa đảo?" is kept. It becomes a public submission
 * of the desk (a ticket), and the decision is audited without the text.
 */
import { type Database, withTransaction } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { type SubmitClaimResult, submitClaim } from '../../factcheck/commands/submit-claim.ts'
import { readPaste } from './selfcheck.index.ts'

/** What the desk records as where the message was seen. */
export const SELFCHECK_SEEN_WHERE = 'Tự kiểm tra tin nhắn'

/** Options of {@link reportSelfCheck}. */
export interface ReportSelfCheckOptions {
  tenantId: string
  /** The message as pasted (HTML is reduced to text; its links go with it). */
  text: string
}

/**
 * Sends the message to the desk (`submitClaim`, channel `public`, seen where "Tự kiểm tra tin
 * nhắn") and records `warning.selfcheck_reported` (ticket, claim, counts — never the text) in
 * the same transaction. The same message again within minutes returns the same ticket.
 * @throws SELFCHECK_EMPTY, SELFCHECK_TOO_LONG (and the desk's own refusals, e.g. TEXT_TOO_SHORT)
 */
export async function reportSelfCheck(database: Database, o: ReportSelfCheckOptions): Promise<SubmitClaimResult> {
  const paste = readPaste(o.text)
  return withTransaction(database.pool, async (tx) => {
    const r = await submitClaim({
      tx,
      tenantId: o.tenantId,
      channel: 'public',
      actor: { id: null, label: 'public' },
      text: paste.text,
      links: paste.links.map((l) => l.canonical),
      seenWhere: SELFCHECK_SEEN_WHERE,
    })
    await recordAudit(tx, {
      tenantId: o.tenantId,
      actor: { id: null, label: 'public' },
      action: 'warning.selfcheck_reported',
      subjectType: 'claim',
      subjectId: r.claimId,
      // The desk keeps no file on who asked, and the audit log never holds the message.
      summary: { ticket: r.ticket, duplicate: r.duplicate, links: paste.links.length },
      ip: null,
    })
    return r
  })
}
