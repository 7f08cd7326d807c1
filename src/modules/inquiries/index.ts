/**
 * Press inquiries (hỏi đáp báo chí): questions from partners (portal, API) or logged by staff,
 * on legal clocks counted in Vietnamese working days, assigned, escalated, answered or refused
 * on a legal ground, optionally published as a public Q&A.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '../../platform/modules.ts'
import { can } from '../../platform/policy/index.ts'
import './inquiries.policy.ts'
import './inquiries.holder.ts'
import { INQUIRY_AUDIT_ACTIONS, INQUIRY_ERRORS } from './inquiries.audit.ts'
import { inquiryClockJob } from './inquiries.jobs.ts'
import { countOverdue } from './inquiries.repository.ts'
import { registerInquiryRoutes } from './inquiries.routes.tsx'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export const inquiriesModule: ModuleManifest = {
  name: 'inquiries',
  routes: registerInquiryRoutes,
  jobs: [inquiryClockJob],
  auditActions: INQUIRY_AUDIT_ACTIONS,
  errors: INQUIRY_ERRORS,
  catalogues: path.join(HERE, 'i18n'),
  migrations: path.join(HERE, 'migrations'),
  menu: [
    {
      key: 'inquiries',
      href: '/console/hoi-dap',
      order: 560,
      visible: (a) => can(a, 'read', 'inquiry'),
      // The badge: open inquiries past their due time.
      count: (a, { db }) => countOverdue(db, a.tenantId),
    },
  ],
}
