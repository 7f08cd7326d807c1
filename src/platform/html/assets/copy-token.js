// The copy button beside a value shown once (a new partner API token). Without JavaScript, or
// without the clipboard API, the button stays hidden and the value can be selected by hand.
;(() => {
  for (const button of document.querySelectorAll('button[data-copy-target]')) {
    const target = document.getElementById(button.getAttribute('data-copy-target') || '')
    const status = document.getElementById(button.getAttribute('data-copy-status') || '')
    if (!target || !navigator.clipboard || !window.isSecureContext) continue
    button.hidden = false
    button.addEventListener('click', () => {
      const value = 'value' in target ? target.value : target.textContent
      navigator.clipboard.writeText(String(value).trim()).then(
        () => {
          if (status) status.textContent = button.getAttribute('data-copied') || ''
        },
        () => {
          if (status) status.textContent = button.getAttribute('data-failed') || ''
        },
      )
    })
  }
})()
