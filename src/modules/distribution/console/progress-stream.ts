/**
 * The live progress of an item as server-sent events (`text/event-stream`): the counts as JSON
 * on connect, then again whenever they change, checked once a second with one grouped query
 * per open stream (`itemProgress`, on the item index); a heartbeat comment every 15 s keeps
 * proxies from closing an idle stream. The stream ends when the client goes, when the app
 * closes, and after 10 minutes: the browser's EventSource then reconnects, and the reconnect
 * passes the route's access check and the item's visibility rule again (a signed-out or
 * removed member stops receiving within 10 minutes at most).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { TypedApp } from '../../../platform/modules.ts'

/** How often the counts are read (ms). */
export const POLL_MS = 1000
const HEARTBEAT_MS = 15_000
const MAX_LIFETIME_MS = 10 * 60_000

/** Open streams per app, ended when the app closes (an open stream would hold `close` up). */
const openStreams = new WeakMap<object, Set<() => void>>()

function streamsOf(app: TypedApp): Set<() => void> {
  let set = openStreams.get(app)
  if (!set) {
    set = new Set()
    openStreams.set(app, set)
    const mine = set
    app.addHook('preClose', async () => {
      for (const stop of [...mine]) stop()
    })
  }
  return set
}

/** Registers the close hook now (hooks cannot be added once the app is ready). */
export function prepareProgressStreams(app: TypedApp): void {
  streamsOf(app)
}

/**
 * Takes over the reply and streams `read()`'s result as `data:` events until the client goes.
 * The caller has checked access and loaded the item.
 */
export function openProgressStream(app: TypedApp, req: FastifyRequest, reply: FastifyReply, read: () => Promise<unknown>): void {
  const streams = streamsOf(app)
  reply.hijack()
  const res = reply.raw
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'x-robots-tag': 'noindex, nofollow',
    // nginx and similar buffer responses unless told not to.
    'x-accel-buffering': 'no',
    'x-request-id': req.id,
  })
  res.write('retry: 3000\n\n')
  let last = ''
  let busy = false
  let closed = false
  const push = async (): Promise<void> => {
    if (busy || closed) return
    busy = true
    try {
      const json = JSON.stringify(await read())
      if (json !== last && !closed) {
        last = json
        res.write(`data: ${json}\n\n`)
      }
    } catch (e) {
      // A failed read is retried on the next tick; the stream stays open.
      req.log.warn({ err: e }, 'distribution progress read failed')
    } finally {
      busy = false
    }
  }
  const poll = setInterval(() => void push(), POLL_MS)
  const beat = setInterval(() => {
    if (!closed) res.write(': heartbeat\n\n')
  }, HEARTBEAT_MS)
  const lifetime = setTimeout(() => stop(), MAX_LIFETIME_MS)
  const stop = (): void => {
    if (closed) return
    closed = true
    clearInterval(poll)
    clearInterval(beat)
    clearTimeout(lifetime)
    streams.delete(stop)
    res.end()
  }
  streams.add(stop)
  req.raw.on('close', stop)
  res.on('close', stop)
  void push()
}
