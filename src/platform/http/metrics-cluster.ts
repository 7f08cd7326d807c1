/**
 * /metrics for a whole `serve` supervisor, not for whichever web process took the scrape.
 *
 * Web processes share the port, so a scrape lands in any one of them. That process asks the
 * supervisor ({@link serverSnapshot}); the supervisor asks every live web process for its
 * counters, adds its own (memory, uptime) and answers with the sum ({@link answerMetrics}).
 * The same idea as prom-client's AggregatorRegistry (the primary collects over node:cluster's
 * IPC), done over our own small snapshot so that the exposition, the names and the gauges (read
 * once from the shared database) stay as they are, and so that the scrape, which arrives in a
 * worker rather than in the primary, can be relayed.
 *
 * A process that does not answer within a second is left out; `donghanh_metrics_processes`
 * says how many were counted, so a partial scrape is visible rather than silently low.
 */
import cluster, { type Worker } from 'node:cluster'
import { isSupervisedWebProcess } from '../../config.ts'
import { localSnapshot, type MetricsSnapshot, mergeSnapshots } from './metrics.ts'

const ASK = 'donghanh:metrics-ask'
const ANSWER = 'donghanh:metrics-answer'
const COLLECT = 'donghanh:metrics-collect'
const PART = 'donghanh:metrics-part'
/** How long the supervisor waits for a web process's part, and a web process for the sum. */
const PART_TIMEOUT_MS = 1000
const ANSWER_TIMEOUT_MS = 2500

interface Message {
  type: string
  id: number
  snapshot?: MetricsSnapshot
}

let listening = false
let nextId = 1
const answers = new Map<number, (s: MetricsSnapshot | null) => void>()

/** True in a supervisor's web process with a live IPC channel. */
function supervised(): boolean {
  return cluster.isWorker && isSupervisedWebProcess() && typeof process.send === 'function'
}

/** Sends `m` to the supervisor; false when the channel is closed. */
function sendToSupervisor(m: Message): boolean {
  try {
    return process.send?.(m) ?? false
  } catch {
    return false
  }
}

/**
 * In a supervisor's web process: answers the supervisor's requests for this process's counters
 * and receives the sums it sends back. Idempotent; a no-op in any other process.
 */
export function listenForMetricsRequests(): void {
  if (listening || !supervised()) return
  listening = true
  process.on('message', (m: Message) => {
    if (m?.type === COLLECT) sendToSupervisor({ type: PART, id: m.id, snapshot: localSnapshot() })
    else if (m?.type === ANSWER) {
      answers.get(m.id)?.(m.snapshot ?? null)
      answers.delete(m.id)
    }
  })
}

/**
 * The counters of the whole server: this process's alone when it is the only one, otherwise
 * the supervisor's sum over itself and every web process (this process's own if the supervisor
 * does not answer in time).
 */
export async function serverSnapshot(): Promise<MetricsSnapshot> {
  if (!supervised()) return localSnapshot()
  listenForMetricsRequests()
  const id = nextId++
  const sum = await new Promise<MetricsSnapshot | null>((resolve) => {
    const timer = setTimeout(() => {
      answers.delete(id)
      resolve(null)
    }, ANSWER_TIMEOUT_MS)
    answers.set(id, (s) => {
      clearTimeout(timer)
      resolve(s)
    })
    if (!sendToSupervisor({ type: ASK, id })) {
      clearTimeout(timer)
      answers.delete(id)
      resolve(null)
    }
  })
  return sum ?? localSnapshot()
}

/** Parts awaited by the supervisor, by gathering id, then by worker id. */
const gatherings = new Map<number, (workerId: number, s: MetricsSnapshot) => void>()
let nextGathering = 1

/** The supervisor's side: gathers every live web process's counters and sums them with its own. */
async function gather(): Promise<MetricsSnapshot> {
  const live = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w && w.isConnected())
  const id = nextGathering++
  const parts = new Map<number, MetricsSnapshot>()
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, PART_TIMEOUT_MS)
    function done(): void {
      clearTimeout(timer)
      gatherings.delete(id)
      resolve()
    }
    gatherings.set(id, (workerId, s) => {
      parts.set(workerId, s)
      if (parts.size >= live.length) done()
    })
    if (live.length === 0) return done()
    for (const w of live) {
      try {
        w.send({ type: COLLECT, id } satisfies Message)
      } catch {
        // a web process that just died is simply not counted
      }
    }
  })
  return mergeSnapshots([{ ...localSnapshot(), requests: [] }, ...parts.values()])
}

/**
 * The supervisor's side, for one web process: answers its scrape requests with the server's
 * sum, and hands its parts to the gathering that asked. Call once per web process started.
 */
export function answerMetrics(worker: Worker): void {
  worker.on('message', (m: Message) => {
    if (m?.type === PART && m.snapshot) gatherings.get(m.id)?.(worker.id, m.snapshot)
    else if (m?.type === ASK) {
      void gather().then((snapshot) => {
        if (worker.isConnected()) worker.send({ type: ANSWER, id: m.id, snapshot } satisfies Message)
      })
    }
  })
}
