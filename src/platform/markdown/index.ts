/**
 * Release bodies: Markdown → safe HTML, and Markdown → plain text.
 *
 * A safe subset of CommonMark plus tables (markdown-it): headings (shifted one level down so a
 * body starts at h2; h1 is the page title), paragraphs, emphasis, lists, blockquotes, links,
 * images, tables, code and rules. Raw HTML is never passed through (`html: false` renders it as
 * text). Links and images are checked against an allow-list *after* markdown-it has decoded
 * entities and escapes, so `&#106;avascript:` or `JaVaScRiPt:` cannot slip through; a refused
 * link keeps its text, a refused image shows its alt text.
 */
import MarkdownIt, { type Options, type Token } from 'markdown-it'
import { AppError } from '../errors.ts'

/** Longest body accepted, in UTF-16 code units of the NFC text (Vietnamese letters are one each). */
export const MAX_BODY_CHARS = 200_000

/** `rel` of links that leave the site. */
export const EXTERNAL_REL = 'noopener noreferrer nofollow'

/** Result of {@link renderMarkdown}. */
export interface RenderedMarkdown {
  /** Safe HTML fragment to embed in a page (trusted: wrap it in `raw()`). */
  html: string
  /** The images shown, in order: sources that passed the allow-list, with their alt text. */
  images: { src: string; alt: string }[]
}

/** markdown-it reads `maxNesting` from its options, but the type definitions omit it. */
const options: Options & { maxNesting: number } = {
  html: false,
  linkify: false,
  typographer: false,
  breaks: false,
  xhtmlOut: false,
  langPrefix: 'language-',
  // markdown-it's default is 100 (CommonMark preset: 20). Each level multiplies the work done
  // on unclosed brackets such as `![![![…` (200,000 chars: ~600 ms at 100, ~80 ms at 10).
  // Release bodies never nest lists, quotes or emphasis 10 deep; content nested deeper than
  // that is dropped by markdown-it, alike in the HTML and in the text.
  maxNesting: 10,
}
const md = new MarkdownIt('default', options)
// Outside the subset: raw HTML (also off through `html: false`), autolinking of bare URLs,
// typographic replacements, strikethrough.
md.disable(['html_block', 'html_inline', 'linkify', 'replacements', 'smartquotes', 'strikethrough'])
// Our own allow-list below decides; markdown-it's check would turn refused links into literal
// Markdown source (with the URL) instead of plain link text.
md.validateLink = () => true

/** Absolute web URL: scheme, then `//`, then a host that does not start with a slash or backslash. */
const WEB_URL_RE = /^https?:\/\/[^/\\\s]/i
/** A path on this site: one slash, then not a second slash or backslash (`//x` and `/\x` leave the site). */
const SITE_PATH_RE = /^\/(?![/\\])/
/** Attachment URLs: `/tep/` and a non-empty path. */
const ATTACHMENT_RE = /^\/tep\/[^/?#]/
/** What could make a browser resolve `/tep/…` elsewhere: backslashes, encoded dots or slashes. */
const PATH_ESCAPE_RE = /\\|%2e|%2f|%5c/i

/** True when `src` is one of our attachment URLs, with no `.`/`..` segment to climb out of `/tep/`. */
function isAttachmentPath(src: string): boolean {
  if (!ATTACHMENT_RE.test(src) || PATH_ESCAPE_RE.test(src)) return false
  const path = src.split(/[?#]/, 1)[0]
  return path.split('/').every((segment) => segment !== '.' && segment !== '..')
}

/** Controls, invisible format characters and whitespace: never part of a URL we emit. */
const UNSAFE_CHAR_RE = /[\p{Cc}\p{Cf}\s]/u

/** True when `href` may be the target of a link. */
export function isAllowedLinkHref(href: string): boolean {
  if (UNSAFE_CHAR_RE.test(href)) return false
  const lower = href.toLowerCase()
  return WEB_URL_RE.test(href) || SITE_PATH_RE.test(href) || /^mailto:[^/]/.test(lower) || /^tel:[+0-9(]/.test(lower)
}

/** True when `src` may be the source of an image: http(s) or one of our attachments. */
export function isAllowedImageSrc(src: string): boolean {
  if (UNSAFE_CHAR_RE.test(src)) return false
  return WEB_URL_RE.test(src) || isAttachmentPath(src)
}

const ALIGN_RE = /^text-align:(left|right|center)$/

/** Walks an inline token list, rewriting links and images in place; returns the new list. */
function sanitizeInline(children: Token[], makeText: (content: string) => Token): Token[] {
  if (!children.some((tok) => tok.type === 'link_open' || tok.type === 'image')) return children
  const out: Token[] = []
  // Links never nest in Markdown, so one flag pairs a refused link_open with its link_close.
  let droppingLink = false
  for (const tok of children) {
    if (tok.type === 'link_open') {
      const href = tok.attrGet('href') ?? ''
      if (!isAllowedLinkHref(href)) {
        droppingLink = true
        continue
      }
      if (WEB_URL_RE.test(href)) tok.attrSet('rel', EXTERNAL_REL)
      out.push(tok)
    } else if (tok.type === 'link_close') {
      if (droppingLink) {
        droppingLink = false
        continue
      }
      out.push(tok)
    } else if (tok.type === 'image') {
      const src = tok.attrGet('src') ?? ''
      if (!isAllowedImageSrc(src)) {
        const alt = inlineText(tok.children ?? [])
        if (alt) out.push(makeText(alt))
        continue
      }
      tok.attrSet('loading', 'lazy')
      out.push(tok)
    } else {
      out.push(tok)
    }
  }
  return out
}

md.core.ruler.push('donghanh_sanitize', (state) => {
  const makeText = (content: string): Token => {
    const t = new state.Token('text', '', 0)
    t.content = content
    return t
  }
  for (const tok of state.tokens) {
    if (tok.type === 'heading_open' || tok.type === 'heading_close') {
      const level = Number(tok.tag.slice(1))
      tok.tag = `h${Math.min(6, level + 1)}`
    } else if (tok.type === 'th_open' || tok.type === 'td_open') {
      // Alignment as a class, not a style attribute, so a strict CSP (no inline styles) still works.
      const style = tok.attrGet('style')
      if (style !== null) {
        const m = ALIGN_RE.exec(style)
        tok.attrs = (tok.attrs ?? []).filter(([name]) => name !== 'style')
        if (m) tok.attrSet('class', `align-${m[1]}`)
      }
    } else if (tok.type === 'inline' && tok.children) {
      tok.children = sanitizeInline(tok.children, makeText)
    }
  }
})

/** Text of inline tokens: what a reader sees, without URLs or markup. */
function inlineText(children: Token[]): string {
  let s = ''
  for (const tok of children) {
    if (tok.type === 'text' || tok.type === 'code_inline') s += tok.content
    else if (tok.type === 'softbreak') s += ' '
    else if (tok.type === 'hardbreak') s += '\n'
    else if (tok.type === 'image') s += inlineText(tok.children ?? [])
  }
  return s
}

/** NFC text of `markdown`, refused with BODY_TOO_LARGE (413) above {@link MAX_BODY_CHARS}. */
function prepare(markdown: string): string {
  // NFC never grows Vietnamese text, and rarely anything else by much; refuse absurd input
  // before paying for normalisation.
  if (markdown.length > MAX_BODY_CHARS * 4) throw new AppError('BODY_TOO_LARGE', { max: MAX_BODY_CHARS })
  const text = markdown.normalize('NFC')
  if (text.length > MAX_BODY_CHARS) throw new AppError('BODY_TOO_LARGE', { max: MAX_BODY_CHARS })
  return text
}

/**
 * Renders a release body to safe HTML. The input is NFC-normalised first.
 * @throws AppError BODY_TOO_LARGE when the body is longer than {@link MAX_BODY_CHARS}.
 */
export function renderMarkdown(markdown: string): RenderedMarkdown {
  const env = {}
  const tokens = md.parse(prepare(markdown), env)
  const images: RenderedMarkdown['images'] = []
  const collect = (list: Token[]) => {
    for (const tok of list) {
      if (tok.type === 'image') images.push({ src: tok.attrGet('src') ?? '', alt: inlineText(tok.children ?? []) })
      else if (tok.children) collect(tok.children)
    }
  }
  collect(tokens)
  return { html: md.renderer.render(tokens, md.options, env), images }
}

/** True when `src` (an image of a rendered body) is one of this site's attachments. */
export function isAttachmentSrc(src: string): boolean {
  return isAttachmentPath(src)
}

const BLOCK_END = new Set([
  'paragraph_close',
  'heading_close',
  'list_item_close',
  'blockquote_close',
  'tr_close',
  'bullet_list_close',
  'ordered_list_close',
  'table_close',
])

/**
 * Plain text of a release body, for search, feeds, summaries and signature checks: what a reader
 * sees, one line per block (paragraph, heading, list item, table row, code line), table cells
 * separated by ` | `, link text without URLs, image alt text, no Markdown markup. Runs of spaces
 * collapse to one, lines are trimmed, empty lines dropped; the result is NFC and deterministic.
 * @throws AppError BODY_TOO_LARGE when the body is longer than {@link MAX_BODY_CHARS}.
 */
export function markdownToText(markdown: string): string {
  const tokens = md.parse(prepare(markdown), {})
  let out = ''
  let cellsInRow = 0
  for (const tok of tokens) {
    if (tok.type === 'inline') out += inlineText(tok.children ?? [])
    else if (tok.type === 'code_block' || tok.type === 'fence') out += `\n${tok.content}\n`
    else if (tok.type === 'tr_open') cellsInRow = 0
    else if (tok.type === 'th_open' || tok.type === 'td_open') {
      if (cellsInRow++ > 0) out += ' | '
    } else if (BLOCK_END.has(tok.type) || tok.type === 'hr') out += '\n'
  }
  return out
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n')
}
