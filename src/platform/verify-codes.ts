/**
 * Codes the public verify page (`/xac-minh`) accepts besides the releases' own: a module
 * registers a resolver at load (events: the partner certificates), and the page asks the
 * registry only when no release edition carries the code. The platform knows no module, so the
 * newsroom never imports the modules that issue other codes (no import cycle).
 */
import type { Db } from '../db/index.ts'

/** One line of what a verified code shows: a catalogue key for the label, and the value. */
export interface VerifiedCodeField {
  /** Catalogue key of the label (shown in the page's language). */
  labelKey: string
  /** The value: text as issued (`lang="vi"`), or an instant shown as a local date. */
  value: string | Date
}

/** What a resolver found for a code: only what the issued document itself states. */
export interface VerifiedCode {
  /** What was found (`certificate` …), for styling and tests. */
  kind: string
  /** Catalogue key of the heading ("Giấy chứng nhận hợp lệ"). */
  titleKey: string
  /** The code in its canonical form. */
  code: string
  /** `revoked` documents show when, never why. */
  status: 'valid' | 'revoked'
  revokedAt?: Date | null
  fields: VerifiedCodeField[]
  /** A link to the document itself (a certificate's PDF), when it may be shown. */
  link?: { href: string; labelKey: string }
}

/** A source of verifiable codes. */
export interface VerifyCodeResolver {
  /** Unique name; registering the same name again replaces the resolver. */
  name: string
  /** True when `input` (as typed: any case, with or without dashes) has this source's shape. */
  match(input: string): boolean
  /** The document `input` names in `tenantId`, or null (unknown codes answer null, like invented ones). */
  resolve(db: Db, tenantId: string, input: string): Promise<VerifiedCode | null>
}

const resolvers = new Map<string, VerifyCodeResolver>()

/** Adds (or replaces, by name) a resolver. Called once at module load. */
export function registerVerifyCodeResolver(resolver: VerifyCodeResolver): void {
  resolvers.set(resolver.name, resolver)
}

/** The first document a registered resolver finds for `input`, or null. */
export async function resolveVerifyCode(db: Db, tenantId: string, input: string): Promise<VerifiedCode | null> {
  const s = input.normalize('NFC').trim()
  if (!s || s.length > 200) return null
  for (const r of resolvers.values()) {
    if (!r.match(s)) continue
    const found = await r.resolve(db, tenantId, s)
    if (found) return found
  }
  return null
}
