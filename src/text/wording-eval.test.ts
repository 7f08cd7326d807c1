/**
 * The wording checks on the office's own texts (releases, warnings, verdicts of several
 * provinces, both tone placements, and the demo content) find nothing, and texts that assert
 * unverified claims or paste a clickbait headline into the body are still caught. The
 * held-out set was written with the development set and never tuned on (tools/eval-wording.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { type Checkers, evaluateWording, loadCheckers, loadOfficeTexts, loadPositiveTexts } from '../../tools/eval-wording.ts'

let checkers: Checkers
beforeAll(async () => {
  checkers = await loadCheckers()
})

describe('wording false positives on the office’s own texts', () => {
  for (const set of ['dev', 'heldout', 'demo'] as const) {
    it(`finds no wording problem in the ${set} texts`, () => {
      const r = evaluateWording(loadOfficeTexts(set), [], checkers)
      expect(r.texts).toBeGreaterThanOrEqual(10)
      expect(r.errors.filter((e) => e.startsWith('FP wording'))).toEqual([])
      expect(r.wordingFalsePositives).toBe(0)
    })
  }

  it('still catches every unverified claim and every clickbait headline pasted into a body', () => {
    const r = evaluateWording([], loadPositiveTexts(), checkers)
    expect(r.positives.unverified.n).toBeGreaterThanOrEqual(20)
    expect(r.positives.clickbait.n).toBeGreaterThanOrEqual(8)
    expect(r.errors).toEqual([])
  })
})
