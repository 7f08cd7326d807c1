import { describe, expect, it } from 'vitest'
import { COMMUNES } from '../../reference/communes.ts'
import {
  CAP_NAMESPACE,
  COMMUNE_GEOCODE,
  type CapOptions,
  type CapWarning,
  capMessage,
  capReference,
  capTime,
  LEVEL_CAP,
  plainText,
  type WarningKind,
  type WarningLevel,
} from './cap.ts'
import { all, parseXml, text, type XmlNode, validateCap } from './cap.test-support.ts'

const OPTS: CapOptions = {
  sender: 'canhbao@congan.thanhhoa.example.vn',
  senderName: 'Công an tỉnh Thanh Hóa',
  publicUrl: 'https://congan.thanhhoa.example.vn/canh-bao/w-123',
  contact: '069 2345 678',
  now: new Date('2026-11-20T01:00:00Z'),
}

// 08:30 local on 20 Nov 2026 is 01:30 UTC.
const ISSUED = new Date('2026-11-20T01:30:00.456Z')

function warning(over: Partial<CapWarning> = {}): CapWarning {
  return {
    id: 'w-123',
    version: 1,
    kind: 'scam',
    level: 'alert',
    state: 'active',
    issuedAt: ISSUED,
    references: [],
    vi: {
      title: 'Giả danh công an gọi điện yêu cầu nộp phạt nguội qua đường link',
      description: 'Đối tượng gọi điện, tự xưng là cán bộ Công an, gửi đường link để "nộp phạt nguội".',
      instruction: 'Không bấm vào đường link lạ. Gọi đường dây nóng khi nghi ngờ.',
    },
    en: {
      title: 'Callers posing as police ask for traffic fines via a link',
      description: 'Callers claiming to be police officers send a link to "pay a camera fine".',
      instruction: 'Do not open unknown links. Call the hotline if in doubt.',
    },
    validFrom: new Date('2026-11-20T01:00:00Z'),
    validUntil: new Date('2026-12-20T17:00:00Z'),
    wholeProvince: false,
    communeCodes: ['phuong-hac-thanh', 'phuong-ham-rong', 'xa-muong-lat'],
    ...over,
  }
}

/** Writes, validates against the official schema (failing with the validator's messages), parses. */
async function written(w: CapWarning, o: CapOptions = OPTS): Promise<{ xml: string; alert: XmlNode }> {
  const xml = capMessage(w, o)
  const verdict = await validateCap(xml)
  expect(verdict.errors).toEqual([])
  expect(verdict.valid).toBe(true)
  const alert = parseXml(xml)
  expect(alert.name).toBe('alert')
  expect(alert.uri).toBe(CAP_NAMESPACE)
  return { xml, alert }
}

function infoOf(alert: XmlNode, language: string): XmlNode {
  const found = all(alert, 'info').filter((i) => text(i, 'language') === language)
  expect(found).toHaveLength(1)
  return found[0] as XmlNode
}

describe('capTime', () => {
  it('writes the instant in +07:00 without milliseconds, as CAP requires', () => {
    expect(capTime(ISSUED)).toBe('2026-11-20T08:30:00+07:00')
    // Past local midnight: the local date is the next day.
    expect(capTime(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01T00:00:00+07:00')
    expect(() => capTime(new Date('garbage'))).toThrow(RangeError)
  })
})

describe('capMessage', () => {
  it('writes an Alert with both languages, the mapped levels, the times and the communes', async () => {
    const { alert } = await written(warning())
    expect(text(alert, 'identifier')).toBe('urn:donghanh:congan.thanhhoa.example.vn:warning:w-123:1')
    expect(text(alert, 'sender')).toBe(OPTS.sender)
    expect(text(alert, 'sent')).toBe('2026-11-20T08:30:00+07:00')
    expect(text(alert, 'status')).toBe('Actual')
    expect(text(alert, 'msgType')).toBe('Alert')
    expect(text(alert, 'scope')).toBe('Public')
    expect(text(alert, 'references')).toBeUndefined()
    expect(all(alert, 'info').map((i) => text(i, 'language'))).toEqual(['vi-VN', 'en-US'])

    const vi = infoOf(alert, 'vi-VN')
    expect(text(vi, 'category')).toBe('Security')
    expect(text(vi, 'event')).toBe('Cảnh báo thủ đoạn lừa đảo')
    expect(text(vi, 'responseType')).toBe('Avoid')
    expect([text(vi, 'urgency'), text(vi, 'severity'), text(vi, 'certainty')]).toEqual(['Immediate', 'Severe', 'Observed'])
    expect(text(vi, 'effective')).toBe('2026-11-20T08:00:00+07:00')
    expect(text(vi, 'onset')).toBe('2026-11-20T08:00:00+07:00')
    expect(text(vi, 'expires')).toBe('2026-12-21T00:00:00+07:00')
    expect(text(vi, 'senderName')).toBe('Công an tỉnh Thanh Hóa')
    expect(text(vi, 'headline')).toBe(warning().vi.title)
    expect(text(vi, 'description')).toBe(warning().vi.description)
    expect(text(vi, 'instruction')).toBe(warning().vi.instruction)
    expect(text(vi, 'web')).toBe(OPTS.publicUrl)
    expect(text(vi, 'contact')).toBe('069 2345 678')
    const [area, ...moreAreas] = all(vi, 'area')
    expect(moreAreas).toEqual([])
    expect(text(area as XmlNode, 'areaDesc')).toBe('Phường Hạc Thành, Phường Hàm Rồng, Xã Mường Lát')
    expect(all(area as XmlNode, 'geocode').map((g) => [text(g, 'valueName'), text(g, 'value')])).toEqual([
      [COMMUNE_GEOCODE, 'phuong-hac-thanh'],
      [COMMUNE_GEOCODE, 'phuong-ham-rong'],
      [COMMUNE_GEOCODE, 'xa-muong-lat'],
    ])

    const en = infoOf(alert, 'en-US')
    expect(text(en, 'event')).toBe('Scam warning')
    expect(text(en, 'headline')).toBe(warning().en?.title)
  })

  it('writes an Update that references the Alert, and a Cancel that references both', async () => {
    const alertRef = capReference(warning(), OPTS)
    const updatedAt = new Date('2026-11-21T03:15:09Z')
    const { alert: update } = await written(warning({ version: 2, issuedAt: updatedAt, references: [alertRef], level: 'advisory' }))
    expect(text(update, 'msgType')).toBe('Update')
    expect(text(update, 'identifier')).toBe('urn:donghanh:congan.thanhhoa.example.vn:warning:w-123:2')
    expect(text(update, 'references')).toBe(
      `${OPTS.sender},urn:donghanh:congan.thanhhoa.example.vn:warning:w-123:1,2026-11-20T08:30:00+07:00`,
    )
    expect(text(infoOf(update, 'vi-VN'), 'urgency')).toBe('Expected')

    const updateRef = capReference(warning({ version: 2, issuedAt: updatedAt }), OPTS)
    const { alert: cancel } = await written(
      warning({ version: 3, state: 'cancelled', issuedAt: new Date('2026-11-22T00:00:00Z'), references: [alertRef, updateRef] }),
    )
    expect(text(cancel, 'msgType')).toBe('Cancel')
    expect(text(cancel, 'sent')).toBe('2026-11-22T07:00:00+07:00')
    expect(text(cancel, 'references')?.split(' ')).toEqual([
      `${OPTS.sender},urn:donghanh:congan.thanhhoa.example.vn:warning:w-123:1,2026-11-20T08:30:00+07:00`,
      `${OPTS.sender},urn:donghanh:congan.thanhhoa.example.vn:warning:w-123:2,2026-11-21T10:15:09+07:00`,
    ])
    const vi = infoOf(cancel, 'vi-VN')
    expect(text(vi, 'responseType')).toBe('AllClear')
    expect(text(vi, 'urgency')).toBe('Past')
    expect(text(vi, 'effective')).toBe('2026-11-22T07:00:00+07:00')
    expect(text(vi, 'onset')).toBeUndefined()
  })

  it('names the province and lists every commune for a whole-province warning', async () => {
    const { alert } = await written(warning({ kind: 'traffic', level: 'community', wholeProvince: true, communeCodes: [] }))
    const vi = infoOf(alert, 'vi-VN')
    expect(text(vi, 'category')).toBe('Transport')
    const area = all(vi, 'area')[0] as XmlNode
    expect(text(area, 'areaDesc')).toBe('Tỉnh Thanh Hóa')
    const geocodes = all(area, 'geocode').map((g) => [text(g, 'valueName'), text(g, 'value')])
    expect(geocodes[0]).toEqual(['ISO3166-2', 'VN-21'])
    expect(geocodes.slice(1)).toEqual(COMMUNES.map((c) => [COMMUNE_GEOCODE, c.code]))
    expect(geocodes).toHaveLength(167)
    expect(text(all(infoOf(alert, 'en-US'), 'area')[0] as XmlNode, 'areaDesc')).toBe('Thanh Hóa Province')
  })

  it('keeps hostile text as plain text: markup escaped, HTML stripped, forbidden characters gone, diacritics NFC', async () => {
    const nfd = 'Cảnh báo khẩn'.normalize('NFD')
    const { xml, alert } = await written(
      warning({
        vi: {
          title: `${nfd} <b>lừa đảo</b> 🚨`,
          description: 'Lãi 5% < 10% & "cam kết"\u0000\u0007\u001b\ud800 <script>alert("x")</script><p>Đoạn 1</p><p>Đoạn 2</p>\u0085',
          instruction: '<img src=x onerror=alert(1)>Gọi 113 <!-- ẩn -->ngay',
        },
      }),
    )
    expect(xml).not.toMatch(/<script|<img|<b>|<p>|onerror|alert\(/)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting these characters are gone.
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u0085]/)
    expect(xml).toContain('Lãi 5% &lt; 10% &amp; &quot;cam kết&quot;')
    const vi = infoOf(alert, 'vi-VN')
    expect(text(vi, 'headline')).toBe('Cảnh báo khẩn lừa đảo 🚨')
    expect(text(vi, 'headline')).toBe(text(vi, 'headline')?.normalize('NFC'))
    expect(text(vi, 'headline')).not.toBe(`${nfd} lừa đảo 🚨`)
    expect(text(vi, 'description')).toBe('Lãi 5% < 10% & "cam kết"\nĐoạn 1\n\nĐoạn 2')
    expect(text(vi, 'instruction')).toBe('Gọi 113 ngay')
  })

  it('writes every kind at every level, Exercise and Test status, and a Vietnamese-only warning', async () => {
    const kinds: WarningKind[] = ['scam', 'traffic', 'public_order', 'missing_person', 'wanted']
    const levels: WarningLevel[] = ['alert', 'advisory', 'community']
    for (const kind of kinds) {
      for (const level of levels) {
        const vi = infoOf((await written(warning({ kind, level }))).alert, 'vi-VN')
        expect([text(vi, 'urgency'), text(vi, 'severity'), text(vi, 'certainty')]).toEqual(Object.values(LEVEL_CAP[level]))
      }
    }
    expect(text((await written(warning({ capStatus: 'Exercise' }))).alert, 'status')).toBe('Exercise')
    expect(text((await written(warning({ capStatus: 'Test' }))).alert, 'status')).toBe('Test')
    const { alert } = await written(warning({ en: null, validUntil: null, vi: { title: 'Chỉ tiếng Việt', description: '' } }))
    expect(all(alert, 'info')).toHaveLength(1)
    const vi = infoOf(alert, 'vi-VN')
    expect(text(vi, 'expires')).toBeUndefined()
    expect(text(vi, 'description')).toBe('Chỉ tiếng Việt')
    expect(text(vi, 'instruction')).toBeUndefined()
  })

  it('takes a closed warning about a person down from CAP: a Cancel that says only that it ended', async () => {
    const person = warning({
      kind: 'missing_person',
      level: 'alert',
      vi: { title: 'Tìm cháu Nguyễn Văn An, 9 tuổi', description: 'Cháu An mặc áo đỏ, mất tích tại chợ.' },
      en: { title: 'Missing: Nguyen Van An, 9', description: 'An wore a red shirt, last seen at the market.' },
    })
    const closedAt = new Date('2026-11-20T05:00:00Z')
    const { xml, alert } = await written({
      ...person,
      version: 2,
      state: 'closed',
      closedAt,
      issuedAt: closedAt,
      references: [capReference(person, OPTS)],
    })
    expect(text(alert, 'msgType')).toBe('Cancel')
    expect(xml).not.toMatch(/An\b|Nguyễn|Nguyen|áo đỏ|red shirt/)
    expect(text(infoOf(alert, 'vi-VN'), 'headline')).toBe('Đã tìm thấy người mất tích')
    expect(text(infoOf(alert, 'en-US'), 'headline')).toBe('Missing person found')
    expect(text(infoOf(alert, 'vi-VN'), 'category')).toBe('Safety')
    // A wanted notice, closed: apprehended.
    const wanted = capMessage({ ...person, kind: 'wanted', version: 2, state: 'closed', references: [capReference(person, OPTS)] }, OPTS)
    expect(wanted).toContain('<headline>Đã bắt được đối tượng truy nã</headline>')
    expect(wanted).not.toContain('Nguyễn')
  })

  it('refuses input CAP cannot carry', () => {
    expect(() => capMessage(warning({ communeCodes: ['xa-khong-co'] }), OPTS)).toThrow(/unknown commune code/)
    expect(() => capMessage(warning({ communeCodes: [] }), OPTS)).toThrow(/at least one commune/)
    expect(() => capMessage(warning({ validUntil: new Date('2026-11-19T00:00:00Z') }), OPTS)).toThrow(/ends before it starts/)
    expect(() => capMessage(warning({ version: 2 }), OPTS)).toThrow(/references/)
    expect(() => capMessage(warning({ state: 'cancelled', version: 2 }), OPTS)).toThrow(/references/)
    expect(() => capMessage(warning(), { ...OPTS, sender: 'Công an tỉnh' })).toThrow(/sender/)
    expect(() => capMessage(warning({ id: 'a,b' }), OPTS)).toThrow(/identifier/)
    expect(() => capMessage(warning({ version: 0 }), OPTS)).toThrow(/version/)
  })
})

describe('the CAP 1.2 schema check', () => {
  it('refuses a message the schema does not allow, so the checks above can fail', async () => {
    const good = capMessage(warning(), OPTS)
    expect((await validateCap(good)).valid).toBe(true)
    const wrongType = await validateCap(good.replace('<msgType>Alert</msgType>', '<msgType>Warning</msgType>'))
    expect(wrongType.valid).toBe(false)
    expect(wrongType.errors.join('\n')).toMatch(/msgType/)
    // CAP times must carry an offset and no fraction of a second.
    expect((await validateCap(good.replace(/<sent>[^<]+<\/sent>/, '<sent>2026-11-20T01:30:00.456Z</sent>'))).valid).toBe(false)
    // A missing required element (scope).
    expect((await validateCap(good.replace('<scope>Public</scope>', ''))).valid).toBe(false)
  })
})

describe('plainText', () => {
  it('strips tags but keeps a lone "<" that opens no tag, and tidies spaces', () => {
    expect(plainText('a < b && c > d')).toBe('a < b && c > d')
    expect(plainText('  x\r\n\r\n\r\n\r\ny  \t z ')).toBe('x\n\ny z')
    expect(plainText('<style>p{}</style>ok<script>never')).toBe('ok')
  })
})
