import { describe, expect, it } from 'vitest'
import { checkText } from './check.ts'
import { maskedCopy } from './masked-copy.ts'

const Y = 2025
// The issue's text: an address down to the lane, a class, a step-father and guilt wording.
const ISSUE = 'Kẻ giết người là bố dượng của cháu Nguyễn Thị Mai, 14 tuổi, học lớp 3A, trú tại ngõ 5 đường Lê Lợi, phường Sầm Sơn.'

describe('maskedCopy', () => {
  it('masks the lane, the class and the step-father, and rewords guilt as the checker suggests', () => {
    const r = checkText({ text: ISSUE, referenceYear: Y })
    const copy = maskedCopy(r, 'initials')
    for (const kept of ['Kẻ giết người', 'kẻ giết người', 'ngõ 5 đường Lê Lợi', 'lớp 3A', 'bố dượng', 'Nguyễn Thị Mai']) {
      expect(copy.text).not.toContain(kept)
    }
    expect(copy.text).toBe('Đối tượng là người thân của cháu N.T.M., 14 tuổi, học lớp [đã ẩn], trú tại […], phường Sầm Sơn.')
    expect(copy).toMatchObject({ masked: 4, reworded: 1 })
    // The replacement is the wording checker's own one-click term, not a second list.
    const guilt = r.findings.find((f) => f.kind === 'guilt')
    expect(guilt?.replacement).toBe('đối tượng')
  })
  it('removes everything personal in the remove style and keeps nothing of the street', () => {
    const copy = maskedCopy(checkText({ text: ISSUE, referenceYear: Y }), 'remove')
    expect(copy.text).toBe('Đối tượng là [đã ẩn] của cháu [đã ẩn], [đã ẩn], học [đã ẩn], trú tại [đã ẩn].')
  })
  it('masks the same text typed without diacritics', () => {
    const text = 'Chau Nguyen Thi Mai, 14 tuoi, hoc lop 3A truong tieu hoc Quang Trung, nha o so 12 ngo 5 duong Le Loi'
    const copy = maskedCopy(checkText({ text, referenceYear: Y }), 'initials')
    expect(copy.text).toBe('Chau N.T.M., 14 tuoi, hoc lop [đã ẩn] truong tieu hoc [đã ẩn], nha o [đã ẩn]')
  })
  it('uses the stage term for a known stage and leaves a text without findings as it is', () => {
    const r = checkText({ text: 'Hung thủ Lê Văn Tùng bị bắt.', caseStage: 'charged', referenceYear: Y })
    expect(maskedCopy(r, 'initials').text).toBe('Bị can L.V.T. bị bắt.')
    const clean = checkText({ text: 'Công an tỉnh khuyến cáo người dân cảnh giác.', referenceYear: Y })
    expect(maskedCopy(clean, 'initials')).toEqual({ text: clean.normalized, masked: 0, reworded: 0 })
  })
  it('keeps a step-parent who is not next to a child', () => {
    const r = checkText({ text: 'Ông Lê Văn Tùng (SN 1950) là cha nuôi của một doanh nhân.', referenceYear: Y })
    expect(r.personalData.map((s) => s.type)).not.toContain('kinship')
  })
})
