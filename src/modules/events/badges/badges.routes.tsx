import type { TypedApp } from '../../../platform/modules.ts'

/** Stub: filled in by its part. */
export async function registerBadgesRoutes(_app: TypedApp): Promise<void> {}
