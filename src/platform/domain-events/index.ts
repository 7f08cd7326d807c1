/**
 * Domain events: how modules react to each other's decisions without calling into each other.
 *
 * A decision calls `emitEvent(tx, …)` inside its own transaction, so the event exists if and only
 * if the decision committed (the outbox). The dispatcher (a background service where jobs run)
 * claims undispatched events with SKIP LOCKED and, in one transaction, enqueues one
 * `events.deliver` job per interested subscriber and marks the event dispatched. A delivery runs
 * the subscriber in a transaction that first inserts its (event, subscriber) row: a retried or
 * doubled job finds the row and does nothing, so each subscriber's effect happens once. A
 * subscriber does its part through `ctx.tx` (rows, audit, `enqueue(ctx.tx, …)` for slow or
 * external work such as mail and webhooks), never by calling into the module that decided.
 *
 * Event types and their payloads are typed: the emitting module augments `DomainEventRegistry`.
 */
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import { type Database, onCommit, type Tx, withTransaction } from '../../db/index.ts'
import { defineJob, enqueue } from '../jobs/index.ts'
import type { BackgroundService } from '../modules.ts'
import { eventSubscribers } from '../modules.ts'
import { domainEventDeliveries, domainEvents } from './domain-events.tables.ts'

/**
 * Event type → payload. Emitting modules augment it:
 * `declare module '…/platform/domain-events/index.ts' { interface DomainEventRegistry { 'release.published': {…} } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in emitting modules
export interface DomainEventRegistry {}

/** A known event type. */
export type DomainEventType = Extract<keyof DomainEventRegistry, string>

/** An event as subscribers receive it. */
export interface DomainEvent<K extends DomainEventType = DomainEventType> {
  id: number
  tenantId: string
  type: K
  subjectType: string
  subjectId: string | null
  /** The user whose decision it was (null for the system: jobs, lifts). */
  actorId: string | null
  payload: DomainEventRegistry[K]
  occurredAt: Date
}

/** What a subscriber gets besides the event. */
export interface SubscriberContext {
  /** The delivery's transaction: the subscriber's writes commit with its delivery row. */
  tx: Tx
  database: Database
}

/** A module's handler of domain events (Outline's processor: `applicableEvents` + `perform`). */
export interface EventSubscriber {
  /** Unique name, `<module>.<what>`; it keys the delivery rows, so never rename a live one. */
  name: string
  /** The event types it handles. */
  events: readonly DomainEventType[]
  /** Does the subscriber's part; throwing rolls back and the job is retried with backoff. */
  perform(event: DomainEvent, ctx: SubscriberContext): Promise<void>
}

/** What a decision records. */
export interface EmitInput<K extends DomainEventType> {
  tenantId: string
  type: K
  subjectType: string
  subjectId?: string | null
  actorId?: string | null
  payload: DomainEventRegistry[K]
}

const CHANNEL = 'donghanh_domain_events'
const wakers = new Set<() => void>()

/**
 * Records a domain event inside the deciding transaction (`tx`). Returns its id. The dispatcher
 * of any process that runs jobs picks it up after the commit.
 */
export async function emitEvent<K extends DomainEventType>(tx: Tx, input: EmitInput<K>): Promise<number> {
  const [row] = await tx
    .insert(domainEvents)
    .values({
      tenantId: input.tenantId,
      type: input.type,
      subjectType: input.subjectType,
      subjectId: input.subjectId ?? null,
      actorId: input.actorId ?? null,
      payload: input.payload as Record<string, unknown>,
    })
    .returning({ id: domainEvents.id })
  if (!row) throw new Error('domain_events insert returned nothing')
  // NOTIFY is delivered on commit only; decisions are rare, so it costs nothing measurable.
  await tx.execute(sql`SELECT pg_notify(${CHANNEL}, '')`)
  onCommit(tx, () => {
    for (const wake of wakers) wake()
  })
  return row.id
}

/** The subscribers of this process that handle `type`. */
function subscribersOf(type: string): string[] {
  return eventSubscribers()
    .filter((s) => (s.events as readonly string[]).includes(type))
    .map((s) => s.name)
}

/**
 * Dispatches up to `limit` undispatched events: one delivery job per subscriber, in one
 * transaction with the `dispatched_at` mark. Returns how many events it dispatched.
 */
export async function dispatchEvents(database: Database, limit = 100): Promise<number> {
  return withTransaction(database.pool, async (tx) => {
    const due = await tx
      .select({ id: domainEvents.id, type: domainEvents.type, tenantId: domainEvents.tenantId })
      .from(domainEvents)
      .where(isNull(domainEvents.dispatchedAt))
      .orderBy(asc(domainEvents.id))
      .limit(limit)
      .for('update', { skipLocked: true })
    for (const e of due) {
      for (const subscriber of subscribersOf(e.type)) {
        await enqueue(tx, DELIVER_JOB, { eventId: e.id, subscriber }, { singletonKey: `${e.id}:${subscriber}` })
      }
    }
    if (due.length > 0) {
      await tx
        .update(domainEvents)
        .set({ dispatchedAt: sql`now()` })
        .where(
          sql`${domainEvents.id} IN (${sql.join(
            due.map((e) => sql`${e.id}`),
            sql`, `,
          )})`,
        )
    }
    return due.length
  })
}

/**
 * Runs one subscriber on one event, once: the delivery row is inserted first in the same
 * transaction as the subscriber's work; if it already exists the work was done. Returns whether
 * the subscriber ran now.
 */
export async function deliverEvent(database: Database, eventId: number, subscriberName: string): Promise<boolean> {
  const subscriber = eventSubscribers().find((s) => s.name === subscriberName)
  // Unknown here (a process of an older version took the job): fail so that it is retried.
  if (!subscriber) throw new Error(`event subscriber ${subscriberName} is not installed in this process`)
  return withTransaction(database.pool, async (tx) => {
    const [event] = await tx.select().from(domainEvents).where(eq(domainEvents.id, eventId))
    if (!event) throw new Error(`domain event ${eventId} not found`)
    const claimed = await tx
      .insert(domainEventDeliveries)
      .values({ eventId, subscriber: subscriberName, tenantId: event.tenantId })
      .onConflictDoNothing()
      .returning({ eventId: domainEventDeliveries.eventId })
    if (claimed.length === 0) return false
    await subscriber.perform(
      {
        id: event.id,
        tenantId: event.tenantId,
        type: event.type as DomainEventType,
        subjectType: event.subjectType,
        subjectId: event.subjectId,
        actorId: event.actorId,
        payload: event.payload as DomainEventRegistry[DomainEventType],
        occurredAt: event.occurredAt,
      },
      { tx, database },
    )
    return true
  })
}

/** Events of a subject, oldest first (for tests and the console). */
export async function eventsOf(database: Database, tenantId: string, subjectType: string, subjectId: string) {
  return database.db
    .select()
    .from(domainEvents)
    .where(and(eq(domainEvents.tenantId, tenantId), eq(domainEvents.subjectType, subjectType), eq(domainEvents.subjectId, subjectId)))
    .orderBy(asc(domainEvents.id))
}

const DELIVER_JOB = 'events.deliver'

/** The delivery job: one subscriber, one event. */
export const deliverEventJob = defineJob<{ eventId: number; subscriber: string }>(
  DELIVER_JOB,
  async (data, _job, ctx) => {
    await deliverEvent(ctx.database, data.eventId, data.subscriber)
  },
  // A delivery is idempotent (its domain_event_deliveries row) and takes seconds (a fan-out to
  // 10,000 partners included), so one held by a worker that was killed comes back after about
  // two minutes and a half (expiry + maintenance interval), not pg-boss's 15.
  { retryLimit: 10, expireInSeconds: 120 },
)

/**
 * The dispatcher, where jobs run: on a NOTIFY from any process, after a commit in this one, and
 * every few seconds as a sweep (a missed notification or a dispatcher that died mid-way).
 */
export const domainEventDispatcher: BackgroundService = {
  name: 'domain-events.dispatcher',
  runs: 'worker',
  start({ database, events, log }) {
    let running: Promise<void> | undefined
    let again = false
    let stopped = false
    const run = async () => {
      if (stopped) return
      if (running) {
        again = true
        return
      }
      running = loop()
      await running
    }
    const loop = async () => {
      try {
        do {
          again = false
          // A full batch may have more behind it.
          while (!stopped && (await dispatchEvents(database)) === 100) again = false
        } while (again && !stopped)
      } catch (e) {
        log(`domain events: dispatch failed: ${(e as Error).message}`)
      } finally {
        running = undefined
      }
    }
    const wake = () => void run()
    wakers.add(wake)
    void events.on(CHANNEL, wake)
    const sweep = setInterval(wake, 5_000)
    sweep.unref()
    wake()
    return {
      async stop() {
        stopped = true
        wakers.delete(wake)
        clearInterval(sweep)
        await running
      },
    }
  },
}
