// Live countdown to an embargo's lift (partner portal). Each `[data-countdown]` element holds
// the lift instant (ISO) and its words in `data-*` attributes rendered from the catalogues
// ({d} {h} {m} {s} placeholders); this script holds no text. It shows the element, updates it
// every second, and at zero says the release may now be published and shows the link to its
// public page. Without JavaScript the element stays hidden and the printed label is enough.
;(() => {
  const items = Array.from(document.querySelectorAll('[data-countdown]'))
  if (items.length === 0) return
  const pad = (n) => (n < 10 ? `0${n}` : String(n))
  const fill = (template, v) => (template || '').replace(/\{(\w)\}/g, (m, k) => (k in v ? String(v[k]) : m))
  const words = (el, left) => {
    const total = Math.floor(left / 1000)
    const d = Math.floor(total / 86400)
    const h = Math.floor((total % 86400) / 3600)
    const m = Math.floor((total % 3600) / 60)
    const s = total % 60
    if (d > 0) return fill(el.getAttribute('data-days'), { d, h, m, s })
    if (h > 0) return fill(el.getAttribute('data-hours'), { d, h, m, s })
    if (m > 0) return fill(el.getAttribute('data-minutes'), { d, h, m, s: pad(s) })
    return fill(el.getAttribute('data-seconds'), { d, h, m, s })
  }
  const tick = () => {
    let running = false
    for (const el of items) {
      const until = Date.parse(el.getAttribute('data-countdown') || '')
      const text = el.querySelector('[data-countdown-text]')
      const link = el.querySelector('[data-countdown-link]')
      if (!text || Number.isNaN(until)) continue
      el.hidden = false
      const left = until - Date.now()
      if (left > 0) {
        running = true
        const next = words(el, left)
        if (text.textContent !== next) text.textContent = next
      } else {
        text.textContent = el.getAttribute('data-done') || ''
        if (link) link.hidden = false
        el.classList.add('lifted')
      }
    }
    return running
  }
  if (tick()) {
    const timer = setInterval(() => {
      if (!tick()) clearInterval(timer)
    }, 1000)
  }
})()
