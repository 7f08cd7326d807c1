/**
 * The publish gate: before approval, the working edition goes through the Vietnamese
 * content checks. High-risk findings (unmasked personal data of a minor or a victim; guilt
 * wording about people not yet judged) block approval unless the approver records an
 * override reason, which is audited — without copying the personal data into the log.
 */
import type { Tx } from '../../db/index.ts'
import { type AuditActor, recordAudit } from '../../platform/audit/index.ts'
import { AppError } from '../../platform/errors.ts'
import { type CheckResult, checkText, type Finding } from '../../text/check.ts'
import { stripMarkdown } from './markdown-text.ts'
import type { LoadedRelease } from './releases.repository.ts'

/** Runs the content checks on the working edition, with the linked case's stage. */
export function checkEdition(r: LoadedRelease): CheckResult {
  const w = r.working
  return checkText({
    title: w.title,
    text: [w.summary, stripMarkdown(w.bodyMd)].filter(Boolean).join('\n\n'),
    caseStage: (r.case?.stage as 'investigating' | 'charged' | 'at_trial' | 'judged' | undefined) ?? undefined,
  })
}

/** The findings that block approval. */
export function blockingFindings(result: CheckResult): Finding[] {
  return result.findings.filter((f) => f.severity === 'high')
}

/**
 * Passes, or throws PUBLISH_GATE (422) with the number of blocking findings. With an
 * override reason (≥ 10 characters) it passes and audits the override: kinds and types of
 * the findings, never their text.
 */
export async function assertPublishGate(
  tx: Tx,
  r: LoadedRelease,
  o: { actor: AuditActor; override?: string | null; ip?: string },
): Promise<void> {
  const blocking = blockingFindings(checkEdition(r))
  if (blocking.length === 0) return
  const reason = (o.override ?? '').trim().normalize('NFC')
  if (reason.length < 10) throw new AppError('PUBLISH_GATE', { count: blocking.length })
  await recordAudit(tx, {
    tenantId: r.release.tenantId,
    actor: o.actor,
    action: 'release.gate_overridden',
    subjectType: 'release',
    subjectId: r.release.id,
    summary: {
      edition: r.working.number,
      reason,
      findings: blocking.map((f) => ({ kind: f.kind, piiType: f.piiType ?? null, field: f.field })),
    },
    ip: o.ip,
  })
}
