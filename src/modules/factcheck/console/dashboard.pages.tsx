/**
 * The desk's dashboard: median time to verdict by level, SLA breaches (open past due, and
 * published late) by level, and claims per label per week for the last 12 weeks — each as a
 * server-rendered SVG chart with a data table below it. Figures come from `dashboardData`.
 */
import { formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { raw } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { formatShortDay } from '../../../platform/time.ts'
import { VERDICT_LABELS } from '../factcheck.tables.ts'
import { LABELS } from '../labels.ts'
import { BarChart } from './charts.tsx'
import { DESK, DESK_STYLE, formatNumber, type R } from './desk-kit.tsx'
import type { DashboardData } from './desk.queries.ts'

/** Colours of the levels (shared with the badges) and of the labels, by rating (red = false … green = true). */
// high: a dark orange that white text reads on at 4.5:1 (WCAG AA; axe in the browser flows).
const LEVEL_COLOR = { critical: '#a4161a', high: '#b54700', normal: '#5c677d' } as const
const LABEL_COLOR: Record<string, string> = {
  fabricated: '#6a040f',
  false: '#a4161a',
  scam: '#d00000',
  distorted: '#e85d04',
  missing_context: '#f48c06',
  satire: '#9d4edd',
  partly_true: '#ffba08',
  unproven: '#5c677d',
  true: '#2d6a4f',
}

/** `2026-11-16` → "16/11" (vi) or "16 Nov" (en): the Monday of a week. */
function weekLabel(week: string, l: Locale): string {
  return formatShortDay(week, l)
}

/** The dashboard page. */
export function dashboardPage({ req, reply }: R, d: DashboardData) {
  const l = req.locale
  const hours = (v: number) => formatNumber(v, l, 1)
  const count = (v: number) => formatNumber(v, l, 0)
  const levelNames = d.medians.map((m) => t(l, `desk.level.${m.level}`))
  const medianDesc = d.medians
    .map(
      (m) =>
        `${t(l, `desk.level.${m.level}`)}: ${m.medianHours === null ? t(l, 'desk.dash.noData') : t(l, 'desk.dash.hours', { h: hours(m.medianHours) })} (${t(l, 'desk.dash.claimsN', { n: m.claims })})`,
    )
    .join('; ')
  const breachDesc = d.breaches
    .map(
      (b) =>
        `${t(l, `desk.level.${b.level}`)}: ${t(l, 'desk.dash.openOverdue')} ${b.openOverdue}, ${t(l, 'desk.dash.publishedLate')} ${b.publishedLate}`,
    )
    .join('; ')
  const labelsUsed = VERDICT_LABELS.filter((x) => d.weeks.some((w) => w.counts[x] > 0))
  const shownLabels = labelsUsed.length ? labelsUsed : VERDICT_LABELS.slice(0, 1)
  const total = d.weeks.reduce((s, w) => s + VERDICT_LABELS.reduce((a, x) => a + w.counts[x], 0), 0)
  const labelName = (x: string) => (l === 'vi' ? LABELS[x as keyof typeof LABELS].vi : LABELS[x as keyof typeof LABELS].en)
  return sendPage(
    req,
    reply,
    { title: t(l, 'desk.dashboard.title'), shell: 'console', current: 'desk.nav', head: raw(`<style>${DESK_STYLE}</style>`) },
    <>
      <p class="small">
        <a href={DESK}>← {t(l, 'desk.queue.title')}</a>
      </p>
      <h1>{t(l, 'desk.dashboard.title')}</h1>
      <p class="muted">{t(l, 'desk.dash.window', { since: formatTime(d.since, l), at: formatTime(d.at, l) })}</p>
      <section id="median" aria-labelledby="median-h">
        <h2 id="median-h">{t(l, 'desk.dash.medianTitle')}</h2>
        <p class="small muted">{t(l, 'desk.dash.medianHint')}</p>
        <BarChart
          id="chart-median"
          title={t(l, 'desk.dash.medianChart')}
          desc={medianDesc}
          categories={levelNames}
          series={[{ name: t(l, 'desk.dash.medianSeries'), color: '#1d4e89', values: d.medians.map((m) => m.medianHours) }]}
          format={hours}
          tickFormat={(v) => formatNumber(v, l, 2)}
          categoryHeader={t(l, 'desk.col.level')}
          empty={t(l, 'desk.dash.noData')}
        />
        <p class="small muted">
          {d.medians.map((m) => `${t(l, `desk.level.${m.level}`)}: ${t(l, 'desk.dash.claimsN', { n: m.claims })}`).join(' · ')}
        </p>
      </section>
      <section id="breaches" aria-labelledby="breaches-h">
        <h2 id="breaches-h">{t(l, 'desk.dash.breachTitle')}</h2>
        <BarChart
          id="chart-breaches"
          title={t(l, 'desk.dash.breachChart')}
          desc={breachDesc}
          categories={levelNames}
          stacked
          series={[
            { name: t(l, 'desk.dash.openOverdue'), color: LEVEL_COLOR.critical, values: d.breaches.map((b) => b.openOverdue) },
            { name: t(l, 'desk.dash.publishedLate'), color: '#f4a261', values: d.breaches.map((b) => b.publishedLate) },
          ]}
          format={count}
          integer
          categoryHeader={t(l, 'desk.col.level')}
        />
      </section>
      <section id="labels" aria-labelledby="labels-h">
        <h2 id="labels-h">{t(l, 'desk.dash.labelsTitle')}</h2>
        <BarChart
          id="chart-labels"
          title={t(l, 'desk.dash.labelsChart')}
          desc={t(l, 'desk.dash.labelsDesc', { n: total, weeks: d.weeks.length })}
          categories={d.weeks.map((w) => weekLabel(w.week, l))}
          stacked
          series={shownLabels.map((x) => ({
            name: labelName(x),
            color: LABEL_COLOR[x] ?? '#333',
            values: d.weeks.map((w) => w.counts[x]),
          }))}
          format={count}
          integer
          categoryHeader={t(l, 'desk.dash.week')}
        />
      </section>
    </>,
  )
}
