// Progress of a partners import (served by import.routes.tsx at /console/doi-tac/nhap/tien-do.js):
// asks the server for the progress every 2 s, updates the bar and its texts (rendered by the
// server from the catalogues, so this file holds no words), and reloads the page once the import
// has finished so the result shows. Without scripts, the page's "refresh" link does the same.
;(() => {
  const box = document.querySelector('[data-import-progress]')
  if (!box) return
  const url = box.getAttribute('data-import-progress')
  const bar = box.querySelector('progress')
  const text = box.querySelector('[data-progress-text]')
  const counts = box.querySelector('[data-progress-counts]')
  const tick = async () => {
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      if (res.ok) {
        const p = await res.json()
        if (p.finished) {
          window.location.reload()
          return
        }
        bar.value = p.pct
        bar.setAttribute('aria-label', p.text)
        text.textContent = p.text
        counts.textContent = p.counts
      }
    } catch (e) {
      // A dropped connection (server restart, network blip): keep the last figures and ask again.
      console.warn('import progress', e)
    }
    setTimeout(tick, 2000)
  }
  setTimeout(tick, 2000)
})()
