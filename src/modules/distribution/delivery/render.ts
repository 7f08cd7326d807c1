/**
 * How a delivery reads (owned by the delivery part): subject, plain text and HTML of its mail,
 * Vietnamese first with English, the official source, labels (CẤM ĐĂNG TRƯỚC …, KHÔNG SỬ DỤNG /
 * DO NOT USE), and the recipient's own links. Stub signature first; the delivery engineer
 * fills it in. The portal inbox shows the same words.
 */
import type { DeliveryPayload } from '../distribution.types.ts'

/** A delivery's message. */
export interface RenderedMessage {
  subject: string
  text: string
  html: string
}

/** Renders one delivery for a recipient. */
export function renderMessage(
  _d: { id: string; kind: string; linkToken: string; payload: DeliveryPayload },
  _publicUrl: string,
): RenderedMessage {
  throw new Error('renderMessage: not built yet')
}

/** NOTIFY channel that wakes the sender (the fan-out and retries notify it after commit). */
export const DISTRIBUTION_CHANNEL = 'donghanh_distribution'
