/**
 * Verdict labels with their published 1–5 rating scale (1 = false … 5 = true), Vietnamese
 * and English names. "Under verification" is a claim status, never a verdict.
 */
import type { VerdictLabel } from './factcheck.tables.ts'

/** A label as published. */
export interface LabelInfo {
  vi: string
  en: string
  /** Position on the published scale: 1 (false) … 5 (true). */
  rating: 1 | 2 | 3 | 4 | 5
}

/** The published scale. */
export const LABELS: Record<VerdictLabel, LabelInfo> = {
  fabricated: { vi: 'Giả mạo', en: 'Fabricated', rating: 1 },
  false: { vi: 'Sai sự thật', en: 'False', rating: 1 },
  scam: { vi: 'Lừa đảo', en: 'Scam', rating: 1 },
  distorted: { vi: 'Xuyên tạc', en: 'Distorted', rating: 2 },
  missing_context: { vi: 'Thiếu bối cảnh', en: 'Missing context', rating: 2 },
  satire: { vi: 'Châm biếm', en: 'Satire', rating: 2 },
  partly_true: { vi: 'Đúng một phần', en: 'Partly true', rating: 3 },
  unproven: { vi: 'Chưa đủ căn cứ', en: 'Unproven', rating: 3 },
  true: { vi: 'Đúng sự thật', en: 'True', rating: 5 },
}

/** Worst and best ratings of the scale (ClaimReview worstRating / bestRating). */
export const SCALE = { worst: 1, best: 5 } as const
