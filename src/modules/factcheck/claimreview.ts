/**
 * ClaimReview JSON-LD (schema.org) for a published verdict: claimReviewed, reviewRating
 * with alternateName and the published 1–5 scale, url, author, datePublished,
 * dateModified, itemReviewed (a Claim with every appearance URL, merged variants included),
 * inLanguage vi.
 */
import { LABELS, SCALE } from './labels.ts'
import type { VerdictLabel } from './factcheck.tables.ts'

/** Input of the JSON-LD. */
export interface ClaimReviewInput {
  url: string
  statement: string
  label: VerdictLabel
  headline: string
  firstPublishedAt: Date
  modifiedAt: Date
  appearances: string[]
  firstSeenAt: Date
  author: { name: string; url: string }
}

/** The ClaimReview object. */
export function claimReview(i: ClaimReviewInput): Record<string, unknown> {
  const label = LABELS[i.label]
  return {
    '@context': 'https://schema.org',
    '@type': 'ClaimReview',
    url: i.url,
    claimReviewed: i.statement,
    headline: i.headline,
    datePublished: i.firstPublishedAt.toISOString(),
    dateModified: i.modifiedAt.toISOString(),
    inLanguage: 'vi',
    author: { '@type': 'Organization', name: i.author.name, url: i.author.url },
    reviewRating: {
      '@type': 'Rating',
      ratingValue: label.rating,
      bestRating: SCALE.best,
      worstRating: SCALE.worst,
      alternateName: label.vi,
    },
    itemReviewed: {
      '@type': 'Claim',
      datePublished: i.firstSeenAt.toISOString(),
      appearance: i.appearances.map((url) => ({ '@type': 'CreativeWork', url })),
      ...(i.appearances[0] ? { firstAppearance: { '@type': 'CreativeWork', url: i.appearances[0] } } : {}),
    },
  }
}

/** Serialises JSON-LD safely for a <script> element (no "</script>" breakout). */
export function jsonLdScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
}
