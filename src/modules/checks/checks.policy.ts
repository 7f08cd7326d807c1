/** Who may use the content checks beyond the public tool: the editors' live findings panel is for staff. */
import { allow, STAFF_ROLES } from '../../platform/policy/index.ts'

// The live content-check panel of the editors.
allow(STAFF_ROLES, 'use', 'checks')
