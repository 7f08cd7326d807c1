/**
 * Text helpers of the 1200×630 share cards (SVG, rendered to PNG by raster.ts): XML escaping,
 * truncation at a word, wrapping into a few lines.
 */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** Escapes text for XML content and attributes; drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; they are removed on purpose.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] as string)
  )
}

/** Cuts `text` to at most `max` characters at a word boundary when possible, adding "…". */
export function truncate(text: string, max: number): string {
  const s = text.replace(/\s+/g, ' ').trim()
  if (s.length <= max) return s
  const cut = s.slice(0, Math.max(0, max - 1))
  const space = cut.lastIndexOf(' ')
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`
}

/** Breaks `text` into at most `lines` lines of about `width` characters; the last ends in "…" if cut. */
export function wrapLines(text: string, width: number, lines: number): string[] {
  const out: string[] = []
  let line = ''
  let cut = false
  for (const raw of text.replace(/\s+/g, ' ').trim().split(' ').filter(Boolean)) {
    const w = raw.length > width ? `${raw.slice(0, width - 1)}…` : raw
    if (!line) line = w
    else if (line.length + 1 + w.length <= width) line += ` ${w}`
    else {
      out.push(line)
      line = w
      if (out.length === lines) {
        cut = true
        line = ''
        break
      }
    }
  }
  if (line) out.push(line)
  if (cut) {
    // Room for the "…": a full last line gives up its last word (a part of one only when the
    // line is a single long word).
    const last = out[lines - 1] as string
    const space = last.lastIndexOf(' ', width - 1)
    out[lines - 1] = `${last.length <= width - 1 ? last : space > 0 ? last.slice(0, space) : last.slice(0, width - 1)}…`
  }
  return out
}
