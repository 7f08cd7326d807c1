// The commune picker: turns a `<select multiple data-picker>` (the no-JavaScript fallback,
// 166 options that need Ctrl-click) into a search box with a list of matches and a row of
// chips. Typing matches with or without diacritics ("sam son" finds "Phường Sầm Sơn"); touch
// or click picks, and so do the arrow keys with Enter; Backspace in an empty box removes the
// last chip. The select stays in the form, hidden, and holds the value that is submitted: the
// server sees exactly what it saw before. The words come from the select's data-picker-*
// attributes (rendered from the catalogues), so this file holds no text of its own.
// ARIA: the 1.2 combobox pattern (input role=combobox, aria-controls a listbox, the active
// option named by aria-activedescendant, focus staying in the input).

/**
 * Diacritic folding for matching, equivalent to `fold()` in src/text/normalize.ts on
 * Vietnamese text (tested on all 166 names and the whole alphabet by commune-picker.test.ts):
 * marks removed, đ/Đ (and the look-alike Ð/ð) → d, lower case.
 * @param {string} s
 * @returns {string}
 */
function fold(s) {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐÐð]/g, 'd')
    .toLowerCase()
}

/** A query as matched: folded, whitespace runs collapsed, trimmed. */
function foldQuery(s) {
  return fold(s).replace(/\s+/g, ' ').trim()
}

/** Fills `{name}` / `{n}` in a catalogue template. */
function fill(template, params) {
  return template.replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m))
}

let pickerNo = 0

/** Enhances one select. */
function enhance(select) {
  if (select.disabled || select.dataset.enhanced) return
  select.dataset.enhanced = '1'
  pickerNo += 1
  const id = `picker-${pickerNo}`
  const words = {
    search: select.dataset.pickerSearch || '',
    hint: select.dataset.pickerHint || '',
    chosen: select.dataset.pickerChosen || '',
    remove: select.dataset.pickerRemove || '{name}',
    none: select.dataset.pickerNone || '',
    added: select.dataset.pickerAdded || '{name}',
    removed: select.dataset.pickerRemoved || '{name}',
    results: select.dataset.pickerResults || '{n}',
  }
  const options = [...select.options].map((o, i) => {
    const folded = foldQuery(o.text)
    // The name without its kind ("phuong ", "xa "), for ranking: "sam son" is Phường Sầm Sơn
    // first, then Phường Nam Sầm Sơn.
    return { option: o, index: i, name: o.text, folded, bare: folded.replace(/^(phuong|xa) /, '') }
  })
  /** The chosen options in the order they were chosen (the saved ones first, in list order). */
  const picked = options.filter((o) => o.option.selected)
  const label = select.closest('label')
  const hint = label ? label.querySelector('.hint') : null
  const nameEl = label ? label.querySelector('[id]') : null

  const box = document.createElement('div')
  box.className = 'picker'
  const chips = document.createElement('ul')
  chips.className = 'picker-chips'
  chips.setAttribute('aria-label', words.chosen)
  const input = document.createElement('input')
  input.type = 'text'
  input.id = `${id}-input`
  input.className = 'picker-input'
  input.autocomplete = 'off'
  input.spellcheck = false
  input.setAttribute('role', 'combobox')
  input.setAttribute('aria-autocomplete', 'list')
  input.setAttribute('aria-expanded', 'false')
  input.setAttribute('aria-controls', `${id}-list`)
  // Named by the field's visible name (the label's first span), described by the hint.
  if (nameEl) input.setAttribute('aria-labelledby', nameEl.id)
  else input.setAttribute('aria-label', words.search)
  input.placeholder = words.search
  if (hint?.id) input.setAttribute('aria-describedby', hint.id)
  const list = document.createElement('ul')
  list.id = `${id}-list`
  list.className = 'picker-list'
  list.setAttribute('role', 'listbox')
  list.setAttribute('aria-multiselectable', 'true')
  list.setAttribute('aria-label', words.search)
  list.hidden = true
  const status = document.createElement('p')
  status.className = 'picker-status sr-only'
  status.setAttribute('role', 'status')
  box.append(chips, input, list, status)

  if (hint && words.hint) hint.textContent = words.hint
  // The select keeps its place in the form (its value is what is submitted) but not on screen.
  select.hidden = true
  select.tabIndex = -1
  if (label) label.after(box)
  else select.after(box)

  /** The options shown, and which of them is active (-1: none). */
  let shown = []
  let active = -1

  function renderChips() {
    chips.replaceChildren()
    for (const o of picked) {
      const li = document.createElement('li')
      li.className = 'chip'
      const text = document.createElement('span')
      text.textContent = o.name
      const remove = document.createElement('button')
      remove.type = 'button'
      remove.className = 'chip-remove'
      remove.setAttribute('aria-label', fill(words.remove, { name: o.name }))
      remove.textContent = '×'
      remove.addEventListener('click', () => {
        setSelected(o, false)
        input.focus()
      })
      li.append(text, remove)
      chips.append(li)
    }
    chips.hidden = chips.childElementCount === 0
  }

  function setActive(i) {
    active = i
    for (const [k, li] of [...list.children].entries()) li.classList.toggle('active', k === i)
    const li = i >= 0 ? list.children[i] : null
    if (li?.id) {
      input.setAttribute('aria-activedescendant', li.id)
      li.scrollIntoView({ block: 'nearest' })
    } else input.removeAttribute('aria-activedescendant')
  }

  function open(isOpen) {
    list.hidden = !isOpen
    input.setAttribute('aria-expanded', String(isOpen))
    if (!isOpen) setActive(-1)
  }

  function renderList() {
    const q = foldQuery(input.value)
    const rank = (o) => (o.bare === q || o.folded === q ? 0 : o.bare.startsWith(q) ? 1 : 2)
    shown = q
      ? options
          .filter((o) => o.folded.includes(q))
          .map((o) => ({ o, r: rank(o) }))
          .sort((a, b) => a.r - b.r || a.o.index - b.o.index)
          .map((x) => x.o)
      : options
    list.replaceChildren()
    for (const [k, o] of shown.entries()) {
      const li = document.createElement('li')
      li.id = `${id}-opt-${o.index}`
      li.setAttribute('role', 'option')
      li.setAttribute('aria-selected', String(o.option.selected))
      li.textContent = o.name
      // Keep the focus (and the on-screen keyboard) in the input when an option is touched.
      li.addEventListener('mousedown', (e) => e.preventDefault())
      li.addEventListener('click', () => {
        setActive(k)
        pick(o)
      })
      list.append(li)
    }
    if (shown.length === 0) {
      const li = document.createElement('li')
      li.className = 'picker-none'
      li.setAttribute('role', 'presentation')
      li.textContent = words.none
      list.append(li)
    }
    status.textContent = shown.length === 0 ? words.none : fill(words.results, { n: shown.length })
    setActive(shown.length > 0 && q ? 0 : -1)
  }

  function setSelected(o, selected) {
    o.option.selected = selected
    const at = picked.indexOf(o)
    if (at >= 0) picked.splice(at, 1)
    if (selected) picked.push(o)
    // Others listening on the form (the live preview) hear of it as of any edit of the select.
    select.dispatchEvent(new Event('input', { bubbles: true }))
    select.dispatchEvent(new Event('change', { bubbles: true }))
    renderChips()
    status.textContent = fill(selected ? words.added : words.removed, { name: o.name })
  }

  function pick(o) {
    setSelected(o, !o.option.selected)
    input.value = ''
    open(false)
    input.focus()
  }

  input.addEventListener('input', () => {
    renderList()
    open(true)
  })
  input.addEventListener('focus', () => {
    if (input.value) {
      renderList()
      open(true)
    }
  })
  input.addEventListener('blur', () => open(false))
  input.addEventListener('keydown', (e) => {
    const count = shown.length
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault()
      if (list.hidden) {
        renderList()
        open(true)
      }
      if (count === 0) return
      const step = e.key === 'ArrowDown' ? 1 : -1
      setActive(active < 0 ? (step > 0 ? 0 : count - 1) : (active + step + count) % count)
    } else if (e.key === 'Enter') {
      // Enter picks; it must never submit the release form from here.
      if (!list.hidden || input.value) e.preventDefault()
      if (!list.hidden && active >= 0 && shown[active]) pick(shown[active])
    } else if (e.key === 'Escape') {
      if (!list.hidden) {
        e.preventDefault()
        open(false)
      }
    } else if (e.key === 'Backspace' && input.value === '') {
      const last = picked[picked.length - 1]
      if (last) {
        e.preventDefault()
        setSelected(last, false)
      }
    }
  })
  // A change made to the select by other means (a test, an autofill) shows in the chips.
  select.addEventListener('change', () => {
    for (const o of [...picked]) if (!o.option.selected) picked.splice(picked.indexOf(o), 1)
    for (const o of options) if (o.option.selected && !picked.includes(o)) picked.push(o)
    renderChips()
  })
  renderChips()
}

// Guarded so that the unit test can load this file for `fold` outside a browser.
if (typeof document !== 'undefined') for (const select of document.querySelectorAll('select[data-picker]')) enhance(select)
