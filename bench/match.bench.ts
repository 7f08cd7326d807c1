/**
 * Claim matching at scale: 1,000,000 synthetic Vietnamese claims in a {@link ClaimIndex}, then
 * ~1,000 queries (near-duplicates of stored claims with typos, no marks, teencode or reordered
 * clauses, and unseen texts). Prints build time, memory, p50/p95/p99 query latency, how often a
 * near-duplicate's source claim was found, and a reference measured in the same run. Then
 * ~300 long queries (Facebook-style posts of 100–400 words that carry one stored claim, issue 18)
 * searched down to the staff-only `related` tier: latency and how often the claim is in the top 5.
 *
 *   npx tsx bench/match.bench.ts            (CLAIMS=200000 to try a smaller index)
 */
import { fileURLToPath } from 'node:url'
import { fold } from '../src/text/normalize.ts'
import { ClaimIndex, DEFAULT_POSTINGS_BUDGET, type SearchOptions } from '../src/text/match-index.ts'
import { mulberry32 } from '../src/platform/random.ts'

const DISTRICTS = [
  'Thọ Xuân',
  'Triệu Sơn',
  'Nông Cống',
  'Quảng Xương',
  'Hoằng Hóa',
  'Hậu Lộc',
  'Nga Sơn',
  'Hà Trung',
  'Vĩnh Lộc',
  'Yên Định',
  'Thiệu Hóa',
  'Đông Sơn',
  'Nghi Sơn',
  'Như Thanh',
  'Như Xuân',
  'Thường Xuân',
  'Lang Chánh',
  'Bá Thước',
  'Quan Hóa',
  'Quan Sơn',
  'Mường Lát',
  'Cẩm Thủy',
  'Thạch Thành',
  'Ngọc Lặc',
  'Sầm Sơn',
  'Bỉm Sơn',
]
const COMMUNE_A = [
  'Xuân',
  'Hoằng',
  'Quảng',
  'Thiệu',
  'Thọ',
  'Nga',
  'Hà',
  'Vĩnh',
  'Yên',
  'Đông',
  'Triệu',
  'Tân',
  'Minh',
  'Cẩm',
  'Thạch',
  'Định',
  'Hợp',
  'Phú',
  'Trung',
  'Tiến',
]
const COMMUNE_B = [
  'Hòa',
  'Lập',
  'Thịnh',
  'Phong',
  'Lộc',
  'Sơn',
  'Thành',
  'Hưng',
  'Tiến',
  'An',
  'Bình',
  'Giang',
  'Long',
  'Khê',
  'Vinh',
  'Phúc',
]
const VICTIMS = [
  'cụ ông',
  'cụ bà',
  'một phụ nữ',
  'nữ sinh',
  'giáo viên',
  'chủ tiệm vàng',
  'công nhân',
  'sinh viên',
  'tài xế',
  'tiểu thương',
  'người đàn ông',
  'học sinh lớp 5',
]
const VEHICLES = ['xe khách', 'xe tải', 'xe buýt', 'ô tô con', 'xe máy', 'xe đầu kéo', 'xe container', 'taxi']
const PLATFORMS = ['Zalo', 'Facebook', 'TikTok', 'Telegram', 'tin nhắn SMS', 'Messenger']
const IMPERSONATED = [
  'công an',
  'cán bộ công an xã',
  'cảnh sát giao thông',
  'nhân viên điện lực',
  'nhân viên ngân hàng',
  'cán bộ thuế',
  'bộ đội',
  'viện kiểm sát',
]
const PLACES_NEAR = [
  'chợ',
  'trường tiểu học',
  'cổng trường',
  'bến xe',
  'cây xăng',
  'ngã tư',
  'bệnh viện huyện',
  'khu công nghiệp',
  'cầu',
  'bãi biển',
]
const PREFIX = ['', '', '', 'Cảnh báo: ', 'Mọi người chú ý, ', 'Nghe nói ', 'Xôn xao: ', 'Khẩn: ', 'Tin nóng: ', 'Chia sẻ gấp: ']
const SUFFIX = [
  '',
  '',
  '',
  ', mọi người cảnh giác',
  ', chia sẻ cho mọi người biết',
  '. Đề nghị người dân không chia sẻ',
  ', công an đang xác minh',
  ' nhé cả nhà',
]

type Pick = <T>(xs: readonly T[]) => T

const TEMPLATES: ((p: Pick, n: () => number, place: () => string) => string)[] = [
  (p, n, pl) => `${p(VICTIMS)} ở ${pl()} bị kẻ giả danh ${p(IMPERSONATED)} lừa mất ${n()} triệu đồng qua điện thoại`,
  (p, n, pl) => `Đối tượng giả danh ${p(IMPERSONATED)} gọi điện yêu cầu ${p(VICTIMS)} ở ${pl()} chuyển ${n()} triệu để xác minh tài khoản`,
  (p, _n, pl) => `Xôn xao tin bắt cóc trẻ em bằng ${p(VEHICLES)} ở ${pl()}, phụ huynh hoang mang`,
  (p, n, pl) => `${p(VEHICLES)} lật trên quốc lộ ${n()} đoạn qua ${pl()}, nhiều người bị thương`,
  (p, n, pl) => `Tai nạn giữa ${p(VEHICLES)} và ${p(VEHICLES)} ở ${pl()} làm ${n()} người tử vong`,
  (p, _n, pl) => `Cháy lớn tại ${p(PLACES_NEAR)} ở ${pl()}, khói bốc cao hàng chục mét`,
  (p, n, pl) => `Bấm vào link lạ trên ${p(PLATFORMS)}, ${p(VICTIMS)} ở ${pl()} bị chiếm đoạt ${n()} triệu trong tài khoản`,
  (_p, n, pl) => `Thông báo giả mạo Công an huyện ${pl()} về việc cấm xe máy từ ngày ${n()} tháng ${1 + (n() % 12)}`,
  (_p, n, pl) => `Lũ quét ở ${pl()} cuốn trôi ${n()} ngôi nhà, nhiều người mất tích`,
  (p, _n, pl) => `${p(VICTIMS)} ở ${pl()} mất tích sau khi lên ${p(VEHICLES)} của người lạ`,
  (p, n, pl) => `Công an ${pl()} bắt giữ ${n()} đối tượng giả danh ${p(IMPERSONATED)} lừa đảo qua ${p(PLATFORMS)}`,
  (_p, n, pl) => `Từ ngày ${n()} tháng sau, người dân ${pl()} không mang căn cước sẽ bị phạt ${n()} triệu đồng`,
  (p, n, pl) => `Nổ bình gas tại ${p(PLACES_NEAR)} ở ${pl()} khiến ${n()} người bị thương`,
  (p, _n, pl) => `Người phụ nữ lạ mặt cho kẹo dụ dỗ ${p(VICTIMS)} ở ${p(PLACES_NEAR)} ${pl()}`,
  (p, n, pl) => `Trang ${p(PLATFORMS)} mạo danh Công an ${pl()} nhận lấy lại tiền bị lừa, phí ${n()} triệu`,
  (_p, n, pl) => `Hồ thủy điện ở ${pl()} sắp xả lũ ${n()} mét khối mỗi giây, dân cần sơ tán trong đêm`,
  (p, n, pl) => `Ngộ độc sau khi ăn cỗ ở ${pl()}, ${n()} người nhập viện, trong đó có ${p(VICTIMS)}`,
  (p, n, pl) => `Hai nhóm thanh niên hỗn chiến ở ${p(PLACES_NEAR)} ${pl()}, ${n()} người bị chém trọng thương`,
  (p, n, pl) => `Cướp tiệm vàng ở ${pl()}, đối tượng đi ${p(VEHICLES)} mang theo ${n()} cây vàng bỏ trốn`,
  (p, n, pl) => `Tin ${p(VICTIMS)} ở ${pl()} bị bắt cóc đòi tiền chuộc ${n()} triệu là sai sự thật`,
  (p, n, pl) => `Cảnh sát giao thông ${pl()} không được dừng ${p(VEHICLES)} để phạt ${n()} triệu`,
  (_p, n, pl) => `Tuyển người đi làm việc nhẹ lương cao ${n()} triệu một tháng ở Campuchia, nhiều người ${pl()} bị lừa bán`,
]

const MARKLESS = 0.2

/** Builds `count` claim texts; about a fifth are written without marks, as people type them. */
export function generateClaims(count: number, seed: number): string[] {
  const r = mulberry32(seed)
  const pick: Pick = (xs) => xs[Math.floor(r() * xs.length)]
  const num = (): number => {
    const x = r()
    return x < 0.5 ? 1 + Math.floor(r() * 20) : x < 0.85 ? 1 + Math.floor(r() * 200) : 1 + Math.floor(r() * 5000)
  }
  const place = (): string => {
    const x = r()
    if (x < 0.4) return pick(DISTRICTS)
    return `xã ${pick(COMMUNE_A)} ${pick(COMMUNE_B)}, ${pick(DISTRICTS)}`
  }
  const out: string[] = new Array(count)
  for (let i = 0; i < count; i++) {
    const body = pick(TEMPLATES)(pick, num, place)
    let text = `${pick(PREFIX)}${body}${pick(SUFFIX)}`
    if (r() < MARKLESS) text = foldKeepCase(text)
    out[i] = text
  }
  return out
}

function foldKeepCase(s: string): string {
  // fold() lower-cases; keep the first letter's case so the text still looks typed.
  const f = fold(s)
  return f.length > 0 ? f[0].toUpperCase() + f.slice(1) : f
}

const TEENCODE: [RegExp, string][] = [
  [/công an/g, 'CA'],
  [/không/g, 'ko'],
  [/được/g, 'dc'],
  [/mọi người/g, 'mn'],
  [/cảnh sát giao thông/gi, 'csgt'],
  [/điện thoại/g, 'đt'],
]

/** A near-duplicate the way people resubmit a claim: marks dropped, typos, teencode, clauses swapped. */
function perturb(text: string, r: () => number): string {
  let s = text
  if (r() < 0.4) for (const [re, to] of TEENCODE) s = s.replace(re, to)
  if (r() < 0.4) {
    const parts = s.split(', ')
    if (parts.length > 1) s = [...parts.slice(1), parts[0]].join(', ')
  }
  if (r() < 0.6) s = fold(s)
  const words = s.split(' ')
  const typos = 1 + Math.floor(r() * 2)
  for (let t = 0; t < typos; t++) {
    const i = Math.floor(r() * words.length)
    const w = words[i]
    if (w.length < 3) continue
    const j = 1 + Math.floor(r() * (w.length - 2))
    words[i] = r() < 0.5 ? w.slice(0, j) + w.slice(j + 1) : w.slice(0, j) + w[j + 1] + w[j] + w.slice(j + 2)
  }
  return words.join(' ')
}

const OFF_TOPIC = [
  'Giá xăng giảm từ 15 giờ chiều nay',
  'Lịch cắt điện khu vực phường Đông Vệ ngày mai',
  'Đội bóng Đông Á Thanh Hóa thắng 2-0 trên sân nhà',
  'Học sinh toàn tỉnh được nghỉ học ngày mai để tránh bão số 3',
  'Bệnh viện Đa khoa tỉnh Thanh Hóa quá tải, bệnh nhân phải nằm hành lang',
  'Ca sĩ nổi tiếng bị bắt vì sử dụng ma túy trong bar là tin giả',
]

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`
}

/** Runs the benchmark and prints its figures. */
export async function run(): Promise<void> {
  const count = Number(process.env.CLAIMS ?? 1_000_000)
  const queryCount = Number(process.env.QUERIES ?? 1000)
  const candidates = Number(process.env.CANDIDATES ?? 120)
  const gc = (globalThis as { gc?: () => void }).gc
  console.log(`claim matching: ${count.toLocaleString('en')} claims, ${queryCount} queries (one core)`)

  let t0 = performance.now()
  const claims = generateClaims(count, 2026)
  console.log(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s, e.g. «${claims[7]}» / «${claims[8]}»`)

  gc?.()
  const before = process.memoryUsage()
  t0 = performance.now()
  const index = new ClaimIndex()
  for (let i = 0; i < claims.length; i++) index.add(i, claims[i])
  const buildMs = performance.now() - t0
  gc?.()
  const after = process.memoryUsage()
  console.log(
    `index built in ${(buildMs / 1000).toFixed(1)} s (${((buildMs * 1000) / count).toFixed(1)} µs/claim); ` +
      `memory delta RSS ${mb(after.rss - before.rss)}, heap ${mb(after.heapUsed - before.heapUsed)}, ` +
      `array buffers ${mb(after.arrayBuffers - before.arrayBuffers)} (total RSS ${mb(after.rss)}${gc ? '' : '; run with --expose-gc for exact deltas'})`,
  )

  // Queries: 70 % near-duplicates of stored claims, 25 % unseen template texts, 5 % off-topic.
  const r = mulberry32(7)
  const unseen = generateClaims(queryCount, 99)
  const queries: { text: string; source: number }[] = []
  for (let q = 0; q < queryCount; q++) {
    const x = r()
    if (x < 0.7) {
      const source = Math.floor(r() * count)
      queries.push({ text: perturb(claims[source], r), source })
    } else if (x < 0.95) queries.push({ text: unseen[q], source: -1 })
    else queries.push({ text: OFF_TOPIC[q % OFF_TOPIC.length], source: -1 })
  }
  for (let i = 0; i < 20; i++) index.search(queries[i].text) // warm-up (JIT)

  // The default budget first (the figure that counts), then a cheaper one for comparison.
  let p50 = 0
  for (const budget of [DEFAULT_POSTINGS_BUDGET, 250_000]) {
    const p = measure(index, queries, { limit: 10, candidates, postingsBudget: budget })
    if (budget === DEFAULT_POSTINGS_BUDGET) p50 = p
  }
  measureLong(index, claims, candidates)
  reference(claims, queries, p50)
}

/** Everyday post sentences around the claim a long query carries. */
const POST_FILLERS = [
  'Sáng nay em đọc được trong nhóm Zalo của xóm, không biết thật hay giả.',
  'Mọi người ơi cho em hỏi chút, chuyện này có ai biết rõ không ạ.',
  'Chồng em đi làm về kể lại, cả nhà ai cũng lo lắm.',
  'Dạo này trên mạng nhiều tin quá, không biết đâu mà lần.',
  'Mong các cơ quan chức năng sớm vào cuộc làm rõ 🙏',
  'Bà con mình ở quê ít dùng mạng nên dễ tin lắm.',
  'Mình chia sẻ lại để mọi người cùng biết, chứ cũng chưa kiểm chứng được.',
  'Ai có người nhà ở đó thì gọi điện hỏi thăm giúp với.',
  'Cả buổi sáng ngoài quán nước ai cũng bàn chuyện này 😱',
  'Em chỉ mong là tin không đúng, chứ đúng thì buồn lắm.',
  'Mọi người nhớ nhắc ông bà bố mẹ ở nhà cẩn thận nhé.',
  'Trên nhóm phụ huynh lớp con em cũng đang bàn tán rất nhiều.',
  'Xin phép admin cho em đăng bài, nếu sai em xin gỡ.',
  'Thấy bảo công an xã đã xuống nắm tình hình từ sáng.',
  'mn oi share giup e voi, e cam on nhieu #canhgiac #thanhhoa',
]

/** Long posts carrying stored claims, searched down to the `related` tier. */
function measureLong(index: ClaimIndex, claims: string[], candidates: number): void {
  const r = mulberry32(18)
  const posts: { text: string; source: number; words: number }[] = []
  for (let q = 0; q < 300; q++) {
    const source = Math.floor(r() * claims.length)
    const target = 100 + Math.floor(r() * 280)
    const before: string[] = []
    const after: string[] = []
    let words = claims[source].split(' ').length
    while (words < target) {
      const f = POST_FILLERS[Math.floor(r() * POST_FILLERS.length)]
      ;(r() < 0.4 ? before : after).push(f)
      words += f.split(' ').length
    }
    const core = r() < 0.3 ? fold(claims[source]) : claims[source]
    posts.push({ text: [...before, core, ...after].join(' '), source, words })
  }
  for (let i = 0; i < 10; i++) index.search(posts[i].text, { minDecision: 'related' })
  const times: number[] = []
  let top5 = 0
  let top10 = 0
  for (const p of posts) {
    const s = performance.now()
    const hits = index.search(p.text, { limit: 10, candidates, minDecision: 'related' })
    times.push(performance.now() - s)
    const at = hits.findIndex((h) => h.id === p.source)
    if (at >= 0 && at < 5) top5++
    if (at >= 0) top10++
    else if (process.env.SHOW_MISSES)
      console.log(
        `miss: «${claims[p.source]}» → ${
          hits
            .slice(0, 2)
            .map((h) => `${h.decision} ${h.containment} «${claims[h.id as number]}»`)
            .join(' | ') || 'nothing'
        }`,
      )
  }
  times.sort((a, b) => a - b)
  const p95 = percentile(times, 95)
  const avgWords = Math.round(posts.reduce((n, p) => n + p.words, 0) / posts.length)
  console.log(`long posts (${posts.length} queries of 100–400 words, ~${avgWords} on average, down to the related tier):`)
  console.log(
    `  latency: p50 ${percentile(times, 50).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms, ` +
      `max ${times[times.length - 1].toFixed(2)} ms (target p95 ≤ 50 ms: ${p95 <= 50 ? 'met' : 'NOT met'})`,
  )
  console.log(
    `  the stored claim among the first 5 for ${top5}/${posts.length}, the first 10 for ${top10}/${posts.length} ` +
      '(synthetic claims share templates: many stored claims differ from the source only in a number or commune)',
  )
}

function measure(index: ClaimIndex, queries: { text: string; source: number }[], options: SearchOptions): number {
  const times: number[] = []
  let dupes = 0
  let found = 0
  let merged = 0
  let unseenWithHits = 0
  for (const q of queries) {
    const s = performance.now()
    const hits = index.search(q.text, options)
    times.push(performance.now() - s)
    if (q.source >= 0) {
      dupes++
      const hit = hits.find((h) => h.id === q.source)
      if (hit) found++
      if (hit?.decision === 'merge') merged++
    } else if (hits.length > 0) unseenWithHits++
  }
  times.sort((a, b) => a - b)
  const p50 = percentile(times, 50)
  const p95 = percentile(times, 95)
  const p99 = percentile(times, 99)
  console.log(`search (rescoring ${options.candidates} candidates, postings budget ${options.postingsBudget?.toLocaleString('en')}):`)
  console.log(
    `  latency: p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms ` +
      `(target p95 ≤ 50 ms: ${p95 <= 50 ? 'met' : 'NOT met'})`,
  )
  console.log(
    `  near-duplicates: source claim among the hits for ${found}/${dupes} (${((100 * found) / dupes).toFixed(1)} %), ` +
      `as merge for ${merged}/${dupes}; unseen/off-topic queries with ≥ 1 suggestion: ${unseenWithHits}/${queries.length - dupes} ` +
      '(synthetic claims share templates, so many unseen texts do have a same-template neighbour)',
  )
  return p50
}

/** Reference measured in the same run, and the ratio to the index's p50. */
function reference(claims: string[], queries: { text: string }[], p50: number): void {
  let t0 = 0
  // Reference, same run: a plain Map lookup, and a linear folded `includes` over 1,000 candidates.
  const folded = claims.slice(0, 1000).map((c) => fold(c))
  const needles = queries.slice(0, 200).map((q) => fold(q.text).slice(5, 25))
  let sink = 0
  const reps = 20
  t0 = performance.now()
  for (let rep = 0; rep < reps; rep++) {
    for (const n of needles) for (const c of folded) if (c.includes(n)) sink++
  }
  const scanMs = (performance.now() - t0) / (reps * needles.length)
  const map = new Map<string, number>()
  for (let i = 0; i < 100_000; i++) map.set(claims[i], i)
  t0 = performance.now()
  for (let rep = 0; rep < 100; rep++) for (let i = 0; i < 10_000; i++) sink += map.get(claims[i]) ?? 0
  const mapMs = (performance.now() - t0) / 1_000_000
  console.log(
    `reference: folded includes() over 1,000 candidates ${scanMs.toFixed(3)} ms/query → p50 is ${(p50 / scanMs).toFixed(1)}× that ` +
      `(one index query costs as much as a linear includes() over ~${Math.round((1000 * p50) / scanMs).toLocaleString('en')} strings); ` +
      `Map.get ${(mapMs * 1000).toFixed(3)} µs → p50 is ${Math.round(p50 / mapMs).toLocaleString('en')}× (sink ${sink % 10})`,
  )
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().catch((err: unknown) => {
    console.error(err)
    process.exitCode = 1
  })
}
