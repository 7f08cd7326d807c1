import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import type { EventRow } from '../invitations/invitations.mail.ts'
import type { OwnInvitation } from '../invitations/invitations.queries.ts'

/** Stub: filled in by its part. */
export async function materialsPanel(_req: FastifyRequest, _reply: FastifyReply, _x: EventRow): Promise<SafeHtml | null> {
  return null
}
