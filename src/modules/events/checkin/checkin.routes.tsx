import type { TypedApp } from '../../../platform/modules.ts'

/** Stub: filled in by its part. */
export async function registerCheckinRoutes(_app: TypedApp): Promise<void> {}
