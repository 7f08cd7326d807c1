/**
 * Declarative policies. Each domain declares its rules once, in `<domain>.policy.ts`, with
 * `allow(roles, action, subjectType, condition?)`. Everything not allowed is denied:
 * unknown roles, unknown actions and unknown subjects alike.
 */
import { AppError } from '../errors.ts'

/** Staff roles of the press office. */
export const STAFF_ROLES = ['admin', 'editor', 'approver', 'officer'] as const
/** Partner roles (accounts now; partner records come with the partners module). */
export const PARTNER_ROLES = ['journalist', 'influencer'] as const
/** Every role. */
export const ROLES = [...STAFF_ROLES, ...PARTNER_ROLES] as const

export type StaffRole = (typeof STAFF_ROLES)[number]
export type Role = (typeof ROLES)[number]

/** True for a role the product knows. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value)
}

/** True for press-office roles (TOTP required). */
export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value)
}

/** The signed-in person a policy is asked about. */
export interface Actor {
  id: string
  tenantId: string
  role: string
  email: string
}

/** A subject: its type and, for record-level rules, the record itself. */
export interface Subject<T = unknown> {
  type: string
  /** The tenant of the record; a rule never matches across tenants. */
  tenantId?: string
  record?: T
}

type Condition = (actor: Actor, subject: Subject) => boolean

interface Rule {
  roles: ReadonlySet<string>
  action: string
  subjectType: string
  condition?: Condition
}

const rules: Rule[] = []

/**
 * Declares that `roles` may perform `action` on `subjectType`, optionally only when
 * `condition` holds for the actor and the record.
 */
export function allow<T>(
  roles: readonly Role[],
  action: string,
  subjectType: string,
  condition?: (actor: Actor, subject: Subject<T>) => boolean,
): void {
  rules.push({ roles: new Set(roles), action, subjectType, condition: condition as Condition | undefined })
}

/** True when some rule allows `actor` to do `action` on `subject`. Deny by default. */
export function can(actor: Actor | null | undefined, action: string, subject: Subject | string): boolean {
  if (!actor || !isRole(actor.role)) return false
  const s: Subject = typeof subject === 'string' ? { type: subject } : subject
  if (s.tenantId !== undefined && s.tenantId !== actor.tenantId) return false
  return rules.some(
    (r) => r.action === action && r.subjectType === s.type && r.roles.has(actor.role) && (!r.condition || r.condition(actor, s)),
  )
}

/**
 * Throws 401 without an actor and 403 when no rule allows the action. Narrows `actor`.
 * `hideExistence` answers 404 instead, so a forbidden record looks like a missing one.
 */
export function authorize(
  actor: Actor | null | undefined,
  action: string,
  subject: Subject | string,
  opts: { hideExistence?: boolean } = {},
): asserts actor is Actor {
  if (!actor) throw new AppError('UNAUTHENTICATED')
  if (!can(actor, action, subject)) {
    throw opts.hideExistence ? new AppError('NOT_FOUND') : new AppError('FORBIDDEN', { action })
  }
}
