/**
 * Server-rendered SVG bar charts (plain or stacked) for the desk's dashboard. No script: the
 * SVG carries `<title>` and `<desc>` (role="img", aria-labelledby), a legend names every
 * series in text, and a data table with the same figures follows each chart, so nothing is
 * conveyed by colour alone.
 */
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'

/** One series of a chart (a colour in the legend, a segment of each stacked bar). */
export interface ChartSeries {
  name: string
  color: string
  values: (number | null)[]
}

/** What a chart shows. */
export interface BarChartProps {
  /** Unique id prefix (for the title/desc ids). */
  id: string
  title: string
  /** A sentence describing the chart and its main figures (read by screen readers). */
  desc: string
  /** The label of each bar (x axis). */
  categories: string[]
  series: ChartSeries[]
  /** Stack the series in one bar per category (else bars side by side). */
  stacked?: boolean
  /** Formats a value for labels and the table. */
  format: (v: number) => string
  /** Header of the first table column. */
  categoryHeader: string
  /** Shown in table cells without a value. */
  empty?: string
  /** Whole numbers (counts): axis steps of at least 1. */
  integer?: boolean
  /** Formats the axis ticks (default: up to 2 decimals). */
  tickFormat?: (v: number) => string
}

const W = 720
const H = 280
const M = { top: 16, right: 12, bottom: 56, left: 48 }

/** A "nice" upper bound and tick step for the y axis. */
export function niceScale(max: number, ticks = 4, integer = false): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: integer ? 1 : 0.25 }
  const rough = integer ? Math.max(1, max / ticks) : max / ticks
  const mag = 10 ** Math.floor(Math.log10(rough))
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= rough) ?? 10) * mag
  return { top: Math.ceil(max / step) * step, step }
}

/** A bar chart as a figure: SVG, legend, and a data table fallback. */
export function BarChart(p: BarChartProps): SafeHtml {
  const n = p.categories.length
  const totals = p.categories.map((_, i) =>
    p.stacked ? p.series.reduce((s, x) => s + (x.values[i] ?? 0), 0) : Math.max(0, ...p.series.map((x) => x.values[i] ?? 0)),
  )
  const { top, step } = niceScale(Math.max(0, ...totals), 4, p.integer)
  const tick = p.tickFormat ?? ((v: number) => String(Number(v.toFixed(2))))
  const plotW = W - M.left - M.right
  const plotH = H - M.top - M.bottom
  const band = plotW / Math.max(1, n)
  const barW = p.stacked ? band * 0.6 : (band * 0.75) / Math.max(1, p.series.length)
  const y = (v: number) => M.top + plotH - (v / top) * plotH
  const ticks: number[] = []
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Number(v.toFixed(6)))
  const titleId = `${p.id}-title`
  const descId = `${p.id}-desc`
  const bars: SafeHtml[] = []
  p.categories.forEach((cat, i) => {
    const x0 = M.left + band * i + (band - (p.stacked ? barW : barW * p.series.length)) / 2
    let base = 0
    p.series.forEach((s, j) => {
      const v = s.values[i]
      if (v === null || v === undefined || v <= 0) return
      const x = p.stacked ? x0 : x0 + j * barW
      const from = p.stacked ? base : 0
      const h = y(from) - y(from + v)
      bars.push(
        <rect
          x={x.toFixed(1)}
          y={y(from + v).toFixed(1)}
          width={Math.max(1, barW - 1).toFixed(1)}
          height={Math.max(0.5, h).toFixed(1)}
          fill={s.color}
        >
          <title>{`${cat} · ${s.name}: ${p.format(v)}`}</title>
        </rect>,
      )
      if (!p.stacked && h > 0) {
        bars.push(
          <text x={(x + barW / 2).toFixed(1)} y={(y(v) - 3).toFixed(1)} text-anchor="middle" font-size="11" fill="#1b1b1b">
            {p.format(v)}
          </text>,
        )
      }
      if (p.stacked) base += v
    })
    if (p.stacked && totals[i]) {
      bars.push(
        <text x={(x0 + barW / 2).toFixed(1)} y={(y(totals[i] as number) - 3).toFixed(1)} text-anchor="middle" font-size="11" fill="#1b1b1b">
          {p.format(totals[i] as number)}
        </text>,
      )
    }
  })
  // Long category lists (weeks) are labelled at an angle so they never overlap on a phone.
  const angled = n > 6
  return (
    <figure class="chart">
      <figcaption>{p.title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${titleId} ${descId}`} preserveAspectRatio="xMidYMid meet">
        <title id={titleId}>{p.title}</title>
        <desc id={descId}>{p.desc}</desc>
        <g>
          {ticks.map((v) => (
            <>
              <line x1={M.left} x2={W - M.right} y1={y(v).toFixed(1)} y2={y(v).toFixed(1)} stroke="#d0d5d2" stroke-width="1" />
              <text x={M.left - 6} y={(y(v) + 4).toFixed(1)} text-anchor="end" font-size="11" fill="#444">
                {tick(v)}
              </text>
            </>
          ))}
          {p.categories.map((cat, i) => {
            const cx = M.left + band * i + band / 2
            const cy = M.top + plotH + 16
            return angled ? (
              <text x={cx.toFixed(1)} y={cy} text-anchor="end" font-size="11" fill="#444" transform={`rotate(-35 ${cx.toFixed(1)} ${cy})`}>
                {cat}
              </text>
            ) : (
              <text x={cx.toFixed(1)} y={cy} text-anchor="middle" font-size="12" fill="#444">
                {cat}
              </text>
            )
          })}
          <line x1={M.left} x2={W - M.right} y1={y(0)} y2={y(0)} stroke="#444" stroke-width="1" />
        </g>
        <g>{bars}</g>
      </svg>
      {p.series.length > 1 ? (
        <ul class="legend">
          {p.series.map((s) => (
            <li>
              <span class="swatch" style={`background:${s.color}`} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      ) : null}
      <div class="table-wrap">
        <table>
          <caption class="sr-only">{p.title}</caption>
          <thead>
            <tr>
              <th scope="col">{p.categoryHeader}</th>
              {p.series.map((s) => (
                <th scope="col">{s.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {p.categories.map((cat, i) => (
              <tr>
                <th scope="row">{cat}</th>
                {p.series.map((s) => {
                  const v = s.values[i]
                  return <td data-series={s.name}>{v === null || v === undefined ? (p.empty ?? '—') : p.format(v)}</td>
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  )
}
