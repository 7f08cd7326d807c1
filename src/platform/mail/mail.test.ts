/**
 * Mail through a real SMTP server started in the test, and the outbox fallback without one.
 * The mail row and its job are written in the caller's transaction: a rollback sends nothing.
 */
import type { AddressInfo } from 'node:net'
import { eq } from 'drizzle-orm'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/support/app.ts'
import { withTransaction } from '../../db/index.ts'
import { configureMail, queueMail } from './index.ts'
import { mailOutbox } from './mail.tables.ts'

let t: TestApp
let smtp: SMTPServer
const received: { to: string; subject: string; text: string }[] = []
let smtpPort = 0

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      simpleParser(stream).then(
        (m) => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: m.subject ?? '', text: m.text ?? '' })
          done()
        },
        (e: Error) => done(e),
      )
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
  smtpPort = (smtp.server.address() as AddressInfo).port
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${smtpPort}` })
})
afterAll(async () => {
  await t.close()
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})

async function waitFor<T>(fn: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('mail', () => {
  it('delivers through SMTP and marks the row sent', async () => {
    const id = await withTransaction(t.database.pool, (tx) =>
      queueMail(tx, {
        tenantId: t.tenant.id,
        to: 'pv@baothanhhoa.vn',
        subject: 'Thông cáo báo chí số 12',
        text: 'Nội dung có dấu: Đồng Hành',
      }),
    )
    const msg = await waitFor(async () => received.find((m) => m.to === 'pv@baothanhhoa.vn'))
    expect(msg.subject).toBe('Thông cáo báo chí số 12')
    expect(msg.text).toContain('Đồng Hành')
    const row = await waitFor(async () => {
      const [r] = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id))
      return r?.status === 'sent' ? r : undefined
    })
    expect(row.sentAt).toBeInstanceOf(Date)
  })

  it('sends nothing when the transaction rolls back', async () => {
    await expect(
      withTransaction(t.database.pool, async (tx) => {
        await queueMail(tx, { tenantId: t.tenant.id, to: 'rollback@x.vn', subject: 'x', text: 'x' })
        throw new Error('change failed')
      }),
    ).rejects.toThrow('change failed')
    await new Promise((r) => setTimeout(r, 1500))
    expect(received.find((m) => m.to === 'rollback@x.vn')).toBeUndefined()
    expect(await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'rollback@x.vn'))).toEqual([])
  })

  it('keeps the message in the outbox when no SMTP server is configured', async () => {
    configureMail({ db: t.database.db, smtpUrl: undefined, from: 'x@y.vn' })
    const id = await withTransaction(t.database.pool, (tx) =>
      queueMail(tx, { tenantId: t.tenant.id, to: 'kept@x.vn', subject: 'Giữ lại', text: 'x' }),
    )
    const row = await waitFor(async () => {
      const [r] = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.id, id))
      return r?.status === 'kept' ? r : undefined
    })
    expect(row.toAddress).toBe('kept@x.vn')
    expect(received.find((m) => m.to === 'kept@x.vn')).toBeUndefined()
  })
})
