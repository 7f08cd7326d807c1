/**
 * Demo releases for seed-demo: realistic Vietnamese police news of a province, driven
 * through the real commands so that they carry signatures, slugs and audit rows.
 */
import type { Database } from '../../db/index.ts'
import { withTransaction } from '../../db/index.ts'
import { runAudited } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { createCase } from '../cases/commands/create-case.ts'
import { approveRelease, type PublishMode } from '../releases/commands/approve-release.ts'
import { createRelease } from '../releases/commands/create-release.ts'
import { submitRelease } from '../releases/commands/submit-release.ts'
import { withdrawRelease } from '../releases/commands/withdraw-release.ts'
import { unsafeLoadRelease } from '../releases/releases.repository.ts'
import { saveSpokesperson } from '../spokespersons/commands/save-spokesperson.ts'
import { happenedAt, localDaysAgo } from '../../platform/demo-time.ts'

type Person = { id: string; email: string }

interface DemoRelease {
  kind: string
  title: string
  summary: string
  bodyMd: string
  category: string
  tags: string[]
  /** When it was drafted: days before today and local hour (published about two hours later). */
  drafted?: [days: number, hour: number, minute: number]
}

const PUBLISHED: DemoRelease[] = [
  {
    kind: 'press_release',
    title: 'Công an tỉnh Thanh Hóa triệt phá đường dây đánh bạc qua mạng quy mô hơn 100 tỷ đồng',
    drafted: [26, 8, 10],
    summary:
      'Phòng Cảnh sát hình sự Công an tỉnh Thanh Hóa đã triệt phá đường dây tổ chức đánh bạc qua mạng, tạm giữ 7 đối tượng, thu giữ nhiều tang vật.',
    bodyMd:
      '## Diễn biến\n\nSau thời gian theo dõi, ngày 18/11/2026, Phòng Cảnh sát hình sự phối hợp Công an các xã, phường liên quan đồng loạt kiểm tra 5 địa điểm, tạm giữ 7 đối tượng.\n\n## Tang vật thu giữ\n\n| Loại | Số lượng |\n|---|---|\n| Điện thoại di động | 15 |\n| Máy tính xách tay | 4 |\n| Tài khoản ngân hàng bị phong tỏa | 32 |\n\nVụ việc đang được tiếp tục điều tra, mở rộng. Người dân có thông tin liên quan đề nghị liên hệ đường dây nóng của Công an tỉnh.',
    category: 'An ninh trật tự',
    tags: ['đánh bạc', 'công nghệ cao'],
  },
  {
    kind: 'warning',
    title: 'Cảnh báo thủ đoạn giả danh công an gọi điện yêu cầu cài ứng dụng định danh điện tử',
    drafted: [18, 14, 25],
    summary:
      'Công an tỉnh cảnh báo người dân không cài ứng dụng theo hướng dẫn qua điện thoại; công an không làm việc qua điện thoại hay mạng xã hội.',
    bodyMd:
      'Thời gian gần đây, nhiều người dân trên địa bàn tỉnh nhận được cuộc gọi của đối tượng tự xưng là cán bộ công an, yêu cầu cài đặt ứng dụng giả mạo để "cập nhật định danh điện tử mức 2".\n\n## Khuyến cáo\n\n- Không cài ứng dụng từ đường dẫn lạ.\n- Không cung cấp mã OTP, mật khẩu ngân hàng.\n- Liên hệ Công an xã, phường nơi cư trú để được hướng dẫn trực tiếp.',
    category: 'Phòng chống tội phạm',
    tags: ['lừa đảo', 'cảnh báo'],
  },
  {
    kind: 'activity',
    title: 'Hội nghị gặp mặt báo chí và người có ảnh hưởng trên mạng xã hội năm 2026',
    drafted: [9, 9, 40],
    summary:
      'Công an tỉnh tổ chức hội nghị gặp mặt các cơ quan báo chí, phóng viên và người có ảnh hưởng, trao đổi về phối hợp cung cấp thông tin chính thống.',
    bodyMd:
      'Sáng 25/11/2026, Công an tỉnh Thanh Hóa tổ chức hội nghị gặp mặt hơn 80 phóng viên, biên tập viên và người có ảnh hưởng trên mạng xã hội.\n\nTại hội nghị, lãnh đạo Công an tỉnh thông tin về tình hình an ninh trật tự, đề nghị các đối tác phối hợp lan tỏa thông tin chính thống và phản bác thông tin sai sự thật.',
    category: 'Hoạt động',
    tags: ['báo chí', 'hội nghị'],
  },
  {
    kind: 'announcement',
    title: 'Thông báo phân luồng giao thông phục vụ Lễ hội Lam Kinh',
    drafted: [3, 15, 5],
    summary:
      'Phòng Cảnh sát giao thông thông báo phương án phân luồng, hạn chế phương tiện trên một số tuyến đường trong thời gian diễn ra lễ hội.',
    bodyMd:
      'Để bảo đảm trật tự an toàn giao thông, từ 6 giờ đến 18 giờ các ngày diễn ra lễ hội, xe tải trên 10 tấn không được lưu thông qua khu vực di tích.\n\nNgười tham gia giao thông chấp hành hướng dẫn của lực lượng làm nhiệm vụ.',
    category: 'Giao thông',
    tags: ['giao thông', 'lễ hội'],
  },
]

/** Seeds the spokesperson register, a sealed case and releases in every public state. */
export async function seedDemoReleases(o: {
  database: Database
  tenantId: string
  editor: Person
  approver: Person
  officer: Person
}): Promise<{ kind: string; id: string; title: string; state: string; url: string | null }[]> {
  const { database, tenantId } = o
  const who = (p: Person) => ({ id: p.id, label: p.email })
  const items: { kind: string; id: string; title: string; state: string; url: string | null }[] = []
  // The register was filled before the first release (a few weeks ago).
  const { id: spokespersonId } = await happenedAt(localDaysAgo(40, 10, 15), () =>
    withTransaction(database.pool, (tx) =>
      saveSpokesperson({
        tx,
        tenantId,
        actor: who(o.approver),
        input: {
          name: 'Đại tá Trịnh Văn Hải',
          title: 'Phó Giám đốc Công an tỉnh, người phát ngôn',
          phone: '0237 3852 113',
          email: 'phatngon@demo.donghanh.vn',
        },
      }),
    ),
  )
  const make = async (r: DemoRelease, caseId: string | null = null) => {
    const { releaseId } = await withTransaction(database.pool, (tx) =>
      createRelease({ tx, tenantId, actor: who(o.editor), kind: r.kind, spokespersonId, caseId, content: r }),
    )
    return releaseId
  }
  const submit = (id: string) =>
    runAudited(database.pool, async (tx) =>
      submitRelease({ tx, release: (await unsafeLoadRelease(tx, tenantId, id))!, actor: who(o.editor) }),
    )
  const approve = async (id: string, mode: PublishMode, at?: Date) => {
    await runAudited(database.pool, async (tx) =>
      approveRelease({ tx, release: (await unsafeLoadRelease(tx, tenantId, id))!, actor: who(o.approver), mode, at }),
    )
    return (await unsafeLoadRelease(database.db, tenantId, id))!
  }
  const go = async (id: string, mode: PublishMode, at?: Date) => {
    await submit(id)
    return approve(id, mode, at)
  }
  // Published over the past weeks at office hours: drafted, submitted 40 minutes later, approved
  // and published about an hour after that.
  for (const r of PUBLISHED) {
    const [days, hour, minute] = r.drafted ?? [1, 9, 0]
    const { id, loaded } = await happenedAt(localDaysAgo(days, hour, minute), async (step) => {
      const id = await make(r)
      step(40)
      await submit(id)
      step(75)
      return { id, loaded: await approve(id, 'now') }
    })
    items.push({ kind: 'release', id, title: r.title, state: 'public', url: `/tin/${loaded.release.slug}` })
  }
  const embargoed = await make({
    kind: 'press_release',
    title: 'Kết quả đợt cao điểm tấn công trấn áp tội phạm cuối năm',
    summary: 'Thông cáo về kết quả đợt cao điểm; cấm đăng trước thời điểm công bố.',
    bodyMd: 'Trong đợt cao điểm, lực lượng Công an toàn tỉnh đã phát hiện, bắt giữ nhiều đối tượng phạm tội về trật tự xã hội và ma túy.',
    category: 'An ninh trật tự',
    tags: ['cao điểm'],
  })
  const lift = new Date(now().getTime() + 10 * 60_000)
  let loaded = await go(embargoed, 'embargo', lift)
  items.push({
    kind: 'release',
    id: embargoed,
    title: loaded.working.title,
    state: `embargoed until ${lift.toISOString()}`,
    url: `/tin/${loaded.release.slug}`,
  })
  const scheduled = await make({
    kind: 'announcement',
    title: 'Thông báo lịch tiếp công dân của Giám đốc Công an tỉnh tháng 12/2026',
    summary: 'Lịch tiếp công dân định kỳ tại trụ sở Công an tỉnh.',
    bodyMd: 'Giám đốc Công an tỉnh tiếp công dân vào ngày 15/12/2026 tại trụ sở Công an tỉnh.',
    category: 'Thông báo',
    tags: ['tiếp công dân'],
  })
  const at = new Date(now().getTime() + 3 * 24 * 3_600_000)
  loaded = await go(scheduled, 'schedule', at)
  items.push({
    kind: 'release',
    id: scheduled,
    title: loaded.working.title,
    state: `scheduled for ${at.toISOString()}`,
    url: `/tin/${loaded.release.slug}`,
  })
  // The sealed case and its draft: opened two days ago.
  const sealed = await happenedAt(localDaysAgo(2, 16, 20), async () => {
    const { caseId } = await withTransaction(database.pool, (tx) =>
      createCase({
        tx,
        tenantId,
        actor: who(o.officer),
        code: 'CA-2026-017',
        title: 'Chuyên án đường dây lừa đảo chiếm đoạt tài sản qua mạng xã hội',
        department: 'Phòng An ninh mạng và phòng chống tội phạm sử dụng công nghệ cao',
        leadOfficerId: o.officer.id,
        secrecyGround: 'Bí mật điều tra (Điều 13 Bộ luật Tố tụng hình sự)',
      }),
    )
    return make(
      {
        kind: 'press_release',
        title: 'Bắt giữ nhóm đối tượng lừa đảo chiếm đoạt tài sản qua mạng xã hội',
        summary: 'Dự thảo thông cáo gắn với chuyên án đang giữ bí mật.',
        bodyMd: 'Dự thảo: chỉ công bố sau khi có quyết định giải mật.',
        category: 'An ninh mạng',
        tags: ['lừa đảo'],
      },
      caseId,
    )
  })
  items.push({
    kind: 'release',
    id: sealed,
    title: 'Bắt giữ nhóm đối tượng lừa đảo chiếm đoạt tài sản qua mạng xã hội',
    state: 'draft (sealed case CA-2026-017)',
    url: null,
  })
  // Published two weeks ago, withdrawn the next morning.
  const withdrawn = await happenedAt(localDaysAgo(14, 10, 0), () =>
    make({
      kind: 'announcement',
      title: 'Thông báo tạm dừng tiếp nhận hồ sơ cấp căn cước tại một số điểm',
      summary: 'Thông báo đã được thu hồi do thay đổi kế hoạch.',
      bodyMd: 'Các điểm tiếp nhận hồ sơ tạm dừng trong ngày 20/11/2026.',
      category: 'Thông báo',
      tags: ['căn cước'],
    }),
  )
  loaded = await happenedAt(localDaysAgo(14, 11, 30), () => go(withdrawn, 'now'))
  await happenedAt(localDaysAgo(13, 8, 45), () =>
    runAudited(database.pool, async (tx) =>
      withdrawRelease({
        tx,
        release: (await unsafeLoadRelease(tx, tenantId, withdrawn))!,
        actor: who(o.approver),
        category: 'factual_error',
        reason: 'Kế hoạch đã thay đổi, các điểm tiếp nhận vẫn làm việc bình thường.',
        confirmed: true,
      }),
    ),
  )
  items.push({ kind: 'release', id: withdrawn, title: loaded.working.title, state: 'withdrawn', url: `/tin/${loaded.release.slug}` })
  return items
}
