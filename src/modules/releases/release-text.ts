/**
 * Plain text of an edition for search, feeds and the verification page.
 */
import { stripMarkdown } from './markdown-text.ts'

/** Title, summary and body as plain text, one block per line. */
export function releaseToText(e: { title: string; summary: string; bodyMd: string }): string {
  return [e.title, e.summary, stripMarkdown(e.bodyMd)].filter(Boolean).join('\n')
}
