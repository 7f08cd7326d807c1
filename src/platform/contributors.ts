/**
 * Contributors of a text (a release edition, a verdict version): who wrote it and who changed
 * it. Four-eyes refuses the approval of anyone among them; the console shows them, grouped.
 */

/** One change of a text, as stored with it (jsonb). */
export interface Contribution {
  userId: string
  /** `created`: wrote its first text; `edited`: changed it afterwards. */
  what: 'created' | 'edited'
  /** ISO instant. */
  at: string
}

/** One person's part in a text. */
export interface ContributorSummary {
  userId: string
  /** They wrote its first text. */
  created: boolean
  /** How many times they changed it afterwards. */
  edits: number
  /** Their latest change. */
  lastAt: Date
}

/** Contributions grouped by person, in the order each first contributed. */
export function summariseContributors(list: readonly Contribution[]): ContributorSummary[] {
  const byUser = new Map<string, ContributorSummary>()
  for (const c of list) {
    const at = new Date(c.at)
    const s = byUser.get(c.userId) ?? { userId: c.userId, created: false, edits: 0, lastAt: at }
    if (c.what === 'created') s.created = true
    else s.edits++
    if (at.getTime() > s.lastAt.getTime()) s.lastAt = at
    byUser.set(c.userId, s)
  }
  return [...byUser.values()]
}
