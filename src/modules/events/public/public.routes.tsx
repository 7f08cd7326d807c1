import type { TypedApp } from '../../../platform/modules.ts'

/** Public: /lich-hop-bao (announced press conferences) and /lich-hop-bao/:id.ics. */
export async function registerEventPublicRoutes(_app: TypedApp): Promise<void> {}
