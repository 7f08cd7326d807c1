/** Public addresses of warnings (one place; pages, feeds, mails and the manifest use these). */

/** The public list. */
export const WARNINGS_PATH = '/canh-bao'
/** The active-alerts Atom feed (CAP entries). */
export const WARNINGS_FEED_PATH = '/canh-bao/cap.atom'
/** "Tin nhắn này có phải lừa đảo?" */
export const SELFCHECK_PATH = '/canh-bao/kiem-tra-tin-nhan'

/** A warning's public page. */
export function warningPath(slug: string): string {
  return `${WARNINGS_PATH}/${encodeURIComponent(slug)}`
}

/** The CAP XML of a warning's latest message. */
export function warningCapPath(slug: string): string {
  return `${warningPath(slug)}/cap.xml`
}

/** The CAP XML of one message (version) of a warning. */
export function warningCapVersionPath(slug: string, version: number): string {
  return `${warningPath(slug)}/cap/${version}.xml`
}

/** Share cards: 1200×630 (`wide`) and 1080×1920 for stories (`story`). */
export function warningCardPath(slug: string, format: 'wide' | 'story'): string {
  return `${warningPath(slug)}/${format === 'wide' ? 'the.png' : 'the-doc.png'}`
}
