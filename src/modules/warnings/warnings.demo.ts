/**
 * Demo warnings for seed-demo, each through the real commands at the moment it happened
 * (`demo-time.ts`), so codes, versions, CAP `sent` times and audit rows look like a real
 * office's:
 * - three scam warnings in force whose patterns and links the self-check page finds ("nộp phạt
 *   nguội" by link, a fake investment app, a fake electricity-refund call), one of them updated
 *   (version 2) and one published on the urgent path and still waiting for a second approver;
 * - a traffic diversion for a festival (Community, in force for the festival days);
 * - a public-order warning that was cancelled;
 * - a missing-person warning (the family's consent recorded) that was closed when the child was
 *   found: the public sees only that it was closed;
 * - a wanted notice submitted and waiting for approval (a draft to the public).
 * The officer drafts, the editor edits, the approver approves (four-eyes), as in the office.
 * Their domain events wait for `serve`, whose worker mails the demo subscribers and partners.
 */
import { type Database, withTransaction } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import { happenedAt, localDaysAgo } from '../../platform/demo-time.ts'
import { localInputValue } from '../../platform/time.ts'
import {
  approveWarning,
  cancelWarning,
  closeWarning,
  createWarning,
  parseWarningInput,
  publishUrgently,
  submitWarning,
  updateWarning,
} from './commands/index.ts'
import { warningCapPath, warningPath } from './warnings.paths.ts'
import { publicStateOf, type WarningRow } from './warnings.repository.ts'
import type { WarningPublicState } from './warnings.types.ts'

/** A manifest item for a warning (`cap`: the path of its latest public CAP XML; null for a draft). */
export interface DemoWarningItem {
  kind: 'warning'
  id: string
  title: string
  state: WarningPublicState
  url: string | null
  cap: string | null
}

interface Person {
  id: string
  email: string
}

const DAY = 86_400_000

/** Seeds the demo warnings; returns their manifest items. */
export async function seedDemoWarnings(o: {
  database: Database
  tenantId: string
  officer: Person
  editor: Person
  approver: Person
}): Promise<DemoWarningItem[]> {
  const { pool } = o.database
  const tenantId = o.tenantId
  const who = (p: Person) => ({ id: p.id, label: p.email })
  const officer = who(o.officer)
  const editor = who(o.editor)
  const approver = who(o.approver)
  const made: WarningRow[] = []
  const tx = <T>(fn: Parameters<typeof withTransaction<T>>[1]) => withTransaction(pool, fn)

  /** Drafted by `author`, submitted, approved by the approver `minutes` later. */
  const publishReviewed = async (at: Date, author: typeof officer, raw: Record<string, unknown>): Promise<WarningRow> =>
    happenedAt(at, async (step) => {
      const w = await tx((t) => createWarning({ tx: t, tenantId, actor: author, input: parseWarningInput(raw) }))
      step(12)
      await tx((t) => submitWarning({ tx: t, tenantId, actor: author, id: w.id }))
      step(18)
      await tx((t) => approveWarning({ tx: t, tenantId, actor: approver, id: w.id }))
      return w
    })

  // 1. "Phạt nguội" by link: an Alert for the city wards and two communes, in force.
  const fines = await publishReviewed(localDaysAgo(6, 8, 40), officer, {
    kind: 'scam',
    level: 'alert',
    titleVi: 'Giả danh Cảnh sát giao thông nhắn tin đòi "nộp phạt nguội" qua đường link',
    descriptionVi:
      'Thời gian gần đây, nhiều người dân nhận được tin nhắn, cuộc gọi tự xưng là cán bộ Cảnh sát giao thông, thông báo phương tiện có biên bản "phạt nguội" chưa nộp, yêu cầu bấm vào đường link để tra cứu và nộp phạt. Đường link dẫn tới trang giả mạo, chiếm đoạt thông tin thẻ ngân hàng và tiền trong tài khoản.',
    instructionVi:
      'Cơ quan Công an không thu tiền phạt qua tin nhắn, đường link hay điện thoại. Tra cứu phạt nguội chỉ trên Cổng dịch vụ công quốc gia hoặc tại trụ sở. Không bấm vào đường link lạ, không cung cấp mã OTP. Khi nghi ngờ, gọi 113 hoặc đến cơ quan Công an gần nhất.',
    titleEn: 'Fake traffic police messages demanding "traffic fines" be paid by link',
    descriptionEn:
      'People receive messages or calls from someone posing as traffic police, claiming an unpaid camera fine and sending a link to pay it. The link leads to a fake site that steals bank card details.',
    instructionEn: 'The police never collect fines by message, link or phone. Do not open unknown links or give OTP codes. Call 113.',
    communes: ['phuong-hac-thanh', 'phuong-ham-rong', 'phuong-dong-son', 'xa-dong-tien'],
    patterns: [
      'bạn có biên bản phạt nguội chưa nộp',
      'bấm vào đường link để tra cứu và nộp phạt nguội',
      'tôi là cán bộ cảnh sát giao thông, yêu cầu anh chị nộp phạt',
      'phương tiện của bạn vi phạm giao thông bị phạt nguội, nộp phạt trước ngày',
    ],
    links: ['https://phatnguoi-vn.com/tra-cuu', 'https://csgt-vn.top/nop-phat'],
    validFrom: localInputValue(localDaysAgo(6, 9, 0)),
  })
  made.push(fines)

  // 2. Fake investment app: Advisory for the whole province, updated the next day (version 2).
  const invest = await publishReviewed(localDaysAgo(12, 14, 5), officer, {
    kind: 'scam',
    level: 'advisory',
    titleVi: 'Cảnh báo ứng dụng đầu tư tiền ảo giả mạo hứa lợi nhuận 30% mỗi tháng',
    descriptionVi:
      'Các đối tượng lập hội nhóm trên Zalo, Telegram, giới thiệu ứng dụng đầu tư tiền ảo "cam kết lợi nhuận 30% mỗi tháng", ban đầu cho rút tiền lãi nhỏ để tạo lòng tin, sau đó yêu cầu nạp thêm tiền "nâng cấp tài khoản" rồi khóa tài khoản, chiếm đoạt toàn bộ số tiền.',
    instructionVi:
      'Không tham gia đầu tư qua ứng dụng không rõ nguồn gốc, không chuyển tiền cho người lạ. Báo ngay cho Công an khi bị lừa.',
    wholeProvince: 'on',
    patterns: ['cam kết lợi nhuận 30% mỗi tháng', 'nạp thêm tiền để nâng cấp tài khoản mới rút được', 'đầu tư tiền ảo cùng chuyên gia'],
    links: ['https://thanhhoa-invest.app/dang-ky'],
    validFrom: localInputValue(localDaysAgo(12, 14, 30)),
  })
  await happenedAt(localDaysAgo(11, 10, 15), async (step) => {
    const input = parseWarningInput({
      kind: 'scam',
      level: 'advisory',
      titleVi: 'Cảnh báo ứng dụng đầu tư tiền ảo giả mạo hứa lợi nhuận 30% mỗi tháng',
      descriptionVi:
        'Các đối tượng lập hội nhóm trên Zalo, Telegram, giới thiệu ứng dụng đầu tư tiền ảo "cam kết lợi nhuận 30% mỗi tháng", ban đầu cho rút tiền lãi nhỏ để tạo lòng tin, sau đó yêu cầu nạp thêm tiền "nâng cấp tài khoản" rồi khóa tài khoản, chiếm đoạt toàn bộ số tiền. Hai ứng dụng mới được ghi nhận: "TH Crypto Pro" và "Vàng Số 79".',
      instructionVi:
        'Không tham gia đầu tư qua ứng dụng không rõ nguồn gốc, không chuyển tiền cho người lạ. Báo ngay cho Công an khi bị lừa.',
      wholeProvince: 'on',
      patterns: [
        'cam kết lợi nhuận 30% mỗi tháng',
        'nạp thêm tiền để nâng cấp tài khoản mới rút được',
        'đầu tư tiền ảo cùng chuyên gia',
        'tải ứng dụng TH Crypto Pro',
      ],
      links: ['https://thanhhoa-invest.app/dang-ky', 'https://vangso79.vip'],
      validFrom: localInputValue(localDaysAgo(12, 14, 30)),
    })
    await tx((t) => updateWarning({ tx: t, tenantId, actor: editor, id: invest.id, input }))
    step(8)
    await tx((t) => submitWarning({ tx: t, tenantId, actor: editor, id: invest.id }))
    step(20)
    await tx((t) =>
      approveWarning({ tx: t, tenantId, actor: approver, id: invest.id, changeNote: 'Bổ sung hai ứng dụng mới được ghi nhận.' }),
    )
  })
  made.push(invest)

  // 3. Fake electricity refund: urgent Alert three hours ago, waiting for a second approver
  // (hours before the seed, not a time of day: the seed may run at any hour).
  const seededAt = now()
  const power = await happenedAt(new Date(seededAt.getTime() - 3 * 3_600_000), async (step) => {
    const w = await tx((t) =>
      createWarning({
        tx: t,
        tenantId,
        actor: approver,
        input: parseWarningInput({
          kind: 'scam',
          level: 'alert',
          titleVi: 'Giả danh nhân viên điện lực gọi điện yêu cầu cài ứng dụng để "hoàn tiền điện"',
          descriptionVi:
            'Vài giờ qua, nhiều hộ dân ở Sầm Sơn nhận cuộc gọi tự xưng nhân viên điện lực, thông báo được hoàn tiền điện do tính sai, yêu cầu cài ứng dụng qua đường link gửi trong Zalo. Ứng dụng giả chiếm quyền điều khiển điện thoại và rút tiền trong tài khoản ngân hàng.',
          instructionVi: 'Ngành điện không hoàn tiền qua ứng dụng cài từ đường link. Không cài ứng dụng lạ. Gọi 113 khi nghi ngờ.',
          communes: ['phuong-sam-son', 'phuong-nam-sam-son'],
          patterns: [
            'nhân viên điện lực thông báo hoàn tiền điện',
            'cài ứng dụng để nhận lại tiền điện',
            'tính sai tiền điện nên được hoàn lại',
          ],
          links: ['https://evn-hoantien.com/app'],
        }),
      }),
    )
    step(5)
    await tx((t) =>
      publishUrgently({
        tx: t,
        tenantId,
        actor: approver,
        id: w.id,
        reason: 'Thủ đoạn đang lan nhanh trong vài giờ qua, cần cảnh báo ngay.',
      }),
    )
    return w
  })
  made.push(power)

  // 4. Traffic diversion for a festival: Community, in force for the festival days.
  const festivalStart = localDaysAgo(-3, 6, 0)
  const traffic = await publishReviewed(localDaysAgo(2, 15, 0), editor, {
    kind: 'traffic',
    level: 'community',
    titleVi: 'Phân luồng giao thông phục vụ Lễ hội Lam Kinh',
    descriptionVi:
      'Từ 6 giờ ngày khai hội đến 22 giờ ngày bế mạc, cấm xe ô tô trên 16 chỗ và xe tải vào đường dẫn vào Khu di tích Lam Kinh; xe đi Ngọc Lặc theo Quốc lộ 47 rẽ Đường Hồ Chí Minh.',
    instructionVi: 'Đi theo hướng dẫn của lực lượng Cảnh sát giao thông; gửi xe tại các bãi được bố trí.',
    communes: ['xa-lam-son', 'xa-tho-xuan'],
    validFrom: localInputValue(festivalStart),
    validUntil: localInputValue(new Date(festivalStart.getTime() + 3 * DAY)),
  })
  made.push(traffic)

  // 5. Public order warning, cancelled (the gathering was called off).
  const order = await publishReviewed(localDaysAgo(9, 16, 30), officer, {
    kind: 'public_order',
    level: 'advisory',
    titleVi: 'Cảnh báo nhóm thanh thiếu niên hẹn tụ tập đua xe trái phép đêm cuối tuần',
    descriptionVi:
      'Công an tỉnh nắm được thông tin một số nhóm thanh thiếu niên hẹn nhau trên mạng xã hội tụ tập đua xe trên Đại lộ Nam Sông Mã đêm thứ Bảy. Lực lượng chức năng sẽ tổ chức chốt chặn, xử lý nghiêm.',
    instructionVi: 'Phụ huynh quản lý con em; người dân không tụ tập cổ vũ. Báo tin cho Công an qua số 113.',
    communes: ['phuong-hac-thanh', 'phuong-quang-phu'],
  })
  await happenedAt(localDaysAgo(8, 11, 0), () =>
    tx((t) =>
      cancelWarning({
        tx: t,
        tenantId,
        actor: approver,
        id: order.id,
        reason: 'Các nhóm đã được gọi lên làm việc, cam kết không tụ tập; không còn nguy cơ.',
      }),
    ),
  )
  made.push(order)

  // 6. Missing person, with the family's consent; found two days later and closed.
  const missing = await publishReviewed(localDaysAgo(5, 18, 20), officer, {
    kind: 'missing_person',
    level: 'alert',
    titleVi: 'Tìm người mất tích: cháu Lê Minh Khôi, 13 tuổi',
    descriptionVi:
      'Cháu Lê Minh Khôi, 13 tuổi, cao khoảng 1,55 m, mặc áo đồng phục trường THCS, rời nhà ở xã Hoằng Hóa chiều 1/12 và chưa trở về. Ai nhìn thấy xin báo cho Công an hoặc gia đình.',
    instructionVi: 'Báo ngay cho Công an xã Hoằng Hóa hoặc đường dây nóng 113 nếu nhìn thấy cháu.',
    communes: ['xa-hoang-hoa'],
    consentGiven: 'on',
    consentNote: 'Bố mẹ cháu (anh Lê Văn Tùng) đồng ý công bố, ký biên bản tại Công an xã ngày 1/12.',
  })
  await happenedAt(localDaysAgo(3, 9, 45), () =>
    tx((t) => closeWarning({ tx: t, tenantId, actor: editor, id: missing.id, reason: 'found', note: 'Cháu đã về nhà an toàn.' })),
  )
  made.push(missing)

  // 7. A wanted notice, submitted and waiting for the approver.
  const wanted = await happenedAt(new Date(seededAt.getTime() - 2 * 3_600_000), async (step) => {
    const w = await tx((t) =>
      createWarning({
        tx: t,
        tenantId,
        actor: officer,
        input: parseWarningInput({
          kind: 'wanted',
          level: 'advisory',
          titleVi: 'Thông báo truy nã đối tượng Trần Văn Hùng',
          descriptionVi:
            'Trần Văn Hùng, sinh năm 1989, nơi thường trú xã Quảng Xương, bị truy nã về tội "Lừa đảo chiếm đoạt tài sản". Đặc điểm: cao 1,70 m, có nốt ruồi dưới mắt trái.',
          instructionVi: 'Ai phát hiện đối tượng báo ngay cho cơ quan Công an gần nhất hoặc gọi 113. Không tự ý bắt giữ.',
          wholeProvince: 'on',
          legalBasis: 'Quyết định truy nã số 12/QĐ-CSĐT ngày 28/11/2026 của Cơ quan CSĐT Công an tỉnh Thanh Hóa.',
        }),
      }),
    )
    step(10)
    await tx((t) => submitWarning({ tx: t, tenantId, actor: officer, id: w.id }))
    return w
  })
  made.push(wanted)

  const items: DemoWarningItem[] = []
  for (const w of made) {
    const row = (
      await o.database.pool.query<{ state: string; version: number; title_vi: string }>(
        'SELECT state, version, title_vi FROM warnings WHERE id = $1',
        [w.id],
      )
    ).rows[0]
    if (!row) throw new Error(`seed-demo: warning ${w.code} vanished`)
    const state = publicStateOf({ ...w, state: row.state as WarningRow['state'], version: row.version })
    items.push({
      kind: 'warning',
      id: w.id,
      // A closed warning about a person is listed by its code: its title names the person.
      title: state === 'closed' ? w.code : row.title_vi,
      state,
      url: state === 'draft' ? null : warningPath(w.slug),
      cap: state === 'draft' ? null : warningCapPath(w.slug),
    })
  }
  return items
}
