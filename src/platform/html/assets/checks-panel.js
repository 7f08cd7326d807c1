// One-click masking in the editors: replaces the finding's text with the suggestion in the
// field it came from, then lets htmx re-run the checks.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('.mask-button') : null
  if (!button) return
  const form = button.closest('form') || document.querySelector('form[data-checks]')
  if (!form) return
  const find = button.getAttribute('data-find') || ''
  let replace = button.getAttribute('data-replace') || ''
  // A term replaced at the start of a sentence keeps its capital ("Hung thủ" → "Đối tượng").
  const first = find.charAt(0)
  if (first && first !== first.toLocaleLowerCase('vi') && replace.charAt(0) === replace.charAt(0).toLocaleLowerCase('vi'))
    replace = replace.charAt(0).toLocaleUpperCase('vi') + replace.slice(1)
  const names = button.getAttribute('data-field') === 'title' ? ['title'] : ['bodyMd', 'summary', 'text', 'explanation']
  for (const name of names) {
    const field = form.querySelector(`[name="${name}"]`)
    if (field && 'value' in field && field.value.includes(find)) {
      // A function, so that `$&` and the like in the text are not read as patterns.
      field.value = field.value.replace(find, () => replace)
      field.dispatchEvent(new Event('input', { bubbles: true }))
      break
    }
  }
})
