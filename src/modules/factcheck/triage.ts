/**
 * Triage: harm × spread gives a priority; the priority gives an SLA level, whose clock is
 * configurable per level (defaults: critical 4 h, high 24 h, normal 72 h).
 */
import { loadConfig } from '../../config.ts'
import type { Harm, Level } from './factcheck.tables.ts'

const HARM_WEIGHT: Record<Harm, number> = { public_order: 4, safety: 4, impersonation: 3, scam: 3, other: 1 }

/** SLA hours per level, from the environment (SLA_CRITICAL_HOURS, SLA_HIGH_HOURS, SLA_NORMAL_HOURS). */
export function slaHours(env?: NodeJS.ProcessEnv): Record<Level, number> {
  return loadConfig(env).slaHours
}

/** Priority 0–100 from harm and spread (requests; a partner report weighs three requests). */
export function priorityOf(harm: Harm, requests: number, partnerReports: number): number {
  const spread = Math.max(0, requests) + 3 * Math.max(0, partnerReports)
  return Math.min(100, HARM_WEIGHT[harm] * 10 + Math.round(Math.min(40, 6 * Math.log2(1 + spread))))
}

/** The SLA level of a priority. */
export function levelOf(priority: number): Level {
  if (priority >= 50) return 'critical'
  if (priority >= 30) return 'high'
  return 'normal'
}

/** When the claim's verdict is due: first seen + the level's SLA. */
export function slaDue(firstSeenAt: Date, level: Level, hours = slaHours()): Date {
  return new Date(firstSeenAt.getTime() + hours[level] * 3_600_000)
}
