import type { TypedApp } from '../../../platform/modules.ts'

/** Placeholder: filled in by the engineer building this area. */
export async function registerPartnerConsoleRoutes(_app: TypedApp): Promise<void> {}
