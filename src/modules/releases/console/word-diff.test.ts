import { describe, expect, it } from 'vitest'
import { diffWords } from './word-diff.ts'

const render = (parts: ReturnType<typeof diffWords>) =>
  parts.map((p) => (p.op === 'equal' ? p.text : p.op === 'insert' ? `[+${p.text}]` : `[-${p.text}]`)).join('')

describe('diffWords', () => {
  it('marks inserted and removed words', () => {
    expect(render(diffWords('bắt giữ 5 đối tượng', 'bắt giữ 7 đối tượng'))).toBe('bắt giữ [-5][+7] đối tượng')
    expect(render(diffWords('a b c', 'a c'))).toBe('a [-b ]c')
    expect(render(diffWords('a c', 'a b c'))).toBe('a [+b ]c')
  })

  it('merges changes separated only by spaces into one replaced phrase', () => {
    expect(render(diffWords('bắt giữ **5 đối tượng**.', 'bắt giữ **7 bị can**.'))).toBe('bắt giữ [-**5 đối tượng**.][+**7 bị can**.]')
  })

  it('reconstructs both texts', () => {
    const a = 'Ngày 20/11, lực lượng chức năng bắt giữ 5 đối tượng.\n\n- Thu giữ 12 điện thoại'
    const b = 'Ngày 21/11, Công an tỉnh bắt giữ 5 bị can.\n\n- Thu giữ 12 điện thoại\n- Phong tỏa tài khoản'
    const parts = diffWords(a, b)
    expect(
      parts
        .filter((p) => p.op !== 'insert')
        .map((p) => p.text)
        .join(''),
    ).toBe(a)
    expect(
      parts
        .filter((p) => p.op !== 'delete')
        .map((p) => p.text)
        .join(''),
    ).toBe(b)
  })

  it('treats NFD and NFC as the same text', () => {
    expect(diffWords('Thanh Hóa'.normalize('NFD'), 'Thanh Hóa')).toEqual([{ op: 'equal', text: 'Thanh Hóa' }])
  })

  it('falls back to remove-all/insert-all past the edit budget', () => {
    const parts = diffWords('a b c d', 'w x y z', { maxEdits: 2 })
    expect(render(parts)).toBe('[-a b c d][+w x y z]')
  })

  it('handles empty sides', () => {
    expect(diffWords('', 'mới')).toEqual([{ op: 'insert', text: 'mới' }])
    expect(diffWords('cũ', '')).toEqual([{ op: 'delete', text: 'cũ' }])
  })
})
