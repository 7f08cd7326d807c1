// Check-in at the door (events/checkin, /console/su-kien/:id/diem-danh). The camera's frames are
// decoded with jsQR (loaded before this file as the global `jsQR`); a code can be typed instead.
// Every scan gets an id made here and goes into a queue kept in localStorage before it is sent,
// so a network drop loses nothing: the queue is retried on the `online` event and every 5 s, and
// the server's answers replace the "waiting to sync" marks. The server decides (earliest scan
// wins, a scan sent twice counts once); while offline this device refuses at once a badge it has
// already seen, and still syncs that scan. No text lives here: it comes from the page's JSON.
;(() => {
  const root = document.getElementById('checkin')
  const textsEl = document.getElementById('checkin-texts')
  if (!root || !textsEl) return
  const T = JSON.parse(textsEl.textContent || '{}')
  const lang = root.getAttribute('data-lang') === 'en' ? 'en' : 'vi'
  const eventId = root.getAttribute('data-event')
  const scanUrl = root.getAttribute('data-scan-url')
  const statusUrl = root.getAttribute('data-status-url')
  const $ = (id) => document.getElementById(id)
  const _REFUSALS = ['duplicate', 'other_event', 'forged', 'expired', 'withdrawn', 'unknown_code']
  const SAME_QR_MS = 3000
  const RETRY_MS = 5000
  const MAX_BATCH = 200
  const MAX_ITEMS = 300

  // Storage. A browser that refuses localStorage (private mode, quota) still checks people in
  // online: the queue then lives in memory only, which is what `mem` holds.
  const mem = {}
  const load = (key, fallback) => {
    try {
      const v = localStorage.getItem(key)
      return v === null ? (key in mem ? mem[key] : fallback) : JSON.parse(v)
    } catch (_e) {
      return key in mem ? mem[key] : fallback
    }
  }
  const save = (key, value) => {
    mem[key] = value
    try {
      localStorage.setItem(key, JSON.stringify(value))
    } catch (_e) {
      // Kept in memory (above) for this page's life.
    }
  }
  const K = (name) => `checkin:${eventId}:${name}`

  const uid = () => {
    if (window.crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID()
    const b = new Uint8Array(16)
    crypto.getRandomValues(b)
    return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')
  }
  let deviceId = load('checkin:device', '')
  if (!deviceId) {
    deviceId = uid()
    save('checkin:device', deviceId)
  }

  /** @type {Array<Record<string, unknown>>} scans not yet answered by the server */
  let queue = load(K('queue'), [])
  /** @type {Array<Record<string, any>>} this device's scans, newest first */
  let items = load(K('items'), [])
  /** @type {Record<string, {at: string, door: string, scanId: string}>} badges this device saw */
  const seen = load(K('seen'), {})
  const persist = () => {
    save(K('queue'), queue)
    save(K('items'), items.slice(0, MAX_ITEMS))
    save(K('seen'), seen)
  }

  const fill = (template, params) => String(template || '').replace(/\{(\w+)\}/g, (m, k) => (k in params ? String(params[k]) : m))
  const zone = { timeZone: 'Asia/Ho_Chi_Minh' }
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB'
  const timeOf = (iso) => new Intl.DateTimeFormat(locale, { ...zone, hour: '2-digit', minute: '2-digit' }).format(new Date(iso))
  const dateOf = (iso) => new Intl.DateTimeFormat(locale, { ...zone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso))
  const normCode = (c) => String(c).toUpperCase().replace(/[\s-]/g, '')
  const keyOf = (s) => (s.token ? `t:${s.token}` : s.code ? `c:${normCode(s.code)}` : '')

  // The door, remembered on this device for every event.
  const door = $('checkin-door')
  if (door) {
    door.value = load('checkin:door', '')
    door.addEventListener('input', () => save('checkin:door', door.value.trim()))
  }
  const doorName = () => (door ? door.value.trim().slice(0, 60) : '')

  // Online state: the browser's word and whether the last request reached the server.
  let reachable = true
  const isOnline = () => navigator.onLine && reachable
  const showOnline = () => {
    const el = $('checkin-online')
    if (!el) return
    const on = isOnline()
    el.setAttribute('data-online', String(on))
    el.textContent = on ? T.online : T.offline
  }

  const label = (item) => (item.result === 'pending' ? T.pending : T[`result.${item.result}`] || item.result)
  const keptText = (kept) =>
    kept.door ? fill(T.kept, { time: timeOf(kept.scannedAt), door: kept.door }) : fill(T.keptNoDoor, { time: timeOf(kept.scannedAt) })
  const reasonOf = (item) => {
    if (item.message) return item.message
    if (item.local && item.prior) return fill(T.localDuplicate, { time: timeOf(item.prior.at) })
    if (item.result === 'duplicate' && item.kept) return keptText(item.kept)
    if (item.result === 'other_event' && item.otherEvent)
      return fill(T.otherEvent, { title: item.otherEvent.title, date: dateOf(item.otherEvent.startsAt) })
    if (item.result === 'checked_in' && item.person && item.person.companion) return fill(T.companion, { name: item.person.companion })
    return ''
  }
  const initials = (name) =>
    String(name || '')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((w, i, all) => (i === 0 || i === all.length - 1 ? w[0] : ''))
      .join('')
      .toUpperCase()

  const renderLast = () => {
    const card = $('checkin-last')
    const item = items[0]
    if (!card || !item) return
    const ok = item.result === 'checked_in' || item.result === 'walk_in'
    card.setAttribute('data-result', item.result)
    card.setAttribute('data-sync', item.pending ? 'pending' : 'done')
    card.querySelector('.checkin-mark').textContent = item.result === 'pending' ? '…' : ok ? '✓' : '✗'
    const person = item.person || null
    card.querySelector('.checkin-name').textContent = person ? person.name : label(item)
    card.querySelector('.checkin-outlet').textContent = person ? [person.outlet, label(item)].filter(Boolean).join(' · ') : ''
    const reason = [reasonOf(item), item.pending && item.result !== 'pending' ? T.pending : ''].filter(Boolean).join(' · ')
    card.querySelector('.checkin-reason').textContent = reason
    const photo = card.querySelector('.checkin-photo')
    photo.textContent = ''
    if (person?.photoUrl) {
      const img = document.createElement('img')
      img.src = person.photoUrl
      img.alt = ''
      photo.appendChild(img)
    } else if (person) {
      photo.textContent = initials(person.name)
    }
  }

  const renderList = () => {
    const list = $('checkin-results')
    if (!list) return
    list.textContent = ''
    for (const item of items) {
      const li = document.createElement('li')
      li.setAttribute('data-result', item.result)
      li.setAttribute('data-scan', item.scanId)
      li.setAttribute('data-sync', item.pending ? 'pending' : 'done')
      const head = document.createElement('strong')
      head.textContent = `${timeOf(item.at)} · ${label(item)}`
      li.appendChild(head)
      const who = item.person ? item.person.name : item.code ? normCode(item.code) : ''
      if (who) li.appendChild(document.createTextNode(` · ${who}`))
      const reason = reasonOf(item)
      if (reason || item.pending) {
        const small = document.createElement('span')
        small.className = 'small'
        small.textContent = ` ${[reason, item.pending && item.result !== 'pending' ? T.pending : ''].filter(Boolean).join(' · ')}`
        li.appendChild(small)
      }
      list.appendChild(li)
    }
  }

  const renderQueue = () => {
    const el = $('checkin-queue')
    if (!el) return
    el.textContent = String(queue.length)
    el.setAttribute('data-pending', String(queue.length))
  }

  const render = () => {
    renderQueue()
    renderList()
    renderLast()
    showOnline()
  }

  const renderCounts = (counts) => {
    if (!counts) return
    const box = $('checkin-counts')
    const set = (id, attr, n) => {
      const el = $(id)
      if (el) el.textContent = String(n)
      if (box) box.setAttribute(attr, String(n))
    }
    set('checkin-checked-in', 'data-checked-in', counts.checkedIn)
    set('checkin-confirmed', 'data-confirmed', counts.confirmed)
    set('checkin-walk-ins', 'data-walk-ins', counts.walkIns)
    set('checkin-conflict-count', 'data-conflicts', counts.conflicts)
  }

  const renderConflicts = (conflicts) => {
    const list = $('checkin-conflicts')
    if (!list || !Array.isArray(conflicts)) return
    list.textContent = ''
    for (const c of conflicts) {
      const li = document.createElement('li')
      li.setAttribute('data-conflict', c.reason)
      const head = document.createElement('strong')
      head.textContent = T[`result.${c.reason}`] || c.reason
      li.appendChild(head)
      const parts = [c.name, timeOf(c.scannedAt), c.door].filter(Boolean)
      li.appendChild(document.createTextNode(` · ${parts.join(' · ')}`))
      if (c.kept) {
        const small = document.createElement('span')
        small.className = 'small'
        small.textContent = ` (${keptText(c.kept)})`
        li.appendChild(small)
      }
      list.appendChild(li)
    }
  }

  // A new scan: queued first, shown at once, then sent.
  const scan = (fields) => {
    const s = {
      scanId: uid(),
      ...fields,
      door: doorName(),
      deviceId,
      scannedAt: new Date().toISOString(),
      offline: !isOnline(),
    }
    queue.push(s)
    const key = keyOf(s)
    const prior = key ? seen[key] : undefined
    const item = { scanId: s.scanId, result: 'pending', pending: true, at: s.scannedAt, code: s.code || null }
    if (s.walkIn) item.person = { name: s.walkIn.name, outlet: s.walkIn.outlet || null, photoUrl: null, companion: null }
    if (prior && s.offline) {
      // Offline: this device has seen this badge already; refused here, the server has the last word.
      item.result = 'duplicate'
      item.local = true
      item.prior = prior
    } else if (key && !prior) {
      seen[key] = { at: s.scannedAt, door: s.door, scanId: s.scanId }
    }
    items.unshift(item)
    items = items.slice(0, MAX_ITEMS)
    persist()
    render()
    sync()
  }

  // The server's answers replace the local marks.
  const apply = (results, counts) => {
    for (const r of results) {
      const sent = queue.find((s) => s.scanId === r.scanId)
      queue = queue.filter((s) => s.scanId !== r.scanId)
      const i = items.findIndex((x) => x.scanId === r.scanId)
      const before = i >= 0 ? items[i] : { scanId: r.scanId, at: sent ? sent.scannedAt : new Date().toISOString() }
      const item = {
        scanId: r.scanId,
        at: before.at,
        code: before.code || null,
        result: r.result,
        pending: false,
        person: r.person || before.person || null,
        kept: r.kept || null,
        otherEvent: r.otherEvent || null,
      }
      if (i >= 0) items[i] = item
      else items.unshift(item)
      // A badge the server refused for another reason than a duplicate is not "seen" here.
      const key = sent ? keyOf(sent) : ''
      if (key && seen[key] && seen[key].scanId === r.scanId && r.result !== 'checked_in' && r.result !== 'duplicate') delete seen[key]
    }
    renderCounts(counts)
    persist()
    render()
  }

  // A scan the server refused as a request (closed door, malformed): dropped with its message.
  const refuseLocally = (scanId, message) => {
    queue = queue.filter((s) => s.scanId !== scanId)
    const i = items.findIndex((x) => x.scanId === scanId)
    if (i >= 0) items[i] = { ...items[i], result: 'refused', pending: false, local: false, message: `${T.refused}: ${message}` }
    persist()
    render()
  }

  const csrf = () => {
    const field = document.querySelector('input[name="_csrf"]')
    return field ? field.value : ''
  }
  const request = async (url, init) => {
    const ctl = new AbortController()
    const timer = setTimeout(() => ctl.abort(), 15000)
    try {
      return await fetch(url, { credentials: 'same-origin', signal: ctl.signal, ...init })
    } finally {
      clearTimeout(timer)
    }
  }

  let syncing = false
  let lastError = ''
  const sync = async () => {
    if (syncing || queue.length === 0) return
    syncing = true
    let size = MAX_BATCH
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, size)
        let res
        try {
          res = await request(scanUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf() },
            body: JSON.stringify({ scans: batch }),
          })
        } catch (_e) {
          // No network (or no answer): everything queued is now an offline scan, judged by its own time.
          reachable = false
          for (const s of queue) s.offline = true
          persist()
          break
        }
        reachable = true
        const data = await res.json().catch(() => ({}))
        const message = data?.error?.message ? data.error.message[lang] : String(res.status)
        if (res.ok && Array.isArray(data.results)) {
          apply(data.results, data.counts)
          continue
        }
        if (res.status === 401 || res.status === 403 || res.status === 429 || res.status >= 500) {
          // Signed out, not allowed, busy or broken: keep everything and say why.
          lastError = message
          break
        }
        if (batch.length > 1) {
          size = 1 // one bad scan must not hold the others back: try them one by one
          continue
        }
        refuseLocally(batch[0].scanId, message)
      }
    } finally {
      syncing = false
      render()
      const status = $('checkin-camera-status')
      if (lastError && status) status.textContent = lastError
      lastError = ''
    }
    refreshStatus()
  }

  // Counts and conflicts of every door, from the server.
  const refreshStatus = async () => {
    if (!statusUrl || !isOnline()) return
    try {
      const res = await request(statusUrl, { headers: { accept: 'application/json' } })
      if (!res.ok) return
      const data = await res.json()
      renderCounts(data.counts)
      renderConflicts(data.conflicts)
    } catch (_e) {
      reachable = false
      showOnline()
    }
  }

  window.addEventListener('online', () => {
    reachable = true
    showOnline()
    sync()
  })
  window.addEventListener('offline', showOnline)
  setInterval(() => {
    if (queue.length > 0) sync()
    else refreshStatus()
  }, RETRY_MS)

  // Manual code.
  const manual = $('checkin-manual')
  if (manual) {
    manual.addEventListener('submit', (e) => {
      e.preventDefault()
      const input = manual.querySelector('input[name="code"]')
      const code = input.value.trim()
      if (!code) return
      scan({ code })
      input.value = ''
      input.focus()
    })
  }

  // Walk-ins go through the same queue (the form still posts by itself without this script).
  const walkIn = $('checkin-walkin')
  if (walkIn) {
    walkIn.addEventListener('submit', (e) => {
      e.preventDefault()
      const value = (name) => walkIn.querySelector(`[name="${name}"]`).value.trim()
      const name = value('name')
      if (name.length < 2) return
      scan({ walkIn: { name, outlet: value('outlet'), note: value('note') } })
      walkIn.reset()
    })
  }

  // The camera. Denied or missing: manual entry remains.
  const cameraStatus = (text) => {
    const el = $('checkin-camera-status')
    if (el) el.textContent = text
  }
  let lastText = ''
  let lastAt = 0
  const onQr = (text) => {
    const t = Date.now()
    // A badge held in view is one scan: each sighting extends the pause, so it is read again
    // only after it has been out of view for SAME_QR_MS (shown a second time, e.g. passed on).
    if (text === lastText && t - lastAt < SAME_QR_MS) {
      lastAt = t
      return
    }
    lastText = text
    lastAt = t
    scan({ token: text })
  }
  const startCamera = async () => {
    const video = $('checkin-video')
    if (!video) return
    if (!navigator.mediaDevices?.getUserMedia || typeof window.jsQR !== 'function') {
      video.hidden = true
      cameraStatus(T.cameraUnsupported)
      return
    }
    let stream
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
    } catch (_e) {
      video.hidden = true
      cameraStatus(T.cameraDenied)
      return
    }
    video.srcObject = stream
    video.muted = true
    video.setAttribute('playsinline', '')
    await video.play().catch(() => undefined) // autoplay of a muted stream; frames are read regardless
    cameraStatus(T.cameraOn)
    const canvas = document.createElement('canvas')
    const ctx = canvas.getContext('2d', { willReadFrequently: true })
    setInterval(() => {
      if (document.hidden || video.readyState < 2 || !video.videoWidth) return
      const scale = Math.min(1, 960 / Math.max(video.videoWidth, video.videoHeight))
      const w = Math.round(video.videoWidth * scale)
      const h = Math.round(video.videoHeight * scale)
      if (canvas.width !== w) canvas.width = w
      if (canvas.height !== h) canvas.height = h
      ctx.drawImage(video, 0, 0, w, h)
      const found = window.jsQR(ctx.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'attemptBoth' })
      if (found?.data) onQr(found.data)
    }, 150)
  }

  render()
  startCamera()
  sync()
  refreshStatus()
})()
