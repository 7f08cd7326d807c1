/**
 * The clock. Everything that compares times asks `now()`, so tests can move time
 * (embargo lifts, token expiry) without sleeping. Times are instants (Date), never strings.
 */
let offsetMs = 0
let frozen: number | undefined

/** The current instant. */
export function now(): Date {
  return new Date(frozen ?? Date.now() + offsetMs)
}

/** Test helper: move the clock by `ms` (cumulative). */
export function advanceClock(ms: number): void {
  if (frozen !== undefined) frozen += ms
  else offsetMs += ms
}

/** Test helper: freeze the clock at `at` (or unfreeze with undefined). */
export function freezeClock(at: Date | undefined): void {
  frozen = at?.getTime()
}

/** Test helper: back to real time. */
export function resetClock(): void {
  offsetMs = 0
  frozen = undefined
}
