/**
 * The sections of a partner's event page below the answer form, one per part of the module:
 * the badge (once confirmed) and the live questions (during the event).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { badgePortalPanel } from '../badges/badges.panel.tsx'
import { questionsPortalPanel } from '../questions/questions.panel.tsx'
import type { OwnInvitation } from './invitations.queries.ts'

export type PortalEventPanel = (req: FastifyRequest, reply: FastifyReply, item: OwnInvitation) => Promise<SafeHtml | null>

/** In page order. */
export const PORTAL_EVENT_PANELS: PortalEventPanel[] = [badgePortalPanel, questionsPortalPanel]

/** Renders every panel for the partner's invitation. */
export async function portalEventPanels(req: FastifyRequest, reply: FastifyReply, item: OwnInvitation): Promise<SafeHtml[]> {
  const out = await Promise.all(PORTAL_EVENT_PANELS.map((p) => p(req, reply, item)))
  return out.filter((x): x is SafeHtml => x !== null)
}
