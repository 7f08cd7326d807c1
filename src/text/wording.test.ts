import { describe, expect, it } from 'vitest'
import { checkWording } from './wording.ts'

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
