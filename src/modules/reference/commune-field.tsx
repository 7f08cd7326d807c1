/**
 * The communes multi-select: a plain `<select multiple>` that works without JavaScript, which
 * assets/commune-picker.js turns into a searchable picker. The script reads its words from the
 * data-picker-* attributes, so it holds no text of its own. One component for every form that
 * picks communes (releases, the partners registry, the public application).
 */
import type { Locale } from '../../platform/i18n/index.ts'
import { t } from '../../platform/i18n/index.ts'
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { COMMUNES } from './communes.ts'

const PICKER_WORDS = ['search', 'hint', 'chosen', 'remove', 'none', 'added', 'removed', 'results'] as const

/** The `communes` field with its label and hint; `selected` holds commune codes. */
export function CommuneField(o: {
  l: Locale
  label: string
  hint: string
  selected: readonly string[]
  size?: number
  disabled?: boolean
}): SafeHtml {
  const words = Object.fromEntries(PICKER_WORDS.map((w) => [`data-picker-${w}`, t(o.l, `releases.picker.${w}`)]))
  return (
    <label class="commune-field">
      <span id="communes-name">{o.label}</span>
      <span class="hint" id="communes-hint">
        {o.hint}
      </span>
      <select
        name="communes"
        multiple
        size={String(o.size ?? 6)}
        disabled={o.disabled}
        aria-describedby="communes-hint"
        data-picker="communes"
        {...words}
      >
        {COMMUNES.map((c) => (
          <option value={c.code} selected={o.selected.includes(c.code)}>
            {c.name}
          </option>
        ))}
      </select>
    </label>
  )
}
