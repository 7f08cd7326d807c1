/**
 * Module manifests. Each domain module declares itself once, in `modules/<domain>/index.ts`:
 * its routes, jobs, background services, console menu entries, audit actions, error
 * codes, message catalogues, migrations and the domain events it emits or handles; its
 * `index.ts` also imports its `<domain>.policy.ts`, whose `allow()` rules register when loaded. The one list
 * in `src/modules.ts` installs them; the app, the runtime, the test app and the console menu all
 * read what was installed here, so adding a module touches its folder and one line.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify'
import type { Config } from '../config.ts'
import type { Database, Db } from '../db/index.ts'
import { registerErrorCodes } from './errors.ts'
import type { EventListener } from './events.ts'
import { registerAuditActions } from './audit/registry.ts'
import type { EventSubscriber } from './domain-events/index.ts'
import { registerCatalogueDir } from './i18n/index.ts'
import type { JobDefinition } from './jobs/index.ts'
import type { Actor } from './policy/index.ts'

/** The Fastify instance handed to modules: schemas are TypeBox, so bodies and params are typed. */
export type TypedApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>

/** What a background service may use when it starts. */
export interface ServiceContext {
  config: Config
  database: Database
  /** This process's LISTEN/NOTIFY connection. */
  events: EventListener
  /** Diagnostics sink (quiet unless DEBUG). */
  log: (message: string) => void
}

/** A running background service. */
export interface RunningService {
  stop(): void | Promise<void>
}

/** A long-running part of a module (timers, in-memory indexes that follow the database). */
export interface BackgroundService {
  /** Unique name, for diagnostics. */
  name: string
  /**
   * `worker`: only in processes that run jobs (serve with its in-process worker, `worker`);
   * `every`: in every process that serves requests or runs jobs.
   */
  runs: 'worker' | 'every'
  start(ctx: ServiceContext): RunningService | Promise<RunningService>
}

/** One entry of the console's navigation. */
export interface MenuEntry {
  /** Message key of the label (`nav.<key>` unless the key holds a dot). */
  key: string
  href: string
  /** Position in the menu: lower comes first (dashboard 0, account 1000). */
  order: number
  /** Whether this actor sees the entry (ask the policy; never a role list of its own). */
  visible(actor: Actor | null): boolean
  /**
   * A number shown as a badge beside the label (things waiting for this actor), asked only
   * when the entry is visible to them; 0 shows no badge. Keep it to one indexed query.
   */
  count?(actor: Actor, ctx: { db: Db }): Promise<number>
}

/**
 * One item that waits on an approver, as its module lists it for the approvals inbox
 * (`/console/approvals`). Plain data: the inbox renders every kind alike.
 */
export interface WaitingItem {
  /** What it is (`release`, `verdict` …); its label is the message `approvals.kind.<kind>`. */
  kind: string
  id: string
  title: string
  /** The page where the approver reads it and decides. */
  href: string
  /** When it was sent for approval. */
  submittedAt: Date | null
  /** The account that sent it for approval. */
  submittedBy: string | null
  /** The accounts that wrote or changed it, each once. */
  contributorIds: readonly string[]
  /**
   * Marks shown beside the title: a message key with its parameters (a `{ vi, en }` parameter
   * is taken in the reader's language).
   */
  tags?: readonly { key: string; params?: Record<string, string | number | { vi: string; en: string }>; tone?: 'warn' | 'admin' }[]
  /**
   * Why the viewer may not approve it (four-eyes): they sent it (`submitted`) or wrote or
   * changed it (`contributed`). Absent when they may.
   */
  notYours?: 'submitted' | 'contributed'
}

/** What a module contributes to the approvals inbox. */
export interface ApprovalSource {
  /** Whether this actor approves items of this kind at all (ask the policy). */
  visible(actor: Actor | null): boolean
  /**
   * The items waiting that this actor may see (need-to-know applied in the query), oldest
   * first; each says whether four-eyes bars the actor from approving it.
   */
  list(actor: Actor, db: Db): Promise<WaitingItem[]>
}

/** What a module declares about itself. */
export interface ModuleManifest {
  /** Short name, the folder's name. */
  name: string
  /** Registers the module's HTTP routes (each declares its `config.access`). */
  routes?: (app: TypedApp) => Promise<void>
  /** Background jobs the module defines (`defineJob` results). */
  jobs?: readonly JobDefinition[]
  /** Background services started by the runtime. */
  services?: readonly BackgroundService[]
  /** Console menu entries. */
  menu?: readonly MenuEntry[]
  /** Audit actions the module records (typed through `AuditActionRegistry`). */
  auditActions?: readonly string[]
  /** Error codes the module raises, with their HTTP status (typed through `ErrorCodeRegistry`). */
  errors?: Readonly<Record<string, number>>
  /** A folder of `<area>.vi.json` / `<area>.en.json` message catalogues. */
  catalogues?: string
  /** A folder of `NNNN_name.sql` migrations; names are unique across the product. */
  migrations?: string
  /** Domain event types the module emits (`domain_events.type`). */
  emits?: readonly string[]
  /** Handlers of other modules' (or its own) domain events. */
  subscribers?: readonly EventSubscriber[]
  /** Items of this module that wait on an approver (the approvals inbox lists them). */
  approvals?: ApprovalSource
}

let installed: readonly ModuleManifest[] = []

/**
 * Installs the module list: registers audit actions, error codes and catalogues, and
 * checks that names are unique. Called once, by `src/modules.ts`; later calls with the same
 * list are no-ops, a test may install an extra module with `installModules([...MODULES, extra])`.
 */
export function installModules(list: readonly ModuleManifest[]): void {
  const names = new Set<string>()
  for (const m of list) {
    if (names.has(m.name)) throw new Error(`module ${m.name} is listed twice`)
    names.add(m.name)
  }
  const fresh = list.filter((m) => !installed.includes(m))
  for (const m of fresh) {
    if (m.auditActions) registerAuditActions(m.name, m.auditActions)
    if (m.errors) registerErrorCodes(m.name, m.errors)
    if (m.catalogues) registerCatalogueDir(m.catalogues)
  }
  const subscriberNames = new Set<string>()
  for (const s of list.flatMap((m) => m.subscribers ?? [])) {
    if (subscriberNames.has(s.name)) throw new Error(`event subscriber ${s.name} is declared twice`)
    subscriberNames.add(s.name)
  }
  installed = [...list]
}

/** The installed modules, in list order. */
export function installedModules(): readonly ModuleManifest[] {
  return installed
}

/** Console menu entries of every installed module, in menu order. */
export function menuEntries(): MenuEntry[] {
  return installed.flatMap((m) => m.menu ?? []).sort((a, b) => a.order - b.order)
}

/** The approvals-inbox contributions of every installed module, in list order. */
export function approvalSources(): ApprovalSource[] {
  return installed.flatMap((m) => (m.approvals ? [m.approvals] : []))
}

/**
 * The badge numbers of the menu entries `actor` sees that declare a `count`, by entry key
 * (entries counting 0 are left out).
 */
export async function menuCounts(actor: Actor, db: Db): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const e of menuEntries()) {
    if (!e.count || !e.visible(actor)) continue
    const n = await e.count(actor, { db })
    if (n > 0) counts.set(e.key, n)
  }
  return counts
}

/** Event subscribers of every installed module. */
export function eventSubscribers(): EventSubscriber[] {
  return installed.flatMap((m) => m.subscribers ?? [])
}

/** Migration folders declared by installed modules (the platform's own come first). */
export function moduleMigrationDirs(): string[] {
  return installed.flatMap((m) => (m.migrations ? [m.migrations] : []))
}

/** Background services of every installed module that run in a process of this kind. */
export function servicesFor(work: boolean): BackgroundService[] {
  return installed.flatMap((m) => m.services ?? []).filter((s) => s.runs === 'every' || work)
}

/** Starts services in list order; if one fails, those already started are stopped. */
export async function startServices(services: readonly BackgroundService[], ctx: ServiceContext): Promise<() => Promise<void>> {
  const running: RunningService[] = []
  const stopAll = async () => {
    for (const r of running.splice(0).reverse()) await r.stop()
  }
  try {
    for (const s of services) running.push(await s.start(ctx))
  } catch (e) {
    await stopAll()
    throw e
  }
  return stopAll
}
