/**
 * Every module's policy rules, loaded once. Add a line when a module declares rules.
 */
import './modules/accounts/accounts.policy.ts'
import './modules/cases/cases.policy.ts'
import './modules/releases/releases.policy.ts'
import './modules/factcheck/factcheck.policy.ts'
