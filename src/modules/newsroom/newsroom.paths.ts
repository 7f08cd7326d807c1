/**
 * Public addresses of the newsroom: Vietnamese path segments for the kinds, category slugs,
 * absolute URLs from `config.publicUrl`, and the display of instants in Asia/Ho_Chi_Minh.
 */
import type { Locale } from '../../platform/i18n/index.ts'
import { localFormat } from '../../platform/time.ts'
import { RELEASE_KINDS, type ReleaseKind } from '../releases/releases.tables.ts'
import { slugify } from '../releases/releases.workflow.ts'

/** The path segment of each kind under `/tin/loai/`. */
export const KIND_SLUGS: Record<ReleaseKind, string> = {
  press_release: 'thong-cao-bao-chi',
  activity: 'tin-hoat-dong',
  warning: 'canh-bao',
  announcement: 'thong-bao',
  correction: 'cai-chinh',
}

/** The kind of a `/tin/loai/:kind` segment, or undefined. */
export function kindFromSlug(segment: string): ReleaseKind | undefined {
  return RELEASE_KINDS.find((k) => KIND_SLUGS[k] === segment)
}

/** Path of a release page. */
export function releasePath(slug: string): string {
  return `/tin/${encodeURIComponent(slug)}`
}

/** Path of a kind's list. */
export function kindPath(kind: string): string {
  return `/tin/loai/${KIND_SLUGS[kind as ReleaseKind] ?? kind}`
}

/** URL segment of a category: its folded slug ("An ninh trật tự" → "an-ninh-trat-tu"). */
export function categorySlug(category: string): string {
  return slugify(category)
}

/** Path of a category's list. */
export function categoryPath(category: string): string {
  return `/tin/chuyen-muc/${categorySlug(category)}`
}

/** Path of a commune's list. */
export function communePath(code: string): string {
  return `/tin/xa-phuong/${encodeURIComponent(code)}`
}

/** An absolute URL of `path` on the public site. */
export function absoluteUrl(publicUrl: string, path: string): string {
  return `${publicUrl.replace(/\/+$/, '')}${path}`
}

/** An instant for readers: date and time in Asia/Ho_Chi_Minh (e.g. "08:30 26/11/2026"). */
export function formatDateTime(at: Date | null | undefined, locale: Locale): string {
  if (!at) return ''
  return localFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at)
}
