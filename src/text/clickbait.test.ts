import { resolve } from 'node:path'
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { type ClickbaitLeadModel, cleanHeadline, extractFeatures, loadClickbaitModel, modelLogit, scoreClickbait } from './clickbait.ts'
import { OFFICE_HEADLINES_FILE, binaryScores, defaultDataDir, readExtraRows, readRows } from '../../tools/train-clickbait.ts'
import { loadOfficeTexts } from '../../tools/eval-wording.ts'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'

const modelFile = fileURLToPath(new URL('./clickbait-model.json', import.meta.url))

describe('clickbait model', () => {
  it('loads the committed model file, which stays small', () => {
    const m = loadClickbaitModel()
    expect(m.version).toBe(2)
    expect(m.vocab.length).toBeGreaterThan(1000)
    expect(m.members.length).toBeGreaterThanOrEqual(1)
    expect(statSync(modelFile).size).toBeLessThan(2 * 1024 * 1024)
  })

  it('scores obvious teasers high and plain police news low', () => {
    const bait = scoreClickbait('Sự thật bất ngờ phía sau vụ việc khiến ai cũng sốc')
    expect(bait.clickbait).toBe(true)
    expect(bait.reasons.some((r) => r.includes('bất ngờ') || r.includes('sốc'))).toBe(true)
    // A teaser phrase is one reason, not also its words or its bigram.
    expect(bait.reasons.filter((r) => r.includes('bất ngờ') || r.includes('"ngờ"')).length).toBe(1)
    const plain = scoreClickbait('Công an tỉnh Thanh Hóa triệt phá đường dây mua bán ma túy')
    expect(plain.clickbait).toBe(false)
    expect(plain.score).toBeLessThan(bait.score)
  })

  it('gives a score in [0,1] for bad input and no reasons for empty input', () => {
    expect(scoreClickbait('')).toEqual({ score: 0, clickbait: false, reasons: [] })
    for (const s of ['😀😀😀', 'x'.repeat(1 << 20), 'Thanh Hoùa', '<b>Sốc</b>']) {
      for (const r of [scoreClickbait(s), scoreClickbait('Sốc với cô gái', s)]) {
        expect(r.score).toBeGreaterThanOrEqual(0)
        expect(r.score).toBeLessThanOrEqual(1)
      }
    }
  })

  it('treats NFD and legacy-encoded headlines like their Unicode form', () => {
    const h = 'Bất ngờ với lý do cô gái trẻ làm điều này'
    expect(scoreClickbait(h.normalize('NFD')).score).toBe(scoreClickbait(h).score)
  })

  it('drops the outlet suffix added by aggregators', () => {
    expect(cleanHeadline('Khởi tố vụ án - Báo Người Lao Động')).toBe('Khởi tố vụ án')
    expect(cleanHeadline('Top 10 thương vụ - Chuyên trang An Ninh Thủ Đô - Báo Công an nhân dân')).toBe('Top 10 thương vụ')
    expect(cleanHeadline('Bài học Paris cho Hà Nội - Tạp chí Nhà Quản Trị - TheLEADER')).toBe('Bài học Paris cho Hà Nội')
    expect(cleanHeadline('Khởi công tu bổ chùa Phúc Lâm - Giác ngộ')).toBe('Khởi công tu bổ chùa Phúc Lâm')
  })

  it('counts punctuation and shape features, and explains with words, not character n-grams', () => {
    const cfg = loadClickbaitModel().features
    const f = extractFeatures('Vì sao cô gái làm điều này?', undefined, cfg)
    expect(f.get('w2:sao cô')).toBe(1)
    expect(f.get('w2:này ?')).toBe(1)
    expect(f.get('x:end?')).toBe(1)
    expect(f.get('x:caps0')).toBe(1)
    const r = scoreClickbait('Vì sao cô gái làm điều này?')
    expect(r.clickbait).toBe(true)
    expect(r.reasons.length).toBeGreaterThan(0)
    for (const reason of r.reasons) expect(reason).toMatch(/\//)
  })

  it('counts word-list hits once per list and names the words in the reason', () => {
    const cfg = loadClickbaitModel().features
    expect(cfg.lexicon).toBe(true)
    const f = extractFeatures('Cô gái bật khóc, sững sờ trước cảnh tượng lạ', undefined, cfg)
    expect(f.get('lex:emo')).toBe(1)
    expect(f.get('lex:emo2')).toBe(1)
    expect(f.get('lex:who')).toBe(1)
    expect(extractFeatures('Công an tỉnh khởi tố vụ án', undefined, cfg).has('lex:emo')).toBe(false)
    const r = scoreClickbait('Kiểm tra chiếc xe bán tải khả nghi trên cao tốc, sững sờ trước cảnh tượng bên trong')
    expect(r.reasons.some((x) => x.includes('"sững sờ"') && x.includes('/ emotional wording'))).toBe(true)
    // A list phrase is one reason, not also its syllables or its shorter runs.
    expect(r.reasons.filter((x) => x.includes('sững')).length).toBe(1)
  })

  it('matches teaser phrases with their diacritics, or folded in a headline typed without any', () => {
    const cfg = loadClickbaitModel().features
    // "hôm nay" (today) is not "này" (this, a withheld referent).
    expect(extractFeatures('Giá vàng hôm nay tăng mạnh', undefined, cfg).has('cue:nay')).toBe(false)
    expect(extractFeatures('Cô gái làm điều này', undefined, cfg).has('cue:nay')).toBe(true)
    const plain = extractFeatures('Vi sao co gai lam dieu nay?', undefined, cfg)
    expect(plain.has('cue:vi_sao')).toBe(true)
    expect(plain.has('lex:who')).toBe(true)
  })

  it('adds the lead model only when a lead is given', () => {
    const m = loadClickbaitModel()
    expect(m.lead?.vocab.length).toBeGreaterThan(1000)
    const h = 'Bất ngờ với lý do cô gái trẻ làm điều này'
    const alone = scoreClickbait(h)
    expect(scoreClickbait(h, '')).toEqual(alone)
    expect(scoreClickbait(h, '   ')).toEqual(alone)
    const teasing = scoreClickbait(h, 'Ít ai biết cô gái đã làm gì khiến dân mạng xôn xao, sự thật khiến ai cũng ngỡ ngàng.')
    const factual = scoreClickbait(h, 'Chiều 12/6, Công an huyện Đông Sơn cho biết đã khởi tố vụ án trộm cắp tài sản tại xã Đông Hòa.')
    expect(teasing.score).toBeGreaterThan(factual.score)
    expect(teasing.score).not.toBe(alone.score)
  })

  it('rejects a model file of an older format', () => {
    expect(() => loadClickbaitModel({ version: 1 } as never)).toThrow(/unsupported/)
    loadClickbaitModel()
  })

  const dataDir = defaultDataDir()
  it.skipIf(!existsSync(resolve(dataDir, 'val.jsonl')))('scores exactly as the trainer computes, headline alone and with its lead', () => {
    const m = loadClickbaitModel()
    const lead = m.lead as ClickbaitLeadModel
    const index = new Map(m.vocab.map((f, i) => [f, i]))
    const leadModel = { ...m, vocab: lead.vocab, members: lead.members }
    const leadIndex = new Map(lead.vocab.map((f, i) => [f, i]))
    const rounded = (z: number): number => Math.round((1 / (1 + Math.exp(-z))) * 1e4) / 1e4
    for (const r of readRows(resolve(dataDir, 'val.jsonl'))) {
      // The scorer looks n-grams up by token number; the trainer builds named feature maps.
      const z = modelLogit(m, index, extractFeatures(r.title, undefined, m.features)).z
      expect(scoreClickbait(r.title).score).toBe(rounded(z))
      if (cleanHeadline(r.lead) === '') continue
      const zl = modelLogit(leadModel, leadIndex, extractFeatures(r.lead, undefined, m.features)).z
      expect(scoreClickbait(r.title, r.lead).score).toBe(rounded(z + lead.weight * zl))
    }
  })

  it.skipIf(!existsSync(resolve(dataDir, 'val.jsonl')))('reaches the validation macro-F1 measured when it was trained', () => {
    loadClickbaitModel()
    const val = readRows(resolve(dataDir, 'val.jsonl'))
    const s = binaryScores(
      val.map((r) => r.y),
      val.map((r) => (scoreClickbait(r.title).clickbait ? 1 : 0)),
    )
    // Measured 0.7931 macro-F1 / 0.7207 clickbait-F1 with the committed model (headline only).
    expect(s.macroF1).toBeGreaterThanOrEqual(0.788)
    expect(s.clickbaitF1).toBeGreaterThanOrEqual(0.715)
    const withLead = binaryScores(
      val.map((r) => r.y),
      val.map((r) => (scoreClickbait(r.title, r.lead).clickbait ? 1 : 0)),
    )
    // Measured 0.7988 macro-F1 / 0.7273 clickbait-F1 with headline + lead.
    expect(withLead.macroF1).toBeGreaterThanOrEqual(0.794)
    expect(withLead.clickbaitF1).toBeGreaterThanOrEqual(0.722)
  })

  it('reads the office-headline training rows, none of them a measured office text', () => {
    // Opt-in training rows (`train-clickbait.ts --office`): they must never include the texts
    // eval-wording.ts measures, or the office false-positive figures would be measured on training data.
    const rows = readExtraRows(OFFICE_HEADLINES_FILE)
    expect(rows.length).toBeGreaterThanOrEqual(150)
    expect(rows.every((r) => r.y === 0 && r.lead === '' && r.title.trim() !== '')).toBe(true)
    expect(new Set(rows.map((r) => r.title)).size).toBe(rows.length)
    const measured = new Set((['dev', 'heldout', 'demo'] as const).flatMap((s) => loadOfficeTexts(s).map((o) => o.title)))
    expect(rows.filter((r) => measured.has(r.title))).toEqual([])
    const dir = mkdtempSync(resolve(tmpdir(), 'cb-extra-'))
    try {
      const bad = resolve(dir, 'bad.jsonl')
      writeFileSync(bad, '{"title": "Tít", "label": "maybe"}\n')
      expect(() => readExtraRows(bad)).toThrow(/bad label/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
