/**
 * The public list of signed audit checkpoints, beside the public key it is checked with
 * (/.well-known/donghanh-signing-key.json). Anyone may keep a copy; `donghanh audit verify
 * --checkpoint FILE` or `--checkpoint-url URL` then proves that the chain was neither
 * shortened nor rewritten since, even if the checkpoint rows themselves were deleted.
 */
import { Type } from '@sinclair/typebox'
import { CHECKPOINT_FORMAT, listCheckpoints, PUBLISHED_CHECKPOINTS } from '../../platform/audit/checkpoints.ts'
import type { TypedApp } from '../../platform/modules.ts'

const CheckpointJson = Type.Object({
  tenantId: Type.String(),
  seq: Type.Integer(),
  hash: Type.String(),
  createdAt: Type.String(),
  keyId: Type.String(),
  signature: Type.String(),
})

/** Path of the published list. */
export const CHECKPOINTS_PATH = '/.well-known/donghanh-audit-checkpoints.json'

/** Registers GET /.well-known/donghanh-audit-checkpoints.json (public, newest first). */
export async function registerAuditCheckpointRoutes(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  app.get(
    CHECKPOINTS_PATH,
    {
      config: { access: 'public', csrf: false },
      schema: {
        summary: 'Điểm kiểm tra đã ký của nhật ký kiểm toán / signed checkpoints of the audit log',
        tags: ['newsroom'],
        response: {
          200: Type.Object({
            algorithm: Type.String(),
            signedText: Type.String(),
            keyUrl: Type.String(),
            checkpoints: Type.Array(CheckpointJson),
          }),
        },
      },
    },
    async (_req, reply) => {
      reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60')
      return {
        algorithm: 'Ed25519',
        signedText: `${CHECKPOINT_FORMAT}|{tenantId}|{seq}|{hash}|{createdAt}`,
        keyUrl: `${config.publicUrl}/.well-known/donghanh-signing-key.json`,
        checkpoints: await listCheckpoints(database.db, tenant.id, PUBLISHED_CHECKPOINTS),
      }
    },
  )
}
