/**
 * Which releases an asker may name as "related": what is public (`releases.public.ts`, the one
 * visibility rule) and, for a partner with embargo access now, the embargoed ones. Staff may
 * name any release they can see in the console; the partner never sees a sealed case's release.
 */
import type { Db, Tx } from '../../db/index.ts'
import { listEmbargoedForJournalists, listPublicReleases } from '../releases/releases.public.ts'

/** A release an asker may pick. */
export interface ReleaseOption {
  id: string
  title: string
  embargoed: boolean
}

/** The releases a partner may name (recent public ones; embargoed ones only with access). */
export async function releaseOptions(db: Db | Tx, tenantId: string, o: { embargo: boolean }): Promise<ReleaseOption[]> {
  const pub = await listPublicReleases(db as Db, tenantId, { limit: 100 })
  const out: ReleaseOption[] = pub.map((r) => ({ id: r.id, title: r.title ?? '', embargoed: false }))
  if (o.embargo) {
    for (const r of await listEmbargoedForJournalists(db as Db, tenantId)) out.push({ id: r.id, title: r.title, embargoed: true })
  }
  return out
}
