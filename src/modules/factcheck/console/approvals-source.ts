/**
 * The verification desk's part of the approvals inbox: verdict versions sent for approval,
 * each marked when four-eyes bars the viewer (they sent it, or wrote or changed its text).
 */
import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import type { ApprovalSource, WaitingItem } from '../../../platform/modules.ts'
import { can } from '../../../platform/policy/index.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { claims, type VerdictContribution, type VerdictLabel, verdicts } from '../factcheck.tables.ts'
import { LABELS } from '../labels.ts'
import { DESK } from './desk-kit.tsx'

/** A verdict version waiting for approval. */
export interface WaitingVerdict {
  verdictId: string
  claimId: string
  claimCode: string
  version: number
  label: VerdictLabel
  headline: string
  submittedBy: string | null
  submittedAt: Date | null
  contributors: VerdictContribution[]
}

/** Verdict versions sent for approval in the actor's tenant, oldest submission first. */
export async function waitingVerdicts(db: Db, actor: Actor): Promise<WaitingVerdict[]> {
  return db
    .select({
      verdictId: verdicts.id,
      claimId: claims.id,
      claimCode: claims.code,
      version: verdicts.version,
      label: verdicts.label,
      headline: verdicts.headline,
      submittedBy: verdicts.submittedBy,
      submittedAt: verdicts.submittedAt,
      contributors: verdicts.contributors,
    })
    .from(verdicts)
    .innerJoin(claims, and(eq(claims.id, verdicts.claimId), eq(claims.tenantId, verdicts.tenantId)))
    .where(and(eq(verdicts.tenantId, actor.tenantId), eq(verdicts.status, 'submitted')))
    .orderBy(asc(verdicts.submittedAt))
    .limit(500)
}

/** Verdicts waiting on an approver. */
export const verdictApprovals: ApprovalSource = {
  visible: (actor) => can(actor, 'approve-verdict', { type: 'claim', tenantId: actor?.tenantId }),
  async list(actor, db) {
    const rows = await waitingVerdicts(db, actor)
    return rows.map(
      (v): WaitingItem => ({
        kind: 'verdict',
        id: v.verdictId,
        title: v.headline,
        href: `${DESK}/${v.claimId}#verdict`,
        submittedAt: v.submittedAt,
        submittedBy: v.submittedBy,
        contributorIds: [...new Set(v.contributors.map((c) => c.userId))],
        tags: [
          { key: 'approvals.tag.claim', params: { code: v.claimCode } },
          { key: 'approvals.tag.verdictLabel', params: { label: { vi: LABELS[v.label].vi, en: LABELS[v.label].en } } },
          ...(v.version > 1 ? [{ key: 'approvals.tag.verdictCorrection', params: { n: v.version }, tone: 'warn' as const }] : []),
        ],
        notYours: v.submittedBy === actor.id ? 'submitted' : v.contributors.some((c) => c.userId === actor.id) ? 'contributed' : undefined,
      }),
    )
  },
}
