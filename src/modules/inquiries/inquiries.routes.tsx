import type { TypedApp } from '../../platform/modules.ts'
import { registerInquiryApi } from './inquiries.api.ts'
import { registerConsoleInquiryRoutes } from './inquiries.console.tsx'
import { registerPortalInquiryPages } from './inquiries.portal.tsx'
import { registerPublicQaRoutes } from './inquiries.public.tsx'

/** Registers every inquiries route: the API, the partner's pages, the staff pages, public Q&As. */
export async function registerInquiryRoutes(app: TypedApp): Promise<void> {
  await registerInquiryApi(app)
  await registerPortalInquiryPages(app)
  await registerConsoleInquiryRoutes(app)
  await registerPublicQaRoutes(app)
}
