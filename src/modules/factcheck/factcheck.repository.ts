/**
 * Reading the desk: one claim with what its page needs, and its working verdict. (The queue
 * and the SLA counts are read by the console's own queries, `console/desk.queries.ts`.)
 */
import { and, asc, desc, eq } from 'drizzle-orm'
import { type Db, readAll, type Tx } from '../../db/index.ts'
import { claimEvidence, claimHistory, claimNotes, claimSubmissions, claims, claimTasks, verdicts } from './factcheck.tables.ts'

/** A claim row. */
export type Claim = typeof claims.$inferSelect
/** A verdict row. */
export type Verdict = typeof verdicts.$inferSelect

/** A claim with everything its console page shows. */
export interface LoadedClaim {
  claim: Claim
  submissions: (typeof claimSubmissions.$inferSelect)[]
  evidence: (typeof claimEvidence.$inferSelect)[]
  notes: (typeof claimNotes.$inferSelect)[]
  tasks: (typeof claimTasks.$inferSelect)[]
  history: (typeof claimHistory.$inferSelect)[]
  verdicts: Verdict[]
}

/** Loads a claim with its submissions, evidence, notes, tasks, history and verdicts. Unsafe: no access check. */
export async function unsafeLoadClaim(
  db: Db | Tx,
  tenantId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LoadedClaim | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const q = db
    .select()
    .from(claims)
    .where(and(eq(claims.tenantId, tenantId), eq(claims.id, id)))
  const [claim] = opts.forUpdate ? await q.for('update') : await q
  if (!claim) return undefined
  const [submissions, evidence, notes, tasks, history, vs] = await readAll(db, [
    () => db.select().from(claimSubmissions).where(eq(claimSubmissions.claimId, id)).orderBy(asc(claimSubmissions.createdAt)),
    () => db.select().from(claimEvidence).where(eq(claimEvidence.claimId, id)).orderBy(asc(claimEvidence.capturedAt)),
    () => db.select().from(claimNotes).where(eq(claimNotes.claimId, id)).orderBy(asc(claimNotes.createdAt)),
    () => db.select().from(claimTasks).where(eq(claimTasks.claimId, id)).orderBy(asc(claimTasks.createdAt)),
    () => db.select().from(claimHistory).where(eq(claimHistory.claimId, id)).orderBy(asc(claimHistory.createdAt)),
    () => db.select().from(verdicts).where(eq(verdicts.claimId, id)).orderBy(desc(verdicts.version)),
  ])
  return { claim, submissions, evidence, notes, tasks, history, verdicts: vs }
}

/** The working verdict (newest version) of a loaded claim. */
export function workingVerdict(c: LoadedClaim): Verdict | undefined {
  return c.verdicts[0]
}
