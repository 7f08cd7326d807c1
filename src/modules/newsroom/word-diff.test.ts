/**
 * The word diff of the verify page.
 */
import { describe, expect, it } from 'vitest'
import { excerptWindow, normalizeForCompare, trimToCopy, wordDiff } from './word-diff.ts'

describe('word diff', () => {
  it('finds nothing between equal texts (NFC and whitespace aside)', () => {
    const nfd = 'Công an tỉnh Thanh Hóa'.normalize('NFD')
    const d = wordDiff('Công an tỉnh Thanh Hóa', `${nfd}  \n`)
    expect(d?.parts).toEqual([{ kind: 'same', text: 'Công an tỉnh Thanh Hóa' }])
    expect(d?.same).toBe(5)
    expect(normalizeForCompare(` a \n\t b ${nfd}`)).toBe('a b Công an tỉnh Thanh Hóa')
  })

  it('marks inserted, removed and replaced words', () => {
    const d = wordDiff('Người dân không chuyển tiền cho người lạ.', 'Người dân cần chuyển ngay tiền cho người lạ.')
    expect(d?.parts).toEqual([
      { kind: 'same', text: 'Người dân' },
      { kind: 'added', text: 'cần' },
      { kind: 'removed', text: 'không' },
      { kind: 'same', text: 'chuyển' },
      { kind: 'added', text: 'ngay' },
      { kind: 'same', text: 'tiền cho người lạ.' },
    ])
    expect(d).toMatchObject({ same: 7, officialWords: 8, copyWords: 9 })
  })

  it('sees a changed tone mark or digit as a changed word', () => {
    const d = wordDiff('phạt 5 triệu đồng', 'phạt 50 triệu đông')
    expect(d?.parts.filter((p) => p.kind !== 'same').map((p) => `${p.kind}:${p.text}`)).toEqual([
      'added:50',
      'removed:5',
      'added:đông',
      'removed:đồng',
    ])
  })

  it('trims the official words around an excerpt', () => {
    const d = wordDiff('một hai ba bốn năm sáu bảy', 'ba bốn NĂM sáu')
    const trimmed = trimToCopy(d?.parts ?? [])
    expect(trimmed.cutStart).toBe(true)
    expect(trimmed.cutEnd).toBe(true)
    expect(trimmed.parts).toEqual([
      { kind: 'same', text: 'ba bốn' },
      { kind: 'added', text: 'NĂM' },
      { kind: 'removed', text: 'năm' },
      { kind: 'same', text: 'sáu' },
    ])
  })

  it('keeps replaced words at the edges of an excerpt', () => {
    const d = wordDiff('một hai ba bốn năm sáu bảy', 'HAI ba bốn năm SÁU')
    const trimmed = trimToCopy(d?.parts ?? [])
    expect(trimmed.parts).toEqual([
      { kind: 'added', text: 'HAI' },
      { kind: 'removed', text: 'hai' },
      { kind: 'same', text: 'ba bốn năm' },
      { kind: 'added', text: 'SÁU' },
      { kind: 'removed', text: 'sáu' },
    ])
    expect(trimmed).toMatchObject({ cutStart: true, cutEnd: true })
    // Nothing in common: nothing to trim.
    expect(
      trimToCopy([
        { kind: 'added', text: 'x' },
        { kind: 'removed', text: 'y' },
      ]).cutStart,
    ).toBe(false)
  })

  it('gives up (null) rather than building a huge table', () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(' ')
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(' ')
    expect(wordDiff(a, b)).toBeNull()
    // Long but similar texts align thanks to the common prefix and suffix.
    expect(wordDiff(a, a.replace('a1500', 'x'))?.same).toBe(2999)
  })

  it('aligns an excerpt where it came from, not with the same words elsewhere in the text', () => {
    const official =
      'Công an tỉnh Thanh Hóa thông báo kết quả triệt phá đường dây ma túy. Người dân tố giác hành vi mua bán trái phép chất ma túy qua số 113. Mọi thông tin liên hệ người phát ngôn, điện thoại 0237 3852 113.'
    // Ends with the "113." that the last line repeats; starts with words of the first line.
    const excerpt = 'Người dân tố giác hành vi mua bán trái phép chất ma túy qua số 113.'
    const plain = trimToCopy((wordDiff(official, excerpt) as NonNullable<ReturnType<typeof wordDiff>>).parts)
    // Without the window, the tail "113." is matched to the phone number: a removed run inside.
    expect(plain.parts.some((p) => p.kind === 'removed')).toBe(true)
    const window = excerptWindow(official, excerpt)
    const d = trimToCopy((wordDiff(window, excerpt) as NonNullable<ReturnType<typeof wordDiff>>).parts)
    expect(d.parts).toEqual([{ kind: 'same', text: excerpt }])
    expect(d).toMatchObject({ cutStart: true, cutEnd: true })
    const opening = 'Công an tỉnh Thanh Hóa thông báo kết quả'
    expect(excerptWindow(official, opening).startsWith(opening)).toBe(true)
    // An altered excerpt still shows its change, and only it.
    const altered = excerpt.replace('tố giác', 'không cần báo')
    const a = trimToCopy((wordDiff(excerptWindow(official, altered), altered) as NonNullable<ReturnType<typeof wordDiff>>).parts)
    expect(a.parts.filter((p) => p.kind !== 'same')).toEqual([
      { kind: 'added', text: 'không cần báo' },
      { kind: 'removed', text: 'tố giác' },
    ])
    // A whole copy, or one sharing no three words in a row, is compared with the whole text.
    expect(excerptWindow(official, official)).toBe(official)
    expect(excerptWindow(official, 'một hai ba bốn năm')).toBe(official)
  })
  it("keeps the official text's line breaks, wherever the copy had its own", () => {
    const official = 'Trao trả tài sản\nSau khi xác minh, Công an xã trao trả toàn bộ tài sản.\nĐối tượng trộm chiếc ví đã bị bắt.'
    // Pasted as one line, with one word changed in the second line.
    const copy = 'Trao trả tài sản Sau khi xác minh, Công an xã trao trả một phần tài sản. Đối tượng trộm chiếc ví đã bị bắt.'
    const d = wordDiff(official, copy)
    expect(d?.parts).toEqual([
      { kind: 'same', text: 'Trao trả tài sản' },
      { kind: 'same', text: 'Sau khi xác minh, Công an xã trao trả', br: true },
      { kind: 'added', text: 'một phần' },
      { kind: 'removed', text: 'toàn bộ' },
      { kind: 'same', text: 'tài sản.' },
      { kind: 'same', text: 'Đối tượng trộm chiếc ví đã bị bắt.', br: true },
    ])
    // Measures are those of the words alone.
    expect(d).toMatchObject({ same: 23, officialWords: 25, copyWords: 25 })
    // An excerpt's window is cut from the text with its breaks; a break before the excerpt's
    // first shown word is dropped with the words trimmed before it.
    const long = `${official}\nMọi thông tin xin liên hệ Công an xã qua số điện thoại 113 hoặc đến trực tiếp trụ sở.`
    const excerpt = 'Sau khi xác minh, Công an xã trao trả toàn bộ tài sản. Đối tượng trộm chiếc ví đã bị bắt.'
    const window = excerptWindow(long, excerpt)
    expect(window).toBe('tài sản\nSau khi xác minh, Công an xã trao trả toàn bộ tài sản.\nĐối tượng trộm chiếc ví đã bị bắt.\nMọi thông')
    const t = trimToCopy((wordDiff(window, excerpt) as NonNullable<ReturnType<typeof wordDiff>>).parts)
    expect(t).toEqual({
      parts: [
        { kind: 'same', text: 'Sau khi xác minh, Công an xã trao trả toàn bộ tài sản.' },
        { kind: 'same', text: 'Đối tượng trộm chiếc ví đã bị bắt.', br: true },
      ],
      cutStart: true,
      cutEnd: true,
    })
  })
})
