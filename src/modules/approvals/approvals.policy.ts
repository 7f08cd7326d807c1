/**
 * Who opens the approvals inbox: whoever approves something that some module lists there.
 * The rule is derived from the modules' own approval rules (`ApprovalSource.visible`, which
 * ask their policies), so a module that adds approvals adds its approvers with it.
 */
import { approvalSources } from '../../platform/modules.ts'
import { allow, ROLES } from '../../platform/policy/index.ts'

allow(ROLES, 'read', 'approvals', (actor) => approvalSources().some((s) => s.visible(actor)))
