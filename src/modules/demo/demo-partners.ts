/**
 * Demo partners for seed-demo: press outlets of the province and of the country, journalists and
 * influencers in every status of the registry, driven through the registry's real commands (keys,
 * history, audit, mail). The demo journalist and influencer accounts are linked to accredited
 * records, so signing in as them opens a working portal.
 */
import type { Database } from '../../db/index.ts'
import { withTransaction } from '../../db/index.ts'
import type { Actor } from '../../platform/policy/index.ts'
import { changePartnerStatus } from '../partners/commands/change-partner-status.ts'
import { createPartner, type PartnerInput } from '../partners/commands/create-partner.ts'
import { createPressOutlet, type PressOutletInput } from '../partners/commands/create-press-outlet.ts'
import { recordAcknowledgement } from '../partners/commands/record-acknowledgement.ts'
import type { PartnerStatus } from '../partners/partners.tables.ts'
import { happenedAt, localDaysAgo } from '../../platform/demo-time.ts'

type Person = { id: string; email: string }

const OUTLETS: PressOutletInput[] = [
  {
    name: 'Báo Thanh Hóa',
    kind: 'newspaper',
    licenceNumber: '123/GP-BTTTT',
    licenceIssuer: 'Bộ Thông tin và Truyền thông',
    website: 'https://baothanhhoa.vn',
    contactDesk: 'Ban Thời sự, 0237 385 2305',
  },
  {
    name: 'Đài Phát thanh và Truyền hình Thanh Hóa',
    kind: 'radio_tv',
    licenceNumber: '456/GP-BTTTT',
    licenceIssuer: 'Bộ Thông tin và Truyền thông',
    website: 'https://ttv.org.vn',
    contactDesk: 'Phòng Thời sự',
  },
  {
    name: 'Báo điện tử VnExpress',
    kind: 'online',
    licenceNumber: '548/GP-BTTTT',
    licenceIssuer: 'Bộ Thông tin và Truyền thông',
    website: 'https://vnexpress.net',
    contactDesk: 'Văn phòng đại diện Bắc Trung Bộ',
  },
  {
    name: 'Tạp chí Người Xứ Thanh',
    kind: 'magazine',
    licenceNumber: '78/GP-BTTTT',
    licenceIssuer: 'Bộ Thông tin và Truyền thông',
    website: 'https://nguoixuthanh.example.vn',
    contactDesk: 'Tòa soạn, 0237 371 1234',
  },
]

interface DemoPartner {
  input: Omit<PartnerInput, 'outletId' | 'userId'> & { outlet?: number }
  /** The statuses it goes through after `applied`, in order, each with its reason. */
  path: [PartnerStatus, string][]
  /** Links the demo account of this role. */
  account?: 'journalist' | 'influencer'
  /** Days ago it applied. */
  appliedDaysAgo: number
}

const inYears = (years: number, from: Date) => {
  const d = new Date(from)
  d.setUTCFullYear(d.getUTCFullYear() + years)
  return d.toISOString().slice(0, 10)
}

const VERIFIED: [PartnerStatus, string] = ['verified', 'Đã đối chiếu thẻ nhà báo với cơ quan báo chí.']
const ACCREDITED: [PartnerStatus, string] = ['accredited', 'Được công nhận đối tác năm 2026 theo đề nghị của cơ quan báo chí.']

function demoPartners(from: Date): DemoPartner[] {
  const card = (years: number) => inYears(years, from)
  return [
    {
      account: 'journalist',
      appliedDaysAgo: 60,
      input: {
        kind: 'journalist',
        name: 'Hoàng Thu Trang',
        outlet: 0,
        pressCardNumber: 'TH-01234',
        pressCardExpiresOn: card(2),
        phone: '0912 345 678',
        email: 'phongvien@demo.donghanh.vn',
        beats: ['an ninh trật tự', 'giao thông'],
        communeCodes: ['phuong-hac-thanh', 'phuong-ham-rong'],
      },
      path: [VERIFIED, ACCREDITED],
    },
    {
      account: 'influencer',
      appliedDaysAgo: 55,
      input: {
        kind: 'influencer',
        name: 'Đỗ Quang Huy',
        phone: '+84 936 112 233',
        email: 'kol@demo.donghanh.vn',
        beats: ['đời sống', 'cảnh báo lừa đảo'],
        communeCodes: ['phuong-sam-son', 'phuong-nam-sam-son'],
        channels: [
          { platform: 'facebook', url: 'https://www.facebook.com/xuthanhhomnay', followers: 184_000 },
          { platform: 'tiktok', url: 'https://www.tiktok.com/@xuthanhhomnay', followers: 92_500 },
        ],
      },
      path: [VERIFIED, ACCREDITED],
    },
    {
      appliedDaysAgo: 45,
      input: {
        kind: 'journalist',
        name: 'Lê Văn Thuỷ',
        outlet: 1,
        pressCardNumber: 'TH-05566',
        pressCardExpiresOn: card(1),
        phone: '0383 456 789',
        email: 'le.thuy@ttv.example.vn',
        beats: ['pháp luật'],
        communeCodes: ['xa-ba-thuoc'],
      },
      path: [VERIFIED, ACCREDITED],
    },
    {
      appliedDaysAgo: 2,
      input: {
        kind: 'journalist',
        name: 'Phạm Ngọc Ánh',
        outlet: 2,
        pressCardNumber: 'HN-77881',
        pressCardExpiresOn: card(3),
        phone: '0987 001 122',
        email: 'ngoc.anh@vnexpress.example.vn',
        beats: ['xã hội'],
        communeCodes: [],
      },
      path: [],
    },
    {
      appliedDaysAgo: 9,
      input: {
        kind: 'journalist',
        name: 'Trịnh Thị Hoà',
        outlet: 3,
        pressCardNumber: 'TH-09090',
        pressCardExpiresOn: card(1),
        phone: '0904 223 344',
        email: 'trinh.hoa@nguoixuthanh.example.vn',
        beats: ['văn hoá'],
        communeCodes: ['phuong-bim-son'],
      },
      path: [['more_info_needed', 'Ảnh thẻ nhà báo bị mờ, đề nghị gửi lại ảnh rõ cả hai mặt.']],
    },
    {
      appliedDaysAgo: 6,
      input: {
        kind: 'influencer',
        name: 'Nguyễn Minh Khoẻ',
        phone: '0965 778 899',
        email: 'minhkhoe.review@gmail.example',
        beats: ['ẩm thực', 'du lịch'],
        communeCodes: ['xa-muong-lat'],
        channels: [{ platform: 'youtube', url: 'https://www.youtube.com/@minhkhoereview', followers: 41_000 }],
      },
      path: [['verified', 'Đã xác minh quyền quản trị kênh YouTube qua bài đăng mã xác nhận.']],
    },
    {
      appliedDaysAgo: 70,
      input: {
        kind: 'journalist',
        name: 'Vũ Đình Nam',
        outlet: 0,
        pressCardNumber: 'TH-03344',
        pressCardExpiresOn: card(1),
        phone: '0916 556 677',
        email: 'vu.nam@baothanhhoa.example.vn',
        beats: ['kinh tế'],
        communeCodes: ['phuong-tinh-gia'],
      },
      path: [VERIFIED, ACCREDITED, ['suspended', 'Đăng thông tin vụ án trước giờ được phép công bố (cấm đăng trước) ngày 12/11.']],
    },
    {
      appliedDaysAgo: 80,
      input: {
        kind: 'influencer',
        name: 'Bùi Thị Lan',
        phone: '0357 123 456',
        email: 'lanbui.zalo@example.vn',
        beats: ['gia đình'],
        communeCodes: ['xa-hoi-xuan'],
        channels: [{ platform: 'zalo', url: 'https://zalo.me/g/lanbuixuthanh', followers: 12_300 }],
      },
      path: [VERIFIED, ACCREDITED, ['expired', 'Hết thời hạn công nhận đối tác, chưa đề nghị gia hạn.']],
    },
    {
      appliedDaysAgo: 30,
      input: {
        kind: 'influencer',
        name: 'Kênh "Hóng biến 24h"',
        phone: '0868 990 011',
        email: 'hongbien24h@example.vn',
        beats: ['giải trí'],
        communeCodes: [],
        channels: [{ platform: 'tiktok', url: 'https://www.tiktok.com/@hongbien24h', followers: 530_000 }],
      },
      path: [['revoked', 'Từ chối: kênh nhiều lần đăng tin sai sự thật về vụ việc đang điều tra.']],
    },
  ]
}

/**
 * Seeds outlets and partners; returns manifest items, and the partner ids of the demo journalist
 * and influencer accounts (for demo content that needs them).
 */
export async function seedDemoPartners(o: {
  database: Database
  tenantId: string
  editor: Person
  approver: Person
  /** The demo partner accounts to link, by kind. */
  accounts: { journalist: Person; influencer: Person }
}): Promise<{
  items: { kind: string; id: string; title: string; state: string; url: string | null }[]
  partnerIds: Record<string, string>
}> {
  const { database, tenantId } = o
  const actor = (p: Person, role: 'editor' | 'approver'): Actor => ({ id: p.id, tenantId, role, email: p.email })
  const editor = actor(o.editor, 'editor')
  const approver = actor(o.approver, 'approver')
  const items: { kind: string; id: string; title: string; state: string; url: string | null }[] = []
  const partnerIds: Record<string, string> = {}

  const outletIds = await happenedAt(localDaysAgo(90, 9, 0), () =>
    withTransaction(database.pool, async (tx) => {
      const ids: string[] = []
      for (const input of OUTLETS) ids.push((await createPressOutlet({ tx, actor: editor, input })).id)
      return ids
    }),
  )
  for (const p of demoPartners(localDaysAgo(0, 9, 0))) {
    const { outlet, ...input } = p.input
    const id = await happenedAt(localDaysAgo(p.appliedDaysAgo, 10, 20), async (step) => {
      const created = await withTransaction(database.pool, (tx) =>
        createPartner({
          tx,
          actor: editor,
          input: {
            ...input,
            outletId: outlet === undefined ? null : outletIds[outlet],
            userId: p.account ? o.accounts[p.account].id : null,
          },
        }),
      )
      if (input.kind === 'influencer' && p.path.some(([s]) => s === 'accredited')) {
        step(60)
        await withTransaction(database.pool, (tx) => recordAcknowledgement({ tx, actor: editor, partnerId: created.id, method: 'portal' }))
      }
      for (const [to, reason] of p.path) {
        // A day between decisions, as an office works.
        step(24 * 60)
        const who = to === 'accredited' || to === 'suspended' || to === 'expired' || to === 'revoked' ? approver : editor
        await withTransaction(database.pool, (tx) =>
          changePartnerStatus({
            tx,
            actor: who,
            partnerId: created.id,
            to,
            reason,
            accreditationEndsOn: to === 'accredited' ? inYears(1, localDaysAgo(0, 9, 0)) : undefined,
          }),
        )
      }
      return created.id
    })
    if (p.account) partnerIds[p.account] = id
    const state = p.path.at(-1)?.[0] ?? 'applied'
    items.push({ kind: `partner.${input.kind}`, id, title: input.name, state, url: `/console/doi-tac/${id}` })
  }
  return { items, partnerIds }
}
