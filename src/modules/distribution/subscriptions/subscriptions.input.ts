/**
 * Reading the subscription form: the address normalised (trim, NFC, lower-case), topics from
 * the three allowed, communes from the province's list. Anything else is refused with the
 * field named, before anything is written.
 */
import { AppError } from '../../../platform/errors.ts'
import { normalizeEmail } from '../../../platform/auth/secrets.ts'
import { listOf } from '../../../platform/html/forms.tsx'
import type { Locale } from '../../../platform/i18n/index.ts'
import { isCommuneCode } from '../../reference/communes.ts'
import { SUBSCRIBER_WARNING_KINDS, SUBSCRIPTION_KINDS, type SubscriberWarningKind, type SubscriptionKind } from './subscriptions.tables.ts'

/** The choices of a subscription (or of a change on the preference page). */
export interface SubscriptionChoices {
  kinds: SubscriptionKind[]
  communes: string[]
  /** Warning kinds (with the `warning` topic only; empty or absent = every kind). */
  warningKinds?: SubscriberWarningKind[]
}

/** A form value that may arrive once or repeated. */
type Field = string | string[] | undefined

/** The normalised address, or SUBSCRIPTION_INVALID naming the field. */
export function subscriptionEmail(raw: unknown): string {
  try {
    return normalizeEmail(typeof raw === 'string' ? raw.normalize('NFC') : raw)
  } catch {
    throw new AppError('SUBSCRIPTION_INVALID', { field: 'e-mail' })
  }
}

/**
 * Topics and communes from the form; at least one topic; communes must exist (none = whole
 * province); warning kinds must exist and count only with the `warning` topic (none = all).
 */
export function subscriptionChoices(body: { kinds?: Field; communes?: Field; warningKinds?: Field }): SubscriptionChoices {
  const kinds = [...new Set(listOf(body.kinds))]
  if (kinds.length === 0 || !kinds.every((k): k is SubscriptionKind => (SUBSCRIPTION_KINDS as readonly string[]).includes(k))) {
    throw new AppError('SUBSCRIPTION_INVALID', { field: 'chủ đề / topics' })
  }
  const communes = [...new Set(listOf(body.communes))]
  if (communes.length > 166 || !communes.every(isCommuneCode))
    throw new AppError('SUBSCRIPTION_INVALID', { field: 'xã, phường / communes' })
  const warningKinds = [...new Set(listOf(body.warningKinds))]
  if (!warningKinds.every((k) => (SUBSCRIBER_WARNING_KINDS as readonly string[]).includes(k)))
    throw new AppError('SUBSCRIPTION_INVALID', { field: 'loại cảnh báo / warning kinds' })
  // Stored in a fixed order so that the same choice is the same row value.
  return {
    kinds: SUBSCRIPTION_KINDS.filter((k) => kinds.includes(k)),
    communes: communes.sort(),
    warningKinds: kinds.includes('warning') ? SUBSCRIBER_WARNING_KINDS.filter((k) => warningKinds.includes(k)) : [],
  }
}

/** What the form echoes back after a refusal. */
export function formEcho(body: Record<string, Field> | undefined): {
  email: string
  kinds: string[]
  communes: string[]
  warningKinds: string[]
} {
  const email = typeof body?.email === 'string' ? body.email.slice(0, 254) : ''
  return { email, kinds: listOf(body?.kinds), communes: listOf(body?.communes), warningKinds: listOf(body?.warningKinds) }
}

/** The locale a subscriber reads (the page's, at subscription time). */
export function subscriptionLocale(l: Locale): 'vi' | 'en' {
  return l === 'en' ? 'en' : 'vi'
}
