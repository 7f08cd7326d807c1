/**
 * Demo inquiries for `seed-demo` (the demo module calls this; nothing here runs on its own):
 * one in every state — received, assigned, escalated and overdue, answered (and published as a
 * public Q&A), refused on a legal ground, withdrawn — through the real commands, so history,
 * audit and mail are what a real office would have.
 */
import type { Tx } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import type { Actor } from '../../platform/policy/index.ts'
import { answerInquiry } from './commands/answer-inquiry.ts'
import { assignInquiry } from './commands/assign-inquiry.ts'
import { createInquiry } from './commands/create-inquiry.ts'
import { refuseInquiry } from './commands/refuse-inquiry.ts'
import { withdrawInquiry } from './commands/withdraw-inquiry.ts'
import type { InquiryKind } from './inquiries.tables.ts'

/** A partner who asks in the demo. */
export interface DemoAsker {
  id: string
  userId: string | null
  name: string
  email: string | null
}

/** What was made: one item per inquiry, for the manifest. */
export interface DemoInquiry {
  id: string
  code: string
  state: string
  /** The public Q&A page (a path), for the published one. */
  url: string | null
}

/**
 * Creates the demo inquiries. `staff` must be an approver or admin (answers and refusals);
 * `askers` at least one partner (used in turn); `spokespersonId` an active spokesperson.
 */
export async function seedDemoInquiries(o: {
  tx: Tx
  tenantId: string
  publicUrl: string
  /** The agency named in answers (the tenant's name). */
  agency: string
  staff: Actor
  askers: readonly DemoAsker[]
  spokespersonId: string
}): Promise<DemoInquiry[]> {
  const out: DemoInquiry[] = []
  const at = now()
  const hoursAgo = (h: number) => new Date(at.getTime() - h * 3_600_000)
  let n = 0
  const ask = async (kind: InquiryKind, topic: string, question: string, receivedAt: Date) => {
    const p = o.askers[n++ % o.askers.length] as DemoAsker
    return createInquiry({
      tx: o.tx,
      tenantId: o.tenantId,
      publicUrl: o.publicUrl,
      asker: { partnerId: p.id, userId: p.userId, name: p.name, email: p.email, contact: null, outlet: null },
      channel: 'portal',
      input: { kind, topic, question },
      allowedReleaseIds: null,
      actor: { id: p.userId, label: p.email ?? p.name },
      receivedAt,
    })
  }

  const received = await ask(
    'question',
    'Lịch cấm đường phục vụ lễ hội',
    'Xin cho biết các tuyến đường cấm và thời gian cấm trong dịp lễ hội cuối tuần này?',
    hoursAgo(2),
  )
  out.push({ id: received.id, code: received.code, state: 'received', url: null })

  const assigned = await ask(
    'incident',
    'Vụ cháy kho hàng tại khu công nghiệp',
    'Xin thông tin ban đầu: thời điểm phát hiện, thiệt hại về người và lực lượng tham gia chữa cháy.',
    hoursAgo(3),
  )
  await assignInquiry({ tx: o.tx, actor: o.staff, inquiryId: assigned.id, spokespersonId: o.spokespersonId })
  out.push({ id: assigned.id, code: assigned.code, state: 'assigned', url: null })

  // Received 30 hours ago on a 24-hour clock: overdue (the clock job flags and escalates it).
  const late = await ask(
    'incident',
    'Tai nạn liên hoàn trên cao tốc',
    'Có bao nhiêu phương tiện liên quan và đã thông tuyến chưa?',
    hoursAgo(30),
  )
  out.push({ id: late.id, code: late.code, state: 'overdue', url: null })

  const answered = await ask(
    'question',
    'Thủ tục cấp căn cước cho trẻ em',
    'Phụ huynh cần chuẩn bị giấy tờ gì khi làm căn cước cho con dưới 14 tuổi?',
    hoursAgo(50),
  )
  await answerInquiry({
    tx: o.tx,
    actor: o.staff,
    inquiryId: answered.id,
    answer:
      'Phụ huynh mang giấy khai sinh của trẻ và căn cước của mình đến bộ phận một cửa Công an cấp xã; trẻ dưới 6 tuổi có thể làm trực tuyến qua VNeID.',
    spokespersonId: o.spokespersonId,
    agency: o.agency,
    publicUrl: o.publicUrl,
    publish: true,
  })
  out.push({ id: answered.id, code: answered.code, state: 'answered', url: `/hoi-dap/${answered.code.toLowerCase()}` })

  const refused = await ask(
    'question',
    'Danh tính đối tượng trong vụ lừa đảo',
    'Xin họ tên, địa chỉ các đối tượng đã bị bắt trong vụ lừa đảo đầu tư tiền ảo.',
    hoursAgo(26),
  )
  await refuseInquiry({
    tx: o.tx,
    actor: o.staff,
    inquiryId: refused.id,
    ground: 'under_investigation',
    explanation: 'Vụ án đang trong giai đoạn điều tra; Công an tỉnh sẽ thông tin khi có kết luận.',
    publicUrl: o.publicUrl,
  })
  out.push({ id: refused.id, code: refused.code, state: 'refused', url: null })

  const withdrawnRow = await ask(
    'complaint',
    'Phản ánh của bạn đọc về tiếng ồn',
    'Bạn đọc phản ánh tiếng ồn kéo dài từ một quán karaoke, đề nghị cơ quan chức năng kiểm tra.',
    hoursAgo(5),
  )
  const p = o.askers[(n - 1) % o.askers.length] as DemoAsker
  await withdrawInquiry({
    tx: o.tx,
    tenantId: o.tenantId,
    partnerId: p.id,
    actor: { id: p.userId, label: p.email ?? p.name },
    inquiryId: withdrawnRow.id,
  })
  out.push({ id: withdrawnRow.id, code: withdrawnRow.code, state: 'withdrawn', url: null })

  return out
}
