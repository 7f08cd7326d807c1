import type { TypedApp } from '../../../platform/modules.ts'

/** Stub: filled in by its part. */
export async function registerRecognitionRoutes(_app: TypedApp): Promise<void> {}
