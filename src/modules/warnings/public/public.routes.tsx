import type { TypedApp } from '../../../platform/modules.ts'

/** Stub: the part's routes. */
export async function registerWarningPublicRoutes(_app: TypedApp): Promise<void> {}
