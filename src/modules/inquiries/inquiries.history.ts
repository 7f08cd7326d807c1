/** The history of an inquiry: one row per step, written in the step's transaction. */
import type { Tx } from '../../db/index.ts'
import type { AuditActor } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { inquiryEvents } from './inquiries.tables.ts'

/** Appends a step to an inquiry's history. */
export async function recordInquiryEvent(
  tx: Tx,
  o: { tenantId: string; inquiryId: string; type: string; actor: AuditActor; detail?: Record<string, unknown>; at?: Date },
): Promise<void> {
  await tx.insert(inquiryEvents).values({
    tenantId: o.tenantId,
    inquiryId: o.inquiryId,
    type: o.type,
    actorId: o.actor.id,
    actorLabel: o.actor.label,
    detail: o.detail ?? {},
    at: o.at ?? now(),
  })
}
