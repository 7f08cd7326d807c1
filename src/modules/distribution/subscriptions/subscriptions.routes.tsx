import type { TypedApp } from '../../../platform/modules.ts'

/** Public e-mail subscriptions: /nhan-tin (subscribe, confirm, preferences, one-click unsubscribe). */
export async function registerSubscriptionRoutes(_app: TypedApp): Promise<void> {}
