/**
 * Message catalogues. Vietnamese is the default locale, English the second. Strings live
 * in `catalogues/<area>.vi.json` and `<area>.en.json` (one pair per area, so engineers
 * working on different modules never edit the same file), never in code; `t()`
 * interpolates `{name}` placeholders.
 */
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** Supported locales. */
export type Locale = 'vi' | 'en'

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'catalogues')

const dirs: string[] = [DIR]

function load(locale: Locale): Record<string, string> {
  const out: Record<string, string> = {}
  const files = dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith(`.${locale}.json`))
      .sort()
      .map((f) => path.join(dir, f)),
  )
  for (const file of files) {
    const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>
    for (const [k, v] of Object.entries(entries)) {
      if (k in out) throw new Error(`message key ${k} is defined twice (${file})`)
      out[k] = v.normalize('NFC')
    }
  }
  return out
}

let catalogues: Record<Locale, Record<string, string>> = { vi: load('vi'), en: load('en') }

/**
 * Adds a module's catalogue folder (`<area>.vi.json` / `<area>.en.json`), from its manifest.
 * The catalogues are read again at once, so a duplicate key fails at start-up.
 */
export function registerCatalogueDir(dir: string): void {
  const resolved = path.resolve(dir)
  if (dirs.includes(resolved)) return
  dirs.push(resolved)
  catalogues = { vi: load('vi'), en: load('en') }
}

/** Translates `key` into `locale`, falling back to Vietnamese, then to the key itself. */
export function t(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const template = catalogues[locale][key] ?? catalogues.vi[key] ?? key
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
}

/** Both languages of a message, for JSON error bodies. */
export function both(key: string, params: Record<string, string | number> = {}): { vi: string; en: string } {
  return { vi: t('vi', key, params), en: t('en', key, params) }
}

/** Reads a locale from a cookie or query value; unknown values fall back to Vietnamese. */
export function parseLocale(value: unknown): Locale {
  return value === 'en' ? 'en' : 'vi'
}

/** Keys present in one catalogue but not the other (used by a test to keep them in step). */
export function missingKeys(): { vi: string[]; en: string[] } {
  return {
    vi: Object.keys(catalogues.en).filter((k) => !(k in catalogues.vi)),
    en: Object.keys(catalogues.vi).filter((k) => !(k in catalogues.en)),
  }
}

/** Whether a key exists in the catalogues. */
export function hasMessage(key: string): boolean {
  return key in catalogues.vi
}
