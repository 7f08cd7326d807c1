/**
 * A tiny module, as a new module of the product would be written: its folder holds its routes,
 * policy, menu entry, audit action, error code, catalogues, migration, an event subscriber and an
 * item waiting in the approvals inbox;
 * `src/platform/modules.test.ts` adds it with one line (`installModules([...MODULES, exampleModule])`).
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { sql } from 'drizzle-orm'
import { recordAudit } from '../../../src/platform/audit/index.ts'
import type { EventSubscriber } from '../../../src/platform/domain-events/index.ts'
import { AppError } from '../../../src/platform/errors.ts'
import { t } from '../../../src/platform/i18n/index.ts'
import type { ModuleManifest } from '../../../src/platform/modules.ts'
import { allow, authorize, can } from '../../../src/platform/policy/index.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export const EXAMPLE_AUDIT_ACTIONS = ['example.noted'] as const

declare module '../../../src/platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof EXAMPLE_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../../src/platform/errors.ts' {
  interface ErrorCodeRegistry {
    EXAMPLE_REFUSED: true
  }
}

// The module's policy: approvers may read its page.
allow(['approver'], 'read', 'example')

/** Notes every publication and clearance it hears of, with an audit row, once per event. */
const noteTaker: EventSubscriber = {
  name: 'example.note-taker',
  events: ['release.published', 'case.cleared'],
  async perform(event, { tx }) {
    await tx.execute(
      sql`INSERT INTO example_notes (tenant_id, event_id, event_type, subject_id) VALUES (${event.tenantId}, ${event.id}, ${event.type}, ${event.subjectId})`,
    )
    await recordAudit(tx, {
      tenantId: event.tenantId,
      actor: { id: null, label: 'system:example' },
      action: 'example.noted',
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      summary: { event: event.type },
    })
  },
}

export const exampleModule: ModuleManifest = {
  name: 'example',
  async routes(app) {
    app.get('/console/example', { config: { access: { action: 'read', subject: 'example' } }, schema: { hide: true } }, async (req) => {
      authorize(req.actor, 'read', 'example')
      return { title: t(req.locale, 'example.title') }
    })
    app.get('/console/example/refuse', { config: { access: { action: 'read', subject: 'example' } }, schema: { hide: true } }, async () => {
      throw new AppError('EXAMPLE_REFUSED')
    })
  },
  menu: [{ key: 'example', href: '/console/example', order: 950, visible: (a) => can(a, 'read', 'example') }],
  auditActions: EXAMPLE_AUDIT_ACTIONS,
  errors: { EXAMPLE_REFUSED: 409 },
  catalogues: path.join(HERE, 'i18n'),
  migrations: path.join(HERE, 'migrations'),
  subscribers: [noteTaker],
  // One item always waits on its approvers: the approvals inbox and the menu count list it.
  approvals: {
    visible: (a) => can(a, 'read', 'example'),
    list: async () => [
      {
        kind: 'example',
        id: 'example-1',
        title: 'Mục ví dụ đang chờ duyệt',
        href: '/console/example',
        submittedAt: new Date('2026-01-01T00:00:00Z'),
        submittedBy: null,
        contributorIds: [],
      },
    ],
  },
}
