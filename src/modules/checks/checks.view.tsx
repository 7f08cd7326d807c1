/**
 * How findings are shown: the checked text with each finding marked, and the list of
 * findings with their message, severity and suggestion (with a "mask" button in editors).
 */
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../platform/i18n/index.ts'
import type { CheckResult, Finding } from '../../text/check.ts'

function Marked({ text, findings }: { text: string; findings: Finding[] }): SafeHtml {
  const spans = findings.filter((f) => f.end > f.start).sort((a, b) => a.start - b.start)
  const parts: (string | SafeHtml)[] = []
  let pos = 0
  for (const f of spans) {
    if (f.start < pos) continue
    parts.push(text.slice(pos, f.start))
    parts.push(
      <mark class={`finding ${f.severity}`} title={f.message.vi}>
        {text.slice(f.start, f.end)}
      </mark>,
    )
    pos = f.end
  }
  parts.push(text.slice(pos))
  return <>{parts}</>
}

/** A suggestion that can replace the text as it is (not a list of choices like "đối tượng / nghi phạm (…)"). */
function isSingleReplacement(suggestion: string): boolean {
  return !/[/(),;]/.test(suggestion)
}

/** The findings panel (public page, editor panel). `maskable` adds one-click mask buttons. */
export function FindingsPanel({ l, result, maskable }: { l: Locale; result: CheckResult; maskable?: boolean }): SafeHtml {
  const body = result.findings.filter((f) => f.field === 'text')
  const title = result.findings.filter((f) => f.field === 'title')
  return (
    <section class="findings" aria-live="polite" aria-label={t(l, 'checks.findings')}>
      <p>
        <span class={`badge risk-${result.risk}`}>{t(l, `checks.risk.${result.risk}`)}</span>{' '}
        {result.clickbait ? (
          <span class="badge">
            {t(l, 'checks.clickbait')}: {Math.round(result.clickbait.score * 100)}%
            {result.clickbait.clickbait ? ` — ${t(l, 'checks.clickbaitYes')}` : ''}
          </span>
        ) : null}{' '}
        {result.encoding !== 'unicode' ? (
          <span class="badge warn">{t(l, 'checks.encoding', { encoding: result.encoding.toUpperCase() })}</span>
        ) : null}
      </p>
      {result.lines?.length ? (
        <div class="scored-lines">
          <p class="small muted">{t(l, 'checks.lines')}</p>
          <ul class="small">
            {result.lines.map((line) => (
              <li class={line.clickbait ? 'clickbait-line' : undefined}>
                <strong>{t(l, 'checks.line', { line: line.line })}</strong> ({t(l, `checks.lineWhy.${line.why}`)}):{' '}
                <q>{line.text.slice(0, 160)}</q> — {t(l, 'checks.clickbait')}: {Math.round(line.score * 100)}%
                {line.clickbait ? ` — ${t(l, 'checks.clickbaitYes')}` : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {result.findings.length === 0 ? (
        <p>{t(l, 'checks.none')}</p>
      ) : (
        <ol class="finding-list">
          {[...title, ...body].map((f) => (
            <li class={`finding-item ${f.severity}`}>
              <span class={`badge ${f.severity === 'high' ? 'admin' : f.severity === 'medium' ? 'warn' : ''}`}>
                {t(l, `checks.severity.${f.severity}`)}
              </span>{' '}
              <q>{f.text.slice(0, 120)}</q> — {l === 'vi' ? f.message.vi : f.message.en}
              {f.replacement ? (
                <>
                  {' '}
                  → <strong>{f.replacement}</strong>
                  {maskable ? (
                    <button
                      type="button"
                      class="secondary small mask-button"
                      data-field={f.field}
                      data-find={f.text}
                      data-replace={f.replacement}
                    >
                      {t(l, 'checks.apply')}
                    </button>
                  ) : null}
                  {f.alternatives?.length ? (
                    <span class="small muted">
                      {' '}
                      ({t(l, 'checks.alternatives')}: {f.alternatives.join('; ')})
                    </span>
                  ) : null}
                </>
              ) : f.suggestion ? (
                <>
                  {' '}
                  → <strong>{f.suggestion}</strong>
                  {maskable && isSingleReplacement(f.suggestion) ? (
                    <button
                      type="button"
                      class="secondary small mask-button"
                      data-field={f.field}
                      data-find={f.text}
                      data-replace={f.suggestion}
                    >
                      {t(l, 'checks.apply')}
                    </button>
                  ) : null}
                </>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {result.normalizedTitle ? (
        <div class="card marked">
          <strong>
            <Marked text={result.normalizedTitle} findings={title} />
          </strong>
        </div>
      ) : null}
      {result.normalized ? (
        <div class="card marked">
          {/* A scored line is named in the list above; marking the whole line would hide the findings inside it. */}
          <Marked text={result.normalized} findings={body.filter((f) => f.kind !== 'clickbait')} />
        </div>
      ) : null}
    </section>
  )
}
