/**
 * The sections of an event's console page below its invitations, one per part of the module
 * (each part's file renders its own, or null when it has nothing to show for this event).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { materialsPanel } from '../afterwards/afterwards.panel.tsx'
import { badgesConsolePanel } from '../badges/badges.panel.tsx'
import { checkinPanel } from '../checkin/checkin.panel.tsx'
import type { EventRow } from '../invitations/invitations.mail.ts'
import { questionsPanel } from '../questions/questions.panel.tsx'

export type EventPanel = (req: FastifyRequest, reply: FastifyReply, event: EventRow) => Promise<SafeHtml | null>

/** In page order. */
export const EVENT_CONSOLE_PANELS: EventPanel[] = [badgesConsolePanel, checkinPanel, questionsPanel, materialsPanel]

/** Renders every panel for the event (in parallel; each reads what it needs). */
export async function eventPanels(req: FastifyRequest, reply: FastifyReply, event: EventRow): Promise<SafeHtml[]> {
  const out = await Promise.all(EVENT_CONSOLE_PANELS.map((p) => p(req, reply, event)))
  return out.filter((x): x is SafeHtml => x !== null)
}
