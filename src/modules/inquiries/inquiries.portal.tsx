/**
 * The partner's questions in the portal, phone-first: `/doi-tac/cau-hoi` (my questions only),
 * `/doi-tac/cau-hoi/moi` (ask), `/doi-tac/cau-hoi/:id` (one, with its answer or refusal), and
 * withdrawing an open one. Every request loads the partner record (`requirePartner`) and reads
 * with its id in the where-clause: another partner's question is "not found". A partner who may
 * not ask now (see `inquiries.policy.ts`) still reads their own questions and answers.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../db/index.ts'
import { AppError } from '../../platform/errors.ts'
import { FormError, runForm } from '../../platform/html/forms.tsx'
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, sendPage } from '../../platform/html/layout.tsx'
import { type Locale, t } from '../../platform/i18n/index.ts'
import type { TypedApp } from '../../platform/modules.ts'
import { parseLocalDateTime } from '../../platform/time.ts'
import { hasEmbargoAccess, requirePartner } from '../partners/partners.actor.ts'
import type { PartnerRow } from '../partners/partners.tables.ts'
import { createInquiry, MAX_QUESTION, MAX_TOPIC } from './commands/create-inquiry.ts'
import { withdrawInquiry } from './commands/withdraw-inquiry.ts'
import { attributionLine, formatDue } from './inquiries.mail.ts'
import { partnerMayAsk } from './inquiries.policy.ts'
import { getPartnerInquiry, listPartnerInquiries } from './inquiries.repository.ts'
import { type ReleaseOption, releaseOptions } from './inquiries.releases.ts'
import { INQUIRY_KINDS, type InquiryRow, OPEN_STATUSES } from './inquiries.tables.ts'

const PORTAL = { access: { action: 'read', subject: 'portal' } } as const
const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const IdParams = Type.Object({ id: Str(64) })
const DoneQuery = Type.Object({ done: Type.Optional(Str(20)) })
const AskForm = Type.Object({
  kind: Str(40),
  topic: Str(2000),
  // Bounded by the body limit (1 MiB); the command's 20,000-character limit answers with its own 413.
  question: Type.String(),
  releaseId: Type.Optional(Str(64)),
  caseRef: Type.Optional(Str(2000)),
  neededBy: Type.Optional(Str(40)),
  namePublic: Type.Optional(Str(8)),
  _csrf: Type.Optional(Str(200)),
})
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Str(200)) })

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'private, no-store')
}

/** The status label of an inquiry, with its tone. */
export function StatusBadge({ l, status }: { l: Locale; status: string }): SafeHtml {
  return (
    <span class="badge" data-status={status}>
      {t(l, `inquiries.status.${status}`)}
    </span>
  )
}

/** The answer block: the text and the attribution outlets must cite. */
export function AnswerBlock({ l, i }: { l: Locale; i: InquiryRow }): SafeHtml | null {
  if (i.status === 'answered' && i.answer) {
    return (
      <section class="card" aria-labelledby="answer-h" data-answer>
        <h2 id="answer-h" style="margin-top:0">
          {t(l, 'inquiries.answer')}
        </h2>
        <div class="prose" style="white-space:pre-wrap">
          {i.answer}
        </div>
        <p data-attribution>
          <strong>
            {attributionLine(l, {
              name: i.answerSpokespersonName ?? '',
              title: i.answerSpokespersonTitle ?? '',
              agency: i.answerAgency ?? '',
            })}
          </strong>
        </p>
        <p class="muted small">{t(l, 'inquiries.answeredAt', { at: formatDue(i.answeredAt as Date, l) })}</p>
        {i.publicSlug ? (
          <p class="small">
            <a href={`/hoi-dap/${i.publicSlug}`}>{t(l, 'inquiries.publicLink')}</a>
          </p>
        ) : null}
      </section>
    )
  }
  if (i.status === 'refused' && i.refusalGround) {
    return (
      <section class="card" aria-labelledby="refusal-h" data-refusal>
        <h2 id="refusal-h" style="margin-top:0">
          {t(l, 'inquiries.refusal')}
        </h2>
        <p>
          <strong>{t(l, `inquiries.ground.${i.refusalGround}`)}</strong>
        </p>
        <p style="white-space:pre-wrap">{i.refusalExplanation}</p>
      </section>
    )
  }
  return null
}

function listPage(req: FastifyRequest, reply: FastifyReply, o: { rows: InquiryRow[]; partner: PartnerRow }) {
  const l = req.locale
  const mayAsk = partnerMayAsk(o.partner.status)
  return sendPage(
    req,
    noStore(reply),
    { title: t(l, 'inquiries.mine.title'), shell: 'console', current: 'inquiries' },
    <>
      <h1>{t(l, 'inquiries.mine.title')}</h1>
      {mayAsk ? (
        <p>
          <a class="button" href="/doi-tac/cau-hoi/moi">
            {t(l, 'inquiries.ask')}
          </a>
        </p>
      ) : (
        <Alert kind="warn">{t(l, 'inquiries.cannotAsk', { status: t(l, `partners.status.${o.partner.status}`) })}</Alert>
      )}
      {o.rows.length === 0 ? <p class="muted">{t(l, 'inquiries.mine.empty')}</p> : null}
      <ul class="kc-list" style="list-style:none;padding:0">
        {o.rows.map((i) => (
          <li class="card" data-inquiry={i.code}>
            <a href={`/doi-tac/cau-hoi/${i.id}`}>
              <strong>{i.topic}</strong>
            </a>
            <br />
            <span class="small">
              {i.code} · {t(l, `inquiries.kind.${i.kind}`)} · <StatusBadge l={l} status={i.status} />
            </span>
            <br />
            <span class="small muted">{t(l, 'inquiries.dueShort', { due: formatDue(i.dueAt, l) })}</span>
          </li>
        ))}
      </ul>
    </>,
  )
}

function askPage(
  req: FastifyRequest,
  reply: FastifyReply,
  o: { releases: ReleaseOption[]; error?: AppError; values?: Partial<Record<string, string>> },
) {
  const l = req.locale
  const v = o.values ?? {}
  return sendPage(
    req,
    noStore(reply),
    { title: t(l, 'inquiries.ask'), shell: 'console', current: 'inquiries', status: o.error?.status, narrow: true },
    <>
      <h1>{t(l, 'inquiries.ask')}</h1>
      <p class="muted">{t(l, 'inquiries.ask.intro')}</p>
      <FormError l={l} error={o.error} />
      <form method="post" action="/doi-tac/cau-hoi" class="stack">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'inquiries.field.kind')}
          <select name="kind" required>
            {INQUIRY_KINDS.map((k) => (
              <option value={k} selected={(v.kind ?? 'question') === k}>
                {`${t(l, `inquiries.kind.${k}`)} — ${t(l, `inquiries.kindClock.${k}`)}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'inquiries.field.topic')}
          <input name="topic" required maxlength={String(MAX_TOPIC)} value={v.topic ?? ''} />
        </label>
        <label>
          {t(l, 'inquiries.field.question')}
          <span class="hint">{t(l, 'inquiries.hint.question', { max: MAX_QUESTION })}</span>
          <textarea name="question" required rows="8" maxlength={String(MAX_QUESTION)}>
            {v.question ?? ''}
          </textarea>
        </label>
        <label>
          {t(l, 'inquiries.field.release')}
          <select name="releaseId">
            <option value="">{t(l, 'inquiries.noRelease')}</option>
            {o.releases.map((r) => (
              <option value={r.id} selected={v.releaseId === r.id}>
                {r.embargoed ? `${t(l, 'inquiries.embargoedMark')} ${r.title}` : r.title}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'inquiries.field.caseRef')}
          <span class="hint">{t(l, 'inquiries.hint.caseRef')}</span>
          <input name="caseRef" maxlength={String(MAX_TOPIC)} value={v.caseRef ?? ''} />
        </label>
        <label>
          {t(l, 'inquiries.field.neededBy')}
          <span class="hint">{t(l, 'inquiries.hint.neededBy')}</span>
          <input type="datetime-local" name="neededBy" value={v.neededBy ?? ''} />
        </label>
        <label style="display:flex;gap:.5rem;align-items:flex-start">
          <input type="checkbox" name="namePublic" value="1" checked={v.namePublic === '1'} />
          <span>{t(l, 'inquiries.field.namePublic')}</span>
        </label>
        <div class="row">
          <button type="submit">{t(l, 'inquiries.send')}</button>
        </div>
      </form>
    </>,
  )
}

function detailPage(req: FastifyRequest, reply: FastifyReply, o: { i: InquiryRow; notice?: string }) {
  const l = req.locale
  const i = o.i
  const open = (OPEN_STATUSES as readonly string[]).includes(i.status)
  return sendPage(
    req,
    noStore(reply),
    { title: `${i.code} · ${i.topic}`, shell: 'console', current: 'inquiries' },
    <>
      <p class="small">
        <a href="/doi-tac/cau-hoi">← {t(l, 'inquiries.mine.title')}</a>
      </p>
      <h1>{i.topic}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice, { code: i.code, due: formatDue(i.dueAt, l) })}</Alert> : null}
      <p>
        {i.code} · {t(l, `inquiries.kind.${i.kind}`)} · <StatusBadge l={l} status={i.status} />
      </p>
      <dl class="kv">
        <dt>{t(l, 'inquiries.receivedAt')}</dt>
        <dd>{formatDue(i.receivedAt, l)}</dd>
        <dt>{t(l, 'inquiries.dueAt')}</dt>
        <dd data-due>{formatDue(i.dueAt, l)}</dd>
        {i.neededBy ? (
          <>
            <dt>{t(l, 'inquiries.field.neededBy')}</dt>
            <dd>{formatDue(i.neededBy, l)}</dd>
          </>
        ) : null}
        {i.caseRef ? (
          <>
            <dt>{t(l, 'inquiries.field.caseRef')}</dt>
            <dd>{i.caseRef}</dd>
          </>
        ) : null}
      </dl>
      <section class="card">
        <h2 style="margin-top:0">{t(l, 'inquiries.field.question')}</h2>
        <p style="white-space:pre-wrap">{i.question}</p>
      </section>
      <AnswerBlock l={l} i={i} />
      {open ? (
        <form method="post" action={`/doi-tac/cau-hoi/${i.id}/rut`}>
          <CsrfField req={req} reply={reply} />
          <button type="submit" class="secondary">
            {t(l, 'inquiries.withdraw')}
          </button>
        </form>
      ) : null}
    </>,
  )
}

/** Registers the portal's question pages. */
export async function registerPortalInquiryPages(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db

  app.get('/doi-tac/cau-hoi', { config: PORTAL, schema: Hidden }, async (req, reply) => {
    const partner = await requirePartner(db, req.actor)
    return listPage(req, reply, { rows: await listPartnerInquiries(db, tenant.id, partner.id), partner })
  })

  app.get('/doi-tac/cau-hoi/moi', { config: PORTAL, schema: Hidden }, async (req, reply) => {
    const partner = await requirePartner(db, req.actor)
    if (!partnerMayAsk(partner.status)) throw new AppError('INQUIRY_CANNOT_ASK', { status: partner.status })
    return askPage(req, reply, { releases: await releaseOptions(db, tenant.id, { embargo: hasEmbargoAccess(partner) }) })
  })

  app.post('/doi-tac/cau-hoi', { config: PORTAL, schema: { ...Hidden, body: AskForm } }, async (req, reply) => {
    const partner = await requirePartner(db, req.actor)
    const actor = req.actor
    if (!actor) throw new AppError('UNAUTHENTICATED')
    if (!partnerMayAsk(partner.status)) throw new AppError('INQUIRY_CANNOT_ASK', { status: partner.status })
    const b = req.body
    const options = await releaseOptions(db, tenant.id, { embargo: hasEmbargoAccess(partner) })
    return runForm(
      reply,
      async () => {
        const neededBy = b.neededBy ? parseLocalDateTime(b.neededBy) : null
        if (b.neededBy && !neededBy) throw new AppError('INQUIRY_INVALID', { field: 'neededBy' })
        const row = await withTransaction(database.pool, (tx) =>
          createInquiry({
            tx,
            tenantId: tenant.id,
            publicUrl: config.publicUrl,
            asker: {
              partnerId: partner.id,
              userId: actor.id,
              name: partner.name,
              email: partner.email,
              contact: partner.phone,
              outlet: null,
            },
            channel: 'portal',
            input: {
              kind: b.kind,
              topic: b.topic,
              question: b.question,
              releaseId: b.releaseId,
              caseRef: b.caseRef,
              neededBy,
              askerNamePublic: b.namePublic === '1',
            },
            allowedReleaseIds: new Set(options.map((r) => r.id)),
            actor: { id: actor.id, label: actor.email },
            ip: req.ip,
          }),
        )
        return reply.redirect(`/doi-tac/cau-hoi/${row.id}?done=sent`, 303)
      },
      // A refused 1 MB question is not echoed back into the page.
      (e) =>
        askPage(req, reply, {
          releases: options,
          error: e,
          values: { ...b, question: b.question.length > MAX_QUESTION ? '' : b.question },
        }),
    )
  })

  app.get(
    '/doi-tac/cau-hoi/:id',
    { config: PORTAL, schema: { ...Hidden, params: IdParams, querystring: DoneQuery } },
    async (req, reply) => {
      const partner = await requirePartner(db, req.actor)
      const row = await getPartnerInquiry(db, tenant.id, partner.id, req.params.id)
      if (!row) throw new AppError('NOT_FOUND')
      const done = req.query.done
      return detailPage(req, reply, {
        i: row,
        notice: done === 'sent' ? 'inquiries.done.sent' : done === 'withdrawn' ? 'inquiries.done.withdrawn' : undefined,
      })
    },
  )

  app.post('/doi-tac/cau-hoi/:id/rut', { config: PORTAL, schema: { ...Hidden, params: IdParams, body: CsrfOnly } }, async (req, reply) => {
    const partner = await requirePartner(db, req.actor)
    const actor = req.actor
    if (!actor) throw new AppError('UNAUTHENTICATED')
    await withTransaction(database.pool, (tx) =>
      withdrawInquiry({
        tx,
        tenantId: tenant.id,
        partnerId: partner.id,
        actor: { id: actor.id, label: actor.email },
        inquiryId: req.params.id,
        ip: req.ip,
      }),
    )
    return reply.redirect(`/doi-tac/cau-hoi/${req.params.id}?done=withdrawn`, 303)
  })
}
