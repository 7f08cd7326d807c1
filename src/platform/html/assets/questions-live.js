// Live questions (events). Two small jobs, no text of its own (labels come from the page):
// 1. The partner's question form: a character counter beside the textarea (`[data-counter]`).
// 2. The moderators' queue (`[data-questions-stream]`): follows the event stream (server-sent
//    events, the whole queue as JSON when it changes) and updates the list in place: states,
//    counts, "+N similar", answer notes, the merge choices; a new question is cloned from the
//    page's <template> (its forms carry the page's CSRF token), so every form keeps working.
;(() => {
  for (const counter of document.querySelectorAll('[data-counter]')) {
    const form = counter.closest('form')
    const area = form?.querySelector('textarea[name="body"]')
    if (!area) continue
    const max = Number(counter.getAttribute('data-max')) || 2000
    const update = () => {
      const n = [...area.value].length
      counter.textContent = `${n}/${max}`
      counter.classList.toggle('over', n > max)
    }
    area.addEventListener('input', update)
    update()
  }

  const list = document.querySelector('[data-questions-stream]')
  if (!list || typeof EventSource === 'undefined') return
  const labels = JSON.parse(list.getAttribute('data-labels') || '{}')
  const similarText = list.getAttribute('data-similar') || '+{n}'
  const template = document.getElementById('evq-template')
  const live = document.querySelector('.evq-live')
  const empty = document.querySelector('[data-f="empty"]')
  const field = (el, name) => el.querySelector(`[data-f="${name}"]`)
  const setText = (el, text) => {
    if (el && el.textContent !== text) el.textContent = text
  }
  const excerpt = (q) => {
    const chars = [...q.body]
    return `${chars.slice(0, 80).join('')}${chars.length > 80 ? '…' : ''} (${q.partnerName})`
  }

  const make = (q) => {
    if (!template) return null
    const node = template.content.firstElementChild.cloneNode(true)
    node.id = `q-${q.id}`
    node.setAttribute('data-question-id', q.id)
    for (const f of node.querySelectorAll('form')) f.setAttribute('action', f.getAttribute('action').replace('__ID__', q.id))
    return node
  }

  const render = (node, q, items) => {
    if (node.getAttribute('data-state') !== q.state) node.setAttribute('data-state', q.state)
    const badge = field(node, 'state')
    if (badge) {
      setText(badge, labels[q.state] || q.state)
      badge.className = `badge evq-state evq-${q.state}`
    }
    setText(field(node, 'asker'), q.partnerName)
    setText(field(node, 'outlet'), q.outlet ? ` · ${q.outlet}` : '')
    const at = field(node, 'at')
    if (at) {
      at.setAttribute('datetime', q.createdAt)
      setText(at, q.at || '')
    }
    setText(field(node, 'body'), q.body)
    const similar = field(node, 'similar')
    if (similar) {
      similar.hidden = !q.similar
      setText(similar, similarText.replace('{n}', String(q.similar)))
    }
    const merged = field(node, 'merged')
    if (merged) {
      merged.hidden = !q.mergedInto
      const a = merged.querySelector('a')
      if (a && q.mergedInto) a.setAttribute('href', `#q-${q.mergedInto}`)
    }
    const note = field(node, 'note')
    if (note) {
      note.hidden = !q.answerNote
      setText(field(node, 'noteText'), q.answerNote || '')
    }
    const select = field(node, 'targets')
    if (select && document.activeElement !== select) {
      const targets = items.filter((x) => x.id !== q.id && x.state !== 'merged' && x.state !== 'rejected')
      const wanted = targets.map((x) => `${x.id}\u0000${excerpt(x)}`).join('\u0001')
      if (select.getAttribute('data-options') !== wanted) {
        const chosen = select.value
        while (select.options.length > 1) select.remove(1)
        for (const x of targets) select.add(new Option(excerpt(x), x.id, false, x.id === chosen))
        select.setAttribute('data-options', wanted)
      }
    }
  }

  const apply = (data) => {
    const items = data.items || []
    for (const [state, n] of Object.entries(data.counts || {})) setText(document.querySelector(`[data-count="${state}"]`), String(n))
    if (empty) empty.hidden = items.length > 0
    items.forEach((q, i) => {
      let node = document.getElementById(`q-${q.id}`)
      if (!node) node = make(q)
      if (!node) return
      render(node, q, items)
      // Move only what is out of place, so a form being filled in elsewhere keeps its focus.
      const here = list.children[i]
      if (here !== node) list.insertBefore(node, here || null)
    })
  }

  const source = new EventSource(list.getAttribute('data-questions-stream'))
  if (live) live.hidden = false
  source.onopen = () => live?.setAttribute('data-live', 'on')
  source.onerror = () => live?.setAttribute('data-live', 'off')
  source.onmessage = (e) => {
    try {
      apply(JSON.parse(e.data))
    } catch {
      // A malformed event is skipped; the next one carries the whole queue again.
    }
  }
})()
