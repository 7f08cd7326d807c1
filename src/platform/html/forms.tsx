/**
 * Form plumbing shared by every console and public form: run a command and re-render the
 * form with the refusal, the bilingual error block, and small readers of form values.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AuditActor } from '../audit/index.ts'
import { AppError, isAppError } from '../errors.ts'
import { type Locale, t } from '../i18n/index.ts'
import type { Actor } from '../policy/index.ts'
import type { SafeHtml } from './jsx-runtime.ts'
import { Alert } from './layout.tsx'

/** A request and its reply, as pages take them. */
export type R = { req: FastifyRequest; reply: FastifyReply }

/** Runs a form command; on an expected AppError (< 500) answers with `onError` (the form re-rendered with it). */
export async function runForm<T>(
  reply: FastifyReply,
  run: () => Promise<T>,
  onError: (e: AppError) => FastifyReply | Promise<FastifyReply>,
): Promise<T | FastifyReply> {
  try {
    return await run()
  } catch (e) {
    if (isAppError(e) && e.status < 500) {
      for (const [k, v] of Object.entries(e.headers)) reply.header(k, v)
      return onError(e)
    }
    throw e
  }
}

/** The error block of a refused form: the message in the page's language, then in the other. */
export function FormError({
  l,
  error,
  messageKey = (e) => `errors.${e.code}`,
}: {
  l: Locale
  error?: AppError | null
  /** Where the message lives (a module may word some errors its own way). */
  messageKey?: (e: AppError) => string
}): SafeHtml | null {
  if (!error) return null
  const other: Locale = l === 'vi' ? 'en' : 'vi'
  const key = messageKey(error)
  return (
    <Alert kind="error">
      <strong>{t(l, key, error.params)}</strong>
      <br />
      <span lang={other} class="small">
        {t(other, key, error.params)}
      </span>
    </Alert>
  )
}

/** The signed-in actor (routes declare access, so this is a type guard that fails closed). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED')
  return req.actor
}

/** The audit actor of a signed-in person (the audit log labels people by e-mail). */
export function auditOf(actor: Actor): AuditActor & { id: string } {
  return { id: actor.id, label: actor.email }
}

/** A form value that may arrive once (string) or repeated (array), as a trimmed list. */
export function listOf(value: string | string[] | undefined): string[] {
  if (value === undefined) return []
  return (Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter(Boolean)
}
