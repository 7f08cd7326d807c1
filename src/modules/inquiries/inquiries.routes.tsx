import type { TypedApp } from '../../platform/modules.ts'

/** Placeholder: filled in by the engineer building inquiries. */
export async function registerInquiryRoutes(_app: TypedApp): Promise<void> {}
