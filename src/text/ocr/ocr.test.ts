/**
 * The pure parts of OCR: the CER metric, the Vietnamese-aware correction (case, letters and
 * marks; what was right stays right), and the image checks before any recognition (bad input
 * refused by reason, dark mode inverted, small renders scaled up). No Tesseract here.
 */
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { cer, cerCount, cerForm, editDistance } from './cer.ts'
import { confusions, correctOcrText } from './correct.ts'
import { isKnownSyllable } from './lexicon.ts'
import { divideByBackground, MAX_OCR_PIXELS, maxFilter1d, OcrError, prepareImage } from './preprocess.ts'
import { renderScreenshot } from './render.ts'

describe('CER', () => {
  it('is case-sensitive, after NFC and whitespace folding', () => {
    expect(cerForm('Từ  ngày\nmai ')).toBe('Từ ngày mai')
    expect(cer('Từ ngày mai', 'Từ\n\nngày   mai')).toBe(0)
    // NFD input is the same text.
    expect(cer('Từ ngày mai', 'Từ ngày mai'.normalize('NFD'))).toBe(0)
    // Case counts: "TỪ" for "Từ" is one edit in 11 characters.
    expect(cer('Từ ngày mai', 'TỪ ngày mai')).toBeCloseTo(1 / 11)
    expect(editDistance('kitten', 'sitting')).toBe(3)
    expect(cerCount('abc', '')).toEqual({ edits: 3, chars: 3 })
    expect(cer('', '')).toBe(0)
  })
})

describe('correction', () => {
  it('fixes capitals Tesseract puts inside lower-case text', () => {
    expect(correctOcrText('TỪ ngày mai, người dân Ở xã bên cạnh')).toBe('Từ ngày mai, người dân ở xã bên cạnh')
    // At a sentence's start "Ở" is right.
    expect(correctOcrText('Mọi người chia sẻ. Ở đây không ai biết')).toBe('Mọi người chia sẻ. Ở đây không ai biết')
  })

  it('leaves capitals that are meant: headlines, acronyms, initials, names', () => {
    for (const s of [
      'CÔNG AN TỈNH THANH HÓA thông báo',
      'UBND xã cho biết',
      'Ông Trần Văn A bị bắt',
      'đối tượng Trần Văn T. khai nhận',
      'bà H.T.P. cho biết',
    ])
      expect(correctOcrText(s)).toBe(s)
  })

  it('replaces a non-syllable by the likeliest syllable one confusion away', () => {
    expect(correctOcrText('chia sẻ rộng rõi để cỏnh bóo nhau')).toBe('chia sẻ rộng rãi để cảnh báo nhau')
    expect(correctOcrText('mũ bỏo hiểm')).toBe('mũ bảo hiểm')
  })

  it('replaces a real syllable only on clear evidence from its neighbours', () => {
    expect(correctOcrText('Công ơn tỉnh')).toBe('Công an tỉnh')
    // "ơn" is right here, and stays.
    expect(correctOcrText('cảm ơn mọi người')).toBe('cảm ơn mọi người')
  })

  it('changes two adjacent syllables never seen together into a pair seen often', () => {
    expect(correctOcrText('cuộc gọi nghỉ vốn thông báo')).toBe('cuộc gọi nghi vấn thông báo')
    expect(correctOcrText('cuộc gọi nghỉ vốn thông báo', { pairs: false })).toBe('cuộc gọi nghỉ vốn thông báo')
  })

  it('decides "a" read as "ơ"/"o" by the neighbours on both sides, and leaves the real "ơ"/"o"', () => {
    expect(correctOcrText('Cơ quan công an đỡ vào cuộc xác minh')).toBe('Cơ quan công an đã vào cuộc xác minh')
    expect(correctOcrText('giúp đỡ người dân')).toBe('giúp đỡ người dân')
    expect(correctOcrText('người dân vờ chính quyền địa phương')).toBe('người dân và chính quyền địa phương')
    expect(correctOcrText('ngôi nhờ bị cháy')).toBe('ngôi nhà bị cháy')
    expect(correctOcrText('nhờ người dân giúp')).toBe('nhờ người dân giúp')
    // Without the pair model only non-syllables change.
    expect(correctOcrText('ngôi nhờ bị cháy', { pairs: false })).toBe('ngôi nhờ bị cháy')
  })

  it('reads a garbled "a" ("ø", a final "g"), an "l" for "I" in a mixed-case name, and straight quotes', () => {
    expect(correctOcrText('hoøng møng')).toBe('hoang mang')
    expect(correctOcrText('Mọi người chig sẻ thông tin')).toBe('Mọi người chia sẻ thông tin')
    expect(correctOcrText('Tải ứng dụng VNelD')).toBe('Tải ứng dụng VNeID')
    expect(correctOcrText('Trang “Tin nóng” đăng tải')).toBe('Trang "Tin nóng" đăng tải')
  })

  it('reads a timestamp\'s "2" glued to its unit and a "0" among capitals, and leaves Zalo and numbers alone', () => {
    expect(correctOcrText('Nguyễn Thị Hương\nZgiờ\nCháy nhà')).toBe('Nguyễn Thị Hương\n2 giờ\nCháy nhà')
    expect(correctOcrText('Đăng lúc Zphút trước')).toBe('Đăng lúc 2 phút trước')
    expect(correctOcrText('Không cung cấp mã 0TP cho ai; dịch C0VID')).toBe('Không cung cấp mã OTP cho ai; dịch COVID')
    expect(correctOcrText('Nguyễn Thị Hương\n2giờ\nCháy nhà')).toBe('Nguyễn Thị Hương\n2 giờ\nCháy nhà')
    for (const same of ['Nhắn tin qua Zalo', 'Số 10 ngõ 0', 'Mã 2020 và A0', 'Biển số 30A-123.45', 'Lúc 12giờ30'])
      expect(correctOcrText(same)).toBe(same)
  })

  it('puts back the space before a masked initial, and the platforms a rumour names', () => {
    expect(correctOcrText('bắt giữ Trần VănT. về hành vi trộm cắp')).toBe('bắt giữ Trần Văn T. về hành vi trộm cắp')
    expect(correctOcrText('Các trang Fdcebook giả mạo, nhắn qua Messanger và Zalo')).toBe(
      'Các trang Facebook giả mạo, nhắn qua Messenger và Zalo',
    )
    // Names written right stay, whatever their case; a word that is no near miss stays.
    for (const same of ['Trang FACEBOOK và TikTok', 'Ông McT. đến', 'Tải Tesseract về']) expect(correctOcrText(same)).toBe(same)
  })

  it("drops what was read into pictures: a line of lone symbols, a brace at a bubble's corner", () => {
    expect(correctOcrText('H    ˆ      ^     P4     Z.    ri   ˆ    Mì    #   ...   =.\nNguyễn Văn An')).toBe('Nguyễn Văn An')
    expect(correctOcrText('Bình luận }')).toBe('Bình luận')
    // A line of ordinary punctuation with words stays.
    expect(correctOcrText('Giá: 10 - 20 % / tháng')).toBe('Giá: 10 - 20 % / tháng')
  })

  it('keeps correct text unchanged, whatever the tone placement, and returns NFC', () => {
    const s = 'Qua xác minh của Công an huyện Hoằng Hoá, không có vụ việc bắt cóc học sinh nào xảy ra; thủy điện xả lũ, hòa bình.'
    expect(correctOcrText(s)).toBe(s)
    expect(correctOcrText(s.normalize('NFD'))).toBe(s)
  })

  it('knows Vietnamese syllables from the lexicon and proposes only one-change neighbours', () => {
    expect(isKnownSyllable('người')).toBe(true)
    expect(isKnownSyllable('cỏnh')).toBe(false)
    const c = confusions('bóo')
    expect(c).toContain('báo')
    expect(c).not.toContain('bão') // two changes away
  })
})

describe('image checks before recognition', () => {
  const reasonOf = async (p: Promise<unknown>): Promise<string> =>
    p.then(
      () => 'accepted',
      (e: unknown) => (e instanceof OcrError ? e.reason : `other: ${String(e)}`),
    )

  it('refuses a 40-megapixel image from its header, before decoding it', async () => {
    const big = await sharp({ create: { width: 8000, height: 5000, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer()
    expect(8000 * 5000).toBeGreaterThan(MAX_OCR_PIXELS)
    expect(await reasonOf(prepareImage(big))).toBe('too-many-pixels')
  })

  it('refuses tiny images, non-images and truncated files with their reasons', async () => {
    const tiny = await sharp({ create: { width: 12, height: 12, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer()
    expect(await reasonOf(prepareImage(tiny))).toBe('too-small')
    expect(await reasonOf(prepareImage(Buffer.from('<html>not an image</html>')))).toBe('not-an-image')
    expect(await reasonOf(prepareImage(Buffer.from('%PDF-1.7\n')))).toBe('not-an-image')
    const shot = await renderScreenshot('Từ ngày mai, Công an tỉnh sẽ phạt người đi xe máy.', {
      layout: 'post',
      theme: 'light',
      density: 1,
      format: 'png',
    })
    expect(await reasonOf(prepareImage(shot.image.subarray(0, Math.floor(shot.image.length / 2))))).toBe('unreadable')
    const jpeg = await renderScreenshot('Từ ngày mai.', { layout: 'post', theme: 'light', density: 1, format: 'jpeg40' })
    expect(await reasonOf(prepareImage(jpeg.image.subarray(0, Math.floor(jpeg.image.length / 2))))).toBe('unreadable')
    expect(await reasonOf(prepareImage(Buffer.alloc(11 * 1024 * 1024)))).toBe('too-large')
  })

  it('reads the first frame of an animated image and says how many there were', async () => {
    const a = await renderScreenshot('Khung đầu tiên.', { layout: 'post', theme: 'light', density: 1, format: 'png' })
    const b = await sharp(a.image).negate({ alpha: false }).png().toBuffer()
    const animated = await sharp([a.image, b], { join: { animated: true } })
      .webp({ loop: 0, delay: [500, 500] })
      .toBuffer()
    const p = await prepareImage(animated)
    expect(p.frames).toBe(2)
    // The first frame is light: not inverted, and as tall as one frame (scaled ×2).
    expect(p.inverted).toBe(false)
    expect(p.height).toBe(a.height * 2)
  })

  it('inverts dark mode, scales 1× renders ×2 and 2× renders ×1.25, leaves wide images at their size', async () => {
    const dark = await renderScreenshot('Chữ sáng trên nền tối.', { layout: 'chat', theme: 'dark', density: 1, format: 'png' })
    const d = await prepareImage(dark.image)
    expect(d.inverted).toBe(true)
    expect(d.width).toBe(dark.width * 2)
    const light = await renderScreenshot('Chữ tối trên nền sáng.', { layout: 'post', theme: 'light', density: 2, format: 'png' })
    const l = await prepareImage(light.image)
    expect(l.inverted).toBe(false)
    expect(l.width).toBe(Math.round(light.width * 1.25))
    expect(l.scale).toBe(1.25)
    // A 3× phone or a desktop screenshot is read at its size.
    const wide = await prepareImage(await sharp(light.image).resize({ width: 1170 }).png().toBuffer())
    expect(wide.scale).toBe(1)
    expect(wide.width).toBe(1170)
    // Grayscale, one channel.
    expect((await sharp(l.png).metadata()).channels).toBe(1)
  })

  it('flattens a grey bubble to white up to its rim (a closing), where the maximum alone left a dark ring', () => {
    // A 60×40 page at 230 with a 40×20 bubble at 120 in its middle and one dark stroke (20) in the bubble.
    const w = 60
    const h = 40
    const px = new Uint8Array(w * h).fill(230)
    for (let y = 10; y < 30; y++) for (let x = 10; x < 50; x++) px[y * w + x] = 120
    for (let y = 15; y < 25; y++) px[y * w + 30] = 20
    const at = (img: Uint8Array, x: number, y: number): number => img[y * w + x] as number
    const closed = divideByBackground(px, w, h, 4)
    const open = divideByBackground(px, w, h, 4, false)
    // Just inside the rim: white once closed; the maximum alone reached over the rim to the page.
    expect(at(closed, 11, 20)).toBe(255)
    expect(at(open, 11, 20)).toBeLessThan(140)
    // The page stays white, the stroke stays dark.
    expect(at(closed, 2, 2)).toBe(255)
    expect(at(closed, 30, 20)).toBeLessThan(60)
  })

  it('computes running maxima and minima along rows and columns as the plain loop does, edges included', () => {
    const w = 37
    const h = 23
    let seed = 7
    const px = Uint8Array.from({ length: w * h }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return seed % 256
    })
    for (const r of [1, 3, 4, 12, 40])
      for (const vertical of [false, true])
        for (const min of [false, true]) {
          const fast = new Uint8Array(px.length)
          maxFilter1d(px, fast, w, h, r, vertical, min)
          const slow = new Uint8Array(px.length)
          for (let y = 0; y < h; y++)
            for (let x = 0; x < w; x++) {
              let m = min ? 255 : 0
              for (let k = -r; k <= r; k++) {
                const xx = vertical ? x : x + k
                const yy = vertical ? y + k : y
                if (xx < 0 || yy < 0 || xx >= w || yy >= h) continue
                const v = px[yy * w + xx] as number
                m = min ? Math.min(m, v) : Math.max(m, v)
              }
              slow[y * w + x] = m
            }
          expect([...fast], `r ${r} ${vertical ? 'columns' : 'rows'} ${min ? 'min' : 'max'}`).toEqual([...slow])
        }
  })
})
