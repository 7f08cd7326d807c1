/**
 * Normalisation of short text typed into forms, shared by every module's commands: NFC with
 * legacy Vietnamese encodings repaired (`text/normalize.ts`), trimmed, bounded.
 */
import { normalizeText } from '../text/normalize.ts'

/** NFC (legacy encodings repaired), trimmed single-line text of at most `max` characters; '' for a non-string. */
export function cleanLine(value: unknown, max: number): string {
  return normalizeText(typeof value === 'string' ? value : '').slice(0, max)
}
