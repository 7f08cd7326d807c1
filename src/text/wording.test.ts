import { describe, expect, it } from 'vitest'
import { canonicalTones, checkWording } from './wording.ts'

const kinds = (text: string, opts = {}) => checkWording(text, opts).map((f) => `${f.kind}:${f.text}`)

describe('presumption of innocence', () => {
  const text = 'Hung thủ Nguyễn Văn A đã bị bắt; tên cướp còn lại đang lẩn trốn.'
  it('flags guilt words before judgment with the term for the stage', () => {
    const inv = checkWording(text, { caseStage: 'investigating' })
    expect(inv.map((f) => f.text)).toEqual(['Hung thủ', 'tên cướp'])
    expect(inv.every((f) => f.severity === 'high' && f.suggestion === 'đối tượng / nghi phạm')).toBe(true)
    expect(checkWording(text, { caseStage: 'charged' })[0].suggestion).toBe('bị can')
    expect(checkWording(text, { caseStage: 'at_trial' })[0].suggestion).toBe('bị cáo')
  })
  it('gives one term to apply (the safe default) and names the alternatives separately', () => {
    const unknown = checkWording(text)[0]
    expect(unknown.replacement).toBe('đối tượng')
    expect(unknown.alternatives).toEqual(['nghi phạm (trước khởi tố)', 'bị can (sau khởi tố)', 'bị cáo (khi xét xử)'])
    expect(checkWording(text, { caseStage: 'investigating' })[0]).toMatchObject({ replacement: 'đối tượng', alternatives: ['nghi phạm'] })
    expect(checkWording(text, { caseStage: 'charged' })[0]).toMatchObject({ replacement: 'bị can', alternatives: [] })
    expect(checkWording('Bị cáo Lê Văn B khai nhận.', { caseStage: 'investigating' })[0]).toMatchObject({ replacement: 'đối tượng' })
    // Sensational and unverified wording has no term to apply.
    expect(checkWording('Vụ án kinh hoàng, nghe nói đã rõ.').every((f) => f.replacement === undefined)).toBe(true)
  })
  it('treats an unknown stage as not judged, and says nothing once judged', () => {
    expect(checkWording(text).length).toBe(2)
    expect(checkWording(text, { caseStage: 'judged' })).toEqual([])
  })
  it('flags procedural terms that belong to a later stage', () => {
    expect(kinds('Bị cáo Lê Văn B khai nhận.', { caseStage: 'investigating' })).toEqual(['stage-term:Bị cáo'])
    expect(kinds('Bị cáo Lê Văn B khai nhận.', { caseStage: 'charged' })).toEqual(['stage-term:Bị cáo'])
    expect(kinds('Bị cáo Lê Văn B khai nhận.', { caseStage: 'at_trial' })).toEqual([])
  })
  it('does not flag generic uses of "tội phạm" or the verb "kẻ"', () => {
    for (const s of [
      'Công an tỉnh đẩy mạnh phòng, chống tội phạm trên địa bàn.',
      'Tình hình tội phạm ma túy diễn biến phức tạp.',
      'Phòng Cảnh sát điều tra tội phạm về ma túy chủ trì chuyên án.',
      'Công nhân kẻ vạch sơn trên mặt đường.',
      'Học sinh kẻ ô vào vở.',
    ]) {
      expect(
        checkWording(s, { caseStage: 'investigating' }).filter((f) => f.kind === 'guilt'),
        s,
      ).toEqual([])
    }
  })
  it('flags person uses of "tội phạm" and "kẻ"', () => {
    expect(kinds('Tên tội phạm đã ra đầu thú.')).toContain('guilt:Tên tội phạm')
    expect(kinds('Hai kẻ gian đột nhập vào nhà.')).toEqual(['guilt:Hai kẻ'])
    expect(kinds('Kẻ trộm lấy đi 3 chiếc xe.')).toEqual(['guilt:Kẻ trộm'])
  })
  it('reads guilt words typed without diacritics, and only the unambiguous ones', () => {
    expect(kinds('Ke giet nguoi da bi bat tai nha rieng.')).toEqual(['guilt:Ke giet nguoi'])
    expect(kinds('Hung thu da ra dau thu sau 2 ngay lan tron.')).toEqual(['guilt:Hung thu'])
    expect(kinds('Bat duoc ten trom o cho Vuon Hoa.')).toEqual(['guilt:ten trom'])
    // "nhưng kể", "tôi phạm lỗi", "con đó": their unaccented forms are not guilt words.
    for (const s of ['Nhung ke tu hom qua, toi pham loi.', 'Con do dang hoc bai o nha.', 'Phong chong toi pham ma tuy.']) {
      expect(kinds(s), s).toEqual([])
    }
    // An accented text is never read as its unaccented look-alike: one finding, quoted as written.
    expect(kinds('Kẻ giết người đã bị bắt; ke giet nguoi thu hai dang lan tron.')).toEqual(['guilt:Kẻ giết người', 'guilt:ke giet nguoi'])
  })
})

describe('unverified and sensational wording', () => {
  it('flags unverified markers in official text only', () => {
    const s = 'Nguồn tin cho biết vụ việc được cho là do mâu thuẫn; thông tin chưa được xác minh.'
    expect(kinds(s)).toEqual(['unverified:Nguồn tin cho biết', 'unverified:được cho là', 'unverified:chưa được xác minh'])
    expect(kinds(s, { official: false })).toEqual([])
    expect(kinds('Người dân có thể liên hệ số 113.')).toEqual([])
    expect(kinds('Nguyên nhân có thể do chập điện.')).toEqual(['unverified:có thể do'])
  })
  it('flags sensational words but not medical "sốc"', () => {
    expect(kinds('Vụ án mạng kinh hoàng, man rợ gây rúng động.')).toEqual([
      'sensational:kinh hoàng',
      'sensational:man rợ',
      'sensational:rúng động',
    ])
    expect(kinds('Bệnh nhân bị sốc phản vệ sau khi tiêm.')).toEqual([])
  })
  it('gives offsets that slice back to the finding', () => {
    const s = '😀 Thủ phạm gây ra vụ cháy kinh hoàng.'
    for (const f of checkWording(s)) expect(s.slice(f.start, f.end)).toBe(f.text)
  })
})

describe('the office’s own cautions are not unverified claims (issue 13, item 5)', () => {
  const unverified = (text: string) =>
    checkWording(text)
      .filter((f) => f.kind === 'unverified')
      .map((f) => f.text)

  it('does not flag advice about suspicious calls, nor the verdict’s own warning', () => {
    for (const s of [
      'Khi nhận được cuộc gọi nghi vấn, người dân cần báo ngay cho cơ quan Công an.',
      'Người dân nhận được cuộc gọi nghi vấn thì không cung cấp mã OTP.',
      'Phát hiện tài khoản nghi vấn, Công an đã đề nghị ngân hàng phong tỏa.',
      'Đây là thông tin chưa được kiểm chứng, người dân không chia sẻ.',
      'Đề nghị người dân không chia sẻ thông tin chưa được kiểm chứng.',
      'Không đăng tải, chia sẻ thông tin chưa được kiểm chứng, sai sự thật.',
      'Đây là thông tin chưa được kiểm chứng. Đề nghị bà con không chia sẻ.',
      'Trên mạng xã hội lan truyền tin đồn Công an sẽ thu giữ xe máy không chính chủ.',
      'Tin đồn thu phí tham quan là không đúng sự thật.',
      'Công an tỉnh đang làm rõ nghi vấn nêu trong đơn.',
      'Trên hội nhóm xuất hiện văn bản được cho là của Sở Giáo dục.',
      'Bài đăng viết “nghe nói xe máy sẽ bị phạt 2 triệu đồng”, Công an đã xác minh.',
      'Tin nhắn có thể là lừa đảo, người dân không bấm vào đường link.',
    ]) {
      expect(unverified(s), s).toEqual([])
    }
  })

  it('still flags a text that itself asserts unverified claims', () => {
    expect(unverified('Nghe nói đối tượng đã bỏ trốn sang Lào.')).toEqual(['Nghe nói'])
    expect(unverified('Nghi vấn giám đốc công ty đã ôm tiền bỏ trốn.')).toEqual(['Nghi vấn'])
    expect(unverified('Có nghi vấn cán bộ xã đã nhận tiền.')).toEqual(['nghi vấn'])
    expect(unverified('Theo nguồn tin chưa được kiểm chứng, đối tượng đã bỏ trốn.')).toEqual(['Theo nguồn tin', 'chưa được kiểm chứng'])
    // Advice later in the sentence does not excuse the hedge at its start.
    expect(unverified('Nghe nói đối tượng đã bỏ trốn, người dân không nên hoang mang.')).toEqual(['Nghe nói'])
    // A label of the office's own statement, with nothing advised or refuted, stays flagged.
    expect(unverified('Số người thương vong chưa được xác minh, có thể lên tới 10 người.')).toEqual(['chưa được xác minh'])
    expect(unverified('Xe tải lao vào nhà dân; tài xế bị cho là đã sử dụng rượu bia.')).toEqual(['bị cho là'])
  })
})

describe('tone placement', () => {
  it('reads old and new placement alike and quotes the text as written', () => {
    expect(canonicalTones('Thanh Hoá, thuỷ điện, ma tuý, khoẻ, quý, hoàng')).toBe('Thanh Hóa, thủy điện, ma túy, khỏe, quý, hoàng')
    const s = 'Tình hình tội phạm ma tuý diễn biến phức tạp; hung thủ ở Thanh Hoá.'
    expect(canonicalTones(s).length).toBe(s.length)
    // "tội phạm ma tuý" is the category, as "tội phạm ma túy" is.
    expect(kinds(s, { caseStage: 'investigating' })).toEqual(['guilt:hung thủ'])
    expect(kinds('Bắt tên buôn ma tuý.')).toEqual(['guilt:tên buôn ma tuý'])
  })
})
