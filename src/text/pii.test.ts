import { describe, expect, it } from 'vitest'
import { evaluatePii, loadPiiFixtures } from '../../tools/eval-pii.ts'
import { parseMarkup } from '../../tools/build-pii-fixtures.ts'
import { foldDiacritics } from './normalize.ts'
import { findPersonalData, initials, maskDigits, maskPersonalData, maskSpan, type PiiType } from './pii.ts'

const Y = 2025
const spansOf = (text: string, type?: PiiType) => findPersonalData(text, { referenceYear: Y }).spans.filter((s) => !type || s.type === type)
const textsOf = (text: string, type: PiiType) => spansOf(text, type).map((s) => s.text)

describe('findPersonalData per type', () => {
  it('names with surname patterns and with cues', () => {
    expect(textsOf('Đối tượng Nguyễn Văn Hùng bị bắt.', 'name')).toEqual(['Nguyễn Văn Hùng'])
    expect(textsOf('Công an đã trao trả chiếc ví cho chị Hằng.', 'name')).toEqual(['Hằng'])
    expect(textsOf('Bộ đội bắt giữ Giàng A Páo và Sùng Mí Chá.', 'name')).toEqual(['Giàng A Páo', 'Sùng Mí Chá'])
  })
  it('ages and birth years', () => {
    expect(textsOf('Cháu Lê Văn Bảo (9 tuổi) và anh Lê Văn Hà (SN 1990), chị Hoa sinh năm 2009.', 'age')).toEqual([
      '9 tuổi',
      'SN 1990',
      'sinh năm 2009',
    ])
    expect(textsOf('Người chưa đủ 18 tuổi không được lái xe.', 'age')).toEqual([])
  })
  it('national IDs, phones, e-mail, plates, bank accounts, dates of birth', () => {
    expect(textsOf('CCCD số 038095012345 và CMND số 172345678.', 'id')).toEqual(['038095012345', '172345678'])
    expect(textsOf('Gọi 0912 345 678, 0987.654.321 hoặc +84 912 111 222.', 'phone')).toEqual([
      '0912 345 678',
      '0987.654.321',
      '+84 912 111 222',
    ])
    expect(textsOf('Liên hệ lethithu.th@gmail.com.', 'email')).toEqual(['lethithu.th@gmail.com'])
    expect(textsOf('Xe 36A-123.45, xe 36B1-234.56 và xe 29LD-123.45.', 'plate')).toEqual(['36A-123.45', '36B1-234.56', '29LD-123.45'])
    expect(textsOf('Chuyển vào STK 0451000123456 ngay.', 'bank')).toEqual(['0451000123456'])
    expect(textsOf('Đối tượng Lê Văn Đạt, sinh ngày 05-11-1989.', 'date')).toEqual(['05-11-1989'])
  })
  it('addresses of residence and schools of pupils', () => {
    expect(textsOf('Anh Lê Văn Hà, trú tại thôn 4, xã Hoằng Lộc, huyện Hoằng Hóa bị thương.', 'address')).toEqual([
      'thôn 4, xã Hoằng Lộc, huyện Hoằng Hóa',
    ])
    expect(textsOf('Em Phạm Minh Khang, học sinh Trường THCS Đông Sơn, đã về nhà.', 'school')).toEqual(['Trường THCS Đông Sơn'])
  })
  it('does not report hard negatives', () => {
    for (const s of [
      'Đại tá Nguyễn Văn Thành, Giám đốc Công an tỉnh Thanh Hóa, chủ trì hội nghị.',
      'Trên tuyến đường Lê Lợi, lực lượng CSGT đã tăng cường tuần tra.',
      'Vụ tai nạn xảy ra lúc 14 giờ ngày 20/5/2025 tại km 320 Quốc lộ 1A thuộc xã Hà Long.',
      'Số tiền chiếm đoạt lên tới 1.250.000.000 đồng.',
      'Công an phường Sầm Sơn phối hợp với Trường THCS Trung Sơn tổ chức ngoại khóa.',
      'Số điện thoại đường dây nóng của Công an tỉnh là 0237.3960.113.',
    ]) {
      expect(spansOf(s), s).toEqual([])
    }
  })
  it('uses UTF-16 offsets into the NFC text, also for NFD and emoji input', () => {
    const text = '😀 Bà Lê Thị Nga (67 tuổi) trình báo.'
    const nfd = text.normalize('NFD')
    const r = findPersonalData(nfd, { referenceYear: Y })
    expect(r.text).toBe(text)
    for (const s of r.spans) expect(r.text.slice(s.start, s.end)).toBe(s.text)
    expect(r.spans[0]).toMatchObject({ type: 'name', text: 'Lê Thị Nga', start: 6 })
  })
  it('converts legacy encodings before looking', () => {
    const r = findPersonalData('§èi t­îng NguyÔn V¨n Hïng (SN 1992)', { referenceYear: Y })
    expect(r.text).toBe('Đối tượng Nguyễn Văn Hùng (SN 1992)')
    expect(r.spans.map((s) => s.type)).toEqual(['name', 'age'])
  })
})

describe('roles and minors', () => {
  it('tells victims from suspects', () => {
    const [suspect, victim] = spansOf('Đối tượng Hoàng Văn Thái (SN 1994) chém anh Lê Văn Đông (SN 1992) trọng thương.', 'name')
    expect(suspect).toMatchObject({ text: 'Hoàng Văn Thái', role: 'suspect' })
    expect(victim).toMatchObject({ text: 'Lê Văn Đông', role: 'victim' })
    expect(spansOf('Nạn nhân Đặng Thị Lan bị thương nặng.', 'name')[0].role).toBe('victim')
    expect(spansOf('Hôm qua Trần Minh Hoàng (SN 2008) bị chém vào tay.', 'name')[0].role).toBe('victim')
    expect(spansOf('Hôm qua Phạm Văn Tú (SN 1989) bị khởi tố.', 'name')[0].role).toBe('suspect')
  })
  it('flags under-16 and under-18 from ages and birth years against the reference year', () => {
    const [a, b, c] = spansOf('Cháu Lê Văn Bảo (9 tuổi), em Hoàng Thị Yến (SN 2008) và anh Lê Văn Tâm (SN 1994).', 'name')
    expect(a).toMatchObject({ minor: true, under16: true, age: 9 })
    expect(b).toMatchObject({ minor: true, under16: false, age: 17 })
    expect(c).toMatchObject({ minor: false, age: 31 })
    const later = findPersonalData('Em Hoàng Thị Yến (SN 2008)', { referenceYear: 2030 }).spans[0]
    expect(later.minor).toBe(false)
  })
})

describe('masking', () => {
  const text = 'Anh Nguyễn Văn An (SN 1990), SĐT 0912345678, xe 36A-123.45, trú tại thôn 3, xã Hoằng Lộc.'
  it('initials style', () => {
    expect(initials('Nguyễn Văn An')).toBe('N.V.A.')
    expect(maskPersonalData(text)).toBe('Anh N.V.A. (SN 1990), SĐT 091****678, xe 36A-***.45, trú tại […], xã Hoằng Lộc.')
  })
  it('partial style', () => {
    expect(maskDigits('0912345678')).toBe('091****678')
    expect(maskDigits('038 095 012 345')).toBe('038 *** *** 345')
    expect(maskPersonalData('Email lethithu.th@gmail.com', undefined, 'partial')).toBe('Email le***@gmail.com')
  })
  it('remove style', () => {
    expect(maskPersonalData(text, undefined, 'remove')).toBe('Anh [đã ẩn] ([đã ẩn]), SĐT [đã ẩn], xe [đã ẩn], trú tại [đã ẩn].')
  })
  it('masks only the spans given', () => {
    const spans = findPersonalData(text, { types: ['phone'] }).spans
    expect(maskPersonalData(text, spans, 'remove')).toBe(text.replace('0912345678', '[đã ẩn]'))
  })
})

describe('bad input', () => {
  it('survives empty, 1 MB, emoji, mixed scripts and HTML-ish text', () => {
    expect(findPersonalData('').spans).toEqual([])
    const big = 'Anh Nguyễn Văn An (SN 1990) gọi 0912345678. '.repeat(25000)
    const t0 = Date.now()
    const r = findPersonalData(big, { referenceYear: Y })
    expect(Date.now() - t0).toBeLessThan(10000)
    expect(r.spans.length).toBe(75000)
    expect(findPersonalData('Ông Trần Văn Hải 😀 Москва 北京 <b>0912345678</b>').spans.map((s) => s.type)).toEqual(['name', 'phone'])
  })
})

describe('fixtures', () => {
  it('builds offsets from markup', () => {
    expect(parseMarkup('Anh [[name:Lê Văn Hà]] ([[age:30 tuổi]])')).toEqual({
      text: 'Anh Lê Văn Hà (30 tuổi)',
      spans: [
        { start: 4, end: 13, type: 'name' },
        { start: 15, end: 22, type: 'age' },
      ],
    })
    expect(() => parseMarkup('[[nope:x]]')).toThrow()
  })
  it('has at least 300 sentences whose spans slice cleanly', () => {
    const fx = [...loadPiiFixtures('dev'), ...loadPiiFixtures('heldout')]
    expect(loadPiiFixtures('dev').length).toBeGreaterThanOrEqual(300)
    for (const f of fx) for (const s of f.spans) expect(f.text.slice(s.start, s.end).trim()).toBe(f.text.slice(s.start, s.end))
  })
  it.each(['dev', 'heldout'] as const)('keeps exact-match precision and recall above the measured floor (%s)', (set) => {
    const { perType } = evaluatePii(loadPiiFixtures(set))
    let tp = 0
    let fp = 0
    let fn = 0
    for (const s of perType.values()) {
      tp += s.tp
      fp += s.fp
      fn += s.fn
    }
    expect(tp / (tp + fp)).toBeGreaterThan(0.95)
    expect(tp / (tp + fn)).toBeGreaterThan(0.95)
  })
})

describe('intake years are not birth years', () => {
  it('does not read "tuyển sinh năm 2024" or "học sinh năm 2024" as an age', () => {
    expect(findPersonalData('Thông báo tuyển sinh năm 2024 vào các trường công an nhân dân').spans.filter((s) => s.type === 'age')).toEqual(
      [],
    )
    expect(findPersonalData('Học sinh năm 2024 nhập học đúng hạn').spans.filter((s) => s.type === 'age')).toEqual([])
    expect(
      findPersonalData('Nguyễn Văn An, sinh năm 2010, trú tại xã Quảng Phú')
        .spans.filter((s) => s.type === 'age')
        .map((s) => s.text),
    ).toEqual(['sinh năm 2010'])
  })
})

describe('text typed without diacritics, old tone marks, social-media style (issue 13)', () => {
  const ISSUE = 'Cháu Nguyễn Thị Mai, 14 tuổi, học lớp 3A trường tiểu học Quang Trung, nhà ở số 12 ngõ 5 đường Lê Lợi'
  const pairs = (text: string) => spansOf(text).map((s) => [s.type, s.text])
  it('finds name, age, class, school and the whole address in the issue sentence, with and without diacritics', () => {
    const expected = [
      ['name', 'Nguyễn Thị Mai'],
      ['age', '14 tuổi'],
      ['school', 'lớp 3A'],
      ['school', 'trường tiểu học Quang Trung'],
      ['address', 'số 12 ngõ 5 đường Lê Lợi'],
    ]
    expect(pairs(ISSUE)).toEqual(expected)
    // Folded, the spans are the same places in the text, and their text is what was written.
    const bare = 'Chau Nguyen Thi Mai, 14 tuoi, hoc lop 3A truong tieu hoc Quang Trung, nha o so 12 ngo 5 duong Le Loi'
    expect(pairs(bare)).toEqual(expected.map(([type, text]) => [type, foldDiacritics(text)]))
    expect(spansOf(bare).map((s) => [s.start, s.end])).toEqual(spansOf(ISSUE).map((s) => [s.start, s.end]))
    expect(spansOf(bare, 'name')[0]).toMatchObject({ minor: true, under16: true, age: 14 })
  })
  it('reads addresses at every level, Northern and Southern, without commas between units', () => {
    expect(textsOf('Ba Nguyen Thi Sau (71 tuoi), nha o kiet 42 duong Phan Chau Trinh, phuong Hai Chau.', 'address')).toEqual([
      'kiet 42 duong Phan Chau Trinh, phuong Hai Chau',
    ])
    expect(textsOf('Ông Lê Văn Thoả (SN 1960), ngụ ấp 3, xã Tân Phú, huyện Châu Thành, bị lừa.', 'address')).toEqual([
      'ấp 3, xã Tân Phú, huyện Châu Thành',
    ])
    expect(textsOf('thang Nguyen Van Hau o xom 4 xa Quang Loi chuyen lua dao', 'address')).toEqual(['xom 4 xa Quang Loi'])
  })
  it('reads social-media ages only next to a person', () => {
    expect(textsOf('moi nguoi oi be nha em ten Bao Ngoc 7t bi lac o cho', 'age')).toEqual(['7t'])
    expect(textsOf('Gia vang hom nay tang 2t mot luong.', 'age')).toEqual([])
  })
  it('does not read accented words as their folded look-alikes', () => {
    // "bạn" is not "bản", "cho" (give) is not "chợ": the folded pass only reads unaccented text.
    expect(spansOf('Trên tuyến đường Lê Lợi, lực lượng CSGT đã tăng cường tuần tra.')).toEqual([])
    expect(spansOf('Tren duong Le Loi, luc luong CSGT da tang cuong tuan tra.')).toEqual([])
    expect(spansOf('Dai ta Nguyen Van Thanh, Giam doc Cong an tinh Thanh Hoa, chu tri hoi nghi.')).toEqual([])
  })
  it('marks a step- or adoptive parent next to a minor, and masks it as a relative', () => {
    const text = 'Em Hoang Thi Yen (SN 2010) bi bo duong danh dap nhieu lan.'
    expect(textsOf(text, 'kinship')).toEqual(['bo duong'])
    expect(maskPersonalData(text, findPersonalData(text, { referenceYear: Y }).spans)).toBe(
      'Em H.T.Y. (SN 2010) bi nguoi than danh dap nhieu lan.',
    )
    expect(textsOf('Bé Ngọc Hân (5 tuổi) bị mẹ kế bạo hành.', 'kinship')).toEqual(['mẹ kế'])
  })
  it('keeps only a commune or wider when masking an address, never the street', () => {
    expect(maskSpan({ type: 'address', text: 'ngõ 5 đường Lê Lợi, phường Sầm Sơn' }, 'initials')).toBe('[…], phường Sầm Sơn')
    expect(maskSpan({ type: 'address', text: 'số 8, ngõ 12, phố Hàng Bạc' }, 'initials')).toBe('[đã ẩn]')
    expect(maskSpan({ type: 'school', text: 'lớp 3A' }, 'initials')).toBe('lớp [đã ẩn]')
    expect(maskSpan({ type: 'school', text: 'truong THCS Le Loi' }, 'initials')).toBe('truong THCS [đã ẩn]')
  })
})

describe('personal data on real prose (issue 18)', () => {
  const pairs = (text: string) => spansOf(text).map((s) => [s.type, s.text])
  it('finds residence addresses without a cue word, in the issue sentences', () => {
    expect(pairs('Nữ 40 tuổi, ở thôn Hoà Hữu Tây, xã Đại Hiệp.')).toEqual([
      ['age', '40 tuổi'],
      ['address', 'thôn Hoà Hữu Tây, xã Đại Hiệp'],
    ])
    expect(textsOf('Bệnh nhân ở xóm 5, xã Công Liêm.', 'address')).toEqual(['xóm 5, xã Công Liêm'])
    expect(textsOf('Gia đình ở số 12 ngõ 9 đường Nguyễn Văn Trỗi, phường 8.', 'address')).toEqual([
      'số 12 ngõ 9 đường Nguyễn Văn Trỗi, phường 8',
    ])
    expect(textsOf('Huyện Thường Tín phong toả thôn Đông Cứu, xã Dũng Tiến.', 'address')).toEqual(['thôn Đông Cứu, xã Dũng Tiến'])
  })
  it('reads every residence level, Northern, Central and Southern', () => {
    for (const a of [
      'bản Na Mèo, xã Na Mèo',
      'ấp Bình Hòa, xã Bình Phú',
      'tổ dân phố 7, phường Bến Thủy',
      'tổ 21, phường Hòa Khánh Bắc',
      'khu phố 2, phường An Hòa',
      'khóm 4, phường 7',
      'số nhà 15, đường Bạch Đằng',
      'số 12/3A đường Lê Lợi, phường 3',
      'kiệt 45 Ông Ích Khiêm',
      'hẻm 120 đường Lý Thường Kiệt',
      'ngách 8/12 phố Hàng Bạc',
    ]) {
      expect(textsOf(`Gia đình sống ở ${a} bị ngập.`, 'address'), a).toEqual([a])
    }
    expect(textsOf('nha o xom 4 xa Quang Loi bi ngap', 'address')).toEqual(['xom 4 xa Quang Loi'])
  })
  it('keeps a commune, ward or district alone, and the place of an event, out of addresses', () => {
    expect(spansOf('Người dân xã Đại Hiệp đã khắc phục xong hậu quả cơn bão.')).toEqual([])
    expect(spansOf('Tại xã Công Liêm, nhiều diện tích lúa bị ngập úng.')).toEqual([])
    expect(spansOf('Sự việc xảy ra tại thôn 3, xã Hoằng Lộc, khi hai nhóm thanh niên mâu thuẫn.')).toEqual([])
    expect(spansOf('Nước lũ khiến tuyến đường qua bản Pù Nhi bị chia cắt.')).toEqual([])
    expect(spansOf('Bản Kế hoạch được UBND huyện phê duyệt; khu Công nghiệp Lễ Môn mở rộng.')).toEqual([])
  })
  it('finds given names alone after a role or kinship word and as a sentence subject', () => {
    expect(textsOf('Bệnh nhân Nhung, 26 tuổi, là em gái của bệnh nhân thứ 35.', 'name')).toEqual(['Nhung'])
    expect(textsOf('Ngày 3/2, bệnh nhân đi chung xe với Cường từ Hà Nội về quê.', 'name')).toEqual(['Cường'])
    expect(textsOf('Tối 6/2, Duyên trở thành bệnh nhân thứ 12 của tỉnh.', 'name')).toEqual(['Duyên'])
    expect(textsOf('Chị Lan bán hàng ở chợ, còn anh Cường chạy xe ôm.', 'name')).toEqual(['Lan', 'Cường'])
    // A given name that is also a place word is not read as a person without such a use.
    expect(spansOf('Tối 6/2, Bình Định có thêm 3 ca mắc mới.')).toEqual([])
  })
  it('finds names in capitals and without diacritics; initials stay masked, officials in their role are not data', () => {
    expect(textsOf('NGUYỄN VĂN HÙNG bị bắt khi đang tiêu thụ tài sản.', 'name')).toEqual(['NGUYỄN VĂN HÙNG'])
    expect(textsOf('Doi tuong Nguyen Van Hung bi bat.', 'name')).toEqual(['Nguyen Van Hung'])
    expect(textsOf('CÔNG AN TỈNH THANH HÓA THÔNG BÁO', 'name')).toEqual([])
    expect(textsOf('Bà H.T.P. (60 tuổi) và ông T.V.D. đã được cách ly tại nhà.', 'name')).toEqual([])
    expect(textsOf('Đại tá Nguyễn Văn Hoà, Giám đốc Công an tỉnh, chủ trì hội nghị.', 'name')).toEqual([])
    expect(textsOf('Xe tải lật trên đường Bà Triệu khiến giao thông ùn tắc.', 'name')).toEqual([])
  })
  it('reads both tone placements alike and quotes the text as written', () => {
    // "Đại uý" is a rank (an official speaking on record) in both placements.
    const a = 'Anh Lê Văn Hoà ở thôn Phú Thuỷ, xã Điện Hoà bị thương. Đại uý Lê Văn Toàn cho biết sẽ xử lý.'
    const b = 'Anh Lê Văn Hòa ở thôn Phú Thủy, xã Điện Hòa bị thương. Đại úy Lê Văn Toàn cho biết sẽ xử lý.'
    expect(pairs(a)).toEqual([
      ['name', 'Lê Văn Hoà'],
      ['address', 'thôn Phú Thuỷ, xã Điện Hoà'],
    ])
    expect(pairs(b)).toEqual([
      ['name', 'Lê Văn Hòa'],
      ['address', 'thôn Phú Thủy, xã Điện Hòa'],
    ])
    expect(spansOf(a).map((s) => [s.start, s.end])).toEqual(spansOf(b).map((s) => [s.start, s.end]))
  })
  it('meets the targets on the held-out news-style set (never tuned on)', () => {
    const { perType, names } = evaluatePii(loadPiiFixtures('news-heldout'))
    const recall = (s: { tp: number; fn: number }) => s.tp / (s.tp + s.fn)
    let tp = 0
    let fp = 0
    for (const s of perType.values()) {
      tp += s.tp
      fp += s.fp
    }
    expect(loadPiiFixtures('news-dev').length + loadPiiFixtures('news-heldout').length).toBeGreaterThanOrEqual(1000)
    expect(recall(names.full)).toBeGreaterThanOrEqual(0.95)
    expect(recall(names.given)).toBeGreaterThanOrEqual(0.85)
    expect(recall(perType.get('address') ?? { tp: 0, fn: 1 })).toBeGreaterThanOrEqual(0.9)
    expect(tp / (tp + fp)).toBeGreaterThanOrEqual(0.9)
  })
})
