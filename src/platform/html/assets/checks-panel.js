// One-click masking in the editors: replaces the finding's text with the suggestion in the
// field it came from, then lets htmx re-run the checks.
document.addEventListener('click', (event) => {
  const button = event.target instanceof Element ? event.target.closest('.mask-button') : null
  if (!button) return
  const form = button.closest('form') || document.querySelector('form[data-checks]')
  if (!form) return
  const find = button.getAttribute('data-find') || ''
  const replace = button.getAttribute('data-replace') || ''
  const names = button.getAttribute('data-field') === 'title' ? ['title'] : ['bodyMd', 'summary', 'text', 'explanation']
  for (const name of names) {
    const field = form.querySelector(`[name="${name}"]`)
    if (field && 'value' in field && field.value.includes(find)) {
      field.value = field.value.replace(find, replace)
      field.dispatchEvent(new Event('input', { bubbles: true }))
      break
    }
  }
})
