/** Demo content (`donghanh seed-demo`): no routes of its own, only its audit action. */
import type { ModuleManifest } from '../../platform/modules.ts'
import { DEMO_AUDIT_ACTIONS } from './demo.audit.ts'

export const demoModule: ModuleManifest = {
  name: 'demo',
  auditActions: DEMO_AUDIT_ACTIONS,
}
