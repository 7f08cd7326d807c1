/**
 * Press conferences and partner meetings (issue 16): events with speakers from the register,
 * invitations to distribution lists with iCalendar files, answers (RSVP) with a waiting list,
 * reminders, the public schedule and the cadence the law asks for.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '../../platform/modules.ts'
import { can } from '../../platform/policy/index.ts'
import './events.policy.ts'
import { AFTERWARDS_AUDIT_ACTIONS, AFTERWARDS_ERRORS } from './afterwards/afterwards.audit.ts'
import { BADGE_AUDIT_ACTIONS, BADGE_ERRORS } from './badges/badges.audit.ts'
import { CHECKIN_AUDIT_ACTIONS, CHECKIN_ERRORS } from './checkin/checkin.audit.ts'
import { EVENT_AUDIT_ACTIONS, EVENT_ERRORS } from './events.audit.ts'
import { QUESTION_AUDIT_ACTIONS, QUESTION_ERRORS } from './questions/questions.audit.ts'
import { RECOGNITION_AUDIT_ACTIONS, RECOGNITION_ERRORS } from './recognition/recognition.audit.ts'
import { registerEventRoutes } from './events.routes.ts'
import { caseClearedProposalSubscriber } from './commands/propose-press-conference.ts'
import { eventRemindersJob } from './invitations/reminders.ts'
import { eventAutoDoneJob } from './afterwards/auto-done.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export const eventsModule: ModuleManifest = {
  name: 'events',
  routes: registerEventRoutes,
  auditActions: [
    ...EVENT_AUDIT_ACTIONS,
    ...BADGE_AUDIT_ACTIONS,
    ...CHECKIN_AUDIT_ACTIONS,
    ...QUESTION_AUDIT_ACTIONS,
    ...AFTERWARDS_AUDIT_ACTIONS,
    ...RECOGNITION_AUDIT_ACTIONS,
  ],
  errors: { ...EVENT_ERRORS, ...BADGE_ERRORS, ...CHECKIN_ERRORS, ...QUESTION_ERRORS, ...AFTERWARDS_ERRORS, ...RECOGNITION_ERRORS },
  catalogues: path.join(HERE, 'i18n'),
  migrations: path.join(HERE, 'migrations'),
  // Each part adds its jobs here.
  jobs: [eventRemindersJob, eventAutoDoneJob],
  // Clearing a sealed case proposes a draft press conference (events-core).
  subscribers: [caseClearedProposalSubscriber],
  menu: [
    {
      key: 'events.nav',
      href: '/console/su-kien',
      order: 570,
      visible: (a) => can(a, 'read', 'event'),
    },
  ],
}
