// Live progress of an item's distribution (console). The page holds the counts at load (enough
// without JavaScript); this script follows the item's event stream (`data-stream`, server-sent
// events: the counts as JSON when they change) and updates the same elements in place: the
// numbers (`[data-f]` inside `[data-kind]`, per channel in `[data-channel]`) and the bars. A
// decision that appears after the page was loaded shows the "reload" link. No text lives here.
;(() => {
  const root = document.querySelector('[data-stream]')
  if (!root || typeof EventSource === 'undefined') return
  const lang = root.getAttribute('data-locale') === 'en' ? 'en-US' : 'vi-VN'
  const fmt = new Intl.NumberFormat(lang)
  const live = root.querySelector('.dist-live')
  const set = (scope, field, n) => {
    const el = scope.querySelector(`[data-f="${field}"]`)
    if (el && el.textContent !== fmt.format(n)) el.textContent = fmt.format(n)
  }
  const apply = (data) => {
    let unknown = false
    let changed = false
    for (const k of data.kinds || []) {
      const panel = root.querySelector(`[data-kind="${k.kind}"]`)
      if (!panel) {
        unknown = true
        continue
      }
      for (const f of ['done', 'total', 'queued', 'failed', 'bounced', 'cancelled']) {
        // The headline figures sit in the panel's paragraphs; the table below has its own per channel.
        const el = panel.querySelector(`p [data-f="${f}"]`)
        if (el && el.textContent !== fmt.format(k[f] || 0)) {
          el.textContent = fmt.format(k[f] || 0)
          changed = true
        }
      }
      const bar = panel.querySelector('progress[data-f="bar"]')
      if (bar) {
        bar.max = Math.max(k.total, 1)
        bar.value = k.done
      }
      for (const [channel, c] of Object.entries(k.channels || {})) {
        const row = panel.querySelector(`[data-channel="${channel}"]`)
        if (!row) {
          unknown = true
          continue
        }
        set(row, 'done', c.done)
        set(row, 'total', c.total)
        set(row, 'failed', c.failed)
      }
    }
    const reload = root.querySelector('[data-f="reload"]')
    if (reload && unknown) reload.hidden = false
    // The deliveries table below is what the page loaded: say so once the counts have moved.
    const stale = document.getElementById('deliveries-stale')
    if (stale && changed) stale.hidden = false
  }
  const source = new EventSource(root.getAttribute('data-stream'))
  source.onopen = () => live?.setAttribute('data-live', 'on')
  source.onerror = () => live?.setAttribute('data-live', 'off')
  source.onmessage = (e) => {
    try {
      apply(JSON.parse(e.data))
    } catch {
      // A malformed event is skipped; the next one carries the whole state again.
    }
  }
})()
