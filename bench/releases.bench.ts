/**
 * The public newsroom's three benchmarks (issue 3), in one run, each beside a reference
 * measured in the same run:
 *
 * 1. **Release page under wrk** (`-t2 -c50 -d10s --latency`): `GET /tin/<slug>` from the real
 *    `donghanh serve` (a child process on this bench's embedded PostgreSQL; WEB_CONCURRENCY=2
 *    web processes unless set, as nginx has 2 workers), beside nginx
 *    serving the very same bytes as a static file (its own config in the temp folder, its own
 *    port, `daemon off; worker_processes 2; access_log off;`). Ratio app/nginx; target ≥ 0.5×.
 *    Needs nginx and wrk: `apt-get install -y nginx wrk` (skipped cleanly without them; the
 *    package may start a default nginx on port 80 — this bench does not use it). wrk sends no
 *    Accept-Encoding, so both serve the raw bytes. `GET /healthz` of the same server is run
 *    too, as the framework's floor (not a target).
 * 2. **Freshness**: a release is published through the real commands (create → submit →
 *    approve now) against the server's database, after priming the server's page cache with
 *    the feed and the search; then the page, `/rss.xml` and `GET /api/v1/releases?q=` are
 *    polled until all three show it. Time from the publish commit to the last of the three,
 *    p50/p95/p99/max over 100 publishes; target p99 ≤ 1 s. Reference: the same publish →
 *    visible measured with uncached direct SQL reads (the public visibility queries
 *    `findPublicRelease`, `listPublicReleases`, `searchPublicReleases`) on interleaved
 *    publishes; the round trip of one cached GET is printed too.
 * 3. **Search over 100,000 generated Vietnamese releases**, bulk-loaded as published rows
 *    (`releases` + `release_editions`, multi-row `INSERT … SELECT FROM unnest(…)`), then
 *    `VACUUM (ANALYZE)`; ~500 mixed queries (folded "thanh hoa …", words with diacritics,
 *    quoted phrases, prefixes) through the newsroom's own path (`parseSearchQuery` →
 *    `toTsQuery` → `searchPublicReleases`, 21 rows as the search page asks). p50/p95/p99;
 *    target p95 ≤ 30 ms. Reference: a primary-key lookup of a release in the same database.
 *    When the target is missed, each statement of the slowest search is explained again
 *    (`EXPLAIN (ANALYZE, BUFFERS)`: its server time) and the plan of the longest is printed.
 *
 * Only loopback; every server started here is stopped by pid (also on error) and the temp
 * folder is removed.
 *
 *   npm run bench -- releases
 *   (BENCH_RELEASES=100000 BENCH_SEARCH_QUERIES=500 BENCH_FRESHNESS_PUBLISHES=100
 *    BENCH_DURATION=10s BENCH_CONNECTIONS=50 BENCH_THREADS=2 BENCH_RELEASES_PARTS=page,freshness,search,verify)
 *
 * 4. Verify (`/xac-minh`) a pasted copy — whole, altered or an excerpt — of a release among the
 *    same corpus: `compareText` finds the release it came from and says how it differs. p50/p95
 *    and how many were named right (BENCH_VERIFY_COPIES, default 90); reference: the search for
 *    the same releases' titles. No target is set for it. Which pairs look rare depends on the
 *    rows ANALYZE sampled: BENCH_VERIFY_ROUNDS=N repeats the part N−1 times, each after a
 *    fresh ANALYZE.
 *
 * `BENCH_RELEASES_PARTS` picks the parts to run, a comma-separated list of `page`,
 * `freshness`, `search` and `verify` (default: all four). `BENCH_RELEASES_PARTS=search npm run bench --
 * releases` runs the search part alone (about a minute; no server, no nginx, no wrk). Without
 * `search`, the page and freshness parts run on a newsroom holding only their own releases.
 */
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import type pg from 'pg'
import { loadConfig } from '../src/config.ts'
import { freePort, startEmbedded } from '../src/db/embedded.ts'
import { connect, type Db, ensureDatabase, migrate, withTransaction } from '../src/db/index.ts'
import { users } from '../src/modules/accounts/accounts.tables.ts'
import { FEED_SIZE, PER_PAGE } from '../src/modules/newsroom/newsroom.routes.tsx'
import { parseSearchQuery, toTsQuery } from '../src/modules/newsroom/search.ts'
import { COMMUNES, type Commune } from '../src/modules/reference/communes.ts'
import { approveRelease } from '../src/modules/releases/commands/approve-release.ts'
import { createRelease } from '../src/modules/releases/commands/create-release.ts'
import { submitRelease } from '../src/modules/releases/commands/submit-release.ts'
import { stripMarkdown } from '../src/modules/releases/markdown-text.ts'
import { compareText, editionText } from '../src/modules/newsroom/verify.ts'
import { normalizeForCompare } from '../src/modules/newsroom/word-diff.ts'
import { searchPublicReleases } from '../src/modules/newsroom/search-planner.ts'
import { findPublicRelease, listPublicReleases } from '../src/modules/releases/releases.public.ts'
import { unsafeLoadRelease } from '../src/modules/releases/releases.repository.ts'
import { type ReleaseKind, releases } from '../src/modules/releases/releases.tables.ts'
import { slugify } from '../src/modules/releases/releases.workflow.ts'
import { saveSpokesperson } from '../src/modules/spokespersons/commands/save-spokesperson.ts'
import { runAudited } from '../src/platform/audit/index.ts'
import { ensureDefaultTenant } from '../src/platform/tenancy/index.ts'
import { fold } from '../src/text/normalize.ts'
import {
  CONNECTIONS,
  DURATION,
  findExecutable,
  fmt,
  ROOT,
  running,
  startProcess,
  stop,
  tail,
  THREADS,
  waitReady,
  wrk,
  type WrkResult,
} from './support.ts'
import { mulberry32 } from '../src/platform/random.ts'

const WEB_PROCESSES = process.env.WEB_CONCURRENCY || '2'
const RELEASES = Number(process.env.BENCH_RELEASES || 100_000)
const QUERIES = Number(process.env.BENCH_SEARCH_QUERIES || 500)
const PUBLISHES = Number(process.env.BENCH_FRESHNESS_PUBLISHES || 100)
const PART_NAMES = ['page', 'freshness', 'search', 'verify'] as const
const VERIFY_COPIES = Number(process.env.BENCH_VERIFY_COPIES || 90)
const VERIFY_ROUNDS = Number(process.env.BENCH_VERIFY_ROUNDS || 1)
/** The parts to run (BENCH_RELEASES_PARTS, comma-separated; all by default). */
const PARTS = new Set(
  (process.env.BENCH_RELEASES_PARTS || PART_NAMES.join(','))
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean),
)
const BATCH = 2000
/** Pause between two polls of one surface while waiting for a publish to show. */
const POLL_MS = 2
/** A publish not visible after this long counts as missed. */
const FRESHNESS_TIMEOUT_MS = 5000

const TARGET_PAGE_RATIO = 0.5
const TARGET_FRESHNESS_P99_MS = 1000
const TARGET_SEARCH_P95_MS = 30

// ---------------------------------------------------------------------------------------
// Small helpers (process and wrk helpers: bench/support.ts)

/** GETs `url` with node:http and counts the body bytes as sent (not decoded). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; bytes: number; encoding: string | undefined }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let bytes = 0
        res.on('data', (d: Buffer) => {
          bytes += d.length
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes, encoding: res.headers['content-encoding'] }))
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}

/** Nearest-rank percentile of `values` (not necessarily sorted); NaN when empty. */
function pct(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')
}

/** A summary line: figure, target, met or not, ratio to the reference. */
interface Verdict {
  name: string
  figure: string
  target: string
  met: boolean | null
  ratio: string
}

// ---------------------------------------------------------------------------------------
// Generated Vietnamese releases

type Rand = () => number
const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T
const between = (rand: Rand, lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1))

/** An event a release is about; `{xa}`, `{n}`, `{k}`, `{m}`, `{dia}`, `{song}`, `{nam}` are filled in. */
interface EventTemplate {
  /** The words people search for it by (with diacritics). */
  words: string[]
  kind: ReleaseKind
  category: string
  titles: string[]
  summary: string
  lead: string
  heading: string
  facts: string[]
  advice: string
  tags: string[]
}

const EVENTS: EventTemplate[] = [
  {
    words: ['lừa đảo', 'lừa đảo qua mạng', 'mã OTP'],
    kind: 'warning',
    category: 'Phòng chống tội phạm công nghệ cao',
    titles: [
      'Cảnh báo thủ đoạn lừa đảo chiếm đoạt tài sản qua mạng xã hội tại {xa}',
      'Công an {xa} cảnh báo chiêu lừa đảo giả danh nhân viên ngân hàng',
    ],
    summary:
      'Thời gian gần đây, trên địa bàn {xa} xảy ra {n} vụ lừa đảo qua mạng, chiếm đoạt tổng số tiền {m}. Công an tỉnh Thanh Hóa khuyến cáo người dân cảnh giác.',
    lead: 'Công an {xa} tiếp nhận tin báo của người dân về các cuộc gọi, tin nhắn lừa đảo yêu cầu cung cấp mã OTP',
    heading: 'Tình hình',
    facts: ['Số vụ đã tiếp nhận: {n}', 'Tổng thiệt hại: {m}', 'Số tài khoản đã đề nghị phong tỏa: {k}'],
    advice:
      'Không cung cấp mã OTP, không chuyển tiền theo yêu cầu của người lạ, không truy cập đường link lạ. Khi nghi ngờ, gọi ngay số 113 hoặc đến cơ quan công an gần nhất.',
    tags: ['lừa đảo', 'an ninh mạng'],
  },
  {
    words: ['đánh bạc', 'đánh bạc qua mạng', 'cá độ bóng đá'],
    kind: 'press_release',
    category: 'An ninh trật tự',
    titles: ['Công an tỉnh Thanh Hóa triệt phá đường dây đánh bạc qua mạng tại {xa}', 'Triệt phá ổ nhóm cá độ bóng đá quy mô lớn ở {xa}'],
    summary:
      'Phòng Cảnh sát hình sự phối hợp Công an {xa} triệt phá đường dây đánh bạc qua mạng với số tiền giao dịch khoảng {m}, tạm giữ {n} người liên quan.',
    lead: 'Phòng Cảnh sát hình sự Công an tỉnh Thanh Hóa phối hợp với Công an {xa} kiểm tra, phát hiện một đường dây đánh bạc qua mạng',
    heading: 'Kết quả',
    facts: ['Tạm giữ **{n} người** liên quan', 'Thu giữ {k} điện thoại, máy tính', 'Số tiền giao dịch ước tính {m}'],
    advice: 'Người dân không tham gia đánh bạc, cá độ dưới mọi hình thức; phát hiện hành vi vi phạm báo ngay cho cơ quan công an.',
    tags: ['đánh bạc', 'công nghệ cao'],
  },
  {
    words: ['ma túy', 'ma túy tổng hợp', 'chất ma túy'],
    kind: 'press_release',
    category: 'Phòng chống ma túy',
    titles: ['Phát hiện {n} người mua bán trái phép chất ma túy tại {xa}', 'Thu giữ {k} gam ma túy tổng hợp tại {dia}'],
    summary:
      'Lực lượng Cảnh sát điều tra tội phạm về ma túy Công an tỉnh Thanh Hóa phát hiện vụ mua bán trái phép chất ma túy tại {xa}, thu giữ {k} gam ma túy tổng hợp.',
    lead: 'Tổ công tác Phòng Cảnh sát điều tra tội phạm về ma túy phối hợp Công an {xa} kiểm tra hành chính tại {dia}',
    heading: 'Tang vật thu giữ',
    facts: ['{k} gam ma túy tổng hợp', '{n} điện thoại di động', 'Một số tiền mặt và vật dụng liên quan'],
    advice:
      'Gia đình, nhà trường quan tâm quản lý con em; người dân tố giác hành vi mua bán, tàng trữ, sử dụng trái phép chất ma túy qua số 113.',
    tags: ['ma túy'],
  },
  {
    words: ['nồng độ cồn', 'vi phạm nồng độ cồn', 'tổng kiểm soát'],
    kind: 'activity',
    category: 'Trật tự an toàn giao thông',
    titles: ['Xử lý {k} trường hợp vi phạm nồng độ cồn tại {xa}', 'Tổng kiểm soát phương tiện giao thông trên {dia} đoạn qua {xa}'],
    summary:
      'Trong đợt cao điểm, Phòng Cảnh sát giao thông phối hợp Công an {xa} kiểm tra {k} phương tiện, lập biên bản {n} trường hợp vi phạm nồng độ cồn.',
    lead: 'Phòng Cảnh sát giao thông Công an tỉnh Thanh Hóa phối hợp với Công an {xa} tổ chức tuần tra, kiểm soát trên {dia}',
    heading: 'Kết quả',
    facts: ['Kiểm tra {k} phương tiện', 'Lập biên bản {n} trường hợp vi phạm nồng độ cồn', 'Tạm giữ {n} xe mô tô'],
    advice: 'Đã uống rượu, bia thì không lái xe. Người dân chấp hành nghiêm quy định về trật tự an toàn giao thông.',
    tags: ['nồng độ cồn', 'giao thông'],
  },
  {
    words: ['tai nạn giao thông', 'tai nạn', 'va chạm'],
    kind: 'announcement',
    category: 'Trật tự an toàn giao thông',
    titles: [
      'Tai nạn giao thông nghiêm trọng trên {dia} đoạn qua {xa}',
      'Thông tin ban đầu về vụ va chạm giữa xe khách và xe tải tại {xa}',
    ],
    summary:
      'Khoảng 5 giờ sáng, trên {dia} đoạn qua {xa} xảy ra vụ tai nạn giao thông làm {n} người bị thương. Công an tỉnh Thanh Hóa thông tin ban đầu về vụ việc.',
    lead: 'Trên {dia} đoạn qua {xa} xảy ra vụ va chạm giữa xe khách và xe tải',
    heading: 'Thông tin ban đầu',
    facts: ['{n} người bị thương được đưa đi cấp cứu', 'Phân luồng giao thông trong {n} giờ', 'Nguyên nhân đang được làm rõ'],
    advice: 'Người tham gia giao thông đi đúng làn đường, giữ khoảng cách an toàn và chú ý hướng dẫn phân luồng của lực lượng chức năng.',
    tags: ['tai nạn giao thông'],
  },
  {
    words: ['cháy', 'phòng cháy chữa cháy', 'cháy nhà'],
    kind: 'warning',
    category: 'Phòng cháy chữa cháy',
    titles: ['Cháy nhà dân tại {xa}, không có thiệt hại về người', 'Khuyến cáo phòng cháy chữa cháy mùa hanh khô tại {xa}'],
    summary:
      'Lực lượng Cảnh sát phòng cháy chữa cháy và cứu nạn cứu hộ đã dập tắt đám cháy tại {xa} sau {n} giờ, không có thiệt hại về người.',
    lead: 'Phòng Cảnh sát phòng cháy chữa cháy và cứu nạn cứu hộ nhận tin báo cháy tại {xa}, điều động {n} xe chữa cháy',
    heading: 'Diễn biến',
    facts: ['Điều động {n} xe chữa cháy và {k} cán bộ, chiến sĩ', 'Đám cháy được khống chế sau {n} giờ', 'Không có thiệt hại về người'],
    advice: 'Người dân kiểm tra hệ thống điện, không để chất dễ cháy gần nguồn nhiệt; khi xảy ra cháy gọi ngay số 114.',
    tags: ['phòng cháy chữa cháy'],
  },
  {
    words: ['mưa lũ', 'sơ tán', 'sạt lở đất'],
    kind: 'warning',
    category: 'Cứu hộ cứu nạn',
    titles: ['Công an {xa} hỗ trợ người dân sơ tán trước lũ', 'Cảnh báo mưa lũ, sạt lở đất tại {xa}'],
    summary: 'Trước diễn biến mưa lũ phức tạp, Công an {xa} huy động {k} cán bộ, chiến sĩ hỗ trợ {n} hộ dân sơ tán đến nơi an toàn.',
    lead: 'Trước diễn biến phức tạp của mưa lũ trên {song}, Công an {xa} huy động lực lượng hỗ trợ người dân',
    heading: 'Lực lượng tham gia',
    facts: ['{k} cán bộ, chiến sĩ', 'Hỗ trợ {n} hộ dân sơ tán', 'Túc trực tại các điểm có nguy cơ sạt lở đất'],
    advice:
      'Người dân theo dõi bản tin thời tiết, không qua ngầm tràn khi nước dâng cao và chấp hành hướng dẫn sơ tán của chính quyền địa phương.',
    tags: ['mưa lũ', 'cứu nạn cứu hộ'],
  },
  {
    words: ['căn cước', 'cấp căn cước', 'định danh điện tử'],
    kind: 'announcement',
    category: 'Cải cách hành chính',
    titles: ['Thông báo lịch cấp căn cước lưu động tại {xa}', 'Công an {xa} làm thủ tục cấp căn cước cho {k} trường hợp'],
    summary: 'Công an {xa} tổ chức cấp căn cước và kích hoạt tài khoản định danh điện tử lưu động, phục vụ {k} trường hợp trong {n} ngày.',
    lead: 'Công an {xa} tổ chức cấp căn cước lưu động tại nhà văn hóa thôn',
    heading: 'Lịch làm việc',
    facts: ['Thời gian: {n} ngày, cả thứ Bảy và Chủ nhật', 'Số trường hợp dự kiến: {k}', 'Kích hoạt tài khoản định danh điện tử mức độ 2'],
    advice: 'Người dân mang theo giấy tờ cần thiết và đến đúng lịch; mọi thắc mắc liên hệ Công an xã, phường nơi cư trú.',
    tags: ['căn cước', 'định danh điện tử'],
  },
  {
    words: ['trộm cắp', 'trộm cắp xe máy', 'trộm cắp tài sản'],
    kind: 'press_release',
    category: 'An ninh trật tự',
    titles: ['Làm rõ nhóm người trộm cắp xe máy tại {xa}', 'Công an {xa} thu hồi {n} xe máy bị trộm cắp'],
    summary: 'Công an {xa} làm rõ {n} vụ trộm cắp tài sản, thu hồi {n} xe máy trả lại cho người bị hại.',
    lead: 'Công an {xa} tiếp nhận đơn trình báo của người dân về việc bị mất trộm xe máy tại {dia}',
    heading: 'Kết quả',
    facts: ['Làm rõ {n} vụ trộm cắp tài sản', 'Thu hồi {n} xe máy', 'Trả lại tài sản cho người bị hại'],
    advice: 'Người dân khóa xe cẩn thận, gửi xe ở nơi có người trông giữ và báo ngay cho công an khi bị mất tài sản.',
    tags: ['trộm cắp'],
  },
  {
    words: ['khai thác cát', 'khai thác khoáng sản', 'môi trường'],
    kind: 'press_release',
    category: 'Bảo vệ môi trường',
    titles: ['Xử lý khai thác cát trái phép trên {song} đoạn qua {xa}', 'Tạm giữ {n} tàu khai thác cát trái phép tại {xa}'],
    summary:
      'Phòng Cảnh sát môi trường phát hiện {n} phương tiện khai thác cát trái phép trên {song} đoạn qua {xa}, tạm giữ {k} mét khối cát.',
    lead: 'Phòng Cảnh sát phòng chống tội phạm về môi trường tuần tra trên {song}',
    heading: 'Kết quả kiểm tra',
    facts: ['Tạm giữ {n} tàu hút cát', '{k} mét khối cát', 'Lập hồ sơ xử lý theo quy định'],
    advice: 'Người dân phát hiện hoạt động khai thác khoáng sản trái phép báo cho cơ quan công an và chính quyền địa phương.',
    tags: ['môi trường', 'khai thác cát'],
  },
  {
    words: ['pháo nổ', 'pháo', 'vật liệu nổ'],
    kind: 'warning',
    category: 'An ninh trật tự',
    titles: ['Cảnh báo mua bán, tàng trữ pháo nổ dịp Tết tại {xa}', 'Thu giữ {k} kg pháo nổ tại {xa}'],
    summary: 'Dịp cuối năm, Công an {xa} phát hiện {n} trường hợp mua bán pháo nổ qua mạng, thu giữ {k} kg pháo các loại.',
    lead: 'Công an {xa} ra quân kiểm tra, phát hiện các trường hợp mua bán pháo nổ qua mạng xã hội',
    heading: 'Kết quả',
    facts: ['Thu giữ {k} kg pháo nổ', '{n} trường hợp bị lập biên bản', 'Tuyên truyền tại {n} thôn, tổ dân phố'],
    advice: 'Không mua bán, tàng trữ, sử dụng pháo nổ; phụ huynh nhắc nhở con em không tự chế pháo.',
    tags: ['pháo nổ', 'Tết'],
  },
  {
    words: ['tín dụng đen', 'cho vay lãi nặng', 'đòi nợ'],
    kind: 'press_release',
    category: 'An ninh trật tự',
    titles: ['Triệt phá ổ nhóm cho vay lãi nặng tại {xa}', 'Cảnh báo tín dụng đen núp bóng cho vay qua ứng dụng tại {xa}'],
    summary: 'Công an tỉnh Thanh Hóa triệt phá ổ nhóm cho vay lãi nặng với lãi suất lên tới {n}00%/năm, tổng số tiền cho vay khoảng {m}.',
    lead: 'Phòng Cảnh sát hình sự phối hợp với Công an {xa} đấu tranh với hoạt động tín dụng đen',
    heading: 'Kết quả',
    facts: ['Tổng số tiền cho vay khoảng {m}', 'Lãi suất lên tới {n}00%/năm', '{k} người vay được xác minh'],
    advice: 'Người dân vay vốn tại các tổ chức tín dụng hợp pháp, không vay qua ứng dụng không rõ nguồn gốc.',
    tags: ['tín dụng đen'],
  },
  {
    words: ['giả danh công an', 'giả danh', 'cuộc gọi'],
    kind: 'warning',
    category: 'Phòng chống tội phạm công nghệ cao',
    titles: [
      'Cảnh báo người giả danh công an gọi điện yêu cầu chuyển tiền tại {xa}',
      'Công an {xa} cảnh báo cuộc gọi giả danh cơ quan tố tụng',
    ],
    summary: 'Công an tỉnh Thanh Hóa nhận được {n} tin báo về cuộc gọi giả danh công an yêu cầu người dân chuyển tiền, thiệt hại {m}.',
    lead: 'Công an {xa} ghi nhận nhiều cuộc gọi giả danh công an thông báo người dân liên quan đến vụ án',
    heading: 'Thủ đoạn',
    facts: ['Gọi điện tự xưng là công an, viện kiểm sát', 'Yêu cầu cài ứng dụng lạ và chuyển tiền', 'Thiệt hại đã ghi nhận: {m}'],
    advice: 'Công an không làm việc qua điện thoại và không yêu cầu chuyển tiền; người dân gọi ngay số 113 khi nhận cuộc gọi đáng ngờ.',
    tags: ['giả danh', 'lừa đảo'],
  },
  {
    words: ['đua xe', 'đua xe trái phép', 'cổ vũ đua xe'],
    kind: 'activity',
    category: 'Trật tự an toàn giao thông',
    titles: ['Ngăn chặn nhóm thanh thiếu niên tụ tập đua xe trái phép trên {dia}', 'Công an {xa} tạm giữ {n} xe máy tụ tập đua xe'],
    summary: 'Công an {xa} ngăn chặn nhóm thanh thiếu niên tụ tập đua xe trái phép trên {dia}, tạm giữ {n} xe máy.',
    lead: 'Tổ công tác Công an {xa} tuần tra trên {dia} vào ban đêm',
    heading: 'Kết quả',
    facts: ['Tạm giữ {n} xe máy', 'Mời {k} thanh thiếu niên về trụ sở làm việc', 'Thông báo cho gia đình và nhà trường'],
    advice: 'Phụ huynh quản lý chặt chẽ con em, không để các em tụ tập, cổ vũ đua xe trái phép.',
    tags: ['đua xe', 'giao thông'],
  },
  {
    words: ['tuyển sinh', 'tuyển sinh Công an nhân dân', 'sơ tuyển'],
    kind: 'announcement',
    category: 'Xây dựng lực lượng',
    titles: [
      'Thông báo tuyển sinh vào các trường Công an nhân dân năm {nam}',
      'Lịch sơ tuyển tuyển sinh Công an nhân dân năm {nam} tại {xa}',
    ],
    summary: 'Công an tỉnh Thanh Hóa thông báo sơ tuyển tuyển sinh vào các trường Công an nhân dân năm {nam}; hồ sơ nộp tại Công an {xa}.',
    lead: 'Công an tỉnh Thanh Hóa thông báo kế hoạch sơ tuyển cho kỳ tuyển sinh Công an nhân dân {nam}',
    heading: 'Hồ sơ',
    facts: ['Đơn đăng ký sơ tuyển', 'Bản sao học bạ và căn cước', 'Thời hạn nộp: {n} ngày kể từ ngày thông báo'],
    advice: 'Thí sinh theo dõi thông báo chính thức trên cổng thông tin của Công an tỉnh, không tin lời hứa hẹn “chạy” trường.',
    tags: ['tuyển sinh'],
  },
  {
    words: ['hiến máu', 'dân vận', 'thu hoạch lúa'],
    kind: 'activity',
    category: 'Xây dựng lực lượng',
    titles: ['Tuổi trẻ Công an tỉnh hiến máu tình nguyện tại {xa}', 'Công an {xa} ra quân giúp người dân thu hoạch lúa'],
    summary: 'Đoàn Thanh niên Công an tỉnh Thanh Hóa phối hợp Công an {xa} tổ chức chương trình tình nguyện với {k} đoàn viên tham gia.',
    lead: 'Đoàn Thanh niên Công an tỉnh Thanh Hóa tổ chức chương trình dân vận tại {xa}',
    heading: 'Hoạt động',
    facts: ['{k} đoàn viên tham gia', 'Tiếp nhận {n}0 đơn vị máu', 'Hỗ trợ {n} hộ gia đình khó khăn'],
    advice: 'Chương trình góp phần xây dựng hình ảnh người chiến sĩ Công an nhân dân vì nhân dân phục vụ.',
    tags: ['dân vận', 'hiến máu'],
  },
  {
    words: ['hàng giả', 'buôn lậu', 'hàng nhập lậu'],
    kind: 'press_release',
    category: 'Kinh tế',
    titles: ['Thu giữ {k} sản phẩm hàng giả, hàng nhập lậu tại {xa}', 'Phát hiện kho chứa hàng nhập lậu tại {dia}'],
    summary: 'Phòng Cảnh sát kinh tế kiểm tra kho hàng tại {xa}, phát hiện {k} sản phẩm không rõ nguồn gốc, trị giá khoảng {m}.',
    lead: 'Phòng Cảnh sát kinh tế Công an tỉnh Thanh Hóa kiểm tra một kho hàng tại {xa}',
    heading: 'Tang vật',
    facts: ['{k} sản phẩm không rõ nguồn gốc', 'Trị giá khoảng {m}', 'Lập biên bản tạm giữ để xử lý'],
    advice: 'Người tiêu dùng mua hàng ở nơi uy tín, kiểm tra tem nhãn và nguồn gốc sản phẩm.',
    tags: ['hàng giả', 'buôn lậu'],
  },
  {
    words: ['đuối nước', 'an toàn dịp hè', 'trẻ em'],
    kind: 'warning',
    category: 'Cứu hộ cứu nạn',
    titles: ['Cảnh báo nguy cơ đuối nước trẻ em dịp hè tại {xa}', 'Công an {xa} tìm kiếm người bị đuối nước trên {song}'],
    summary: 'Dịp hè, trên địa bàn {xa} đã xảy ra {n} vụ đuối nước. Công an tỉnh Thanh Hóa khuyến cáo gia đình quản lý chặt chẽ trẻ em.',
    lead: 'Trên {song} đoạn qua {xa} xảy ra vụ đuối nước',
    heading: 'Tình hình',
    facts: ['{n} vụ đuối nước từ đầu hè', 'Huy động {k} người tìm kiếm', 'Cắm biển cảnh báo tại các điểm nguy hiểm'],
    advice: 'Gia đình không để trẻ em bơi ở ao, hồ, sông suối khi không có người lớn đi kèm.',
    tags: ['đuối nước', 'trẻ em'],
  },
  {
    words: ['ứng dụng giả mạo', 'dịch vụ công', 'thông tin cá nhân'],
    kind: 'warning',
    category: 'Phòng chống tội phạm công nghệ cao',
    titles: [
      'Cảnh báo ứng dụng giả mạo dịch vụ công thu thập thông tin cá nhân',
      'Công an {xa} cảnh báo đường link giả mạo cổng dịch vụ công',
    ],
    summary:
      'Công an tỉnh Thanh Hóa phát hiện {n} ứng dụng giả mạo dịch vụ công, đánh cắp thông tin cá nhân và tài khoản ngân hàng của người dân.',
    lead: 'Phòng An ninh mạng và phòng chống tội phạm sử dụng công nghệ cao phát hiện các ứng dụng giả mạo dịch vụ công',
    heading: 'Dấu hiệu nhận biết',
    facts: [
      'Ứng dụng cài từ đường link lạ, không từ kho chính thức',
      'Yêu cầu quyền trợ năng và quyền đọc tin nhắn',
      '{n} trường hợp bị chiếm đoạt tài khoản',
    ],
    advice: 'Chỉ cài ứng dụng từ kho chính thức; không cấp quyền trợ năng cho ứng dụng lạ; báo ngay cho ngân hàng khi bị mất tài khoản.',
    tags: ['an ninh mạng', 'dịch vụ công'],
  },
  {
    words: ['tạm giữ', 'tìm chủ sở hữu', 'xe vi phạm'],
    kind: 'announcement',
    category: 'An ninh trật tự',
    titles: ['Thông báo tìm chủ sở hữu {k} xe máy bị tạm giữ tại Công an {xa}', 'Thông báo tìm chủ sở hữu tài sản thu giữ tại {dia}'],
    summary: 'Công an {xa} thông báo tìm chủ sở hữu {k} phương tiện bị tạm giữ; quá {n}0 ngày không có người nhận sẽ xử lý theo quy định.',
    lead: 'Công an {xa} đang tạm giữ các phương tiện vi phạm chưa xác định được chủ sở hữu',
    heading: 'Thủ tục nhận lại',
    facts: ['{k} phương tiện đang tạm giữ', 'Mang theo giấy tờ chứng minh quyền sở hữu', 'Thời hạn: {n}0 ngày kể từ ngày thông báo'],
    advice: 'Người có tài sản liên hệ Công an {xa} trong giờ hành chính để được hướng dẫn.',
    tags: ['tạm giữ'],
  },
]

const ROADS = [
  'Quốc lộ 1A',
  'Quốc lộ 45',
  'Quốc lộ 47',
  'Quốc lộ 217',
  'đường Hồ Chí Minh',
  'đại lộ Lê Lợi',
  'đường ven biển',
  'cao tốc Bắc – Nam',
  'chợ trung tâm',
  'bến xe phía Bắc',
]
const RIVERS = ['sông Mã', 'sông Chu', 'sông Yên', 'sông Bưởi', 'sông Lèn', 'sông Âm']

/** "Phường Hạc Thành" → "phường Hạc Thành" inside a sentence. */
function communeInSentence(c: Commune): string {
  return c.name.charAt(0).toLowerCase() + c.name.slice(1)
}

/** "Phường Hạc Thành" → "Hạc Thành". */
function communeShort(c: Commune): string {
  return c.name.replace(/^(Phường|Xã)\s+/u, '')
}

function money(rand: Rand): string {
  return rand() < 0.5 ? `${between(rand, 120, 950)} triệu đồng` : `${between(rand, 1, 98)},${between(rand, 1, 9)} tỷ đồng`
}

/** One generated release: Markdown for the edition, and the plain text the publish command would store. */
interface Generated {
  kind: ReleaseKind
  category: string
  title: string
  summary: string
  bodyMd: string
  /** `releaseToText` of the edition (title, summary, plain body), built without parsing Markdown. */
  searchText: string
  tags: string[]
  communes: string[]
  at: Date
}

/** Generates release number `i` (deterministic). */
function generate(i: number, codeTag = ''): Generated {
  const rand = mulberry32(0x5eed + i * 7919)
  const ev = pick(rand, EVENTS)
  const commune = pick(rand, COMMUNES)
  const neighbour = pick(rand, COMMUNES)
  const at = new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 1420 * 86_400_000))
  const vars: Record<string, string> = {
    xa: communeInSentence(commune),
    n: String(between(rand, 2, 15)),
    k: String(between(rand, 12, 480)),
    m: money(rand),
    dia: pick(rand, ROADS),
    song: pick(rand, RIVERS),
    nam: String(at.getUTCFullYear()),
  }
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '')
  const title = `${fill(pick(rand, ev.titles))}${codeTag}`
  const summary = fill(ev.summary).slice(0, 300)
  const date = `${at.getUTCDate()}/${at.getUTCMonth() + 1}/${at.getUTCFullYear()}`
  // Blocks of the body, as Markdown and as the plain text `stripMarkdown` makes of it.
  const lead = `Ngày ${date}, ${fill(ev.lead)}.`
  const facts = ev.facts.map(fill)
  const advice = fill(ev.advice)
  const also = `Công an ${communeInSentence(neighbour)} phối hợp xác minh, rà soát các trường hợp liên quan trên địa bàn.`
  const contact = 'Mọi thông tin liên hệ người phát ngôn Công an tỉnh Thanh Hóa, điện thoại 0237 3852 113.'
  const bodyMd = [lead, `## ${ev.heading}`, facts.map((f) => `- ${f}`).join('\n'), also, '## Khuyến cáo', advice, contact].join('\n\n')
  const plain = [lead, ev.heading, ...facts.map((f) => f.replace(/\*\*/g, '')), also, 'Khuyến cáo', advice, contact].join('\n')
  return {
    kind: ev.kind,
    category: ev.category,
    title,
    summary,
    bodyMd,
    searchText: [title, summary, plain].join('\n'),
    tags: ev.tags,
    communes: commune.code === neighbour.code ? [commune.code] : [commune.code, neighbour.code],
    at,
  }
}

/** Mixed reader queries: folded, with diacritics, quoted phrases, prefixes. */
function searchQueries(count: number): { q: string; kind: string }[] {
  const rand = mulberry32(0xfeed)
  const word = () => pick(rand, pick(rand, EVENTS).words)
  const place = () => communeShort(pick(rand, COMMUNES))
  const kinds = ['folded', 'diacritics', 'phrase', 'prefix'] as const
  const out: { q: string; kind: string }[] = []
  for (let i = 0; i < count; i++) {
    const kind = kinds[i % kinds.length] as (typeof kinds)[number]
    let q: string
    if (kind === 'folded') {
      const r = rand()
      q =
        r < 0.4
          ? `thanh hoa ${fold(word())}`
          : r < 0.7
            ? `${fold(word())} ${fold(place())}`
            : r < 0.85
              ? `thanh hoa ${fold(place())}`
              : `cong an ${fold(place())}`
    } else if (kind === 'diacritics') {
      const r = rand()
      q = r < 0.5 ? word() : r < 0.8 ? `${word()} ${place()}` : place()
    } else if (kind === 'phrase') {
      const r = rand()
      q = r < 0.5 ? `"${word()}"` : r < 0.8 ? `"${word()}" ${place()}` : `"${pick(rand, ['xã', 'phường'])} ${place()}"`
    } else {
      // Typing: the last word cut short (at least 2 letters, as the prefix rule wants).
      const base = rand() < 0.5 ? fold(word()) : rand() < 0.5 ? word() : `${fold(word())} ${fold(place())}`
      // A lone word keeps at least 3 letters ("chá", not "ch"); after other words, 2 ("lua da").
      const cut = base.length - between(rand, 1, 2)
      const lastSpace = base.lastIndexOf(' ')
      q = cut - lastSpace - 1 >= (lastSpace < 0 ? 3 : 2) ? base.slice(0, cut) : base
    }
    out.push({ q, kind })
  }
  return out
}

// ---------------------------------------------------------------------------------------
// Part 3: search over the bulk-loaded corpus

/** Inserts `count` generated releases as published rows, in multi-row batches; returns seconds. */
async function bulkLoad(
  database: { pool: pg.Pool },
  o: { tenantId: string; userId: string; spokespersonId: string; count: number },
): Promise<number> {
  const t0 = performance.now()
  let next = 0
  // Two batches in flight: one is generated and sent while the server writes the other.
  await Promise.all(
    [0, 1].map(async () => {
      for (let from = next; from < o.count; from = next) {
        next += BATCH
        const n = Math.min(BATCH, o.count - from)
        const cols = {
          id: [] as string[],
          eid: [] as string[],
          kind: [] as string[],
          slug: [] as string[],
          category: [] as string[],
          at: [] as string[],
          title: [] as string[],
          summary: [] as string[],
          body: [] as string[],
          text: [] as string[],
          tags: [] as string[],
          communes: [] as string[],
        }
        for (let j = 0; j < n; j++) {
          const i = from + j
          const g = generate(i)
          cols.id.push(randomUUID())
          cols.eid.push(randomUUID())
          cols.kind.push(g.kind)
          cols.slug.push(`${slugify(g.title).slice(0, 70)}-${i.toString(36)}`)
          cols.category.push(g.category)
          cols.at.push(g.at.toISOString())
          cols.title.push(g.title)
          cols.summary.push(g.summary)
          cols.body.push(g.bodyMd)
          cols.text.push(g.searchText)
          cols.tags.push(g.tags.join('|'))
          cols.communes.push(g.communes.join('|'))
        }
        const client = await database.pool.connect()
        try {
          await client.query('BEGIN')
          await client.query(
            `INSERT INTO releases (id, tenant_id, kind, status, slug, category, spokesperson_id, working_edition_id, published_edition_id,
           first_published_at, last_published_at, created_by, created_at, updated_at, search_title, search_text)
         SELECT u.id, $1, u.kind, 'published', u.slug, u.category, $2, u.eid, u.eid, u.at, u.at, $3, u.at, u.at, u.title, u.text
         FROM unnest($4::uuid[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::timestamptz[], $10::text[], $11::text[])
           AS u(id, eid, kind, slug, category, at, title, text)`,
            [
              o.tenantId,
              o.spokespersonId,
              o.userId,
              cols.id,
              cols.eid,
              cols.kind,
              cols.slug,
              cols.category,
              cols.at,
              cols.title,
              cols.text,
            ],
          )
          await client.query(
            `INSERT INTO release_editions (id, tenant_id, release_id, number, status, title, summary, body_md, category, tags, communes,
           created_by, created_at, updated_at, submitted_by, submitted_at, approved_by, approved_at, published_at)
         SELECT u.eid, $1, u.id, 1, 'published', u.title, u.summary, u.body, u.category, string_to_array(u.tags, '|'), string_to_array(u.communes, '|'),
           $2, u.at, u.at, $2, u.at, $2, u.at, u.at
         FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[])
           AS u(id, eid, title, summary, body, category, tags, communes, at)`,
            [
              o.tenantId,
              o.userId,
              cols.id,
              cols.eid,
              cols.title,
              cols.summary,
              cols.body,
              cols.category,
              cols.tags,
              cols.communes,
              cols.at,
            ],
          )
          await client.query('COMMIT')
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined)
          throw e
        } finally {
          client.release()
        }
      }
    }),
  )
  return (performance.now() - t0) / 1000
}

/** Runs the search part; returns its verdict. */
/** Loads the generated corpus (BENCH_RELEASES releases), builds its indexes and ANALYZEs it: what the search and verify parts read. */
async function loadCorpus(database: { pool: pg.Pool }, o: { tenantId: string; userId: string; spokespersonId: string }): Promise<void> {
  // The plain text built by the generator must be what the publish command would store.
  for (let i = 0; i < 50; i++) {
    const g = generate(i)
    const expected = [g.title, g.summary, stripMarkdown(g.bodyMd)].join('\n')
    if (expected !== g.searchText)
      throw new Error(`generated search text differs from releaseToText for #${i}:\n${expected}\n---\n${g.searchText}`)
  }
  // The GIN indexes of releases (releases_search, over search_vector and search_pairs) are built
  // once after the load (their exact definitions read back from the catalogue), as one would for
  // a bulk import; maintaining them row by row is several times slower.
  const defs = await database.pool.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'releases' AND indexdef LIKE '% USING gin %' ORDER BY indexname`,
  )
  if (!defs.rows.some((d) => d.indexname === 'releases_search')) throw new Error('index releases_search not found')
  for (const d of defs.rows) await database.pool.query(`DROP INDEX ${d.indexname}`)
  const loadSeconds = await bulkLoad(database, { ...o, count: RELEASES })
  const ti = performance.now()
  for (const d of defs.rows) await database.pool.query(d.indexdef)
  const indexSeconds = (performance.now() - ti) / 1000
  const tv = performance.now()
  await database.pool.query('VACUUM (ANALYZE) releases, release_editions')
  const vacuumSeconds = (performance.now() - tv) / 1000
  const size = await database.pool.query<{ rel: string; idx: string; n: number }>(
    `SELECT pg_size_pretty(pg_total_relation_size('releases')) AS rel,
       (SELECT string_agg(indexname || ' ' || pg_size_pretty(pg_relation_size(indexname::regclass)), ', ' ORDER BY indexname)
          FROM pg_indexes WHERE tablename = 'releases' AND indexdef LIKE '% USING gin %') AS idx,
       (SELECT count(*)::int FROM releases) AS n`,
  )
  const s = size.rows[0]
  console.log(
    `search: loaded ${fmt(RELEASES)} releases in ${fmt(loadSeconds, 1)} s (${fmt(RELEASES / loadSeconds)} rows/s, batches of ${BATCH}), ` +
      `GIN indexes built in ${fmt(indexSeconds, 1)} s, VACUUM (ANALYZE) ${fmt(vacuumSeconds, 1)} s; ` +
      `${fmt(s?.n ?? 0)} rows, releases ${s?.rel} total, GIN ${s?.idx}; load average ${load()}`,
  )
}

/** Runs the search part on the loaded corpus; returns its verdict. */
async function searchPart(database: { pool: pg.Pool }, o: { tenantId: string }): Promise<Verdict> {
  // A Drizzle handle that remembers the statements of the current search, to explain the slowest.
  type Statement = { query: string; params: unknown[] }
  let statements: Statement[] = []
  const db = drizzle(database.pool, {
    logger: {
      logQuery(query: string, params: unknown[]) {
        statements.push({ query, params })
      },
    },
  }) as unknown as Db

  const search = async (q: string) => {
    statements = []
    const tsq = toTsQuery(parseSearchQuery(q))
    if (!tsq) return { rows: [] as Awaited<ReturnType<typeof searchPublicReleases>>, sql: [] as Statement[] }
    const rows = await searchPublicReleases(db, o.tenantId, tsq, { limit: PER_PAGE + 1 })
    return { rows, sql: statements }
  }

  const queries = searchQueries(QUERIES)
  for (const { q } of queries.slice(0, Math.min(40, queries.length))) await search(q) // warm-up
  const timings: { q: string; kind: string; ms: number; total: number; sql: Statement[] }[] = []
  for (const { q, kind } of queries) {
    const t0 = performance.now()
    const r = await search(q)
    timings.push({ q, kind, ms: performance.now() - t0, total: r.rows[0]?.total ?? 0, sql: r.sql })
  }

  // Reference: primary-key lookups of releases in the same database, through the same Drizzle handle.
  const ids = (await database.pool.query<{ id: string }>('SELECT id FROM releases ORDER BY random() LIMIT $1', [QUERIES])).rows.map(
    (r) => r.id,
  )
  for (const id of ids.slice(0, 40)) await db.select({ id: releases.id, slug: releases.slug }).from(releases).where(eq(releases.id, id))
  const pk: number[] = []
  for (const id of ids) {
    const t0 = performance.now()
    const [row] = await db
      .select({ id: releases.id, slug: releases.slug, title: releases.searchTitle })
      .from(releases)
      .where(eq(releases.id, id))
    pk.push(performance.now() - t0)
    if (!row) throw new Error(`release ${id} not found by its primary key`)
  }

  const ms = timings.map((t) => t.ms)
  const [p50, p95, p99] = [pct(ms, 50), pct(ms, 95), pct(ms, 99)]
  const [r50, r95] = [pct(pk, 50), pct(pk, 95)]
  const empty = timings.filter((t) => t.total === 0).length
  console.log(
    `search: ${timings.length} queries, one at a time, ${PER_PAGE + 1} rows each (parseSearchQuery → toTsQuery → searchPublicReleases): ` +
      `p50 ${fmt(p50, 1)} ms  p95 ${fmt(p95, 1)} ms  p99 ${fmt(p99, 1)} ms  max ${fmt(Math.max(...ms), 1)} ms; ${empty} without hits`,
  )
  for (const kind of ['folded', 'diacritics', 'phrase', 'prefix']) {
    const of = timings.filter((t) => t.kind === kind)
    const hits = of.map((t) => t.total)
    console.log(
      `  ${kind.padEnd(10)} ${String(of.length).padStart(4)} queries  p50 ${fmt(
        pct(
          of.map((t) => t.ms),
          50,
        ),
        1,
      ).padStart(7)} ms  p95 ${fmt(
        pct(
          of.map((t) => t.ms),
          95,
        ),
        1,
      ).padStart(7)} ms   hits median ${fmt(pct(hits, 50))}, max ${fmt(Math.max(0, ...hits))}`,
    )
  }
  console.log(`  reference: primary-key lookup of a release, ${pk.length} times: p50 ${fmt(r50, 2)} ms  p95 ${fmt(r95, 2)} ms`)
  console.log(`  ratio search / primary-key lookup: p50 ${fmt(p50 / r50, 1)}×, p95 ${fmt(p95 / r95, 1)}×`)
  console.log('  hits for a few queries (total matches, first title):')
  for (const q of [
    'thanh hoa lua dao',
    'Hạc Thành',
    '"đánh bạc qua mạng"',
    'ma tu',
    '"tín dụng đen" Sầm Sơn',
    'cong an xa quang phu',
    'nồng độ cồn -"quốc lộ"',
  ]) {
    const r = await search(q)
    console.log(`    ${JSON.stringify(q).padEnd(30)} ${fmt(r.rows[0]?.total ?? 0).padStart(7)}  ${r.rows[0]?.title ?? '—'}`)
  }
  const slowest = [...timings].sort((a, b) => b.ms - a.ms).slice(0, 5)
  console.log(`  slowest: ${slowest.map((t) => `${JSON.stringify(t.q)} ${fmt(t.ms, 0)} ms (${fmt(t.total)} hits)`).join('; ')}`)
  const worst = slowest[0]
  if (worst && p95 > TARGET_SEARCH_P95_MS) {
    // Every statement of the slowest search, timed by the server; the plan of the longest.
    const plans: { query: string; ms: number; lines: string[] }[] = []
    for (const st of worst.sql) {
      const plan = await database.pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${st.query}`, st.params)
      const lines = plan.rows.map((r) => r['QUERY PLAN'])
      const ms = Number(lines.find((l) => l.startsWith('Execution Time'))?.match(/([\d.]+) ms/)?.[1] ?? Number.NaN)
      plans.push({ query: st.query, ms, lines })
    }
    console.log(`  statements of ${JSON.stringify(worst.q)} (server execution time, explained again):`)
    for (const p of plans) console.log(`    ${fmt(p.ms, 2).padStart(8)} ms  ${p.query.replace(/\s+/g, ' ').slice(0, 150)}`)
    const longest = [...plans].sort((a, b) => b.ms - a.ms)[0]
    if (longest) {
      console.log(`  EXPLAIN ANALYZE of its longest statement:`)
      for (const line of longest.lines.slice(0, 48)) console.log(`    ${line}`)
    }
  }
  return {
    name: `search p95 (${fmt(RELEASES)} releases)`,
    figure: `${fmt(p95, 1)} ms (p50 ${fmt(p50, 1)}, p99 ${fmt(p99, 1)})`,
    target: `≤ ${TARGET_SEARCH_P95_MS} ms`,
    met: p95 <= TARGET_SEARCH_P95_MS,
    ratio: `${fmt(p95 / r95, 1)}× PK lookup p95 (${fmt(r95, 2)} ms)`,
  }
}

// ---------------------------------------------------------------------------------------
// Part 4: verifying a pasted copy against the corpus

/**
 * `/xac-minh` with a pasted text: `compareText` (candidates from the full-text index, then a
 * word alignment with each) for copies of random releases — a third whole, a third altered (a
 * number and a sentence changed), a third an excerpt of the body — one at a time. Each must
 * name the release it was copied from, with the right verdict. Reference in the same run: the
 * newsroom search for the same release's title.
 */
async function verifyPart(db: Db, tenantId: string, round = 1): Promise<Verdict> {
  const rand = mulberry32(0xc0b1e5)
  const copies: { i: number; kind: 'identical' | 'altered' | 'excerpt'; text: string; title: string }[] = []
  for (let k = 0; k < VERIFY_COPIES; k++) {
    const i = Math.floor(rand() * RELEASES)
    const g = generate(i)
    const body = stripMarkdown(g.bodyMd)
    const kind = (['identical', 'altered', 'excerpt'] as const)[k % 3] as 'identical' | 'altered' | 'excerpt'
    let text = [g.title, g.summary, body].join('\n')
    if (kind === 'altered')
      text = `${text.replace(/\d+/, (d) => String(Number(d) + 7))}\nTheo nguồn tin riêng, vụ việc còn nghiêm trọng hơn nhiều.`
    if (kind === 'excerpt') {
      const sentences = body.split(/(?<=\.)\s+/)
      text = sentences.slice(Math.floor(sentences.length / 3), Math.floor(sentences.length / 3) + 2).join(' ')
    }
    copies.push({ i, kind, text, title: g.title })
  }
  for (const c of copies.slice(0, 5)) await compareText(db, tenantId, c.text)
  const ms: number[] = []
  const wrong: string[] = []
  for (const c of copies) {
    const t0 = performance.now()
    const out = await compareText(db, tenantId, c.text)
    ms.push(performance.now() - t0)
    const edition = out.type === 'text' && 'found' in out ? out.found.edition : null
    const found = edition?.title ?? null
    const verdict = out.type === 'text' ? out.verdict : out.type
    // An excerpt of templated text can be word for word in another release too: finding that one is right.
    const alsoHolds =
      c.kind === 'excerpt' &&
      verdict === 'excerpt' &&
      !!edition &&
      normalizeForCompare(editionText(edition).full).includes(normalizeForCompare(c.text))
    if ((found !== c.title && !alsoHolds) || verdict !== c.kind)
      wrong.push(
        `#${c.i} ${c.kind} → ${verdict} ${found === c.title ? '(right release)' : `(found ${JSON.stringify(found?.slice(0, 40) ?? null)})`}`,
      )
  }
  const ref: number[] = []
  for (const c of copies) {
    const tsq = toTsQuery(parseSearchQuery(c.title))
    if (!tsq) continue
    const t0 = performance.now()
    await searchPublicReleases(db, tenantId, tsq, { limit: PER_PAGE + 1 })
    ref.push(performance.now() - t0)
  }
  const [p50, p95] = [pct(ms, 50), pct(ms, 95)]
  const r95 = pct(ref, 95)
  console.log(
    `verify${round > 1 ? ` (round ${round}, statistics sampled anew)` : ''}: ${copies.length} pasted copies (whole, altered, excerpt), one at a time, compareText over ${fmt(RELEASES)} releases: ` +
      `p50 ${fmt(p50, 1)} ms  p95 ${fmt(p95, 1)} ms  max ${fmt(Math.max(...ms), 1)} ms; right release and verdict ${copies.length - wrong.length}/${copies.length}`,
  )
  for (const kind of ['identical', 'altered', 'excerpt'] as const) {
    const of = copies.map((c, k) => ({ c, ms: ms[k] as number })).filter((x) => x.c.kind === kind)
    console.log(
      `  ${kind.padEnd(9)} p50 ${fmt(
        pct(
          of.map((x) => x.ms),
          50,
        ),
        1,
      )} ms  p95 ${fmt(
        pct(
          of.map((x) => x.ms),
          95,
        ),
        1,
      )} ms (${of.length} copies, ~${fmt(of.reduce((n, x) => n + x.c.text.length, 0) / of.length)} characters)`,
    )
  }
  if (wrong.length) console.log(`  wrong: ${wrong.slice(0, 8).join('; ')}`)
  console.log(`  reference: the search for the same releases' titles, p50 ${fmt(pct(ref, 50), 1)} ms  p95 ${fmt(r95, 1)} ms`)
  return {
    name: `verify a pasted copy (${fmt(RELEASES)})${round > 1 ? `, round ${round}` : ''}`,
    figure: `p95 ${fmt(p95, 1)} ms (p50 ${fmt(p50, 1)}); ${copies.length - wrong.length}/${copies.length} right`,
    target: 'none set',
    met: null,
    ratio: `${fmt(p95 / r95, 1)}× title search p95 (${fmt(r95, 1)} ms)`,
  }
}

// ---------------------------------------------------------------------------------------
// Part 1: a release page under wrk, beside nginx

function nginxConf(dir: string, port: number): string {
  const tmp = path.join(dir, 'nginx-tmp')
  return `daemon off;
worker_processes 2;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'nginx-error.log')} warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  default_type text/html;
  charset utf-8;
  client_body_temp_path ${tmp}/client;
  proxy_temp_path ${tmp}/proxy;
  fastcgi_temp_path ${tmp}/fastcgi;
  uwsgi_temp_path ${tmp}/uwsgi;
  scgi_temp_path ${tmp}/scgi;
  server {
    listen 127.0.0.1:${port};
    root ${path.join(dir, 'www')};
    location / { try_files $uri =404; }
  }
}
`
}

async function pagePart(dir: string, base: string, slug: string): Promise<Verdict | null> {
  const wrkBin = findExecutable('wrk')
  const nginxBin = findExecutable('nginx')
  if (!wrkBin || !nginxBin) {
    console.log(
      `page: ${[wrkBin ? '' : 'wrk', nginxBin ? '' : 'nginx'].filter(Boolean).join(' and ')} not installed — skipped. Install with: apt-get install -y nginx wrk`,
    )
    return null
  }
  const url = `${base}/tin/${slug}`
  // The bytes wrk gets: it sends no Accept-Encoding, so the app answers with the raw Buffer.
  const first = await fetch(url, { headers: { 'accept-encoding': 'identity' } })
  const bytes = Buffer.from(await first.arrayBuffer())
  if (first.status !== 200) throw new Error(`GET /tin/${slug} answered ${first.status}`)
  const again = await fetch(url, { headers: { 'accept-encoding': 'identity' } })
  await again.arrayBuffer()
  const gz = await rawGet(url, { 'accept-encoding': 'gzip' })
  let headerBytes = 0
  again.headers.forEach((v, k) => {
    headerBytes += k.length + v.length + 4
  })
  console.log(
    `page: /tin/${slug}: ${fmt(bytes.length)} bytes (${gz.encoding === 'gzip' ? `${fmt(gz.bytes)} bytes gzip when asked` : 'no gzip offered'}), ` +
      `x-cache ${first.headers.get('x-cache')} then ${again.headers.get('x-cache')}, etag ${again.headers.get('etag') ? 'yes' : 'no'}, ~${fmt(headerBytes)} bytes of headers`,
  )

  const www = path.join(dir, 'www', 'tin')
  await mkdir(www, { recursive: true })
  await mkdir(path.join(dir, 'nginx-tmp'), { recursive: true })
  await writeFile(path.join(www, slug), bytes)
  const port = await freePort()
  const conf = path.join(dir, 'nginx.conf')
  await writeFile(conf, nginxConf(dir, port))
  const log = path.join(dir, 'nginx.log')
  let nginx: ChildProcess | undefined
  try {
    nginx = startProcess(nginxBin, ['-p', `${dir}/`, '-e', path.join(dir, 'nginx-error.log'), '-c', conf], process.env, log)
    const nginxUrl = `http://127.0.0.1:${port}/tin/${slug}`
    await waitReady(nginxUrl, nginx, log, 15_000)
    const same = Buffer.from(await (await fetch(nginxUrl, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer())
    if (!same.equals(bytes)) throw new Error('nginx does not serve the same bytes as the app')

    await wrk(nginxUrl, { duration: '2s' })
    await wrk(url, { duration: '2s' })
    const loadBefore = load()
    const ref = await wrk(nginxUrl)
    const app = await wrk(url)
    // Not a target: the framework's floor in the same process (routing, hooks, headers), to
    // tell the page cache's cost from the server's.
    const floor = await wrk(`${base}/healthz`)
    const check = await fetch(url, { headers: { 'accept-encoding': 'identity' } })
    await check.arrayBuffer()
    const row = (label: string, r: WrkResult) =>
      `  ${label.padEnd(38)} ${fmt(r.rps).padStart(8)} req/s   p50 ${fmt(r.p50Ms, 2).padStart(7)} ms   p99 ${fmt(r.p99Ms, 2).padStart(7)} ms   errors ${r.errors}`
    console.log(
      `page: wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION} --latency, ${cpus().length} cores shared by wrk, nginx and the app; load average before ${loadBefore}, after ${load()}`,
    )
    console.log(row('reference: nginx, same bytes (static)', ref))
    console.log(row(`donghanh serve (${WEB_PROCESSES} web proc.) GET /tin/<slug>`, app))
    console.log(row('(floor) donghanh serve GET /healthz', floor))
    const ratio = app.rps / ref.rps
    console.log(
      `  ratio app / nginx: ${fmt(ratio, 2)}× req/s (target ≥ ${TARGET_PAGE_RATIO}×), p99 ${fmt(app.p99Ms / ref.p99Ms, 1)}× nginx's; page ${fmt(app.rps / floor.rps, 2)}× /healthz; x-cache after the run: ${check.headers.get('x-cache')}`,
    )
    const failed = [ref, app, floor].filter((r) => r.errors > 0 || r.requests === 0)
    if (failed.length > 0) throw new Error(`wrk saw errors:\n${failed.map((r) => r.raw).join('\n')}`)
    return {
      name: 'release page, app / nginx',
      figure: `${fmt(app.rps)} req/s, p99 ${fmt(app.p99Ms, 1)} ms`,
      target: `≥ ${TARGET_PAGE_RATIO}× nginx`,
      met: ratio >= TARGET_PAGE_RATIO,
      ratio: `${fmt(ratio, 2)}× nginx (${fmt(ref.rps)} req/s, p99 ${fmt(ref.p99Ms, 1)} ms)`,
    }
  } catch (e) {
    process.stderr.write(`nginx log (tail):\n${tail(path.join(dir, 'nginx-error.log'))}\n`)
    throw e
  } finally {
    await stop(nginx)
  }
}

// ---------------------------------------------------------------------------------------
// Part 2: freshness

interface Publisher {
  pool: pg.Pool
  db: Db
  tenantId: string
  editor: { id: string; label: string }
  approver: { id: string; label: string }
  spokespersonId: string
}

/** Creates and submits release `i` (not timed); returns its id, slug and search code. */
async function prepare(p: Publisher, i: number, run: string): Promise<{ id: string; slug: string; code: string }> {
  const code = `bx${String(i).padStart(4, '0')}z${run}`
  const g = generate(RELEASES + 1000 + i, ` (mã tin ${code})`)
  const { releaseId } = await withTransaction(p.pool, (tx) =>
    createRelease({
      tx,
      tenantId: p.tenantId,
      actor: p.editor,
      kind: g.kind,
      spokespersonId: p.spokespersonId,
      content: { title: g.title, summary: g.summary, bodyMd: g.bodyMd, category: g.category, tags: g.tags, communes: g.communes },
    }),
  )
  const loadIt = async (tx: Parameters<typeof submitRelease>[0]['tx']) => {
    const r = await unsafeLoadRelease(tx, p.tenantId, releaseId)
    if (!r) throw new Error(`release ${releaseId} vanished`)
    return r
  }
  await runAudited(p.pool, async (tx) => submitRelease({ tx, release: await loadIt(tx), actor: p.editor }))
  const r = await unsafeLoadRelease(p.db, p.tenantId, releaseId)
  return { id: releaseId, slug: r?.release.slug ?? '', code }
}

/** Approves (publishes now) release `id`; resolves after the commit. */
async function publish(p: Publisher, id: string): Promise<void> {
  await runAudited(p.pool, async (tx) => {
    const r = await unsafeLoadRelease(tx, p.tenantId, id)
    if (!r) throw new Error(`release ${id} vanished`)
    await approveRelease({ tx, release: r, actor: p.approver, mode: 'now' })
  })
}

/** Polls `check` until it is true; returns the instant it was (performance.now()), or NaN at the deadline. */
async function until(check: () => Promise<boolean>, deadline: number): Promise<number> {
  while (performance.now() < deadline) {
    if (await check()) return performance.now()
    await sleep(POLL_MS)
  }
  return Number.NaN
}

async function get(url: string): Promise<{ status: number; body: string; cache: string | null; ms: number }> {
  const t0 = performance.now()
  const res = await fetch(url)
  const body = await res.text()
  return { status: res.status, body, cache: res.headers.get('x-cache'), ms: performance.now() - t0 }
}

async function freshnessPart(p: Publisher, db: Db, base: string): Promise<Verdict> {
  const run = Math.random().toString(36).slice(2, 6)
  const http: number[] = []
  const direct: number[] = []
  const publishMs: number[] = []
  const lastSurface: Record<string, number> = { page: 0, feed: 0, search: 0 }
  const rtt: number[] = []
  let primedHits = 0
  let primed = 0
  let missed = 0
  for (let i = 0; i < PUBLISHES * 2; i++) {
    const viaHttp = i % 2 === 0
    const { id, slug, code } = await prepare(p, i, run)
    const pageUrl = `${base}/tin/${slug}`
    const feedUrl = `${base}/rss.xml`
    const searchUrl = `${base}/api/v1/releases?q=${encodeURIComponent(code)}`
    const inSearch = (body: string) => (JSON.parse(body) as { items: { slug: string }[] }).items.some((it) => it.slug === slug)
    if (viaHttp) {
      // Prime the cache: the feed and the search are stored (the page is a 404, never stored);
      // the second request of each must be a hit, or the invalidation would not be measured.
      for (const url of [feedUrl, searchUrl]) {
        await get(url)
        const again = await get(url)
        primed++
        if (again.cache === 'hit') primedHits++
        rtt.push(again.ms)
        if (url === feedUrl ? again.body.includes(`/tin/${slug}`) : inSearch(again.body))
          throw new Error(`${slug} visible before it was published`)
      }
      if ((await get(pageUrl)).status !== 404) throw new Error(`/tin/${slug} answered before it was published`)
    }
    const t0 = performance.now()
    await publish(p, id)
    const committed = performance.now()
    publishMs.push(committed - t0)
    const deadline = committed + FRESHNESS_TIMEOUT_MS
    let seen: number[]
    if (viaHttp) {
      seen = await Promise.all([
        until(async () => (await get(pageUrl)).status === 200, deadline),
        until(async () => (await get(feedUrl)).body.includes(`/tin/${slug}`), deadline),
        until(async () => {
          const r = await get(searchUrl)
          return r.status === 200 && inSearch(r.body)
        }, deadline),
      ])
    } else {
      // Reference: the public visibility queries themselves, uncached, from this process.
      const tsq = toTsQuery(parseSearchQuery(code))
      if (!tsq) throw new Error(`no tsquery for ${code}`)
      seen = await Promise.all([
        until(async () => {
          const f = await findPublicRelease(db, p.tenantId, slug)
          return !!f && 'release' in f
        }, deadline),
        until(async () => (await listPublicReleases(db, p.tenantId, { limit: FEED_SIZE })).some((r) => r.slug === slug), deadline),
        until(
          async () => (await searchPublicReleases(db, p.tenantId, tsq, { limit: PER_PAGE + 1 })).some((r) => r.slug === slug),
          deadline,
        ),
      ])
    }
    if (seen.some((t) => Number.isNaN(t))) {
      missed++
      ;(viaHttp ? http : direct).push(Number.POSITIVE_INFINITY)
      continue
    }
    const lastAt = Math.max(...seen)
    ;(viaHttp ? http : direct).push(lastAt - committed)
    if (viaHttp) {
      const surface = ['page', 'feed', 'search'][seen.indexOf(lastAt)] as string
      lastSurface[surface] = (lastSurface[surface] ?? 0) + 1
    }
  }
  const line = (label: string, v: number[]) =>
    `  ${label.padEnd(52)} p50 ${fmt(pct(v, 50), 1).padStart(6)} ms  p95 ${fmt(pct(v, 95), 1).padStart(6)} ms  p99 ${fmt(pct(v, 99), 1).padStart(6)} ms  max ${fmt(Math.max(...v), 1).padStart(6)} ms`
  console.log(
    `freshness: ${PUBLISHES} publishes measured over HTTP + ${PUBLISHES} interleaved for the reference, each create → submit → approve now (four-eyes) through the commands; ` +
      `polling every ${POLL_MS} ms; load average ${load()}`,
  )
  console.log(`  cache primed before each HTTP publish: ${primedHits}/${primed} second requests were hits (x-cache: hit)`)
  console.log(line('publish command (approve now), to commit', publishMs))
  console.log(line('commit → visible on page, /rss.xml and search API', http))
  console.log(line('reference: commit → visible to direct SQL reads', direct))
  console.log(
    `  reference: one cached GET round trip (feed or search, hit): p50 ${fmt(pct(rtt, 50), 2)} ms  p99 ${fmt(pct(rtt, 99), 2)} ms`,
  )
  console.log(
    `  last surface to show it: page ${lastSurface.page}, feed ${lastSurface.feed}, search ${lastSurface.search}; not visible within ${FRESHNESS_TIMEOUT_MS / 1000} s: ${missed}`,
  )
  const p99 = pct(http, 99)
  console.log(`  ratio p99 HTTP / direct SQL: ${fmt(p99 / pct(direct, 99), 1)}×; p50 ${fmt(pct(http, 50) / pct(direct, 50), 1)}×`)
  return {
    name: 'freshness publish → visible p99',
    figure: `${fmt(p99, 1)} ms (p50 ${fmt(pct(http, 50), 1)}, max ${fmt(Math.max(...http), 1)})`,
    target: `≤ ${TARGET_FRESHNESS_P99_MS} ms`,
    met: missed === 0 && p99 <= TARGET_FRESHNESS_P99_MS,
    ratio: `${fmt(p99 / pct(direct, 99), 1)}× direct SQL p99 (${fmt(pct(direct, 99), 1)} ms)`,
  }
}

// ---------------------------------------------------------------------------------------

/** Runs the three newsroom benchmarks and prints their figures, targets and ratios. */
export async function run(): Promise<void> {
  const unknownParts = [...PARTS].filter((p) => !(PART_NAMES as readonly string[]).includes(p))
  if (unknownParts.length > 0 || PARTS.size === 0)
    throw new Error(
      `BENCH_RELEASES_PARTS: unknown part(s) ${unknownParts.join(', ') || '(none given)'}; choose from ${PART_NAMES.join(', ')}`,
    )
  const loadStart = load()
  console.log(`releases: load average at start ${loadStart} (${cpus().length} cores)`)
  const dir = await mkdtemp(path.join(tmpdir(), 'donghanh-bench-releases-'))
  // As root the embedded server runs as `postgres`, which must be able to enter the folder.
  await chmod(dir, 0o755)
  const appLog = path.join(dir, 'serve.log')
  let embedded: Awaited<ReturnType<typeof startEmbedded>> | undefined
  let database: Awaited<ReturnType<typeof connect>> | undefined
  let app: ChildProcess | undefined
  const onSignal = () => {
    for (const child of running) if (child.pid) process.kill(child.pid, 'SIGKILL')
    void Promise.resolve(embedded?.stop())
      .then(() => rm(dir, { recursive: true, force: true }))
      .finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  const verdicts: Verdict[] = []
  try {
    const t0 = performance.now()
    embedded = await startEmbedded(path.join(dir, 'postgres'))
    const databaseUrl = await ensureDatabase(embedded.url, 'donghanh')
    database = await connect(loadConfig({ DATABASE_URL: databaseUrl }))
    await migrate(database.pool)
    const tenant = await ensureDefaultTenant(database.db)
    const made = await database.db
      .insert(users)
      .values([
        { tenantId: tenant.id, email: 'bench-editor@example.vn', name: 'Biên tập (bench)', role: 'editor', status: 'active' },
        { tenantId: tenant.id, email: 'bench-approver@example.vn', name: 'Phê duyệt (bench)', role: 'approver', status: 'active' },
      ])
      .returning({ id: users.id, email: users.email })
    const editor = { id: made[0]?.id as string, label: made[0]?.email as string }
    const approver = { id: made[1]?.id as string, label: made[1]?.email as string }
    const { id: spokespersonId } = await withTransaction(database.pool, (tx) =>
      saveSpokesperson({
        tx,
        tenantId: tenant.id,
        actor: { id: null, label: 'bench' },
        input: {
          name: 'Đại tá Trịnh Văn Hải',
          title: 'Phó Giám đốc Công an tỉnh, người phát ngôn',
          phone: '0237 3852 113',
          email: 'phatngon@congan.vn',
        },
      }),
    )
    console.log(
      `releases: set-up ${fmt((performance.now() - t0) / 1000, 1)} s (embedded PostgreSQL, migrations, tenant, editor, approver, spokesperson)`,
    )

    // 3. Search (and verify) first, with nothing else running; the server benches then run on the full newsroom.
    if (PARTS.has('search') || PARTS.has('verify')) await loadCorpus(database, { tenantId: tenant.id, userId: editor.id, spokespersonId })
    if (PARTS.has('search')) verdicts.push(await searchPart(database, { tenantId: tenant.id }))
    if (PARTS.has('verify')) verdicts.push(await verifyPart(database.db, tenant.id))
    // The probes are chosen by ANALYZE's sampled statistics: each further round samples anew and
    // reads them through a new pool (the statistics are cached per pool).
    for (let round = 2; PARTS.has('verify') && round <= VERIFY_ROUNDS; round++) {
      await database.pool.query('ANALYZE releases')
      const again = await connect(loadConfig({ DATABASE_URL: databaseUrl }))
      try {
        verdicts.push(await verifyPart(again.db, tenant.id, round))
      } finally {
        await again.pool.end()
      }
    }

    if (PARTS.has('page') || PARTS.has('freshness')) {
      // One release published through the commands: the page under wrk.
      const publisher: Publisher = { pool: database.pool, db: database.db, tenantId: tenant.id, editor, approver, spokespersonId }
      const page = await prepare(publisher, 9999, 'page')
      await publish(publisher, page.id)

      const port = await freePort()
      const base = `http://127.0.0.1:${port}`
      app = startProcess(
        process.execPath,
        ['--import', 'tsx', path.join(ROOT, 'src/main.ts'), 'serve'],
        {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_URL: databaseUrl,
          PUBLIC_URL: base,
          LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
          DATA_DIR: dir,
          // As many web processes as nginx has workers (worker_processes 2), unless set.
          WEB_CONCURRENCY: WEB_PROCESSES,
        },
        appLog,
      )
      await waitReady(`${base}/healthz`, app, appLog)

      // 1. The page beside nginx.
      if (PARTS.has('page')) {
        const pageVerdict = await pagePart(dir, base, page.slug)
        if (pageVerdict) verdicts.push(pageVerdict)
      }

      // 2. Freshness.
      if (PARTS.has('freshness')) verdicts.push(await freshnessPart(publisher, database.db, base))
      await stop(app)
    }

    console.log(`\nreleases: summary (load average at start ${loadStart}, at end ${load()})`)
    for (const v of verdicts) {
      const met = v.met === null ? 'n/a' : v.met ? 'met' : 'NOT met'
      console.log(`  ${v.name.padEnd(34)} ${v.figure.padEnd(40)} target ${v.target.padEnd(12)} ${met.padEnd(8)} ${v.ratio}`)
    }
  } catch (e) {
    if (app) process.stderr.write(`serve log (tail):\n${tail(appLog)}\n`)
    throw e
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    for (const child of [...running]) await stop(child)
    await database?.close()
    await embedded?.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
