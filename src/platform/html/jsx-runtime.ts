/**
 * A tiny server-side JSX runtime that renders to strings and ESCAPES BY DEFAULT.
 *
 * Why our own: the common string JSX libraries leave child strings unescaped unless each
 * one is marked, which turns every forgotten mark into an XSS hole. Here every string is
 * escaped; trusted HTML must be wrapped in `raw()` on purpose, which is easy to grep for.
 */

/** Trusted HTML that must not be escaped again. Create it only with `raw()`. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

/** Marks a string as trusted HTML. Only for output of our own renderers (Markdown sanitiser, JSON-LD). */
export function raw(html: string): SafeHtml {
  return new SafeHtml(html)
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string)
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'])

type Child = SafeHtml | string | number | boolean | null | undefined | Child[]

function renderChildren(children: Child): string {
  if (children === null || children === undefined || children === false || children === true) return ''
  if (Array.isArray(children)) {
    let out = ''
    for (const c of children) out += renderChildren(c)
    return out
  }
  if (children instanceof SafeHtml) return children.value
  return escapeHtml(String(children))
}

function attrName(name: string): string {
  if (name === 'className') return 'class'
  if (name === 'htmlFor') return 'for'
  return name
}

function renderAttrs(props: Record<string, unknown>): string {
  let out = ''
  for (const key of Object.keys(props)) {
    if (key === 'children') continue
    const value = props[key]
    if (value === undefined || value === null || value === false) continue
    if (!/^[a-zA-Z_:][a-zA-Z0-9_.:-]*$/.test(key)) continue
    if (value === true) {
      out += ` ${attrName(key)}`
      continue
    }
    const text = value instanceof SafeHtml ? value.value : String(value)
    out += ` ${attrName(key)}="${escapeHtml(text)}"`
  }
  return out
}

type Component = (props: Record<string, unknown>) => SafeHtml
type Tag = string | Component

/** JSX factory used by the compiler (automatic runtime). */
export function jsx(tag: Tag, props: Record<string, unknown>): SafeHtml {
  if (typeof tag === 'function') return tag(props)
  const attrs = renderAttrs(props)
  if (VOID.has(tag)) return new SafeHtml(`<${tag}${attrs}>`)
  return new SafeHtml(`<${tag}${attrs}>${renderChildren(props.children as Child)}</${tag}>`)
}

export const jsxs = jsx
export const jsxDEV = jsx

/** `<>...</>` */
export function Fragment(props: { children?: Child }): SafeHtml {
  return new SafeHtml(renderChildren(props.children ?? null))
}

export declare namespace JSX {
  type Element = SafeHtml
  interface ElementChildrenAttribute {
    children: unknown
  }
  interface IntrinsicElements {
    [tag: string]: Record<string, unknown> & { children?: unknown }
  }
}
