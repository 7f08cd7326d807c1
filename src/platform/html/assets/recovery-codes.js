// Print and copy on the recovery-codes page. Without JavaScript the two buttons stay hidden
// and the download (a plain form POST) still works.
;(() => {
  const codes = document.getElementById('recovery-codes')
  const print = document.getElementById('recovery-print')
  const copy = document.getElementById('recovery-copy')
  const status = document.getElementById('recovery-status')
  if (!codes || !print || !copy) return
  const text = () =>
    Array.from(codes.querySelectorAll('span'))
      .map((s) => s.textContent.trim())
      .join('\n')
  const say = (message) => {
    if (status) status.textContent = message
  }
  print.hidden = false
  print.addEventListener('click', () => window.print())
  if (navigator.clipboard && window.isSecureContext) {
    copy.hidden = false
    copy.addEventListener('click', () => {
      navigator.clipboard.writeText(`${text()}\n`).then(
        () => say(copy.getAttribute('data-copied') || ''),
        () => say(copy.getAttribute('data-failed') || ''),
      )
    })
  }
})()
