/**
 * Test factories for warnings: a draft written straight to the table, and a published one
 * (through `publishVersion`, the one publishing step, so events and versions are real). For
 * the parts' tests; the commands' own tests go through the commands.
 */
import { eq } from 'drizzle-orm'
import type { Database } from '../../db/index.ts'
import { withTransaction } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import { publishVersion } from './commands/publish-version.ts'
import { warnings } from './warnings.tables.ts'

type WarningRow = typeof warnings.$inferSelect
type NewWarning = typeof warnings.$inferInsert

let seq = 0

/** A draft warning (defaults: a scam Alert for two communes of Thanh Hóa, in force from now). */
export async function makeDraftWarning(database: Database, tenantId: string, over: Partial<NewWarning> = {}): Promise<WarningRow> {
  seq++
  const stamp = `${Date.now().toString(36)}${seq}`
  const [w] = await database.db
    .insert(warnings)
    .values({
      tenantId,
      code: `CB-T-${stamp}`,
      slug: `canh-bao-thu-${stamp}`,
      kind: 'scam',
      level: 'alert',
      titleVi: 'Giả danh công an gọi điện yêu cầu nộp phạt nguội qua đường link',
      descriptionVi:
        'Đối tượng gọi điện tự xưng là cán bộ Công an, thông báo người dân có biên bản phạt nguội và gửi đường link để nộp tiền. Đây là thủ đoạn lừa đảo.',
      instructionVi: 'Không bấm vào đường link lạ, không chuyển tiền. Gọi đường dây nóng 113 khi nghi ngờ.',
      communes: ['phuong-hac-thanh', 'xa-dong-tien'],
      validFrom: now(),
      patterns: ['nộp phạt nguội qua đường link', 'cán bộ công an gọi điện yêu cầu chuyển tiền'],
      links: [],
      ...over,
    })
    .returning()
  return w as WarningRow
}

/** A published warning (version 1, an Alert), as the public sees it; returns the row after publication. */
export async function makePublishedWarning(
  database: Database,
  tenantId: string,
  over: Partial<NewWarning> = {},
  o: { publishedBy?: string | null; approvedBy?: string | null; urgent?: boolean; publicUrl?: string } = {},
): Promise<WarningRow> {
  const draft = await makeDraftWarning(database, tenantId, {
    ...(over.kind === 'missing_person' ? { consentAt: now(), consentNote: 'Gia đình đồng ý (test)' } : {}),
    ...(over.kind === 'wanted' ? { legalBasis: 'Quyết định truy nã số 01/QĐ-TN (test)' } : {}),
    ...over,
  })
  return withTransaction(database.pool, async (tx) => {
    const [locked] = await tx.select().from(warnings).where(eq(warnings.id, draft.id)).for('update')
    const r = await publishVersion(tx, {
      warning: locked as WarningRow,
      state: 'active',
      publishedBy: o.publishedBy ?? null,
      approvedBy: o.approvedBy ?? null,
      urgent: o.urgent ?? false,
      publicUrl: o.publicUrl,
    })
    return r.warning
  })
}
