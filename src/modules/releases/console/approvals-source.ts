/**
 * The releases' part of the approvals inbox: editions sent for approval, read through the
 * approval queue (so a release of a sealed case shows only to the case's members), each
 * marked when four-eyes bars the viewer (they sent it, or wrote or changed its text).
 */
import type { ApprovalSource, WaitingItem } from '../../../platform/modules.ts'
import { can } from '../../../platform/policy/index.ts'
import { approvalQueue } from './console.queries.ts'
import { contributed, contributorIds } from './contributors.tsx'

/** Releases waiting on an approver. */
export const releaseApprovals: ApprovalSource = {
  // The role rule of approving; the record rule (need-to-know) is the queue's where-clause.
  visible: (actor) => can(actor, 'approve', { type: 'release', tenantId: actor?.tenantId, record: { case: null } }),
  async list(actor, db) {
    const rows = await approvalQueue(db, actor)
    return rows.map(
      (r): WaitingItem => ({
        kind: 'release',
        id: r.id,
        title: r.title,
        href: `/console/releases/${r.id}`,
        submittedAt: r.submittedAt,
        submittedBy: r.submittedBy,
        contributorIds: contributorIds([r]),
        tags: [
          { key: `releases.kind.${r.kind}` },
          ...(r.caseCode
            ? [
                {
                  key: r.caseState === 'sealed' ? 'approvals.tag.sealedCase' : 'approvals.tag.case',
                  params: { code: r.caseCode },
                  tone: r.caseState === 'sealed' ? ('admin' as const) : undefined,
                },
              ]
            : []),
          ...(r.correction ? [{ key: 'approvals.correction', params: { n: r.editionNumber }, tone: 'warn' as const }] : []),
        ],
        notYours: r.submittedBy === actor.id ? 'submitted' : contributed(r.contributors, actor.id) ? 'contributed' : undefined,
      }),
    )
  },
}
