/**
 * Triage: harm × spread gives a priority; the priority gives an SLA level, whose clock is
 * configurable per level (defaults: critical 4 h, high 24 h, normal 72 h).
 */
import { loadConfig } from '../../config.ts'
import { fold } from '../../text/normalize.ts'
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

/** The priorities of each level (what {@link levelOf} maps onto it). */
const LEVEL_RANGE: Record<Level, [number, number]> = { critical: [50, 100], high: [30, 49], normal: [0, 29] }

/**
 * The priority and level of a claim, given what the spread computes and the level a person
 * chose, if any: a manual level stands, and the priority is brought inside its range so the
 * queue (ordered by priority) agrees with the level shown.
 */
export function triageOf(computed: number, manualLevel?: Level | null): { priority: number; level: Level } {
  if (!manualLevel) return { priority: computed, level: levelOf(computed) }
  const [lo, hi] = LEVEL_RANGE[manualLevel]
  return { priority: Math.min(hi, Math.max(lo, computed)), level: manualLevel }
}

/**
 * Words that mark a kind of harm, written without diacritics: a text is compared after
 * {@link fold} (no diacritics, lower case), so "bắt cóc trẻ em" and "bat coc tre em" are the
 * same case — much of what citizens write has no diacritics. Only phrases of two syllables or
 * more: a folded single syllable is too ambiguous ("no" is "nổ" and "no"). A folded phrase may
 * still have an innocent reading ("bat coc" is also "bát cốc", bowl and cup); the desk errs on
 * the side of safety, and staff set the severity by hand where the guess is wrong.
 */
const HARM_WORDS: [Harm, string[]][] = [
  [
    'safety',
    [
      'bat coc',
      'mat tich',
      'noi tang',
      'bat trom tre',
      'dau doc',
      'ngo doc',
      'nhiem doc',
      'chat doc',
      'phat no',
      'vu no',
      'bom no',
      'chay lon',
      'hoa hoan',
      'vo de',
      'xa lu',
      'lu quet',
      'sat lo',
      'sap cau',
      'dong dat',
      'song than',
      'dich benh',
      'benh dich',
      'lay lan',
      'dam chem',
      'giet nguoi',
      'sat hai',
      'xam hai',
      'tu vong',
      'ro ri',
      'phong xa',
    ],
  ],
  [
    'public_order',
    [
      'bao loan',
      'bieu tinh',
      'tu tap',
      'gay roi',
      'bao dong',
      'khung bo',
      'hon chien',
      'xung dot',
      'gioi nghiem',
      'cuop giat',
      'dua xe',
      'bao luc',
      'dap pha',
      'chong nguoi thi hanh cong vu',
    ],
  ],
  [
    'impersonation',
    ['gia danh', 'mao danh', 'gia mao cong an', 'gia lam cong an', 'gia can bo', 'tu xung', 'gia mao co quan', 'gia mao van ban'],
  ],
  [
    'scam',
    [
      'lua dao',
      'chuyen tien',
      'chuyen khoan',
      'trung thuong',
      'ma otp',
      'mat khau',
      'tai khoan ngan hang',
      'vay tien',
      'sinh loi',
      'nhan thuong',
      'nap tien',
      'phat qua',
      'tang qua',
      'dau tu tien ao',
      'viec nhe luong cao',
    ],
  ],
]
/** One pattern per harm: the phrases as whole syllables (ASCII after folding, so \b is a syllable edge). */
const HARM_PATTERNS: [Harm, RegExp][] = HARM_WORDS.map(([harm, words]) => [
  harm,
  new RegExp(`\\b(?:${words.map((w) => w.replaceAll(' ', '\\s+')).join('|')})\\b`, 'g'),
])

/**
 * The kind of harm a text suggests, read with diacritics folded: the harm with the most phrases
 * found, the heavier one on a tie (the list's order), "other" when none is found. The intake's
 * first guess; staff triage and manual severity correct it.
 */
export function harmOf(text: string): Harm {
  const folded = fold(text.normalize('NFC'))
  let best: Harm = 'other'
  let bestHits = 0
  for (const [harm, re] of HARM_PATTERNS) {
    const hits = folded.match(re)?.length ?? 0
    if (hits > bestHits) {
      best = harm
      bestHits = hits
    }
  }
  return best
}

/** When the claim's verdict is due: first seen + the level's SLA. */
export function slaDue(firstSeenAt: Date, level: Level, hours = slaHours()): Date {
  return new Date(firstSeenAt.getTime() + hours[level] * 3_600_000)
}
