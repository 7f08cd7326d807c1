/**
 * Demo content of the verification desk: submissions from the public and partners, claims in
 * every status, and published verdicts — through the real commands.
 */
import { type Database, withTransaction } from '../../db/index.ts'
import { runAudited } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { addEvidence } from '../factcheck/commands/add-evidence.ts'
import { mergeClaims } from '../factcheck/commands/merge-claims.ts'
import { submitClaim } from '../factcheck/commands/submit-claim.ts'
import { triageClaim } from '../factcheck/commands/triage-claim.ts'
import { approveVerdict, draftVerdict, submitVerdict } from '../factcheck/commands/verdict-workflow.ts'
import { unsafeLoadClaim } from '../factcheck/factcheck.repository.ts'
import { refreshClaimCounts } from '../factcheck/refresh.ts'
import { happenedAt, localDaysAgo } from '../../platform/demo-time.ts'

type Person = { id: string; email: string }
type Item = { kind: string; id: string; title: string; state: string; url: string | null }

/** Seeds the desk; returns manifest items (published verdicts with their public URL, tickets). */
export async function seedDemoFactcheck(o: {
  database: Database
  tenantId: string
  tenantName: string
  publicUrl: string
  editor: Person
  approver: Person
  officer: Person
  partner: Person
}): Promise<Item[]> {
  const { database, tenantId } = o
  const who = (p: Person) => ({ id: p.id, label: p.email })
  const items: Item[] = []
  const submit = (
    text: string,
    extra: { channel?: 'public' | 'partner'; links?: string[]; contactEmail?: string; seenWhere?: string } = {},
  ) =>
    withTransaction(database.pool, (tx) =>
      submitClaim({
        tx,
        tenantId,
        channel: extra.channel ?? 'public',
        actor: extra.channel === 'partner' ? who(o.partner) : { id: null, label: 'public' },
        text,
        links: extra.links,
        contactEmail: extra.contactEmail,
        seenWhere: extra.seenWhere,
      }),
    )
  const load = async (id: string) => (await unsafeLoadClaim(database.db, tenantId, id))!
  const publish = async (
    claimId: string,
    harm: string,
    label: string,
    headline: string,
    explanationMd: string,
    evidence: { url: string; title: string },
    step: (minutes: number) => void,
  ) => {
    step(25)
    await runAudited(database.pool, async (tx) =>
      triageClaim({ tx, claim: await load(claimId), actor: who(o.editor), harm, assigneeId: o.officer.id }),
    )
    step(90)
    const ev = await runAudited(database.pool, async (tx) =>
      addEvidence({
        tx,
        claim: await load(claimId),
        actor: who(o.officer),
        input: { kind: 'link', url: evidence.url, title: evidence.title },
      }),
    )
    await runAudited(database.pool, async (tx) =>
      draftVerdict({
        tx,
        claim: await load(claimId),
        actor: who(o.officer),
        input: { label, headline, explanationMd, evidenceIds: [ev.id] },
      }),
    )
    step(60)
    await runAudited(database.pool, async (tx) => submitVerdict({ tx, claim: await load(claimId), actor: who(o.officer) }))
    step(45)
    return runAudited(database.pool, async (tx) =>
      approveVerdict({ tx, claim: await load(claimId), actor: who(o.approver), publicUrl: o.publicUrl, tenantName: o.tenantName }),
    )
  }

  // Spread over the past weeks like a real desk: the verdicts weeks ago, open claims within
  // their SLA (hours ago), so that the queue, the dashboard and its charts have a history.
  const { kidnap, r: kidnapVerdict } = await happenedAt(localDaysAgo(20, 7, 50), async (step) => {
    const kidnap = await submit(
      'Có nhóm người đi xe 7 chỗ màu trắng bắt cóc trẻ em ở khu vực chợ Nông Cống, mổ lấy nội tạng, phụ huynh cảnh giác đón con',
      {
        links: ['https://www.facebook.com/groups/nongcong24h/posts/9988?fbclid=abc'],
        contactEmail: 'phuhuynh.demo@example.vn',
        seenWhere: 'Facebook',
      },
    )
    step(20)
    await submit('co nhom nguoi di xe 7 cho mau trang bat coc tre em o khu vuc cho nong cong mo lay noi tang phu huynh canh giac don con', {
      seenWhere: 'Zalo',
    })
    const r = await publish(
      kidnap.claimId,
      'public_order',
      'false',
      'Không có vụ bắt cóc trẻ em nào tại chợ Nông Cống',
      'Công an xã đã xác minh: không có tin báo về trẻ em mất tích hay bị bắt cóc trong khu vực. Hình ảnh lan truyền là ảnh cũ từ năm 2019 ở tỉnh khác.\n\nĐề nghị người dân không chia sẻ thông tin chưa được kiểm chứng.',
      { url: 'https://thanhhoa.gov.vn/tin-tuc/xac-minh-thong-tin', title: 'Biên bản xác minh của Công an xã' },
      step,
    )
    return { kidnap, r }
  })
  items.push({
    kind: 'verdict',
    id: kidnap.claimId,
    title: 'Không có vụ bắt cóc trẻ em nào tại chợ Nông Cống',
    state: 'public',
    url: `/kiem-chung/${kidnapVerdict.slug}`,
  })
  items.push({
    kind: 'ticket',
    id: kidnap.ticket,
    title: kidnap.ticket,
    state: 'public',
    url: `/kiem-chung/phieu/${kidnap.ticket}?k=${kidnap.ticketKey}`,
  })

  const { scam, r: scamVerdict } = await happenedAt(localDaysAgo(11, 13, 35), async (step) => {
    const scam = await submit(
      'Tin nhắn từ số lạ tự xưng Công an tỉnh Thanh Hóa yêu cầu nộp phạt nguội qua đường link để tránh bị khởi tố',
      {
        channel: 'partner',
        links: ['https://phatnguoi-thanhhoa.info/tra-cuu'],
      },
    )
    const r = await publish(
      scam.claimId,
      'impersonation',
      'scam',
      'Tin nhắn “nộp phạt nguội qua link” là lừa đảo giả danh Công an',
      'Công an tỉnh không gửi tin nhắn yêu cầu nộp phạt qua đường link. Phạt nguội được thông báo bằng văn bản và nộp qua Cổng dịch vụ công quốc gia.',
      { url: 'https://dichvucong.gov.vn', title: 'Cổng dịch vụ công quốc gia' },
      step,
    )
    return { scam, r }
  })
  items.push({
    kind: 'verdict',
    id: scam.claimId,
    title: 'Tin nhắn “nộp phạt nguội qua link” là lừa đảo giả danh Công an',
    state: 'public',
    url: `/kiem-chung/${scamVerdict.slug}`,
  })

  const flood = await happenedAt(new Date(now().getTime() - 3 * 3_600_000), async (step) => {
    const flood = await submit('Đập thủy điện Trung Sơn sắp vỡ, dân hạ lưu sông Mã phải sơ tán ngay trong đêm nay', { seenWhere: 'TikTok' })
    step(15)
    await runAudited(database.pool, async (tx) =>
      triageClaim({ tx, claim: await load(flood.claimId), actor: who(o.editor), harm: 'safety', assigneeId: o.officer.id }),
    )
    return flood
  })
  items.push({ kind: 'claim', id: flood.claimId, title: 'Đập thủy điện sắp vỡ', state: 'investigating', url: null })

  const fresh = await happenedAt(new Date(now().getTime() - 40 * 60_000), () =>
    submit('Nghe nói từ tháng sau xe máy không có camera hành trình sẽ bị phạt 2 triệu đồng', { seenWhere: 'Facebook' }),
  )
  items.push({ kind: 'claim', id: fresh.claimId, title: 'Xe máy phải có camera hành trình', state: 'new', url: null })

  const draft = await happenedAt(new Date(now().getTime() - 7 * 3_600_000), async (step) => {
    const draft = await submit('Ảnh chụp “công văn” của Công an tỉnh yêu cầu các trường học cho học sinh nghỉ vì dịch bệnh mới', {
      contactEmail: 'giaovien.demo@example.vn',
    })
    step(30)
    await runAudited(database.pool, async (tx) =>
      triageClaim({ tx, claim: await load(draft.claimId), actor: who(o.editor), harm: 'impersonation' }),
    )
    step(150)
    await runAudited(database.pool, async (tx) =>
      draftVerdict({
        tx,
        claim: await load(draft.claimId),
        actor: who(o.officer),
        input: {
          label: 'fabricated',
          headline: 'Công văn cho học sinh nghỉ học là giả mạo',
          explanationMd: 'Công an tỉnh không ban hành văn bản nào như vậy; con dấu và chữ ký bị cắt ghép.',
        },
      }),
    )
    step(40)
    await runAudited(database.pool, async (tx) => submitVerdict({ tx, claim: await load(draft.claimId), actor: who(o.officer) }))
    return draft
  })
  items.push({ kind: 'claim', id: draft.claimId, title: 'Công văn cho học sinh nghỉ học', state: 'verdict_submitted', url: null })

  const dupB = await happenedAt(localDaysAgo(1, 10, 5), async (step) => {
    const dupA = await submit('Công an sẽ kiểm tra điện thoại của người đi đường và phạt nếu có ứng dụng lạ')
    step(95)
    const dupB = await submit('Cảnh sát được quyền dừng xe kiểm tra điện thoại người dân từ tuần sau')
    step(30)
    await runAudited(database.pool, async (tx) =>
      mergeClaims({ tx, source: await load(dupB.claimId), target: await load(dupA.claimId), actor: who(o.editor) }),
    )
    return dupB
  })
  items.push({ kind: 'claim', id: dupB.claimId, title: 'Kiểm tra điện thoại (gộp)', state: 'merged', url: null })
  // Submissions that joined a claim are counted by the server's refresh, which looks at the last
  // minutes only: these happened days ago, so count them all now.
  await refreshClaimCounts(database, { publicUrl: o.publicUrl, all: true })
  return items
}
