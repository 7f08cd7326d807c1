/**
 * Message catalogues. Vietnamese is the default locale, English the second. Strings live
 * in `vi.json` / `en.json`, never in code; `t()` interpolates `{name}` placeholders.
 */
import en from './en.json' with { type: 'json' }
import vi from './vi.json' with { type: 'json' }

/** Supported locales. */
export type Locale = 'vi' | 'en'
export const LOCALES: readonly Locale[] = ['vi', 'en']

/** A key of the catalogue (the Vietnamese one is the reference). */
export type MessageKey = keyof typeof vi

const catalogues: Record<Locale, Record<string, string>> = { vi, en }

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
    vi: Object.keys(en).filter((k) => !(k in vi)),
    en: Object.keys(vi).filter((k) => !(k in en)),
  }
}
