/**
 * Factories for release tests: a spokesperson, a sealed case, and releases driven through
 * the real commands.
 */
import { runAudited } from '../../src/platform/audit/index.ts'
import { withTransaction } from '../../src/db/index.ts'
import { createCase } from '../../src/modules/cases/commands/create-case.ts'
import { approveRelease, type PublishMode } from '../../src/modules/releases/commands/approve-release.ts'
import { createRelease } from '../../src/modules/releases/commands/create-release.ts'
import { submitRelease } from '../../src/modules/releases/commands/submit-release.ts'
import { type LoadedRelease, unsafeLoadRelease } from '../../src/modules/releases/releases.repository.ts'
import type { EditionInput } from '../../src/modules/releases/releases.workflow.ts'
import { saveSpokesperson } from '../../src/modules/spokespersons/commands/save-spokesperson.ts'
import type { MadeUser, TestApp } from './app.ts'

/** Adds a spokesperson to the register. */
export async function makeSpokesperson(t: TestApp): Promise<string> {
  const { id } = await withTransaction(t.database.pool, (tx) =>
    saveSpokesperson({
      tx,
      tenantId: t.tenant.id,
      actor: { id: null, label: 'test' },
      input: {
        name: 'Đại tá Trịnh Văn Hải',
        title: 'Phó Giám đốc Công an tỉnh, người phát ngôn',
        phone: '0237 3852 113',
        email: 'phatngon@congan.vn',
      },
    }),
  )
  return id
}

/** Opens a sealed case led by `lead` (created by `lead` too). */
export async function makeSealedCase(t: TestApp, lead: MadeUser, code = `CA-${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
  const { caseId } = await withTransaction(t.database.pool, (tx) =>
    createCase({
      tx,
      tenantId: t.tenant.id,
      actor: { id: lead.id, label: lead.email },
      code,
      title: 'Chuyên án đường dây lừa đảo qua mạng',
      department: 'Phòng Cảnh sát hình sự',
      leadOfficerId: lead.id,
      secrecyGround: 'Bí mật điều tra (Điều 13 Bộ luật Tố tụng hình sự)',
    }),
  )
  return caseId
}

/** Loads a release (test helper: no access check). */
export async function load(t: TestApp, id: string): Promise<LoadedRelease> {
  const r = await unsafeLoadRelease(t.database.db, t.tenant.id, id)
  if (!r) throw new Error(`release ${id} not found`)
  return r
}

/** Creates a draft through the command. */
export async function draft(
  t: TestApp,
  editor: MadeUser,
  o: { spokespersonId: string; content?: Partial<EditionInput>; kind?: string; caseId?: string | null },
): Promise<string> {
  const { releaseId } = await withTransaction(t.database.pool, (tx) =>
    createRelease({
      tx,
      tenantId: t.tenant.id,
      actor: { id: editor.id, label: editor.email },
      kind: o.kind ?? 'press_release',
      spokespersonId: o.spokespersonId,
      caseId: o.caseId ?? null,
      content: {
        title: 'Công an tỉnh Thanh Hóa triệt phá đường dây đánh bạc qua mạng',
        summary: 'Phòng Cảnh sát hình sự vừa triệt phá một đường dây đánh bạc qua mạng với số tiền giao dịch hơn 100 tỷ đồng.',
        bodyMd:
          '## Diễn biến\n\nNgày 20/11/2026, lực lượng chức năng đã bắt giữ **5 đối tượng**.\n\n- Thu giữ 12 điện thoại\n- Phong tỏa 30 tài khoản',
        category: 'An ninh trật tự',
        tags: ['đánh bạc', 'công nghệ cao'],
        ...o.content,
      },
    }),
  )
  return releaseId
}

/** Submits as `editor` then approves as `approver` with `mode`. */
export async function submitAndApprove(t: TestApp, id: string, editor: MadeUser, approver: MadeUser, mode: PublishMode = 'now', at?: Date) {
  await runAudited(t.database.pool, async (tx) =>
    submitRelease({ tx, release: await load(t, id), actor: { id: editor.id, label: editor.email } }),
  )
  return runAudited(t.database.pool, async (tx) =>
    approveRelease({ tx, release: await load(t, id), actor: { id: approver.id, label: approver.email }, mode, at }),
  )
}
