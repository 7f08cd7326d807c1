import type { TypedApp } from '../../../platform/modules.ts'

/** Lists: /console/phan-phoi/danh-sach (builtin, rule and static lists, preview with who is left out and why). */
export async function registerListRoutes(_app: TypedApp): Promise<void> {}
