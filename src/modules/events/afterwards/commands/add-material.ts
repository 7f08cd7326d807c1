import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { cleanLine } from '../../../../platform/text-input.ts'
import { isHttpUrl } from '../../../partners/commands/create-press-outlet.ts'
import { releaseEditions, releases } from '../../../releases/releases.tables.ts'
import { lockEvent } from '../../commands/load-event.ts'
import { eventMaterials, MATERIAL_KINDS, type MaterialKind } from '../../events.tables.ts'
import { UUID_RE } from '../../invitations/commands/lock-event.ts'

/** Most materials one event keeps (a mail lists them all). */
export const MAX_MATERIALS = 50

/** What the materials form sends. */
export interface MaterialInput {
  /** release | photo | recording | document. */
  kind: string
  /** Shown in the mail; for a release, its title when left empty. */
  title?: string
  /** The link (photos, recording, document): http(s), at most 2048 characters. */
  url?: string
  /** A published release of the office (kind release). */
  releaseId?: string
}

/** An http(s) link of at most 2048 characters, or a refusal naming the field. */
export function cleanMaterialUrl(value: string | undefined): string {
  const v = (value ?? '').trim()
  if (!v || v.length > 2048 || !isHttpUrl(v)) throw new AppError('EVENT_MATERIAL_INVALID', { reason: 'url' })
  return new URL(v).toString()
}

/**
 * Adds a material to an event (announced or held; not a draft or a cancelled one): a published
 * release of the office, or a link to the photos, the recording or a document. The row and the
 * `event.material_added` audit row share `tx`. Refusals: EVENT_MATERIAL_INVALID (kind, title,
 * link, release not published or not the office's, too many), EVENT_CLOSED, EVENT_NOT_FOUND.
 */
export async function addMaterial(o: {
  tx: Tx
  tenantId: string
  eventId: string
  input: MaterialInput
  /** Who adds it (audit; `created_by`). */
  actor: AuditActor
  ip?: string | null
}): Promise<{ id: string }> {
  const { tx, tenantId, input } = o
  if (!(MATERIAL_KINDS as readonly string[]).includes(input.kind)) throw new AppError('EVENT_MATERIAL_INVALID', { reason: 'kind' })
  const kind = input.kind as MaterialKind
  let title = cleanLine(input.title ?? '', 1000)
  if (title.length > 300) throw new AppError('EVENT_MATERIAL_INVALID', { reason: 'title' })
  let url: string | null = null
  let releaseId: string | null = null
  if (kind === 'release') {
    const id = (input.releaseId ?? '').trim()
    if (!UUID_RE.test(id)) throw new AppError('EVENT_MATERIAL_INVALID', { reason: 'release' })
    const [rel] = await tx
      .select({ id: releases.id, title: releaseEditions.title })
      .from(releases)
      .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
      .where(and(eq(releases.id, id), eq(releases.tenantId, tenantId), eq(releases.status, 'published')))
    if (!rel) throw new AppError('EVENT_MATERIAL_INVALID', { reason: 'release' })
    releaseId = rel.id
    if (!title) title = cleanLine(rel.title, 300)
  } else {
    url = cleanMaterialUrl(input.url)
  }
  if (title.length < 2) throw new AppError('EVENT_MATERIAL_INVALID', { reason: 'title' })

  const event = await lockEvent(tx, tenantId, o.eventId)
  if (event.state === 'draft') throw new AppError('EVENT_NOT_ANNOUNCED')
  if (event.state === 'cancelled') throw new AppError('EVENT_CLOSED')
  const [count] = await tx
    .execute<{ n: number; next: number }>(sql`
    SELECT count(*)::int AS n, coalesce(max(position) + 1, 0)::int AS next
    FROM event_materials WHERE tenant_id = ${tenantId} AND event_id = ${event.id}
  `)
    .then((r) => r.rows)
  if ((count?.n ?? 0) >= MAX_MATERIALS) throw new AppError('EVENT_MATERIAL_INVALID', { reason: `> ${MAX_MATERIALS}` })
  const actorId = o.actor.id ?? null
  const [row] = await tx
    .insert(eventMaterials)
    .values({ tenantId, eventId: event.id, kind, title, url, releaseId, position: count?.next ?? 0, createdBy: actorId, createdAt: now() })
    .returning({ id: eventMaterials.id })
  if (!row) throw new AppError('INTERNAL')
  await recordAudit(tx, {
    tenantId,
    actor: o.actor,
    action: 'event.material_added',
    subjectType: 'event',
    subjectId: event.id,
    summary: { materialId: row.id, kind, title, url, releaseId },
    ip: o.ip ?? null,
  })
  return { id: row.id }
}
