import type { TypedApp } from '../../../platform/modules.ts'

/** An item's distribution: /console/phan-phoi (overview), /console/phan-phoi/muc/:type/:id (lists, live progress, failures, retry), tokenised links /l/:token. */
export async function registerItemRoutes(_app: TypedApp): Promise<void> {}
