import type { TypedApp } from '../../../platform/modules.ts'

/** The partner's side: /doi-tac/hop-thu (inbox), /doi-tac/nhan-tin (channels: e-mail, digest, webhooks, lists). */
export async function registerDistributionPortalRoutes(_app: TypedApp): Promise<void> {}
