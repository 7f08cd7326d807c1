/**
 * Cross-process notifications over PostgreSQL LISTEN/NOTIFY. One dedicated connection per
 * process listens on every channel a module subscribes to; NOTIFY sent inside a transaction
 * is delivered on commit, so a listener never hears of a change that rolled back. The
 * connection reconnects by itself; after a reconnect every handler is called once, since
 * notifications sent meanwhile were lost.
 */
import pg from 'pg'

type Handler = (payload: string) => void

/** A process's listener. */
export interface EventListener {
  /** Subscribes to a channel (lower-case identifier). */
  on(channel: string, handler: Handler): Promise<void>
  /** Closes the connection. */
  close(): Promise<void>
}

/** Opens the listening connection for `url`. */
export function createEventListener(url: string, log: (m: string) => void = () => undefined): EventListener {
  const handlers = new Map<string, Handler[]>()
  let client: pg.Client | undefined
  let closed = false
  let connecting: Promise<void> | undefined
  let queue: Promise<void> = Promise.resolve()

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url })
    c.on('notification', (n) => {
      for (const h of handlers.get(n.channel) ?? []) h(n.payload ?? '')
    })
    c.on('error', (e) => {
      log(`events: ${e.message}`)
      if (client === c) client = undefined
      if (!closed) setTimeout(() => void reconnect(), 1000).unref()
    })
    await c.connect()
    try {
      for (const channel of handlers.keys()) {
        if (closed) break
        await c.query(`LISTEN ${channel}`)
      }
    } catch (e) {
      if (!closed) {
        await c.end().catch(() => undefined)
        throw e
      }
    }
    if (closed) {
      // Closed while connecting: this connection is nobody's.
      await c.end().catch(() => undefined)
      return
    }
    client = c
  }
  const reconnect = async () => {
    if (closed || client) return
    try {
      await connect()
      for (const list of handlers.values()) for (const h of list) h('')
    } catch (e) {
      log(`events: reconnect failed: ${(e as Error).message}`)
      setTimeout(() => void reconnect(), 1000).unref()
    }
  }

  return {
    async on(channel, handler) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`bad channel ${channel}`)
      const list = handlers.get(channel)
      if (list) {
        list.push(handler)
        return
      }
      handlers.set(channel, [handler])
      connecting ??= connect()
      try {
        await connecting
      } catch (e) {
        // A listener closed meanwhile (a command that stops at once) owes nobody an error.
        if (closed) return
        throw e
      }
      const c = client
      if (closed || !c) return
      // A connection lost meanwhile LISTENs on every channel when it reconnects; one closed
      // meanwhile needs nothing.
      // One statement at a time on the connection: several modules subscribe at start-up
      // together, and pg deprecates overlapping queries on one client.
      const listen = queue.then(() => c.query(`LISTEN ${channel}`))
      queue = listen.then(
        () => undefined,
        () => undefined,
      )
      await listen.catch((e: Error) => {
        if (!closed) log(`events: LISTEN ${channel}: ${e.message}`)
      })
    },
    async close() {
      closed = true
      const c = client
      client = undefined
      await c?.end().catch(() => undefined)
    },
  }
}
