import type { TypedApp } from '../../../platform/modules.ts'

/** Trace a leak: /console/phan-phoi/truy-vet (a pasted link or an uploaded file names its recipient). */
export async function registerTraceRoutes(_app: TypedApp): Promise<void> {}
