/**
 * Markdown → plain text for search, feeds, signatures checks and the content checks.
 */
import { markdownToText } from '../../platform/markdown/index.ts'

/** The words of a Markdown body (link text, image alt text, table cells), one block per line. */
export function stripMarkdown(md: string): string {
  return markdownToText(md)
}
