import type { TypedApp } from '../../../platform/modules.ts'

/** Staff: /console/su-kien (list, new, detail, edit, announce, cancel; cadence at /console/su-kien/nhip). */
export async function registerEventConsoleRoutes(_app: TypedApp): Promise<void> {}
