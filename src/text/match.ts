/**
 * Claim matching for the verification desk: does a new submission say the same thing as a
 * claim we already have? Vietnamese-aware (with or without diacritics, teencode and
 * abbreviations, typos, word order, paraphrase) and deliberately suspicious of "same topic,
 * different claim" (other number, other place, negated, other action or victim).
 *
 * Two layers:
 * - {@link similarity} scores one pair. The score is corpus-independent, so the batch CLI, the
 *   index and the desk all give the same number for the same pair.
 * - {@link ClaimIndex} keeps many claims in memory (inverted index over folded syllables, posting
 *   lists in typed arrays), proposes candidates by rare-token overlap (IDF) and rescores the best
 *   few hundred with {@link similarity}.
 *
 * Thresholds were chosen on the hand-labelled pairs in `fixtures/claim-pairs.tsv`
 * (see `eval-match.ts`).
 */
import { fold, normalizeText, tokenize } from './normalize.ts'

// ---------------------------------------------------------------------------
// Public constants

/**
 * Score at or above which a candidate is shown to staff (and, for published verdicts, to the
 * submitter as "có phải bạn muốn hỏi…"). Chosen on the even rows of the labelled set as the
 * highest threshold that keeps recall ≥ 0.90 for `same` pairs.
 */
export const SUGGEST_THRESHOLD = 0.69

/**
 * Score at or above which two claims are merged automatically (only when both texts have at
 * least {@link MERGE_MIN_SYLLABLES} syllables). Chosen on the even rows of the labelled set as
 * the lowest threshold whose precision is ≥ 0.97.
 */
export const MERGE_THRESHOLD = 0.87

/** Texts shorter than this (in syllables) are never merged automatically, only suggested. */
export const MERGE_MIN_SYLLABLES = 8

/**
 * Only this many characters of a text take part in matching. Claims are a sentence or a
 * paragraph; a 1 MB paste is compared by its beginning, which keeps the cost bounded.
 */
export const MAX_MATCH_CHARS = 4000

/** What the desk does with a pair. */
export type MatchDecision = 'merge' | 'suggest' | 'none'

/** Result of {@link similarity}. */
export interface SimilarityResult {
  /** 0 (unrelated) … 1 (same claim). */
  score: number
  /** `merge` ≥ {@link MERGE_THRESHOLD} (long texts only), `suggest` ≥ {@link SUGGEST_THRESHOLD}. */
  decision: MatchDecision
}

// ---------------------------------------------------------------------------
// Vocabulary tables (folded keys unless said otherwise)

/**
 * Teencode and abbreviations, keyed by the lower-cased token. Applied only to tokens written
 * without tone or vowel marks, so "cá" is never read as "CA" (công an).
 */
const ABBREVIATIONS: Record<string, string> = {
  ko: 'không', k: 'không', hok: 'không', hk: 'không', khg: 'không', kg: 'không', kh: 'không', k0: 'không',
  dc: 'được', đc: 'được', dk: 'được', đk: 'được',
  csgt: 'cảnh sát giao thông', cand: 'công an nhân dân', pccc: 'phòng cháy chữa cháy',
  tp: 'thành phố', ql: 'quốc lộ', tngt: 'tai nạn giao thông', kkt: 'khu kinh tế', kcn: 'khu công nghiệp',
  cccd: 'căn cước công dân', cmnd: 'chứng minh nhân dân', gplx: 'giấy phép lái xe', ubnd: 'ủy ban nhân dân',
  tk: 'tài khoản', stk: 'số tài khoản', ck: 'chuyển khoản', dt: 'điện thoại', đt: 'điện thoại',
  sdt: 'số điện thoại', sđt: 'số điện thoại', oto: 'ô tô', xm: 'xe máy', fb: 'facebook', bv: 'bệnh viện',
  mn: 'mọi người', mng: 'mọi người', ng: 'người', ae: 'anh em', vs: 'với', bit: 'biết', bik: 'biết',
  bt: 'biết', j: 'gì', r: 'rồi', ns: 'nói', lun: 'luôn', ktra: 'kiểm tra', tb: 'thông báo', yc: 'yêu cầu',
  h: 'giờ', onl: 'online', gd: 'gia đình', gđ: 'gia đình', hs: 'học sinh', gv: 'giáo viên', ph: 'phụ huynh',
  nv: 'nhân viên', vn: 'việt nam', tq: 'trung quốc', ntn: 'như thế nào', bh: 'bây giờ', bjo: 'bây giờ',
  tr: 'triệu', ty: 'tỷ', trieu: 'triệu', vnd: 'đồng', vnđ: 'đồng', sms: 'tin nhắn', otp: 'otp',
}

/** Tokens after which a bare "ca" means "công an" (and before which, for "CA xác minh"). */
const CA_NEXT = new Set(['tinh', 'huyen', 'xa', 'phuong', 'thi', 'thanh', 'quan', 'nhan', 'xac', 'bat', 'moi', 'goi', 'khong', 'ko'])
const CA_PREV = new Set(['gia', 'danh', 'xung', 'bao', 'cua', 'la', 'cho', 'trinh', 'len'])

/**
 * Paraphrase table: accented phrase → canonical accented phrase. A phrase written without
 * marks matches by its folded form (so "lua dao" finds "lừa đảo"); a phrase written with marks
 * must match exactly, so "lửa" (fire) is not "lừa" (deceive).
 */
const SYNONYMS: Record<string, string> = {
  'mạo danh': 'giả danh', 'tự xưng là': 'giả danh', 'tự xưng': 'giả danh', 'xưng là': 'giả danh',
  'đóng giả': 'giả danh', 'giả làm': 'giả danh', 'giả công an': 'giả danh công an',
  'mạo danh là': 'giả danh',
  'bắt người': 'bắt cóc', 'bắt trẻ': 'bắt cóc trẻ', 'dụ dỗ': 'dụ',
  'chiếm đoạt': 'lừa đảo', 'lừa': 'lừa đảo', 'lừa tiền': 'lừa đảo', 'hack': 'lừa đảo', 'chiếm quyền': 'lừa đảo',
  'lừa gạt': 'lừa đảo', 'mất sạch': 'mất', 'mất hết': 'mất', 'mất trắng': 'mất', 'rút hết': 'rút', 'rút sạch': 'rút',
  'tử vong': 'chết', 'thiệt mạng': 'chết', 'qua đời': 'chết', 'chết người': 'chết', 'tử nạn': 'chết',
  'tông': 'đâm', 'tông vào': 'đâm', 'va chạm': 'đâm', 'đâm vào': 'đâm', 'đâm trúng': 'đâm', 'tông trúng': 'đâm',
  'công te nơ': 'container', 'công-te-nơ': 'container',
  'trẻ con': 'trẻ em', 'trẻ nhỏ': 'trẻ em', 'con nít': 'trẻ em', 'cháu bé': 'trẻ em', 'cháu nhỏ': 'trẻ em',
  'các cháu': 'trẻ em', 'em nhỏ': 'trẻ em', 'đứa trẻ': 'trẻ em', 'đứa bé': 'trẻ em',
  'xe ô tô': 'ô tô', 'xe hơi': 'ô tô', 'xe oto': 'ô tô',
  'bịa đặt': 'sai sự thật', 'không đúng sự thật': 'sai sự thật', 'thất thiệt': 'sai sự thật',
  'tin giả': 'sai sự thật', 'không có thật': 'sai sự thật', 'không chính xác': 'sai sự thật',
  'hoàn toàn bịa đặt': 'sai sự thật', 'tin đồn thất thiệt': 'sai sự thật', 'không có chuyện': 'sai sự thật',
  'nhấn vào': 'bấm', 'bấm vào': 'bấm', 'click vào': 'bấm', 'nhấp vào': 'bấm', 'nhấn': 'bấm', 'click': 'bấm',
  'đường link': 'link', 'đường dẫn': 'link', 'liên kết': 'link',
  'app': 'ứng dụng', 'cài đặt': 'cài', 'tải về': 'cài',
  'fanpage': 'facebook', 'trang facebook': 'facebook', 'face': 'facebook',
  'đoạn clip': 'clip', 'video': 'clip', 'đoạn video': 'clip',
  'công văn': 'văn bản', 'hù dọa': 'đe dọa', 'dọa': 'đe dọa', 'đe doạ': 'đe dọa', 'hù doạ': 'đe dọa',
  'nhân dân': 'người dân', 'dân': 'người dân', 'bà con': 'người dân', 'mọi người': 'người dân',
  'kẻ gian': 'đối tượng', 'kẻ': 'đối tượng', 'thằng': 'đối tượng', 'nghi phạm': 'đối tượng', 'nghi can': 'đối tượng',
  'đóng phạt': 'nộp phạt', 'bằng lái xe': 'bằng lái', 'giấy phép lái xe': 'bằng lái',
  'căn cước công dân': 'căn cước', 'thẻ căn cước': 'căn cước', 'chứng minh nhân dân': 'căn cước', 'định danh điện tử': 'định danh',
  'chuyển khoản': 'chuyển tiền', 'chuyển tiền': 'chuyển tiền',
  'xả tràn': 'xả lũ', 'nước lũ': 'lũ', 'lũ lụt': 'lũ', 'ngập lụt': 'ngập', 'ngập sâu': 'ngập', 'ngập nặng': 'ngập',
  'di dời': 'sơ tán', 'chạy lũ': 'sơ tán',
  'bốc cháy': 'cháy', 'hỏa hoạn': 'cháy', 'hoả hoạn': 'cháy', 'đám cháy': 'cháy', 'vụ cháy': 'cháy',
  'bình ga': 'bình gas', 'cảnh sát phòng cháy chữa cháy': 'cứu hỏa', 'cảnh sát phòng cháy': 'cứu hỏa',
  'phòng cháy chữa cháy': 'cứu hỏa', 'lính cứu hỏa': 'cứu hỏa',
  'cán bộ công an': 'công an', 'công an nhân dân': 'công an', 'lực lượng công an': 'công an',
  'mất liên lạc': 'mất tích', 'phát hiện': 'tìm thấy',
  'bắt giam': 'bắt giữ', 'tạm giữ': 'bắt giữ', 'bắt được': 'bắt giữ', 'tóm gọn': 'bắt giữ', 'bắt gọn': 'bắt giữ',
  'trộm cắp': 'trộm', 'ăn trộm': 'trộm', 'kẻ trộm': 'trộm',
  'sát hại': 'giết', 'giết hại': 'giết', 'giết người': 'giết',
  'lừa bán người': 'buôn người', 'bán người': 'buôn người', 'lừa bán': 'buôn người',
  'nhập viện': 'vào viện', 'đi viện': 'vào viện', 'cấp cứu': 'vào viện',
  'chém': 'đâm chém', 'hỗn chiến': 'đánh nhau', 'ẩu đả': 'đánh nhau',
  'ngàn': 'nghìn', 'tỉ': 'tỷ',
}

/** Words that carry little meaning for "is this the same claim" (folded). */
const STOP_WORDS = new Set(
  ('la cua va o tai cho de thi ma nhung cac mot nay do da dang se bi duoc voi khi sau truoc tren trong ve tu den ' +
    'ra vao len xuong co nhe oi nha a ah lam roi thoi luon nao gi the vay ay nghe noi bao nhu hay hoac cung con ' +
    'rat qua lai vua moi van toi minh chung nguoi di ai biet nhieu het tat ca viec vu chi ' +
    'duoi kia day nua thay nhe nhi ha hay').split(' '),
)

/** Rumour framing: tells how the text circulates, not what it claims (folded). */
const FRAMING_WORDS = new Set(
  ('canh bao xon xao tin don lan truyen thong tin share chia se mang xa hoi clip hinh anh nghe noi ' +
    'canh giac hoang mang khan cap gap tham khoc nghiem trong').split(' '),
)

/** Negators (folded, with their accented keys), and compounds in which "không" is not a negation. */
const NEGATORS: Record<string, string> = { khong: 'không', chua: 'chưa', chang: 'chẳng' }
const NOT_NEGATION_AFTER = new Set(['gian', 'khi', 'quan', 'anh', 'day', 'phan', 'lo', 'tac', 'trung', 'nguoi lai'])
const NOT_NEGATION_BEFORE = new Set(['hang', 'chan'])
/** Question words: "có ai biết … không?" asks, it does not negate. */
const QUESTION_OPENERS = new Set(['co', 'ai', 'phai', 'da'])

/** Place names of Thanh Hóa and neighbours (folded), for the "other place" penalty. */
const PLACES = [
  // districts, towns, cities
  'tho xuan', 'trieu son', 'nong cong', 'quang xuong', 'hoang hoa', 'hau loc', 'nga son', 'ha trung',
  'vinh loc', 'yen dinh', 'thieu hoa', 'dong son', 'tinh gia', 'nghi son', 'nhu thanh', 'nhu xuan',
  'thuong xuan', 'lang chanh', 'ba thuoc', 'quan hoa', 'quan son', 'muong lat', 'cam thuy', 'thach thanh',
  'ngoc lac', 'sam son', 'bim son',
  // wards, communes, landmarks that rumours name
  'dien bien', 'dong huong', 'dong ve', 'ba dinh', 'ham rong', 'quang thanh', 'hai tien', 'hai hoa',
  'vuon hoa', 'tay thanh', 'nga tu voi', 'nga ba bia', 'dinh huong', 'cau ghep', 'ba doi', 'cua dat',
  'yen my', 'trung son', 'na meo', 'ten tang', 'hoang long', 'hac thanh', 'le loi', 'xuan hoa', 'xuan lap',
  'song ma', 'song chu', 'song yen', 'song len', 'lam son', 'ben en', 'pu luong',
  // neighbours and abroad
  'nghe an', 'ninh binh', 'ha noi', 'ha tinh', 'hoa binh', 'quang tri', 'hai phong', 'nam dinh', 'son la',
  'lao', 'campuchia', 'myanmar', 'trung quoc', 'thai lan', 'malaysia', 'dai loan', 'han quoc', 'nhat ban',
]
const PLACE_SET = new Set(PLACES)
/** The province itself: everything here happens "in Thanh Hóa", so it never makes claims differ. */
const PROVINCE_NAMES = new Set(['thanh hoa', 'xu thanh', 'tinh thanh hoa'])
/** Single-syllable places that are also common words: only when written with a capital. */
const CAPITAL_ONLY_PLACES = new Set(['lao'])

/** Action / outcome classes (folded canonical phrases); the longest phrase at a position wins. */
const ACTION_CLASSES = new Map<string, string>(Object.entries({
  'bat coc': 'kidnap', cuop: 'rob', trom: 'steal', 'dot nhap': 'steal', 'moc tui': 'steal', giet: 'kill',
  chet: 'die', 'bi thuong': 'injure', 'trong thuong': 'injure', 'xay xat': 'injure', 'mat tich': 'missing',
  'tim thay': 'found', no: 'explode', 'ro ri': 'leak', lu: 'flood', ngap: 'flood', 'xa lu': 'flood',
  'sat lo': 'landslide', lat: 'overturn', 'lua dao': 'scam', 'bat giu': 'arrest', 'khoi to': 'arrest', bat: 'arrest',
  'dau thu': 'surrender', 'lan tron': 'hiding', 'danh nhau': 'fight', 'dam chem': 'fight', 'dua xe': 'race',
  'duoi nuoc': 'drown', 'ngo doc': 'poison', 'dau doc': 'poison', 'giai cuu': 'rescue', 'cuu thoat': 'rescue',
  cuu: 'rescue', 'tong tien': 'extort', 'phat to roi': 'leaflet', vo: 'breach', nut: 'crack', 'tich thu': 'confiscate',
  'thu hoi': 'revoke', 'dinh chi': 'suspend', 'tam dung': 'suspend', tang: 'increase', giam: 'decrease',
  'cat dien': 'power-cut', 'cat nuoc': 'water-cut', 'nhiem phen': 'contaminated', 'tu tu': 'suicide',
  'cuon troi': 'swept', chay: 'fire', dam: 'hit', phat: 'fine', 'thu tien': 'take-money', 'nhan tien': 'take-money',
  'an toan': 'safe', 'tra lai': 'return',
}))
/** Homographs that only count as an action when marked so, or (second list) never when unmarked. */
const ACTION_ACCENTS: Record<string, string> = {
  no: 'nổ', lu: 'lũ', lat: 'lật', vo: 'vỡ', tang: 'tăng', giam: 'giảm', nut: 'nứt', cuop: 'cướp', trom: 'trộm',
  chet: 'chết', giet: 'giết', ngap: 'ngập', bat: 'bắt', cuu: 'cứu', chay: 'cháy', dam: 'đâm', phat: 'phạt',
}
const ACTION_UNMARKED_NEVER = new Set(['no', 'tang', 'vo', 'bat', 'cuu', 'dam', 'giam', 'nut'])

/**
 * Mutually exclusive alternatives (folded phrases): victim, vehicle, channel, impersonated
 * body… One text naming an alternative the other lacks, while the other names a different one
 * of the same group, is a different claim about the same topic.
 */
const EXCLUSIVE_GROUPS: string[][][] = [
  [['be trai', 'cau be', 'nam sinh'], ['be gai', 'co be', 'nu sinh', 'co gai']],
  [['cu ong', 'ong lao', 'ong cu'], ['cu ba', 'ba cu', 'ba lao']],
  [['xe khach'], ['xe tai'], ['xe buyt'], ['xe dap'], ['xe may dien', 'xe dien'], ['taxi'], ['xe om']],
  [
    ['tre em', 'hoc sinh', 'nu sinh', 'nam sinh'], ['nguoi gia', 'cu ong', 'cu ba'], ['cong nhan'],
    ['giao vien', 'co giao', 'thay giao'], ['can bo'], ['sinh vien'], ['ca si'], ['chu tiem vang', 'chu quan'],
    ['tai xe'], ['benh nhan'],
  ],
  [['zalo'], ['facebook'], ['telegram'], ['tiktok']],
  [['goi dien'], ['tin nhan'], ['den tan nha', 'den nha']],
  [['cong an'], ['bo doi', 'quan doi'], ['dien luc'], ['vien kiem sat', 'toa an'], ['ngan hang']],
  [['ho'], ['gau'], ['bo'], ['trau'], ['cho']],
  [['ruou'], ['nam'], ['banh mi']],
  [['xuong go'], ['xuong may']],
  [['tiem vang'], ['ngan hang']],
  [['chung khoan'], ['tien ao']],
  [['nha dan'], ['truong hoc']],
  [['len nhanh', 'dang len', 'dang cao'], ['xuong nhanh', 'dang xuong', 'rut nhanh']],
]
/** Exclusive alternatives that are homographs when unmarked: need these marks. */
const CHOICE_ACCENTS: Record<string, string> = {
  ho: 'hổ', bo: 'bò', cho: 'chó', gau: 'gấu', trau: 'trâu', nam: 'nấm', ruou: 'rượu',
}

/** Truth markers (folded): "… là thật" against a text that denies it. */
const TRUE_MARKERS = new Set(['la that', 'co that', 'dung su that', 'la tin that'])
/** Verdicts of falsity (folded, after synonyms): the whole claim is denied. */
const DENIAL_MARKERS = new Set([
  'sai su that', 'dan dung', 'cat ghep', 'clip cu', 'chuyen cu', 'la anh cu',
])
/** Words that call a document or page fake: they contradict "… là thật" but deny nothing else. */
const FAKE_WORDS = ['gia', 'gia mao']
/** Function words that end a negation's scope ("không cần thi với giá…" negates only "thi"). */
const SCOPE_BREAKERS = new Set(['voi', 'o', 'tai', 'khi', 'vi', 'de', 'ma', 'nhung', 'nhu', 'va', 'cua', 'cho', 've', 'theo', 'do'])
/** Words skipped inside a negation's scope ("không bao giờ gọi" negates "gọi"). */
const SCOPE_FILLERS = new Set(['bao', 'gio', 'he', 'phai', 'can', 'duoc', 'co', 'bi', 'the', 'con', 'van', 'se', 'dang', 'da', 'nen'])

/** Units after a number (folded) and their multiplier. */
const NUMBER_UNITS: Record<string, number> = { trieu: 1e6, tr: 1e6, ty: 1e9, nghin: 1e3, k: 1e3 }
/** Number words (accented) and their value. */
const NUMBER_WORDS: Record<string, number> = {
  một: 1, hai: 2, ba: 3, bốn: 4, tư: 4, năm: 5, sáu: 6, bảy: 7, bẩy: 7, tám: 8, chín: 9, mười: 10, chục: 10, trăm: 100,
}
/** Number words safe to read without marks (the others are common homographs: bà, nam, tu, sau…). */
const UNMARKED_NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, muoi: 10 }
/** Words that are counted: a number word must precede one of these. */
const COUNTED = new Set([
  'nguoi', 'chau', 'em', 'be', 'xe', 'ho', 'tuoi', 'ngay', 'gio', 'trieu', 'ty', 'nghin', 'ngoi', 'can', 'thanh',
  'hoc', 'cong', 'lan', 'thang', 'tuan', 'nhom', 'chiec', 'vu', 'nha', 'tre', 'nu', 'doi', 'ke', 'tai', 'hanh',
])

// ---------------------------------------------------------------------------
// URLs

/** Query parameters that only track where a click came from. */
const TRACKING_PARAMS = new Set([
  'fbclid', 'gclid', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'igshid', 'igsh', 'si', 'zarsi', 'mibextid',
  'ref', 'ref_src', 'ref_url', 'refsrc', 'rdid', 'share_url', 'is_from_webapp', 'sender_device', 'sender_web_id',
  'is_copy_url', 'feature', '_rdr', '_rdc', 'hc_ref', 'hc_location', 'fref', 'sfnsn', 'extid', 'paipv', 'eav',
  'app', 'utm', 'mc_cid', 'mc_eid', 'spm', 'share_id', 'sharer', 'tt_from', 'u_code', 'tt_medium', 'tt_content',
  'checksum', 'sec_user_id', 'share_app_id', 'share_item_id', 'share_link_id', 'social_sharing', 'timestamp',
  'web_id', 'embed_source', 'source', 'from', 'zl_r',
])
/** Tracking parameter prefixes (utm_source, __cft__[0], __tn__ …). */
const TRACKING_PREFIXES = ['utm_', '__cft__', '__tn__', '__xts__', 'pk_', 'mtm_', 'hsa_', 'vero_', 'oly_']

/** Social hosts whose mobile / www variants serve the same page. */
const SOCIAL_HOSTS = new Set([
  'facebook.com', 'fb.com', 'tiktok.com', 'youtube.com', 'zalo.me', 'twitter.com', 'x.com', 'instagram.com',
  'threads.net', 'reddit.com', 'linkedin.com', 'vimeo.com',
])
const MOBILE_PREFIXES = ['www.', 'm.', 'mobile.', 'mbasic.', 'web.', 'touch.', 'vt.', 'vm.']

/**
 * Canonical form of a link, so that the same post shared from different apps compares equal:
 * lower-case scheme and host, `http` → `https`, no `www.` (and no `m.`/`mobile.`… for known
 * social hosts), default port, fragment, tracking parameters (utm_*, fbclid, gclid, igshid, si,
 * zarsi, …) and trailing slash removed, remaining parameters sorted; `youtu.be/ID` becomes
 * `youtube.com/watch?v=ID` and `fb.com` becomes `facebook.com`.
 * @param url an absolute URL, or a bare `host/path` (assumed https)
 * @returns the canonical URL, or `null` when it is not an http(s) link (e.g. `javascript:`,
 *   `data:`, garbage)
 */
export function canonicalUrl(url: string): string | null {
  let s = url.trim()
  if (s.length === 0 || s.length > 4096) return null
  if (!/^[a-z][a-z0-9+.-]*:/i.test(s)) {
    if (!/^[\w-]+(\.[\w-]+)+([/?#:]|$)/.test(s)) return null
    s = `https://${s}`
  }
  let u: URL
  try {
    u = new URL(s)
  } catch {
    return null
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null
  let host = u.hostname.toLowerCase().replace(/\.$/, '')
  if (host.length === 0) return null
  if (host.startsWith('www.')) host = host.slice(4)
  for (const p of MOBILE_PREFIXES) {
    if (host.startsWith(p) && SOCIAL_HOSTS.has(host.slice(p.length))) {
      host = host.slice(p.length)
      break
    }
  }
  if (host === 'fb.com') host = 'facebook.com'
  let path = u.pathname
  const params: [string, string][] = []
  for (const [k, v] of u.searchParams) {
    const key = k.toLowerCase()
    if (TRACKING_PARAMS.has(key) || TRACKING_PREFIXES.some((p) => key.startsWith(p))) continue
    params.push([k, v])
  }
  if (host === 'youtu.be' && path.length > 1) {
    params.push(['v', path.slice(1).split('/')[0]])
    host = 'youtube.com'
    path = '/watch'
  }
  if (path.length > 1) path = path.replace(/\/+$/, '')
  if (path === '/') path = ''
  params.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
  const port = u.port && u.port !== '80' && u.port !== '443' ? `:${u.port}` : ''
  const query = params.length > 0 ? `?${new URLSearchParams(params).toString()}` : ''
  return `https://${host}${port}${path}${query}`
}

const URL_RE = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+|\b(?:[a-z0-9-]+\.)+(?:com|vn|net|me|be|org|info|xyz|top|io|link|site|online|shop|cc|ly|gl)(?:\/[^\s<>"'`]*)?/gi

/** Canonical URLs found in a text (http(s) only, de-duplicated, in order). */
export function extractUrls(text: string): string[] {
  const out: string[] = []
  for (const m of text.matchAll(URL_RE)) {
    const c = canonicalUrl(m[0].replace(/[),.;!?\]]+$/, ''))
    if (c && !out.includes(c)) out.push(c)
    if (out.length >= 20) break
  }
  return out
}

// ---------------------------------------------------------------------------
// Analysis: text → features

/** One canonical token: its folded form and its tone-position-independent accented key. */
interface Tok {
  /** Folded, lower-case ("lua dao" parts: "lua", "dao"). */
  f: string
  /** Accented key; '' when unknown (unmarked text or an expanded abbreviation): matches any. */
  a: string
  /** Written with a capital letter (a name: "Ba Dội" is not "three"). */
  cap?: boolean
  /** Followed by punctuation or the end of the text (a clause ends here). */
  end?: boolean
}

/**
 * Everything the pair score needs about one text. Computed once per text; the index
 * recomputes it for the few hundred candidates it rescores.
 */
export interface ClaimFeatures {
  /** Syllables in the text as written (URLs excluded): the "long enough to merge" test. */
  syllables: number
  /** Whether the writer used Vietnamese marks (then marks are compared, e.g. bán ≠ bạn). */
  accented: boolean
  /** Canonical tokens in order (abbreviations expanded, synonyms replaced, numbers evaluated). */
  tokens: Tok[]
  /** Unique folded tokens → weight and the accented keys seen. */
  bag: Map<string, { w: number; a: Set<string> }>
  /** Sum of the bag's weights. */
  mass: number
  /** Folded token bigrams (stop words skipped). */
  bigrams: Set<string>
  /** Character trigrams of the folded canonical text (stop words skipped). */
  trigrams: Set<string>
  /** Numeric values with units applied ("500k" = "500 nghìn" = 500000). */
  numbers: Set<string>
  /** Places (folded), the province itself excluded. */
  places: Set<string>
  /** The text as a whole is denied ("sai sự thật", "bịa đặt", "là giả", "clip cũ"). */
  denied: boolean
  /** Words under a negation ("không xả lũ" → xa, lu). */
  negated: Set<string>
  /** Says the claim is true ("là thật"). */
  affirmed: boolean
  /** Action / outcome classes. */
  actions: Set<string>
  /** Exclusive-group choices, as "group:alternative". */
  choices: Set<string>
  /** Canonical URLs. */
  urls: string[]
}

const TONE_MARK_RE = /[\u0300\u0301\u0303\u0309\u0323]/
const TONE_CODE: Record<string, string> = { '\u0300': '2', '\u0301': '1', '\u0303': '4', '\u0309': '3', '\u0323': '5' }

/** Accented key independent of where the tone mark sits ("hoá" = "hóa", "tuý" = "túy"). */
function accentKey(lower: string): string {
  let key = ACCENT_KEYS.get(lower)
  if (key === undefined) {
    key = computeAccentKey(lower)
    // Syllables are a closed set; the cap only guards against junk input.
    if (ACCENT_KEYS.size < 200_000) ACCENT_KEYS.set(lower, key)
  }
  return key
}
const ACCENT_KEYS = new Map<string, string>()

function computeAccentKey(lower: string): string {
  const d = lower.normalize('NFD')
  const m = TONE_MARK_RE.exec(d)
  if (!m) return d.normalize('NFC')
  return `${d.replace(TONE_MARK_RE, '').normalize('NFC')}${TONE_CODE[m[0]]}`
}

interface SynonymEntry {
  out: Tok[]
  len: number
}

const SYN_ACCENTED = new Map<string, SynonymEntry>()
const SYN_FOLDED = new Map<string, SynonymEntry>()
/**
 * One-syllable synonyms that may also match unmarked text. Others ("nhấn", "tông", "dân")
 * fold onto too many different words ("nhắn", "tổng", "dần").
 */
const UNMARKED_SINGLE_SYNONYMS = new Set(['lua', 'hack', 'click', 'app', 'video', 'fanpage', 'face', 'chem'])
let synMaxLen = 1
/** Folded first syllables of all synonym phrases: most tokens start none, so skip them fast. */
const SYN_FIRST = new Set<string>()

function phraseToks(phrase: string): Tok[] {
  return phrase
    .split(' ')
    .filter((w) => w.length > 0)
    .map((w) => ({ f: fold(w), a: accentKey(w) }))
}

function buildSynonyms(): void {
  const entries = Object.entries(SYNONYMS)
  // Canonical phrases map to themselves, so "lừa đảo" is not read as "lừa" + "đảo".
  for (const to of Object.values(SYNONYMS)) if (to.includes(' ') && !(to in SYNONYMS)) entries.push([to, to])
  for (const [from, to] of entries) {
    const words = from.normalize('NFC').toLowerCase().split(/[\s-]+/)
    synMaxLen = Math.max(synMaxLen, words.length)
    SYN_FIRST.add(fold(words[0]))
    const entry = { out: phraseToks(to), len: words.length }
    SYN_ACCENTED.set(words.map(accentKey).join(' '), entry)
    const foldKey = words.map((w) => fold(w)).join(' ')
    if (words.length > 1 || UNMARKED_SINGLE_SYNONYMS.has(foldKey)) {
      if (!SYN_FOLDED.has(foldKey) || fold(from) === from) SYN_FOLDED.set(foldKey, entry)
    }
  }
}
buildSynonyms()

const NUMBER_WORD_KEYS = new Map(Object.entries(NUMBER_WORDS).map(([w, v]) => [accentKey(w), v]))
const NEGATOR_KEYS = new Map(Object.entries(NEGATORS).map(([f, w]) => [f, accentKey(w)]))
const negKeyOf = (f: string): string | undefined => NEGATOR_KEYS.get(f)
const ACTION_ACCENT_KEYS = new Map(Object.entries(ACTION_ACCENTS).map(([f, w]) => [f, accentKey(w)]))
const CHOICE_ACCENT_KEYS = new Map(Object.entries(CHOICE_ACCENTS).map(([f, w]) => [f, accentKey(w)]))

/** First syllables of every structural phrase (denial, actions, choices, places): a fast skip. */
const STRUCTURE_FIRST: Set<string> = (() => {
  const all = [
    ...DENIAL_MARKERS, ...TRUE_MARKERS, ...ACTION_CLASSES.keys(), ...EXCLUSIVE_GROUPS.flat(2), ...PLACES, ...PROVINCE_NAMES,
  ]
  return new Set(all.map((p) => p.split(' ')[0]))
})()

const EXCLUSIVE_INDEX: Map<string, string[]> = (() => {
  const m = new Map<string, string[]>()
  EXCLUSIVE_GROUPS.forEach((group, g) => {
    group.forEach((alts, k) => {
      for (const p of alts) m.set(p, [...(m.get(p) ?? []), `${g}:${k}`])
    })
  })
  return m
})()

const LETTER_DIGIT_RE = /^(\p{L}+)(\d+)$|^(\d+)(\p{L}+)$/u
const UPPER_RE = /^\p{Lu}/u
const LETTER_RE = /\p{L}/u

/** Parses a numeric token ("1.500.000", "2,5", "36") to a number, or NaN. */
function parseNumber(s: string): number {
  if (!/^\d/.test(s)) return Number.NaN
  // Vietnamese writes thousands with dots and decimals with a comma.
  if (/^\d{1,3}(\.\d{3})+$/.test(s)) return Number(s.replace(/\./g, ''))
  if (/^\d+,\d+$/.test(s)) return Number(s.replace(',', '.'))
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s)
  if (/^\d{1,3}(,\d{3})+$/.test(s)) return Number(s.replace(/,/g, ''))
  return Number.NaN
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000)
}

const EVENING = new Set(['dem', 'toi', 'chieu'])

interface Piece {
  raw: string
  lower: string
  f: string
  end: boolean
}

/**
 * Computes the features of a text (see {@link ClaimFeatures}). Pure; handles NFD, legacy
 * encodings (TCVN3/VNI), emoji and very long input (only the first {@link MAX_MATCH_CHARS}
 * characters are analysed).
 * @param text the claim text
 * @param alreadyNormalized the text is already {@link normalizeText}'s output (the index stores
 *   it so, which skips the legacy-encoding check when rescoring)
 */
export function analyzeClaim(text: string, alreadyNormalized = false): ClaimFeatures {
  const head = text.length > MAX_MATCH_CHARS * 4 ? text.slice(0, MAX_MATCH_CHARS * 4) : text
  const normalized = alreadyNormalized ? head : normalizeText(head)
  const clipped = normalized.length > MAX_MATCH_CHARS ? normalized.slice(0, MAX_MATCH_CHARS) : normalized
  const urls = extractUrls(clipped)
  const body = urls.length > 0 ? clipped.replace(URL_RE, ' ') : clipped
  const raw = tokenize(body)
  const syllables = raw.length

  // 1. Split letter/digit runs ("ql47", "500k"), note clause ends.
  const pieces: Piece[] = []
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]
    const gap = body.slice(t.end, i + 1 < raw.length ? raw[i + 1].start : body.length)
    const end = i + 1 === raw.length || /[.,;:!?…\n]/.test(gap)
    const m = LETTER_DIGIT_RE.exec(t.text)
    const parts = m ? (m[1] ? [m[1], m[2]] : [m[3], m[4]]) : [t.text]
    parts.forEach((p, k) => {
      const lower = p.toLowerCase()
      pieces.push({ raw: p, lower, f: fold(lower), end: end && k === parts.length - 1 })
    })
  }

  // 2. Abbreviations (only for tokens written without marks); decide whether the text is marked.
  let marked = 0
  let letters = 0
  const expanded: Tok[] = []
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]
    const unmarked = p.lower.replace(/đ/g, 'd') === p.f
    const cap = UPPER_RE.test(p.raw) && i > 0 && !pieces[i - 1].end
    if (LETTER_RE.test(p.lower)) {
      letters++
      if (!unmarked) marked++
    }
    if (!unmarked) {
      expanded.push({ f: p.f, a: accentKey(p.lower), cap, end: p.end })
      continue
    }
    if (p.f === 'ca') {
      const next = pieces[i + 1]?.f ?? ''
      const prev = pieces[i - 1]?.f ?? ''
      if (p.raw === 'CA' || CA_NEXT.has(next) || CA_PREV.has(prev)) {
        expanded.push({ f: 'cong', a: '*' }, { f: 'an', a: '*', end: p.end })
        continue
      }
    }
    const exp = ABBREVIATIONS[p.lower]
    // "k"/"tr" right after a number are units ("500k"), not "không".
    const afterNumber = i > 0 && /^\d/.test(pieces[i - 1].f)
    if (exp && !(afterNumber && (p.f === 'k' || p.f === 'tr' || p.f === 'ty' || p.f === 'h'))) {
      const words = exp.split(' ')
      words.forEach((w, k) => {
        expanded.push({ f: fold(w), a: '*', end: p.end && k === words.length - 1 })
      })
      continue
    }
    expanded.push({ f: p.f, a: '=', cap, end: p.end })
  }
  // Texts with only a few marked syllables (a stray "đ") are treated as unmarked.
  const accented = letters > 0 && marked / letters >= 0.25
  for (const t of expanded) {
    // In a marked text a syllable without marks is written as meant ("xe", "an"); abbreviations
    // and unmarked texts match any marks.
    if (t.a === '=') t.a = accented && LETTER_RE.test(t.f) ? t.f : ''
    else if (t.a === '*' || !accented) t.a = ''
  }

  // 3. Synonyms, longest phrase first.
  const tokens: Tok[] = []
  for (let i = 0; i < expanded.length; ) {
    let hit: SynonymEntry | undefined
    if (!SYN_FIRST.has(expanded[i].f)) {
      tokens.push(expanded[i])
      i++
      continue
    }
    for (let len = Math.min(synMaxLen, expanded.length - i); len >= 1 && !hit; len--) {
      const span = expanded.slice(i, i + len)
      if (span.slice(0, -1).some((t) => t.end)) continue // a phrase does not cross a clause end
      if (accented && span.every((t) => t.a !== '')) hit = SYN_ACCENTED.get(span.map((t) => t.a).join(' '))
      if (!hit && span.some((t) => t.a === '')) {
        const candidate = SYN_FOLDED.get(span.map((t) => t.f).join(' '))
        // Mixed spans (some marked) must agree with the marks they have.
        if (candidate && span.every((t, k) => t.a === '' || t.a === candidate.out[k]?.a || candidate.len !== candidate.out.length || t.a === t.f)) hit = candidate
      }
      if (hit && hit.len !== len) hit = undefined
    }
    if (hit) {
      const last = expanded[i + hit.len - 1]
      hit.out.forEach((t, k) => {
        tokens.push({ f: t.f, a: accented ? t.a : '', end: k === hit.out.length - 1 ? last.end : false })
      })
      i += hit.len
    } else {
      tokens.push(expanded[i])
      i++
    }
  }

  // 4. Numbers: "500 nghìn" → 500000, "hai người" → 2, "10 giờ đêm" → 22.
  const numbers = new Set<string>()
  const canon: Tok[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]
    const next = tokens[i + 1]?.f ?? ''
    let value = parseNumber(t.f)
    if (Number.isNaN(value) && !t.cap && !t.end && COUNTED.has(next)) {
      const word = t.a === '' ? UNMARKED_NUMBER_WORDS[t.f] : NUMBER_WORD_KEYS.get(t.a)
      if (word !== undefined) value = word
    }
    if (Number.isNaN(value)) {
      if (t.f.length > 0) canon.push(t)
      continue
    }
    let consumed = 0
    if (!t.end && NUMBER_UNITS[next] !== undefined) {
      value *= NUMBER_UNITS[next]
      consumed = 1
    } else if ((next === 'gio' || next === 'h') && value < 12 && EVENING.has(tokens[i + 2]?.f ?? '')) {
      value += 12
    }
    const v = formatNumber(value)
    numbers.add(v)
    canon.push({ f: v, a: '', end: tokens[i + consumed].end })
    i += consumed
  }

  // 5. Bag of words with weights, bigrams, trigrams.
  const bag = new Map<string, { w: number; a: Set<string> }>()
  let mass = 0
  const content: string[] = []
  for (const t of canon) {
    const w = STOP_WORDS.has(t.f) ? 0.15 : FRAMING_WORDS.has(t.f) ? 0.35 : /^\d/.test(t.f) ? 1.2 : 1
    let e = bag.get(t.f)
    if (!e) {
      e = { w, a: new Set() }
      bag.set(t.f, e)
      mass += w
    }
    if (t.a !== '') e.a.add(t.a)
    if (w >= 0.35) content.push(t.f)
  }
  const bigrams = new Set<string>()
  for (let i = 1; i < content.length; i++) bigrams.add(`${content[i - 1]} ${content[i]}`)
  const trigrams = new Set<string>()
  const joined = ` ${content.join(' ')} `
  for (let i = 0; i + 3 <= joined.length; i++) trigrams.add(joined.slice(i, i + 3))

  // 6. Claim structure: negation scope, denial, places, actions, exclusive choices.
  const fs = canon.map((t) => t.f)
  let denied = false
  let affirmed = false
  const negated = new Set<string>()
  const places = new Set<string>()
  const actions = new Set<string>()
  const choices = new Set<string>()
  let clauseStart = 0
  // phrases[len - 1] = the phrase of `len` tokens starting at i ('' past the end).
  const phrases = ['', '', '', '']
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i]
    if (!STRUCTURE_FIRST.has(f) && negKeyOf(f) === undefined) {
      if (canon[i].end) clauseStart = i + 1
      continue
    }
    phrases[0] = f
    for (let len = 2; len <= 4; len++) phrases[len - 1] = i + len <= fs.length ? `${phrases[len - 2]} ${fs[i + len - 1]}` : ''
    const negKey = NEGATOR_KEYS.get(f)
    if (negKey !== undefined && (canon[i].a === '' || canon[i].a === negKey)) {
      const two = `${fs[i + 1] ?? ''} ${fs[i + 2] ?? ''}`
      const compound = NOT_NEGATION_AFTER.has(fs[i + 1] ?? '') || NOT_NEGATION_AFTER.has(two) || NOT_NEGATION_BEFORE.has(fs[i - 1] ?? '')
      // "Có ai biết … không?" — a clause-final "không" after a question opener asks.
      const question = canon[i].end && fs.slice(clauseStart, i).some((x) => QUESTION_OPENERS.has(x))
      if (!compound && !question) {
        // Scope: the next two content words of the clause, up to a preposition.
        // "không phải (của) X" negates X itself, across the preposition.
        const isNot = fs[i + 1] === 'phai'
        let taken = 0
        for (let j = i + 1; j < fs.length && taken < 2; j++) {
          if ((SCOPE_BREAKERS.has(fs[j]) && !isNot) || NEGATOR_KEYS.get(fs[j]) !== undefined) break
          if (!SCOPE_FILLERS.has(fs[j]) && !STOP_WORDS.has(fs[j])) {
            negated.add(fs[j])
            taken++
          }
          if (canon[j].end) break
        }
      }
    }
    for (let len = 4; len >= 2; len--) {
      const p = phrases[len - 1]
      if (p === '') continue
      if (DENIAL_MARKERS.has(p)) denied = true
      if (TRUE_MARKERS.has(p)) affirmed = true
    }
    for (let len = 3; len >= 1; len--) {
      const p = phrases[len - 1]
      if (p === '') continue
      const act = ACTION_CLASSES.get(p)
      if (act !== undefined) {
        if (actionMarksOk(p, canon[i].a)) actions.add(act)
        break
      }
    }
    for (let len = 3; len >= 1; len--) {
      const p = phrases[len - 1]
      if (p === '') continue
      const ch = EXCLUSIVE_INDEX.get(p)
      if (ch !== undefined) {
        if (choiceMarksOk(p, canon[i].a)) for (const c of ch) choices.add(c)
        break
      }
    }
    for (let len = 4; len >= 1; len--) {
      const p = phrases[len - 1]
      if (p === '') continue
      if (PLACE_SET.has(p) || PROVINCE_NAMES.has(p)) {
        if (!PROVINCE_NAMES.has(p) && (!CAPITAL_ONLY_PLACES.has(p) || canon[i].cap)) places.add(p)
        break
      }
    }
    if (canon[i].end) clauseStart = i + 1
  }
  addCapitalisedPlaces(body, places)

  return {
    syllables,
    accented,
    tokens: canon,
    bag,
    mass,
    bigrams,
    trigrams,
    numbers,
    places,
    denied,
    negated,
    affirmed,
    actions,
    choices,
    urls,
  }
}

function actionMarksOk(p: string, a: string): boolean {
  const need = ACTION_ACCENT_KEYS.get(p)
  if (need === undefined) return true
  if (a === '') return !ACTION_UNMARKED_NEVER.has(p)
  return a === need
}

function choiceMarksOk(p: string, a: string): boolean {
  const need = CHOICE_ACCENT_KEYS.get(p)
  if (need === undefined) return true
  // Unmarked "ho", "bo", "cho", "nam" are too ambiguous (hồ, bỏ, cho, năm) to count.
  if (a === '') return p === 'gau' || p === 'trau' || p === 'ruou'
  return a === need
}

const CAPITALISED_AFTER_TYPE_RE =
  /(?:^|[^\p{L}])(?:xã|phường|huyện|thôn|bản|làng|tỉnh|quận|chợ|cầu|đèo|sông|hồ|đường|phố|thị trấn|thị xã|thành phố|TP\.?|ngã tư|ngã ba|cửa khẩu|khu công nghiệp|xóm)\s+((?:\p{Lu}[\p{Ll}\p{M}]*\s*){1,3})/gu

/** "xã Xuân Hòa", "chợ Tây Thành": a capitalised name after a place type, when not listed. */
function addCapitalisedPlaces(text: string, places: Set<string>): void {
  for (const m of text.matchAll(CAPITALISED_AFTER_TYPE_RE)) {
    const words = fold(m[1].trim().toLowerCase()).split(' ').slice(0, 3)
    let listed = false
    for (let len = words.length; len >= 1 && !listed; len--) {
      const p = words.slice(0, len).join(' ')
      if (PLACE_SET.has(p) || PROVINCE_NAMES.has(p)) listed = true
    }
    if (!listed && words[0].length > 0) places.add(words.slice(0, 2).join(' '))
  }
}
// ---------------------------------------------------------------------------
// Pair score

/**
 * Weights and penalties of the pair score, picked by a small grid search on the even (tuning)
 * rows of the labelled set, maximising "suggest precision at recall 0.9 + merge recall at
 * precision 0.97", then rounded to moderate values. Exported for the evaluation script only:
 * changing it changes every decision.
 */
export const SCORE_PARAMS = {
  /** Share of the word score from the less-covered side (the rest from the better one). */
  minShare: 0.3,
  /** Word (bag) similarity weight in the base score. */
  wordWeight: 0.5,
  /** Syllable-bigram (word order) weight. */
  bigramWeight: 0.25,
  /** Character trigram (typos, spacing) weight. */
  trigramWeight: 0.25,
  /** Credit for a word whose marks differ in two marked texts ("bán" vs "bạn"). */
  accentMismatchCredit: 0.4,
  /** Credit for a word one typo away. */
  typoCredit: 0.7,
  /** Factor when both texts give numbers and each has one the other lacks. */
  numberPenalty: 0.4,
  /** Factor when one text negates what the other states, or only one is denied as a whole. */
  negationPenalty: 0.4,
  /** Factor when both texts name places and each has one the other lacks. */
  placePenalty: 0.4,
  /** Factor when both texts name actions and each has one the other lacks. */
  actionPenalty: 0.6,
  /** Factor when the texts pick different alternatives (victim, vehicle, channel …). */
  choicePenalty: 0.6,
}

/** Restricted Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution or swap). */
function withinOneEdit(a: string, b: string): boolean {
  const la = a.length
  const lb = b.length
  if (Math.abs(la - lb) > 1) return false
  let i = 0
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++
  if (i === la && i === lb) return true
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
}

function coverage(x: ClaimFeatures, y: ClaimFeatures, bothAccented: boolean): number {
  if (x.mass === 0) return 0
  let got = 0
  const fuzzyBudget = x.bag.size * y.bag.size <= 40000
  for (const [f, e] of x.bag) {
    const other = y.bag.get(f)
    if (other) {
      let credit = 1
      if (bothAccented && e.a.size > 0 && other.a.size > 0) {
        let common = false
        for (const a of e.a) if (other.a.has(a)) common = true
        if (!common) credit = SCORE_PARAMS.accentMismatchCredit
      }
      got += e.w * credit
    } else if (fuzzyBudget && f.length >= 3 && !/^\d/.test(f)) {
      for (const g of y.bag.keys()) {
        if (g.length >= 3 && !/^\d/.test(g) && withinOneEdit(f, g)) {
          got += e.w * SCORE_PARAMS.typoCredit
          break
        }
      }
    }
  }
  return got / x.mass
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let n = 0
  for (const x of small) if (large.has(x)) n++
  return (2 * n) / (a.size + b.size)
}

function overlapCoef(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let n = 0
  for (const x of small) if (large.has(x)) n++
  return n / small.size
}

/** Each side has an element the other lacks (a conflict, not just a longer retelling). */
function conflicting(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return false
  let aOnly = false
  let bOnly = false
  for (const x of a) if (!b.has(x)) aOnly = true
  for (const x of b) if (!a.has(x)) bOnly = true
  return aOnly && bOnly
}

function choicesConflict(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) {
    if (b.has(x)) continue
    const group = x.slice(0, x.indexOf(':') + 1)
    for (const y of b) if (y.startsWith(group) && y !== x && !a.has(y)) return true
  }
  return false
}

/**
 * `x` negates a word that `y` states without negation ("không xả lũ" against "xả lũ"), or `x`
 * says "là thật" where `y` denies. A text that is denied as a whole agrees with negations.
 */
function negationConflict(x: ClaimFeatures, y: ClaimFeatures): boolean {
  if (x.affirmed && (y.denied || y.negated.size > 0 || FAKE_WORDS.some((w) => y.bag.has(w)))) return true
  if (y.denied) return false
  for (const w of x.negated) if (y.bag.has(w) && !y.negated.has(w)) return true
  return false
}

/** Detailed pair score, for the evaluation script and for explaining a match to staff. */
export interface ScoreBreakdown extends SimilarityResult {
  /** Score before the penalties. */
  base: number
  /** Penalties applied (names). */
  penalties: string[]
}

/** Scores two analysed texts (see {@link similarity}); exposes the parts for explanations. */
export function scoreFeatures(a: ClaimFeatures, b: ClaimFeatures): ScoreBreakdown {
  if (a.urls.length > 0 && b.urls.length > 0 && a.urls.some((u) => b.urls.includes(u))) {
    return { score: 1, decision: 'merge', base: 1, penalties: [] }
  }
  if (a.mass === 0 || b.mass === 0) return { score: 0, decision: 'none', base: 0, penalties: [] }
  const P = SCORE_PARAMS
  const bothAccented = a.accented && b.accented
  const ca = coverage(a, b, bothAccented)
  const cb = coverage(b, a, bothAccented)
  const word = P.minShare * Math.min(ca, cb) + (1 - P.minShare) * Math.max(ca, cb)
  const bigram = 0.5 * dice(a.bigrams, b.bigrams) + 0.5 * overlapCoef(a.bigrams, b.bigrams)
  const tri = 0.5 * dice(a.trigrams, b.trigrams) + 0.5 * overlapCoef(a.trigrams, b.trigrams)
  const base = P.wordWeight * word + P.bigramWeight * bigram + P.trigramWeight * tri
  let score = base
  const penalties: string[] = []
  if (conflicting(a.numbers, b.numbers)) {
    score *= P.numberPenalty
    penalties.push('number')
  }
  if (negationConflict(a, b) || negationConflict(b, a) || a.denied !== b.denied) {
    score *= P.negationPenalty
    penalties.push('negation')
  }
  if (conflicting(a.places, b.places)) {
    score *= P.placePenalty
    penalties.push('place')
  }
  if (conflicting(a.actions, b.actions)) {
    score *= P.actionPenalty
    penalties.push('action')
  }
  if (choicesConflict(a.choices, b.choices)) {
    score *= P.choicePenalty
    penalties.push('choice')
  }
  score = Math.max(0, Math.min(1, score))
  return { score, decision: decide(score, a.syllables, b.syllables), base, penalties }
}

/**
 * Decision for a score: `merge` needs {@link MERGE_THRESHOLD} and both texts at least
 * {@link MERGE_MIN_SYLLABLES} syllables; `suggest` needs {@link SUGGEST_THRESHOLD}.
 */
export function decide(score: number, syllablesA: number, syllablesB: number): MatchDecision {
  if (score >= MERGE_THRESHOLD && syllablesA >= MERGE_MIN_SYLLABLES && syllablesB >= MERGE_MIN_SYLLABLES) return 'merge'
  if (score >= SUGGEST_THRESHOLD) return 'suggest'
  return 'none'
}

/**
 * How likely two texts state the same claim, and what to do about it.
 * Links shared by both texts match by {@link canonicalUrl} (score 1, merge).
 * @param a first text (any encoding, with or without marks)
 * @param b second text
 */
export function similarity(a: string, b: string): SimilarityResult {
  const r = scoreFeatures(analyzeClaim(a), analyzeClaim(b))
  return { score: round4(r.score), decision: r.decision }
}

function round4(x: number): number {
  return Math.round(x * 10000) / 10000
}

// ---------------------------------------------------------------------------
// Signature for storage

/** A claim's matching signature, JSON-serialisable, for a `jsonb` column next to the claim. */
export interface ClaimSignature {
  /** Signature format version; recompute stored rows when it changes. */
  v: 1
  /** Canonical folded text (abbreviations expanded, synonyms replaced): for pg_trgm prefilters. */
  folded: string
  /** Unique folded content tokens (no stop words): for a GIN index / candidate generation. */
  terms: string[]
  /** Numbers with units applied. */
  numbers: string[]
  /** Places named (folded). */
  places: string[]
  /** Whether the text denies the claim as a whole ("sai sự thật", "bịa đặt" …). */
  denied: boolean
  /** Words under a negation. */
  negated: string[]
  /** Syllables as written (merge needs ≥ 8 on both sides). */
  syllables: number
  /** Canonical URLs in the text. */
  urls: string[]
}

/**
 * Computes the storable signature of a claim text. The desk stores it with the claim so that a
 * database prefilter (GIN on `terms`, trigram on `folded`, equality on `urls`) can find
 * candidates; the final score is always {@link similarity} on the texts.
 */
export function claimSignature(text: string): ClaimSignature {
  const f = analyzeClaim(text)
  return {
    v: 1,
    folded: f.tokens.map((t) => t.f).join(' '),
    terms: indexTerms(f),
    numbers: [...f.numbers],
    places: [...f.places],
    denied: f.denied,
    negated: [...f.negated],
    syllables: f.syllables,
    urls: f.urls,
  }
}

function indexTerms(f: ClaimFeatures): string[] {
  const out: string[] = []
  for (const [t, e] of f.bag) if (e.w >= 0.35) out.push(t)
  return out
}

// ---------------------------------------------------------------------------
// In-memory index

/** A claim identifier: the desk's primary key, or a line number for the CLI. */
export type ClaimId = string | number

/** One hit of {@link ClaimIndex.search}. */
export interface ClaimMatch {
  /** The id given to {@link ClaimIndex.add}. */
  id: ClaimId
  /** Pair score with the query (see {@link similarity}). */
  score: number
  /** `merge` or `suggest` (or `none` when asked for with `minDecision: 'none'`). */
  decision: MatchDecision
}

/** Options of {@link ClaimIndex.search}. */
export interface SearchOptions {
  /** Most hits to return, best first (default 10). */
  limit?: number
  /** Weakest decision to return (default `suggest`: only suggest and merge). */
  minDecision?: MatchDecision
  /** Candidates rescored exactly after the IDF prefilter (default 120). More is slower, may find more. */
  candidates?: number
  /**
   * Postings the prefilter may visit (default {@link DEFAULT_POSTINGS_BUDGET}); rarest query
   * words first, at least three words always. Lower is faster on a large index but misses more.
   */
  postingsBudget?: number
}

/**
 * Default number of postings the prefilter visits per query (rarest query words first; at least
 * three words are always used). Bounds the cost on a 1 M index, where template-like words ("công an",
 * "lừa đảo") have posting lists of hundreds of thousands.
 */
export const DEFAULT_POSTINGS_BUDGET = 600_000

/**
 * Claims whose features the index keeps (least recently used dropped first): the newest claims
 * and those rescored often (a viral rumour's variants) are not analysed again for every
 * query. A few KB each.
 */
export const FEATURE_CACHE_SIZE = 4096

/** A row the desk loads into the index. */
export interface ClaimRow {
  /** The claim's id. */
  id: ClaimId
  /** The claim's text (as submitted; it is normalised here). */
  text: string
}

const DECISION_RANK: Record<MatchDecision, number> = { none: 0, suggest: 1, merge: 2 }

/** Growable posting list of internal document numbers. */
class Postings {
  data = new Uint32Array(4)
  length = 0
  push(doc: number): void {
    if (this.length === this.data.length) {
      const next = new Uint32Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = doc
  }
}

/**
 * In-memory claim index: folded canonical words → posting lists (typed arrays), candidates
 * ranked by IDF-weighted overlap (with one-typo expansion of unknown query words), the best
 * few hundred rescored with the exact pair score. Stores each claim's normalised text (not the
 * features) to keep 1 M claims within a few hundred MB.
 */
export class ClaimIndex {
  private readonly texts: string[] = []
  private readonly ids: ClaimId[] = []
  private readonly docOf = new Map<ClaimId, number>()
  private alive = new Uint8Array(1024)
  private readonly vocab = new Map<string, number>()
  private readonly terms: string[] = []
  private readonly postings: Postings[] = []
  private readonly byUrl = new Map<string, number[]>()
  private scores = new Float32Array(1024)
  private touched = new Uint32Array(1024)
  private live = 0
  /** Features of recently added or rescored claims (least recently used dropped first). */
  private readonly featureCache = new Map<number, ClaimFeatures>()
  /** Features of the latest queries by text: a submission is searched for, then added. */
  private readonly recentQueries = new Map<string, ClaimFeatures>()

  /** Builds an index from stored rows (e.g. `SELECT id, text FROM claims`). */
  static fromRows(rows: Iterable<ClaimRow>): ClaimIndex {
    const index = new ClaimIndex()
    for (const r of rows) index.add(r.id, r.text)
    return index
  }

  /** Number of claims currently in the index. */
  get size(): number {
    return this.live
  }

  /**
   * Adds (or replaces) a claim.
   * @param id the claim's id
   * @param text the claim's text
   */
  add(id: ClaimId, text: string): void {
    if (this.docOf.has(id)) this.remove(id)
    const doc = this.texts.length
    const head = text.length > MAX_MATCH_CHARS * 4 ? text.slice(0, MAX_MATCH_CHARS * 4) : text
    const normalized = normalizeText(head)
    const stored = normalized.length > MAX_MATCH_CHARS ? normalized.slice(0, MAX_MATCH_CHARS) : normalized
    const f = this.recentQueries.get(stored) ?? analyzeClaim(stored, true)
    this.remember(doc, f)
    this.texts.push(stored)
    this.ids.push(id)
    this.docOf.set(id, doc)
    if (doc >= this.alive.length) {
      const next = new Uint8Array(this.alive.length * 2)
      next.set(this.alive)
      this.alive = next
    }
    this.alive[doc] = 1
    this.live++
    for (const term of indexTerms(f)) {
      let t = this.vocab.get(term)
      if (t === undefined) {
        t = this.terms.length
        this.vocab.set(term, t)
        this.terms.push(term)
        this.postings.push(new Postings())
      }
      this.postings[t].push(doc)
    }
    for (const u of f.urls) {
      const list = this.byUrl.get(u)
      if (list) list.push(doc)
      else this.byUrl.set(u, [doc])
    }
  }

  /**
   * Removes a claim (e.g. after a staff split). Its postings stay until the index is rebuilt;
   * they are skipped when searching.
   * @returns whether the id was present
   */
  remove(id: ClaimId): boolean {
    const doc = this.docOf.get(id)
    if (doc === undefined) return false
    this.docOf.delete(id)
    this.alive[doc] = 0
    this.texts[doc] = ''
    this.featureCache.delete(doc)
    this.live--
    return true
  }

  /**
   * Claims that state the same thing as `query`, best first.
   * @param query the new submission's text (any encoding, with or without marks)
   * @param options limit, weakest decision, candidate count
   */
  search(query: string, options: SearchOptions = {}): ClaimMatch[] {
    const limit = options.limit ?? 10
    const minRank = DECISION_RANK[options.minDecision ?? 'suggest']
    const k = Math.max(options.candidates ?? 120, limit)
    const q = analyzeClaim(query)
    // Normalising is idempotent: a normalised query is analysed exactly as add() would.
    this.recentQueries.set(query, q)
    if (this.recentQueries.size > 64) this.recentQueries.delete(this.recentQueries.keys().next().value as string)
    const n = this.texts.length
    if (n === 0 || limit <= 0) return []
    if (this.scores.length < n) this.scores = new Float32Array(Math.max(n, this.scores.length * 2))
    if (this.touched.length < n) this.touched = new Uint32Array(Math.max(n, this.touched.length * 2))
    const scores = this.scores
    const touched = this.touched
    let touchedCount = 0
    const bump = (doc: number, w: number): void => {
      if (scores[doc] === 0) touched[touchedCount++] = doc
      scores[doc] += w
    }
    for (const u of q.urls) for (const doc of this.byUrl.get(u) ?? []) bump(doc, 1000)

    // Query terms with their IDF; unknown words (typos) borrow the postings of vocabulary
    // words one edit away.
    const weighted: { t: number; w: number }[] = []
    for (const term of indexTerms(q)) {
      const t = this.vocab.get(term)
      if (t !== undefined) {
        weighted.push({ t, w: 1 })
      } else if (term.length >= 3 && !/^\d/.test(term)) {
        for (const alt of this.nearTerms(term)) weighted.push({ t: alt, w: SCORE_PARAMS.typoCredit })
      }
    }
    // Rare terms first; skip terms so common they cannot tell claims apart once enough rarer
    // evidence has been gathered (bounds the work on a 1 M index).
    const scored = weighted.map((x) => {
      const df = this.postings[x.t].length
      return { ...x, df, idf: Math.log(1 + n / df) }
    })
    scored.sort((a, b) => a.df - b.df)
    let visited = 0
    const budget = options.postingsBudget ?? DEFAULT_POSTINGS_BUDGET
    for (let i = 0; i < scored.length; i++) {
      const s = scored[i]
      if (i >= 3 && visited + s.df > budget) break
      const p = this.postings[s.t]
      const w = s.w * s.idf
      const data = p.data
      for (let j = 0; j < p.length; j++) {
        const doc = data[j]
        if (scores[doc] === 0) touched[touchedCount++] = doc
        scores[doc] += w
      }
      visited += p.length
    }

    // Keep the k best by prefilter score (min-heap), then rescore exactly.
    const heapDoc = new Uint32Array(k)
    const heapScore = new Float32Array(k)
    let size = 0
    for (let ti = 0; ti < touchedCount; ti++) {
      const doc = touched[ti]
      const s = scores[doc]
      scores[doc] = 0
      if (!this.alive[doc]) continue
      if (size < k) {
        let i = size++
        while (i > 0) {
          const parent = (i - 1) >> 1
          if (heapScore[parent] <= s) break
          heapDoc[i] = heapDoc[parent]
          heapScore[i] = heapScore[parent]
          i = parent
        }
        heapDoc[i] = doc
        heapScore[i] = s
      } else if (s > heapScore[0]) {
        let i = 0
        for (;;) {
          const l = 2 * i + 1
          if (l >= size) break
          const r = l + 1
          const c = r < size && heapScore[r] < heapScore[l] ? r : l
          if (heapScore[c] >= s) break
          heapDoc[i] = heapDoc[c]
          heapScore[i] = heapScore[c]
          i = c
        }
        heapDoc[i] = doc
        heapScore[i] = s
      }
    }
    const hits: { doc: number; score: number; decision: MatchDecision }[] = []
    for (let i = 0; i < size; i++) {
      const doc = heapDoc[i]
      const r = scoreFeatures(q, this.featuresOf(doc))
      if (DECISION_RANK[r.decision] < minRank) continue
      hits.push({ doc, score: round4(r.score), decision: r.decision })
    }
    // Ties go to the older claim, so results are stable.
    hits.sort((a, b) => b.score - a.score || a.doc - b.doc)
    return hits.slice(0, limit).map((h) => ({ id: this.ids[h.doc], score: h.score, decision: h.decision }))
  }

  /** A stored claim's features: from the cache, or analysed again (texts are kept, features are not). */
  private featuresOf(doc: number): ClaimFeatures {
    const cached = this.featureCache.get(doc)
    if (cached) {
      this.featureCache.delete(doc)
      this.featureCache.set(doc, cached)
      return cached
    }
    const f = analyzeClaim(this.texts[doc], true)
    this.remember(doc, f)
    return f
  }

  private remember(doc: number, f: ClaimFeatures): void {
    this.featureCache.set(doc, f)
    if (this.featureCache.size > FEATURE_CACHE_SIZE) {
      const oldest = this.featureCache.keys().next().value
      if (oldest !== undefined) this.featureCache.delete(oldest)
    }
  }

  /** Vocabulary terms one edit away from an unknown word (bounded scan). */
  private nearTerms(term: string): number[] {
    const out: number[] = []
    for (let t = 0; t < this.terms.length && out.length < 4; t++) {
      const c = this.terms[t]
      if (Math.abs(c.length - term.length) <= 1 && withinOneEdit(term, c)) out.push(t)
    }
    return out
  }
}
