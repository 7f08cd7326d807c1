import type { TypedApp } from '../../../platform/modules.ts'

/** Placeholder: filled in by the engineer building this area. */
export async function registerApplicationRoutes(_app: TypedApp): Promise<void> {}
