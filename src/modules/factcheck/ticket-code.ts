/**
 * Ticket codes of the verification desk: `KC-<year>-<5 digits>-<5 digits>`, ten random digits
 * (crypto.randomInt), so that the code alone — which shows a ticket's status without the key —
 * cannot be guessed from a neighbour's code, and says nothing about how many tickets the desk
 * receives. Digits only, in two groups of five, so that it can be read out over the phone.
 *
 * Tickets issued before this (`KC-<year>-<6-digit sequence>`) still look up.
 */
import { randomInt } from 'node:crypto'

const CURRENT = /^KC(\d{4})(\d{5})(\d{5})$/
const LEGACY = /^KC(\d{4})(\d{6})$/

/** One random code for the given year (`KC-2026-04817-93512`). */
export function randomTicketCode(year: string): string {
  const part = (): string => String(randomInt(100_000)).padStart(5, '0')
  return `KC-${year}-${part()}-${part()}`
}

/**
 * The canonical form of a code as someone typed it (any case, spaces or dashes between the
 * groups, or none), or undefined when it is not a ticket code.
 */
export function normalizeTicketCode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/[\s\-–—.]/g, '')
  if (compact.length > 20) return undefined
  const m = CURRENT.exec(compact)
  if (m) return `KC-${m[1]}-${m[2]}-${m[3]}`
  const old = LEGACY.exec(compact)
  if (old) return `KC-${old[1]}-${old[2]}`
  return undefined
}
