/**
 * Press inquiries (hỏi đáp báo chí): questions from partners (portal, API) or logged by staff,
 * on legal clocks counted in Vietnamese working days, assigned, escalated, answered or refused
 * on a legal ground, optionally published as a public Q&A.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '../../platform/modules.ts'
import { registerInquiryRoutes } from './inquiries.routes.tsx'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export const inquiriesModule: ModuleManifest = {
  name: 'inquiries',
  routes: registerInquiryRoutes,
  migrations: path.join(HERE, 'migrations'),
}
