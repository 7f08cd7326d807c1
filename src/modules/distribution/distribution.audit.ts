/**
 * The audit actions and error codes of distribution: listed in the manifest, typed through the
 * platform's registries; messages `errors.<CODE>` in the module's `i18n/` catalogues. Each part
 * (lists, fan-out, delivery, webhooks, portal, subscriptions, coverage) adds its own here.
 */
export const DISTRIBUTION_AUDIT_ACTIONS = [
  // lists
  'distribution.list_created',
  'distribution.list_updated',
  'distribution.list_archived',
  'distribution.list_member_added',
  'distribution.list_member_removed',
  'distribution.targets_set',
  // fan-out and delivery
  'distribution.fanned_out',
  'distribution.retried',
  'distribution.leak_traced',
  // sender (delivery part): decisions the sender takes on its own
  'distribution.delivery_cancelled',
  'distribution.delivery_bounced',
  // the registry's decisions reaching distribution (distribution.holder.ts)
  'distribution.partner_access_ended',
  'distribution.digest_sent',
  // webhooks and preferences (partner's own)
  'distribution.preferences_changed',
  'distribution.list_left',
  'distribution.list_rejoined',
  'distribution.webhook_created',
  'distribution.webhook_deleted',
  'distribution.webhook_secret_rotated',
  'distribution.webhook_enabled',
  'distribution.webhook_disabled',
  'distribution.webhook_tested',
  // public subscriptions
  'subscription.requested',
  'subscription.confirmed',
  'subscription.changed',
  'subscription.unsubscribed',
  // coverage
  'coverage.reported',
  'coverage.captured',
  'coverage.capture_failed',
  'coverage.correction_requested',
] as const

/** Error codes → HTTP status. */
export const DISTRIBUTION_ERRORS = {
  DISTRIBUTION_LIST_INVALID: 400,
  DISTRIBUTION_LIST_BUILTIN: 409,
  DISTRIBUTION_LIST_DUPLICATE: 409,
  DISTRIBUTION_LIST_ARCHIVED: 409,
  DISTRIBUTION_TARGETS_INVALID: 400,
  DISTRIBUTION_WEBHOOK_URL_INVALID: 400,
  DISTRIBUTION_WEBHOOK_PRIVATE: 400,
  DISTRIBUTION_WEBHOOK_LIMIT: 409,
  DISTRIBUTION_WEBHOOK_ACTIVE: 409,
  DISTRIBUTION_WEBHOOK_DISABLED: 409,
  DISTRIBUTION_PREFERENCES_INVALID: 400,
  DISTRIBUTION_NOT_FOUND: 404,
  SUBSCRIPTION_INVALID: 400,
  SUBSCRIPTION_LINK_INVALID: 404,
  COVERAGE_INVALID: 400,
  COVERAGE_NOT_RECEIVED: 403,
  COVERAGE_EMBARGOED: 409,
  COVERAGE_NOT_ALTERED: 409,
  TRACE_NOT_FOUND: 404,
  // console, links and trace
  DISTRIBUTION_LINK_UNKNOWN: 404,
  DISTRIBUTION_LINK_UNAVAILABLE: 404,
  DISTRIBUTION_FILE_EMBARGOED: 403,
  TRACE_INPUT_MISSING: 400,
} as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof DISTRIBUTION_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof DISTRIBUTION_ERRORS, true> {}
}
