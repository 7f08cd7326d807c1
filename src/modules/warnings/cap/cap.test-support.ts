/**
 * Test support for the CAP writer and the feed: schema validation against the official OASIS
 * CAP 1.2 XML Schema (test/fixtures/cap-1.2, run by libxml2's xmllint compiled to WebAssembly,
 * offline), and a strict, namespace-aware XML parser (saxes) into a small tree to read values back.
 */
import { readFileSync } from 'node:fs'
import { SaxesParser } from 'saxes'
import { validateXML } from 'xmllint-wasm'

const CAP_XSD = readFileSync(new URL('../../../../test/fixtures/cap-1.2/CAP-v1.2.xsd', import.meta.url), 'utf8')

/** The schema's verdict on a document: valid, or the validator's error messages. */
export async function validateCap(xml: string): Promise<{ valid: boolean; errors: string[] }> {
  const result = await validateXML({
    xml: { fileName: 'message.xml', contents: xml },
    schema: { fileName: 'CAP-v1.2.xsd', contents: CAP_XSD },
  })
  return { valid: result.valid, errors: result.errors.map((e) => e.message) }
}

/** An element of a parsed document. */
export interface XmlNode {
  /** Local name. */
  name: string
  /** Namespace URI. */
  uri: string
  /** Attributes by local name. */
  attrs: Record<string, string>
  /** Child elements in order. */
  children: XmlNode[]
  /** Its own text content (child elements' text not included). */
  text: string
}

/** Parses a document strictly (throws on anything not well-formed) and returns its root element. */
export function parseXml(xml: string): XmlNode {
  const parser = new SaxesParser({ xmlns: true })
  const stack: XmlNode[] = []
  let root: XmlNode | undefined
  parser.on('opentag', (tag) => {
    const node: XmlNode = {
      name: tag.local,
      uri: tag.uri,
      attrs: Object.fromEntries(Object.values(tag.attributes).map((a) => [a.local, a.value])),
      children: [],
      text: '',
    }
    const parent = stack.at(-1)
    if (parent) parent.children.push(node)
    else root = node
    stack.push(node)
  })
  parser.on('text', (t) => {
    const top = stack.at(-1)
    if (top) top.text += t
  })
  parser.on('closetag', () => {
    stack.pop()
  })
  parser.on('error', (e) => {
    throw e
  })
  parser.write(xml).close()
  if (!root) throw new Error('no root element')
  return root
}

/** The child elements of `node` named `name`. */
export function all(node: XmlNode, name: string): XmlNode[] {
  return node.children.filter((c) => c.name === name)
}

/** The text of the one child named `name` (undefined when absent; throws when repeated). */
export function text(node: XmlNode, name: string): string | undefined {
  const found = all(node, name)
  if (found.length > 1) throw new Error(`${name} repeated`)
  return found[0]?.text
}
