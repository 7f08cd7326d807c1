/**
 * Test support for the distribution console: delivery rows inserted directly (the fan-out has
 * its own tests), releases with a file driven through the real commands, and a multipart post.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { LightMyRequestResponse } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { addAttachment } from '../../releases/commands/add-attachment.ts'
import type { PublishMode } from '../../releases/commands/approve-release.ts'
import type { Login, MadeUser, TestApp } from '../../../../test/support/app.ts'
import { draft, load, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { newLinkToken } from '../distribution.links.ts'
import { distributionDeliveries } from '../distribution.tables.ts'
import type { DeliveryChannel, DeliveryKind, DeliveryState } from '../distribution.types.ts'
import { samplePdf } from './marks.fixtures.ts'

/** A data folder for stored uploads (pass as DATA_DIR to createTestApp). */
export function tempDataDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'dh-dist-console-'))
}

/** A release with one PDF attachment, approved with `mode` (embargo: lift in a day). */
export async function releaseWithFile(
  t: TestApp,
  editor: MadeUser,
  approver: MadeUser,
  mode: PublishMode,
  o: { caseId?: string | null } = {},
): Promise<{ releaseId: string; fileId: string }> {
  const spokespersonId = await makeSpokesperson(t)
  const releaseId = await draft(t, editor, { spokespersonId, caseId: o.caseId ?? null })
  const added = await withTransaction(t.database.pool, async (tx) =>
    addAttachment({
      tx,
      release: await load(t, releaseId),
      actor: { id: editor.id, label: editor.email },
      dataDir: t.config.dataDir,
      filename: 'Thông cáo số 12.pdf',
      data: samplePdf(),
      declaredMime: 'application/pdf',
      alt: '',
    }),
  )
  await submitAndApprove(t, releaseId, editor, approver, mode, mode === 'embargo' ? new Date(Date.now() + 86_400_000) : undefined)
  return { releaseId, fileId: added.id }
}

/** Inserts one delivery row; returns its id and link token. */
export async function insertDelivery(
  t: TestApp,
  o: {
    itemType?: 'release' | 'verdict'
    itemId: string
    partnerId: string
    kind?: DeliveryKind
    channel?: DeliveryChannel
    state?: DeliveryState
    webhookId?: string
    address?: string
    lastError?: string
    lastStatus?: number
    attempts?: number
    title?: string
  },
): Promise<{ id: string; token: string }> {
  const token = newLinkToken()
  const [row] = await t.database.db
    .insert(distributionDeliveries)
    .values({
      tenantId: t.tenant.id,
      itemType: o.itemType ?? 'release',
      itemId: o.itemId,
      kind: o.kind ?? 'publish',
      recipientType: 'partner',
      partnerId: o.partnerId,
      channel: o.channel ?? 'email',
      webhookId: o.webhookId ?? null,
      address: o.address ?? (o.channel === 'webhook' ? 'https://hook.bao.example.vn/in' : 'phongvien@bao.example.vn'),
      state: o.state ?? 'sent',
      attempts: o.attempts ?? 1,
      lastError: o.lastError ?? null,
      lastStatus: o.lastStatus ?? null,
      linkToken: token,
      payload: {
        event: 'release.published',
        itemType: 'release',
        itemId: o.itemId,
        title: o.title ?? 'Thông cáo thử',
        summary: '',
        source: { name: 'Công an tỉnh', url: 'http://donghanh.test' },
      },
      sentAt: o.state === 'sent' ? new Date() : null,
    })
    .returning({ id: distributionDeliveries.id })
  return { id: (row as { id: string }).id, token }
}

/** Posts a multipart form (fields and an optional file) as a signed-in user. */
export function postMultipart(
  t: TestApp,
  url: string,
  login: Login,
  fields: Record<string, string>,
  file?: { name: string; type: string; data: Buffer },
): Promise<LightMyRequestResponse> {
  const boundary = `----dist${Math.random().toString(16).slice(2)}`
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  if (file) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    )
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`))
  return t.app.inject({
    method: 'POST',
    url,
    headers: { ...login.headers, 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
    payload: Buffer.concat(parts),
  })
}
