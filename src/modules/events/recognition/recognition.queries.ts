/** Reads of the recognition pages: adjustments with their reasons, recognitions, the year's conferences. */
import { and, asc, desc, eq, gte, lt, ne } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { events, partnerRecognitions, partnerScoreAdjustments } from '../events.tables.ts'
import { yearBounds } from './score.ts'

/** One adjustment as shown (to staff and to the partner it concerns). */
export interface AdjustmentView {
  id: string
  partnerId: string
  points: number
  reason: string
  createdAt: Date
}

/** A recognition as shown. */
export type RecognitionView = typeof partnerRecognitions.$inferSelect

const adjustmentCols = {
  id: partnerScoreAdjustments.id,
  partnerId: partnerScoreAdjustments.partnerId,
  points: partnerScoreAdjustments.points,
  reason: partnerScoreAdjustments.reason,
  createdAt: partnerScoreAdjustments.createdAt,
}

/** The adjustments of a year, oldest first, optionally of one partner only. */
export async function adjustmentsOfYear(db: Db, tenantId: string, year: number, partnerId?: string): Promise<AdjustmentView[]> {
  return db
    .select(adjustmentCols)
    .from(partnerScoreAdjustments)
    .where(
      and(
        eq(partnerScoreAdjustments.tenantId, tenantId),
        eq(partnerScoreAdjustments.year, year),
        partnerId ? eq(partnerScoreAdjustments.partnerId, partnerId) : undefined,
      ),
    )
    .orderBy(asc(partnerScoreAdjustments.createdAt))
}

/** The recognitions of a year (revoked ones included). */
export async function recognitionsOfYear(db: Db, tenantId: string, year: number): Promise<RecognitionView[]> {
  return db
    .select()
    .from(partnerRecognitions)
    .where(and(eq(partnerRecognitions.tenantId, tenantId), eq(partnerRecognitions.year, year)))
}

/** A partner's own recognitions, newest year first. */
export async function recognitionsOfPartner(db: Db, tenantId: string, partnerId: string): Promise<RecognitionView[]> {
  return db
    .select()
    .from(partnerRecognitions)
    .where(and(eq(partnerRecognitions.tenantId, tenantId), eq(partnerRecognitions.partnerId, partnerId)))
    .orderBy(desc(partnerRecognitions.year))
}

/** The recognition with this (canonical) certificate code in the tenant, if any. */
export async function recognitionByCode(db: Db, tenantId: string, code: string): Promise<RecognitionView | undefined> {
  const [row] = await db
    .select()
    .from(partnerRecognitions)
    .where(and(eq(partnerRecognitions.tenantId, tenantId), eq(partnerRecognitions.certificateCode, code)))
  return row
}

/** The yearly partner conferences of a year (not cancelled), to link a recognition to. */
export async function conferencesOfYear(db: Db, tenantId: string, year: number): Promise<{ id: string; title: string; startsAt: Date }[]> {
  const { from, to } = yearBounds(year)
  return db
    .select({ id: events.id, title: events.title, startsAt: events.startsAt })
    .from(events)
    .where(
      and(
        eq(events.tenantId, tenantId),
        eq(events.kind, 'annual_partner_conference'),
        ne(events.state, 'cancelled'),
        gte(events.startsAt, from),
        lt(events.startsAt, to),
      ),
    )
    .orderBy(asc(events.startsAt))
}
