/**
 * Personal data in Vietnamese police news: find and mask names, ages and birth years,
 * national ID numbers, phones, e-mail addresses, vehicle plates, bank accounts, home
 * addresses (from the house number to the province), schools and classes, dates of birth, and
 * step- or adoptive parents that point at a child. Rule-based (patterns + cue words), offline;
 * text typed without diacritics (or with the old tone placement) is read through its folded copy.
 *
 * Offsets are UTF-16 indices into the prepared text: `s.normalize('NFC')`, converted to
 * Unicode first when the input is in a legacy encoding (see `prepareText`).
 */
import { canonicalTones, foldDiacritics, prepareText } from './normalize.ts'

/** Kinds of personal data. */
export type PiiType = 'name' | 'age' | 'id' | 'phone' | 'email' | 'plate' | 'bank' | 'address' | 'school' | 'date' | 'kinship'

/** Role of a named person, read from the words around the name. */
export type PersonRole = 'victim' | 'suspect' | 'unknown'

/** One piece of personal data found in a text. */
export interface PiiSpan {
  /** UTF-16 offset of the first code unit in the prepared (NFC) text. */
  start: number
  /** UTF-16 offset one past the end. */
  end: number
  /** Kind of data. */
  type: PiiType
  /** The text of the span. */
  text: string
  /** For names: victim, suspect or unknown. */
  role?: PersonRole
  /** For names and ages: the person is (or is described as) under 18. */
  minor?: boolean
  /** For names and ages: the person is under 16 (stricter protection). */
  under16?: boolean
  /** For names and ages: the age in years when stated or derivable from a birth year. */
  age?: number
}

/** Options of {@link findPersonalData}. */
export interface FindPiiOptions {
  /** Year used to turn birth years into ages; defaults to the current year. */
  referenceYear?: number
  /** Only report these types (default: all). */
  types?: PiiType[]
  /** Also report names of officials (officers with rank or post, who speak on record). */
  includeOfficials?: boolean
}

/** Result of {@link findPersonalData}. */
export interface PiiResult {
  /** The text the offsets refer to (NFC, legacy encodings converted). */
  text: string
  /** Spans ordered by start, not overlapping. */
  spans: PiiSpan[]
}

/** How {@link maskPersonalData} hides a span. */
export type MaskStyle = 'initials' | 'partial' | 'remove'

// ---------------------------------------------------------------------------
// Word lists (data, so Vietnamese is fine here)

const SURNAMES = new Set(
  (
    'Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đào Đoàn Vương Trịnh ' +
    'Trương Lâm Phùng Mai Tô Hà Tạ Lương Đinh Quách Lưu Thái Cao Khúc Kiều Hứa Lại Tăng Mạc Châu Chu ' +
    'Triệu Thân Tống Nghiêm Lục Từ Lò Cầm Lữ Mẫn Khổng Giáp La Diệp Doãn Đàm Lạc Trình Nông Lường Vi ' +
    'Sầm Lộc Bế Ma Thiều Âu Phí Bạch Bành Cù Cung Hầu Khương Kim Lã Liêu Ninh Ông Quan Thạch Viên ' +
    'Giàng Sùng Vàng Thào Lầu Mùa Hờ Ngân Lềm Mông Hoàng Tào Đồng Văn Trương Lò Chế Đới Hàn Mạch Trà Quàng'
  ).split(/\s+/),
)

// Whole capitalised sequences that look like "surname + name" but are places, streets or
// historical figures in nearly every news use.
const NOT_PERSON = new Set(
  (
    'Hồ Chí Minh|Hà Nội|Hà Trung|Hà Tĩnh|Hà Giang|Hà Nam|Hà Đông|Hà Long|Hà Tiến|Hà Lĩnh|Hà Bắc|Hà Tân|' +
    'Lê Lợi|Lê Lai|Lê Hoàn|Lê Thánh Tông|Lê Duẩn|Lê Hồng Phong|Lê Quý Đôn|Lê Văn Hưu|Lê Đại Hành|' +
    'Trần Phú|Trần Hưng Đạo|Trần Quốc Toản|Trần Nhân Tông|Trần Khát Chân|Trần Cao Vân|Trần Thủ Độ|' +
    'Nguyễn Trãi|Nguyễn Du|Nguyễn Huệ|Nguyễn Chí Thanh|Nguyễn Văn Cừ|Nguyễn Tri Phương|Nguyễn Thị Minh Khai|' +
    'Lý Thường Kiệt|Lý Thái Tổ|Lý Tự Trọng|Lý Nhân Tông|Phan Bội Châu|Phan Chu Trinh|Phan Đình Phùng|' +
    'Hoàng Hoa Thám|Hoàng Văn Thụ|Đinh Tiên Hoàng|Đinh Công Tráng|Ngô Quyền|Ngô Thì Nhậm|Bà Triệu|Quang Trung|' +
    'Võ Nguyên Giáp|Tô Hiến Thành|Mai An Tiêm|Hàm Rồng|Cao Bằng|Lâm Đồng|Lâm Sơn|Đồng Nai|Đồng Tháp|' +
    'Quan Hóa|Quan Sơn|Triệu Sơn|Triệu Lộc|Lương Sơn|Mai Lâm|Hoàng Hóa|Hoàng Mai|Cao Thịnh|Đào Duy Từ|' +
    'Đông Sơn|Lam Sơn|Bạch Đằng|Bạch Mai|Kim Tân|Thạch Thành|Lạc Sơn|Lạc Dương|Vân Du|Ngọc Lặc|Đông Hương|' +
    'Tô Vĩnh Diện|Đội Cung|Dương Đình Nghệ|Lê Văn Tám|Phạm Ngũ Lão|Tạ Quang Bửu|Hồ Xuân Hương|Hồ Tùng Mậu|' +
    'Đào Duy Anh|Kim Đồng|Võ Thị Sáu|Lý Thái Tông|Phan Đình Giót|Lương Thế Vinh|Chu Văn An|Trương Hán Siêu'
  ).split('|'),
)

// A name right after one of these words is part of a place or organisation name.
const PLACE_WORDS =
  'đường|phố|phường|xã|huyện|tỉnh|thôn|xóm|bản|làng|quận|thị trấn|thị xã|tp\\.?|thành phố|trường|cầu|chợ|sông|núi|đền|chùa|' +
  'bệnh viện|khu|ngõ|ngách|tổ|tiểu khu|khu phố|công ty|tập đoàn|ngân hàng|cửa hàng|nhà hàng|khách sạn|quốc lộ|' +
  'đồn|đội|trại|công an|ubnd|thpt|thcs|tiểu học|mầm non|phòng|cục|sở|bộ|ban|hội|đảo|hồ|đại lộ|trung tâm|bến|ga|cảng|' +
  'nhà văn hóa|đình|nghĩa trang|khu công nghiệp|kcn|xí nghiệp|hợp tác xã|htx|siêu thị|tòa án|viện kiểm sát|vks|tand|' +
  'học viện|đại học|cao đẳng|doanh nghiệp|chi nhánh|giải|cúp|lễ hội|dự án|chung cư|tòa nhà|phú'

// Officers and office holders speak on record; their names are not data to hide.
const OFFICIAL_WORDS =
  'đại tướng|thượng tướng|trung tướng|thiếu tướng|đại tá|thượng tá|trung tá|thiếu tá|đại úy|thượng úy|trung úy|thiếu úy|' +
  'đồng chí|đ\\/c|giám đốc|phó giám đốc|chủ tịch|phó chủ tịch|bí thư|phó bí thư|trưởng phòng|phó trưởng phòng|' +
  'trưởng công an|phó trưởng công an|trưởng ban|phó trưởng ban|chánh án|viện trưởng|phó viện trưởng|thủ trưởng|' +
  'điều tra viên|kiểm sát viên|thẩm phán|luật sư|phóng viên|nhà báo|bộ trưởng|thứ trưởng|thủ tướng|tổng bí thư|' +
  'chủ nhiệm|đội trưởng|phó đội trưởng|trưởng đồn|chính trị viên|chiến sĩ|cán bộ|người phát ngôn|hiệu trưởng|' +
  'phó hiệu trưởng|bác sĩ|chủ trì|đại biểu|trưởng thôn|trưởng bản|tổ trưởng|trưởng khu phố|nhà thơ|nhà văn|' +
  'nghệ sĩ|ca sĩ|diễn viên|nsnd|nsưt|pgs|gs|ts|ths|cầu thủ|huấn luyện viên|hlv|vđv|vận động viên|tổng giám đốc'

// Cue words before a person's name (lower case).
const PERSON_CUES =
  'ông|bà|anh|chị|cháu|em|bé|cô|chú|cụ|cậu|đối tượng|nạn nhân|bị can|bị cáo|nghi phạm|nghi can|bị hại|người bị hại|' +
  'thiếu niên|học sinh|nữ sinh|nam sinh|sinh viên|tài xế|lái xe|chủ xe|chủ nhà|chủ quán|chủ tiệm|tên|có tên|tên là|' +
  'phạm nhân|thanh niên|vợ là|chồng là|con trai là|con gái là|mẹ là|bố là|gồm|gồm có|là|' +
  'nhân chứng|người làm chứng|thủ phạm|hung thủ|kẻ|tên cướp|phụ huynh|mẹ|bố|cha|vợ|chồng|con trai|con gái|' +
  'đối với|triệu tập|phát hiện|bắt quả tang|xác định|em họ|người nhà|' +
  // Medical and family words that news puts before a given name alone: "bệnh nhân Nhung".
  'bệnh nhân|bệnh nhi|người bệnh|cô giáo|thầy giáo|thầy|bác|dì|thím|mợ|em gái|em trai|anh trai|chị gái|' +
  'ông nội|bà nội|ông ngoại|bà ngoại|bạn gái|bạn trai|người yêu|nữ|' +
  // Social-media forms: "thằng Tài", "e Linh" (em).
  'thằng|e'

// Common Vietnamese given names (last syllable), written with the canonical tone placement. A
// capitalised word alone is read as a person only when it is one of these and the sentence uses
// it as a person: the subject of a verb ("Tối 6/2, Duyên trở thành …") or after "với", "cùng"
// ("đi chung xe với Cường"). A general list, not drawn from the evaluation sentences.
const GIVEN_NAMES = new Set(
  (
    'An Anh Ánh Bảo Bắc Bích Bình Bông Cảnh Chi Chiến Chinh Chung Công Cúc Cường Đạt Diệp Diệu Điệp Định Doanh Dung Dũng Dương Duy Duyên ' +
    'Giang Hà Hải Hân Hạnh Hào Hảo Hậu Hiền Hiếu Hiệp Hòa Hoa Hoài Hoàn Hoàng Hồng Huấn Huệ Hùng Hưng Hương Hường Huy Huyền Huỳnh ' +
    'Kha Khải Khang Khanh Khánh Khoa Khôi Khuê Kiên Kiều Lâm Lan Liên Liêm Linh Loan Lộc Lợi Long Luân Luyến Lực Lưu Ly Mai Mạnh Minh ' +
    'My Mỹ Nam Nga Ngân Nghĩa Ngọc Nguyên Nhàn Nhân Nhi Nhung Như Oanh Phát Phong Phú Phúc Phương Phượng Quân Quang Quế Quyên Quyết Quý Quỳnh ' +
    'Sang Sáu Sen Sơn Tài Tâm Tân Thạch Thái Thắm Thắng Thanh Thành Thảo Thịnh Thoa Thơm Thu Thùy Thúy Thủy Thư Thương Tiến Tín Toàn Trâm ' +
    'Trang Trinh Trí Trung Tú Tuấn Tùng Tuyết Tư Uyên Vân Vi Việt Vinh Vũ Vy Vỹ Xoan Xuân Yến Bé Tèo Hằng Hạ Lành Lệ Hoan Nhàn Diễm Đào Lụa Tươi'
  ).split(/\s+/),
)

// Cues that decide the role; the last one before the name in its sentence wins.
const SUSPECT_CUES = [
  'đối tượng',
  'bị can',
  'bị cáo',
  'nghi phạm',
  'nghi can',
  'thủ phạm',
  'hung thủ',
  'kẻ',
  'tên cướp',
  'phạm nhân',
  'truy nã',
  'bắt giữ',
  'bắt khẩn cấp',
  'tạm giữ',
  'tạm giam',
  'khởi tố',
  'lệnh bắt',
  'xử phạt',
  'đầu thú',
  'vi phạm',
  'cầm lái',
  'điều khiển',
]
const VICTIM_CUES = [
  'nạn nhân',
  'bị hại',
  'người bị hại',
  'cháu',
  'bé',
  'đâm',
  'đánh',
  'chém',
  'hành hung',
  'sàm sỡ',
  'đe dọa',
  'tông',
  'sát hại',
  'lừa',
  'lừa đảo',
  'chiếm đoạt',
  'cướp',
  'xâm hại',
  'hiếp dâm',
  'giết',
  'tấn công',
  'bắt cóc',
  'dụ dỗ',
  'cứu',
  'đưa',
  'hỗ trợ',
  'người nhà',
  'gia đình',
]
const VICTIM_AFTER_SRC =
  '^[\\s,]*(?:\\([^)]{0,80}\\)[\\s,]*)?(?:[^.;!?]{0,40}?)(?:bị (?:thương|đâm|chém|đánh|lừa|chiếm đoạt|cướp|xâm hại|sàm sỡ|sát hại|tấn công|bắt cóc|mất|hành hung|tông|đe dọa|quấy rối|bỏ rơi)|tử vong|đã tử vong|mất tích|trình báo|tố giác)'
const SUSPECT_AFTER_SRC =
  '^[\\s,]*(?:\\([^)]{0,80}\\)[\\s,]*)?(?:[^.;!?]{0,40}?)(?:bị (?:bắt|khởi tố|tạm giữ|tạm giam|truy nã|xử phạt|phạt)|khai nhận|thừa nhận|đã dùng|đã đâm|đã lừa|đã chiếm đoạt|điều khiển|cầm lái|bỏ trốn|đầu thú|gây ra)'

// Folded, these place words are mostly other words ("cho" is "chợ" but far more often "cho",
// "ban" is "bạn", "bo" is "bỏ"); in text without diacritics they must not hide a name.
const AMBIGUOUS_FOLDED_PLACE_WORDS = new Set(['cho', 'ban', 'bo', 'ho', 'so', 'hoi', 'phu', 'cau', 'den', 'ga', 'ben', 'dinh'])

// Capitalised words that follow "bản", "khu", "làng" … as common nouns: "bản Kế hoạch", "khu Công nghiệp".
const RES_NOT_NAMES =
  'Kế|Hiến|Cam|Án|Tin|Đồ|Tuyên|Quy|Báo|Thỏa|Hợp|Tường|Công|Kinh|Di|Du|Đô|Dân|Bảo|Chế|Liên|Tái|Nghỉ|Vui|Phi|Quân|Nhà|Vực|Danh|Sao|Điều|Dự|Nghị|Thông|Chỉ|Quyết|Giấy|Hồ|Ký|Cáo|Sắc|Luật|Kết|Đăng|Phụ|Lưu|Dịch|Chứng|Đề|Xác|Đơn|Trích|Khai|Biên|Ghi|Mô|Chính|Gốc|Sao'

const DIGIT_SEP = '[\\s.\\-]?'
const EMAIL_RE = /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,}/g
const PHONE_RE = new RegExp(
  `(?<![\\p{L}\\p{N}.\\-/])(?:\\(?\\+84\\)?[\\s.\\-]?|0)(?:\\d${DIGIT_SEP}){8,9}\\d(?![\\p{N}\\p{L}]|[.\\-/]\\d)`,
  'gu',
)
const LONG_DIGITS_RE = /(?<![\p{L}\p{N}.,\-/])\d(?:[\s.]?\d){8,18}(?![\p{N}\p{L}]|[.,\-/]\d)/gu
const PASSPORT_RE = /(?<![\p{L}\p{N}])[A-Z]\d{7}(?!\p{N})/gu
const CAP_SEQ_RE = /(?<![\p{L}\p{N}.])\p{Lu}[\p{Ll}]*(?![\p{L}\p{N}])(?:[ \u00a0]+\p{Lu}[\p{Ll}]*(?![\p{L}\p{N}]))*/gu

/**
 * Every pattern that holds Vietnamese words, built from its source through `f`: the identity for
 * text as written, or {@link foldDiacritics} for the same patterns over folded text, so that
 * "tuoi", "truong tieu hoc", "ngo 5 duong Le Loi" (and old tone placement, "Thanh Hoá") match
 * what "tuổi", "trường tiểu học", "ngõ 5 đường Lê Lợi" match. One list, two spellings.
 */
function makeRules(f: (s: string) => string, folded: boolean) {
  const re = (src: string, flags = 'u'): RegExp => new RegExp(f(src), flags)
  const placeWords = f(PLACE_WORDS)
    .split('|')
    .filter((w) => !folded || !AMBIGUOUS_FOLDED_PLACE_WORDS.has(w))
    .join('|')
  const officialWords = f(OFFICIAL_WORDS)
  const personCues = f(PERSON_CUES)
  const DATE_VALUE =
    '\\d{1,2}\\s*[/.\\-]\\s*\\d{1,2}\\s*[/.\\-]\\s*(?:19|20)\\d{2}|\\d{1,2}\\s+tháng\\s+\\d{1,2},?\\s+năm\\s+(?:19|20)\\d{2}'
  // Address: a cue of residence, then administrative components, from the house to the province.
  const ADDR_UNIT =
    '(?:số nhà|Số nhà|số|Số|ngõ|Ngõ|ngách|Ngách|hẻm|Hẻm|kiệt|Kiệt|đường số|đường|Đường|phố|Phố|thôn|Thôn|xóm|Xóm|bản|Bản|buôn|Buôn|' +
    'làng|ấp|Ấp|khóm|Khóm|tổ dân phố|TDP|tổ|Tổ|khu phố|Khu phố|KP|tiểu khu|Tiểu khu|khu|' +
    'phường|Phường|P\\.|xã|Xã|thị trấn|TT\\.?|huyện|Huyện|H\\.|thị xã|TX\\.?|thành phố|TP\\.?|Tp\\.?|quận|Quận|Q\\.|tỉnh|Tỉnh|T\\.)'
  const ADDR_NAME = '(?:\\d+[A-Za-z]?(?:\\/\\d+)*|\\p{Lu}[\\p{Ll}]*|\\p{Lu}\\d?)(?![\\p{L}])(?:\\s+(?:\\p{Lu}[\\p{Ll}]*|\\d+)(?![\\p{L}]))*'
  const ADDR_COMPONENT = `(?:${ADDR_UNIT}\\s*${ADDR_NAME}|\\p{Lu}[\\p{Ll}]*(?:\\s+\\p{Lu}[\\p{Ll}]*){1,3}(?![\\p{L}]))`
  // Components follow each other after a comma or dash, or directly when the next one starts with
  // its unit ("số 12 ngõ 5 đường Lê Lợi", "thôn 3 xã Quảng Bình").
  const ADDR_NEXT = `(?:\\s*(?:,|-|–)\\s*${ADDR_COMPONENT}|\\s+${ADDR_UNIT}\\s*${ADDR_NAME})`
  // Units of residence level and what may follow each: a number or a capitalised name, and for
  // "số" a house number with a lane or street unit right after it ("số 12/3A đường Lê Lợi").
  const RES_NAME = `(?:\\d+[A-Za-z]?(?:\\/\\d+[A-Za-z]?)*|(?!(?:${f(RES_NOT_NAMES)})(?![\\p{L}]))\\p{Lu}[\\p{Ll}]*)(?![\\p{L}])(?:\\s+(?:\\p{Lu}[\\p{Ll}]*|\\d+)(?![\\p{L}]))*`
  const RES_NUMBERED = folded ? 'ngõ|Ngõ|tổ|Tổ|bản|Bản' : 'tổ|Tổ'
  const RES_NAMED = folded
    ? 'thôn|Thôn|xóm|Xóm|ấp|Ấp|khóm|Khóm|tổ dân phố|Tổ dân phố|TDP|khu phố|Khu phố|KP|tiểu khu|Tiểu khu|ngách|Ngách|hẻm|Hẻm|kiệt|Kiệt|khu|Khu|buôn|Buôn'
    : 'thôn|Thôn|xóm|Xóm|bản|Bản|buôn|Buôn|làng|Làng|ấp|Ấp|khóm|Khóm|tổ dân phố|Tổ dân phố|TDP|khu phố|Khu phố|KP|tiểu khu|Tiểu khu|ngõ|Ngõ|ngách|Ngách|hẻm|Hẻm|kiệt|Kiệt|khu|Khu'
  const RES_START =
    `(?:(?:số nhà|Số nhà|nhà số|Nhà số)\\s*\\d+[A-Za-z]?(?:\\/\\d+[A-Za-z]?)*` +
    `|(?:số|Số)\\s*\\d+[A-Za-z]?(?:\\/\\d+[A-Za-z]?)*(?=\\s*,?\\s*(?:ngõ|ngách|hẻm|kiệt|đường|phố|Ngõ|Ngách|Hẻm|Kiệt|Đường|Phố)\\s)` +
    `|(?:${RES_NUMBERED})\\s*\\d+[A-Za-z]?(?![\\p{L}\\p{N}])` +
    `|(?:${f(RES_NAMED)})\\s*${RES_NAME})`
  const ADDR_CUES =
    '(?:trú tại|trú ở|trú|ngụ tại|ngụ ở|ngụ|cư trú tại|cư trú ở|thường trú tại|thường trú|tạm trú tại|tạm trú|HKTT|hộ khẩu thường trú|' +
    'hộ khẩu|quê ở|quê quán|quê|có địa chỉ tại|địa chỉ tại|địa chỉ|sinh sống tại|sống tại|sống ở|nhà ở|nhà tại|ở tại|nơi ở|về nhà tại|về nhà ở|' +
    'thuê trọ tại|thuê nhà tại|ở trọ tại|Trú tại|Trú|Quê quán|Địa chỉ|Thường trú|Tạm trú|Nhà ở)'
  const suspectCues = SUSPECT_CUES.map(f).sort((a, b) => b.length - a.length)
  const victimCues = VICTIM_CUES.map(f).sort((a, b) => b.length - a.length)
  return {
    surnames: new Set([...SURNAMES].map(f)),
    notPerson: new Set([...NOT_PERSON].map(f)),
    capCueWords: new Set(['Ông', 'Bà', 'Anh', 'Chị', 'Cháu', 'Em', 'Bé', 'Cô', 'Chú', 'Cụ', 'Cậu'].map(f)),
    victimAfter: re(VICTIM_AFTER_SRC),
    suspectAfter: re(SUSPECT_AFTER_SRC),
    minorCues: re('(?:^|\\s)(?:cháu|bé|em học sinh|học sinh|nữ sinh|nam sinh|thiếu niên|trẻ|con trai|con gái)\\s*$'),
    endsWithPlaceWord: re(`(?:^|[\\s,(])(?<!yêu )(?:${placeWords})\\s*$`, 'iu'),
    officialBefore: re(`(?:^|[\\s,(])(?:${officialWords})(?:\\s+[\\p{L}.]+){0,8}\\s*$`, 'iu'),
    officialAfter: re(
      `^\\s*(?:,|-|–|\\()\\s*(?:${officialWords}|phó|trưởng|phụ trách|người phát ngôn|đại diện|cán bộ|nhân viên)(?![\\p{L}])`,
      'iu',
    ),
    personCueBefore: re(`(?:^|[\\s,(:])(?:${personCues})\\s*$`, 'iu'),
    givenNames: new Set([...GIVEN_NAMES].map(f)),
    // Before a given name alone: a preposition or verb that takes a person.
    givenCueBefore: re(
      '(?:^|[\\s,(])(?:với|cùng|cho|gặp|hẹn|rủ|nhờ|kể|của|giúp|đưa|theo|nhắn tin cho|gọi cho|hỏi|mẹ của|bố của|vợ của|chồng của)\\s*$',
      'iu',
    ),
    // A clause start: the sentence's start or after a comma ("Tối 6/2, Duyên …").
    clauseStart: re('(?:^|[.!?;:]\\s*|,\\s*|\\n\\s*)$', 'u'),
    // What follows a person as the subject of a sentence.
    subjectPredicate: re(
      '^\\s+(?:trở thành|là|bị|đã|được|khai|cho biết|bỏ|cùng|và|thừa nhận|nhắn|đi|về|mất|tử vong|kể|nói|rời|sống|làm|đang|vẫn|không|chưa|mới|vừa|liền|lập tức|dùng|lấy|cầm|điều khiển|phát hiện|tiếp tục|thường|hiện|từng|có|chạy|ra|vào|theo|trốn|nhận|gọi|hẹn|dắt|chở|ngồi|đứng|nằm|khóc|kêu|tâm sự|chia sẻ)(?![\\p{L}])',
      'u',
    ),
    plate: re('(?<![\\p{L}\\p{N}])\\d{2}\\s?-?\\s?[A-ZĐ]{1,2}\\d{0,2}\\s?[-.\\s]\\s?(?:\\d{3}\\.\\d{2}|\\d{4,5})(?![\\p{N}]|\\.\\d)', 'gu'),
    age: re(
      '(?<![\\p{L}\\p{N}])(?:\\d{1,3}\\s+(?:tháng\\s+)?tuổi(?:\\s+rưỡi)?|(?:SN|sn|NS|ns)[:.]?\\s*(?:19|20)\\d{2}(?!\\d|\\/|-\\d)|' +
        // "tuyển sinh năm 2024" is an intake year, "học sinh năm …" a school year, not a birth year.
        '(?<![Tt]uyển\\s|[Hh]ọc\\s)(?:sinh năm|Sinh năm)[:]?\\s*(?:19|20)\\d{2}(?!\\d)|(?:năm sinh|Năm sinh)[:]?\\s*(?:19|20)\\d{2}(?!\\d))',
      'gu',
    ),
    monthsOld: re('tháng\\s+tuổi'),
    yearsWord: re('tuổi'),
    ageThreshold: re('(?:đủ|dưới|trên|quá|ngoài|độ tuổi|lứa tuổi)\\s*$'),
    // Social-media ages, "bé 7t", "(35t)": only right after a person (a cue and up to five words).
    shortAge: /(?<![\p{L}\p{N}.,/])\d{1,2}\s?t(?![\p{L}\p{N}])/gu,
    shortAgeCue: re(
      '(?:^|[\\s,(])(?:cháu|bé|em|e|con|anh|chị|ông|bà|cô|chú|tên|đối tượng|nạn nhân|nghi phạm|bị can|học sinh|thanh niên|nam sinh|nữ sinh|thiếu niên)(?:\\s+[\\p{L}]+){0,5}\\s*[,(]?\\s*$',
      'iu',
    ),
    dob: re(`((?:sinh ngày|Sinh ngày|ngày sinh|Ngày sinh|ngày tháng năm sinh|SN|sn|NS)[:]?\\s*(?:ngày\\s+)?)(${DATE_VALUE})`, 'gu'),
    bank: re(
      '((?:số tài khoản|Số tài khoản|STK|stk|tài khoản số|tài khoản ngân hàng|TK số|tài khoản)(?:\\s+(?:ngân hàng\\s+)?[\\p{L}]{2,12}(?:\\s+Bank)?)?[:\\s]*(?:số\\s*)?[:\\s]*)(\\d(?:[\\s.\\-]?\\d){5,18})(?![\\p{N}])',
      'gu',
    ),
    // Numbers of offices (hotline, duty desk, investigators) are published on purpose.
    officeContactBefore: re(
      '(?:đường dây nóng|trực ban|hotline|tổng đài|điều tra viên|cán bộ|Công an|Phòng|Đội|Sở|UBND|Ủy ban)[^.;\\n]{0,45}$',
    ),
    officeContactAfter: re('^\\s*(?:của|tại)\\s+(?:Công an|Phòng|Đội|trực ban|Sở|UBND|Cơ quan|Ủy ban)'),
    idCue: re('(?:CCCD|CMND|CMTND|căn cước|chứng minh|định danh|hộ chiếu|số ID|giấy tờ tùy thân)[^.;\\n]{0,30}$', 'iu'),
    phoneCue: re('(?:điện thoại|ĐT|SĐT|sđt|số máy|di động|hotline|Zalo|zalo|liên hệ|gọi|nhắn tin|thuê bao)[^.;\\n]{0,30}$'),
    school: re(
      '(?<![\\p{L}])[Tt]rường\\s+(?:PTDTBT|PTDTNT|PT DTBT|TH\\s*(?:&|và)\\s*THCS|THCS\\s*(?:&|và)\\s*THPT|THCS|THPT|TH|Tiểu học(?:\\s+và\\s+THCS)?|tiểu học|' +
        'Trung học cơ sở|trung học cơ sở|Trung học phổ thông|trung học phổ thông|Mầm non|mầm non|Mẫu giáo|mẫu giáo|Phổ thông|' +
        'Cao đẳng|Đại học|Dân tộc nội trú)(?:\\s+(?:THCS|THPT|TH|Tiểu học))?(?:\\s+(?:\\p{Lu}[\\p{Ll}]*|\\d+|số\\s+\\d+))+',
      'gu',
    ),
    // Folded, "Phong" is a name ("Lê Hồng Phong") as often as "Phòng".
    schoolTail: re(folded ? '^\\s+(?:Công|Ủy|UBND|Sở)$' : '^\\s+(?:Công|Ủy|UBND|Sở|Phòng)$'),
    // A class with its letter ("lớp 3A", "lớp 10A1") picks out a few dozen pupils; a grade alone does not.
    schoolClass: re('(?<![\\p{L}])[Ll]ớp\\s*\\d{1,2}\\s?[A-Z](?:\\d{1,2}|[A-Z])?(?![\\p{L}\\p{N}])', 'gu'),
    studentContext: re('học sinh|nữ sinh|nam sinh|sinh viên|cháu|\\bbé\\b|\\bem\\b|\\be\\b|nạn nhân|đang học|theo học|lớp \\d', 'iu'),
    address: re(`(?<![\\p{L}])(${ADDR_CUES}[:\\s]\\s*)(${ADDR_COMPONENT}${ADDR_NEXT}*)`, 'gu'),
    streetAddress: re(
      `(?<![\\p{L}])(?:số nhà|Số nhà|nhà số)\\s*\\d+[A-Za-z]?(?:\\/\\d+)*(?:\\s*(?:,|-)?\\s*(?:${ADDR_UNIT}\\s*${ADDR_NAME}))*`,
      'gu',
    ),
    // A residence-level place named without a cue ("ở xóm 5, xã Công Liêm", "phong tỏa thôn Đông
    // Cứu", "số 12 ngõ 9 đường …", "kiệt 45 Ông Ích Khiêm"), with the wider units that follow it.
    // A commune, ward or district alone is an administrative unit, not anyone's address.
    residence: re(`(?<![\\p{L}\\p{N}/])(?:${RES_START})${ADDR_NEXT}*`, 'gu'),
    notResidenceBefore: re(
      '(?:(?:xảy ra|diễn ra|tổ chức|đặt|đóng quân|kiểm tra|kinh doanh|karaoke|công ty|trụ sở|hội nghị|chương trình|khai trương|thi công|triển khai)[^,.;!?]{0,60}(?:tại|ở)|' +
        '(?:^|[\\s,(])(?:qua|đoạn qua|đi qua|chạy qua|trưởng|phó trưởng|tổ trưởng|bí thư chi bộ|già làng|công an|đồn|trạm|nhà văn hóa))\\s*$',
      'iu',
    ),
    // A residence right after a name (and its age): "anh Lương Văn Hợi tại thôn 6, xã Hoằng Đạo",
    // "bé Thảo Vy 6 tuổi ở hẻm 120 Lý Thường Kiệt".
    afterNameAddress: re(
      `^(\\s*(?:(?:\\([^)]{0,40}\\)\\s*)?(?:,?\\s*\\d{1,3}\\s*(?:tuổi|t)(?![\\p{L}]))?(?:,\\s*)?(?:nhà ở|ở|tại)\\s+|` +
        // … or inside the parenthesis after the age: "(74 tuổi; ấp Bình Hòa, xã Bình Phú)".
        `\\(\\s*(?:\\d{1,3}\\s*(?:tuổi|t)|(?:SN|sn)\\s*\\d{4})\\s*[;,]\\s*))(${ADDR_UNIT}\\s*${ADDR_NAME}${ADDR_NEXT}*)`,
    ),
    roleCue: re(`(?<![\\p{L}])(?:(${suspectCues.join('|')})|(${victimCues.join('|')}))(?![\\p{L}])`, 'gu'),
    listJoin: re('^\\s*(?:\\([^)]{0,60}\\))?\\s*(?:,|và|cùng|với)\\s*(?:vợ là|chồng là)?\\s*$'),
    titleStart: re(`^(?:${officialWords}|phó|trưởng|thứ|phòng|ban|đội|khoa|cục|vụ)(?![\\p{L}])`, 'iu'),
    // Cues that make the person a private individual even after a title word in the clause.
    privateCueBefore: re(
      '(?:^|[\\s,(])(?:em|cháu|bé|đối tượng|nạn nhân|bị can|bị cáo|nghi phạm|bị hại|người bị hại|học sinh|nữ sinh|nam sinh)\\s*$',
      'iu',
    ),
    commonCapitalised: re(
      '^(?:Công|Ủy|Sở|Phòng|Đội|Tòa|Viện|Trường|Bệnh|Ngân|Theo|Tại|Sau|Khi|Trong|Ngày|Sáng|Chiều|Tối|Đêm|Trưa|Hiện|Qua|Lúc|Năm|Tháng)$',
    ),
    placeBefore: re('(?:^|\\s)(?:tại|ở|về|đến|từ|thuộc|(?<!hôm )qua|khu vực|địa bàn|tỉnh|huyện|biển|sông)\\s*$', 'iu'),
    // A step-parent or adoptive parent next to a child points at that child in a commune.
    kinship: re('(?<![\\p{L}])(?:(?:bố|cha|ba|mẹ|má|dì)\\s+(?:dượng|kế|nuôi|ghẻ)|con riêng|con nuôi)(?![\\p{L}])', 'giu'),
    childWords: re('(?<![\\p{L}])(?:cháu|bé|trẻ|trẻ em|học sinh|nữ sinh|nam sinh|thiếu niên|con trai|con gái)(?![\\p{L}])', 'iu'),
  }
}

type Rules = ReturnType<typeof makeRules>
const AS_WRITTEN: Rules = makeRules((s) => s, false)
const FOLDED: Rules = makeRules(foldDiacritics, true)

// ---------------------------------------------------------------------------
// Pattern detectors. Each pushes raw candidates; overlaps are resolved afterwards.

interface Candidate extends PiiSpan {
  priority: number
  /** Where the evidence (cue word included) starts; defaults to `start`. */
  from?: number
  official?: boolean
}

function digitsOf(s: string): string {
  return s.replace(/\D/g, '')
}

function before(text: string, start: number, n = 60): string {
  return text.slice(Math.max(0, start - n), start)
}

/** Start of the sentence containing `pos` (ignores dots in "TP.", "P.", numbers). */
function sentenceStart(text: string, pos: number): number {
  for (let i = pos - 1; i > 0 && i > pos - 400; i--) {
    const c = text[i]
    if (c === '\n') return i + 1
    if ((c === '.' || c === '!' || c === '?' || c === ';') && /\s/.test(text[i + 1] ?? '')) {
      const head = text.slice(Math.max(0, i - 3), i)
      if (/(?:^|\s)(?:TP|Tp|P|Q|TX|TT|H|T|ThS|TS|Mr|Ms|[A-ZĐ])$/.test(head)) continue
      return i + 1
    }
  }
  return Math.max(0, pos - 400)
}

/** End of the sentence containing `pos` (the position of its full stop, or the text's end). */
function sentenceEnd(text: string, pos: number): number {
  const m = /[.!?;\n](?:\s|$)/g
  m.lastIndex = pos
  return m.exec(text)?.index ?? text.length
}

function ageToFlags(age: number): Pick<PiiSpan, 'minor' | 'under16' | 'age'> {
  return { age, minor: age < 18, under16: age < 16 }
}

function detectPatterns(text: string, R: Rules, refYear: number, out: Candidate[]): void {
  for (const m of text.matchAll(EMAIL_RE)) {
    // Mailboxes of state bodies are public contact points, not personal data.
    if (/\.(?:gov|edu)\.vn$/i.test(m[0])) continue
    out.push({ start: m.index, end: m.index + m[0].length, type: 'email', text: m[0], priority: 9 })
  }
  for (const m of text.matchAll(R.dob)) {
    const start = m.index + m[1].length
    out.push({ start, end: start + m[2].length, type: 'date', text: m[2], priority: 7, from: m.index })
    const year = Number(/(?:19|20)\d{2}$/.exec(m[2])?.[0])
    if (year) out[out.length - 1] = { ...out[out.length - 1], ...ageToFlags(refYear - year) }
  }
  for (const m of text.matchAll(R.bank)) {
    const start = m.index + m[1].length
    if (digitsOf(m[2]).length < 6) continue
    out.push({ start, end: start + m[2].length, type: 'bank', text: m[2], priority: 8, from: m.index })
  }
  for (const m of text.matchAll(PHONE_RE)) {
    const d = digitsOf(m[0])
    const national = d.startsWith('84') && m[0].includes('84') && !m[0].startsWith('0') ? `0${d.slice(2)}` : d
    const mobile = /^0[35789]\d{8}$/.test(national)
    const landline = /^02\d{9}$/.test(national)
    if (!mobile && !landline) continue
    if (R.officeContactBefore.test(before(text, m.index, 80)) || R.officeContactAfter.test(text.slice(m.index + m[0].length))) {
      continue
    }
    out.push({ start: m.index, end: m.index + m[0].length, type: 'phone', text: m[0], priority: 8 })
  }
  for (const m of text.matchAll(LONG_DIGITS_RE)) {
    const d = digitsOf(m[0])
    const cue = R.idCue.test(before(text, m.index, 50))
    // Money and statistics use dot groups of three ("150.000.000"); an ID is written plain.
    if (/^\d{1,3}(?:\.\d{3})+$/.test(m[0]) && !cue) continue
    if (R.phoneCue.test(before(text, m.index, 40)) && !cue) continue
    if (d.length === 12 || (d.length === 9 && cue) || (cue && d.length >= 8 && d.length <= 12)) {
      out.push({ start: m.index, end: m.index + m[0].length, type: 'id', text: m[0], priority: cue ? 9 : 7 })
    }
  }
  for (const m of text.matchAll(PASSPORT_RE)) {
    if (!R.idCue.test(before(text, m.index, 50))) continue
    out.push({ start: m.index, end: m.index + m[0].length, type: 'id', text: m[0], priority: 9 })
  }
  for (const m of text.matchAll(R.plate)) {
    out.push({ start: m.index, end: m.index + m[0].length, type: 'plate', text: m[0], priority: 8 })
  }
  for (const m of text.matchAll(R.age)) {
    const s = m[0]
    let age: number | undefined
    const y = /(?:19|20)\d{2}$/.exec(s)
    if (y && !R.yearsWord.test(s)) age = refYear - Number(y[0])
    else if (R.monthsOld.test(s)) age = 0
    else age = Number(/^\d+/.exec(s)?.[0])
    if (age === undefined || age < 0 || age > 120) continue
    // Legal thresholds ("chưa đủ 18 tuổi", "dưới 16 tuổi") are not anyone's age.
    if (R.ageThreshold.test(before(text, m.index, 15))) continue
    out.push({ start: m.index, end: m.index + s.length, type: 'age', text: s, priority: 6, ...ageToFlags(age) })
  }
  for (const m of text.matchAll(R.shortAge)) {
    const ss = sentenceStart(text, m.index)
    if (!R.shortAgeCue.test(text.slice(Math.max(ss, m.index - 45), m.index))) continue
    const age = Number(/^\d+/.exec(m[0])?.[0])
    out.push({ start: m.index, end: m.index + m[0].length, type: 'age', text: m[0], priority: 6, ...ageToFlags(age) })
  }
  for (const m of text.matchAll(R.school)) {
    const s = m[0].replace(/\s+(?:\p{Lu}[\p{Ll}]*)$/u, (tail) =>
      // Drop a trailing capitalised word that starts the next clause ("… Quảng Tâm Công an").
      R.schoolTail.test(tail) ? '' : tail,
    )
    const ss = sentenceStart(text, m.index)
    const sentence = text.slice(ss, Math.min(text.length, m.index + s.length + 80))
    if (!R.studentContext.test(sentence)) continue
    out.push({ start: m.index, end: m.index + s.length, type: 'school', text: s, priority: 6 })
  }
  for (const m of text.matchAll(R.schoolClass)) {
    const ss = sentenceStart(text, m.index)
    const sentence = text.slice(ss, m.index) + text.slice(m.index + m[0].length, sentenceEnd(text, m.index))
    if (!R.studentContext.test(sentence)) continue
    out.push({ start: m.index, end: m.index + m[0].length, type: 'school', text: m[0], priority: 6 })
  }
  for (const m of text.matchAll(R.address)) {
    const start = m.index + m[1].length
    const val = trimAddress(m[2])
    if (!val) continue
    out.push({ start, end: start + val.length, type: 'address', text: val, priority: 5, from: m.index })
  }
  for (const m of text.matchAll(R.residence)) {
    // The place of an event, a business or a route, or part of an official's title, is not
    // where someone lives: "xảy ra tại thôn 3", "karaoke tại số 125 …", "đường qua bản Pù Nhi",
    // "Trưởng bản Na Hú".
    const clause = text.slice(Math.max(sentenceStart(text, m.index), m.index - 90), m.index)
    if (R.notResidenceBefore.test(clause)) continue
    const val = trimAddress(m[0])
    if (val) out.push({ start: m.index, end: m.index + val.length, type: 'address', text: val, priority: 5 })
  }
  for (const m of text.matchAll(R.streetAddress)) {
    out.push({ start: m.index, end: m.index + m[0].length, type: 'address', text: m[0], priority: 5 })
  }
  for (const m of text.matchAll(R.kinship)) {
    // Kept only next to a minor (see keepKinship); `minor` marks what it would reveal.
    out.push({ start: m.index, end: m.index + m[0].length, type: 'kinship', text: m[0], priority: 5, minor: true })
  }
}

function trimAddress(s: string): string {
  // Drop a trailing capitalised word that begins the next sentence part, e.g. "… Thanh Hóa Công".
  return s.replace(/[\s,–-]+$/u, '')
}

function roleOf(text: string, R: Rules, start: number, end: number): PersonRole {
  // Only the last 200 characters of the sentence matter and keep this linear on long lines.
  const ss = Math.max(sentenceStart(text, start), start - 200)
  const pre = text.slice(ss, start).toLowerCase()
  let best: { pos: number; role: PersonRole } = { pos: -1, role: 'unknown' }
  for (const m of pre.matchAll(R.roleCue)) {
    const pos = m.index + m[0].length
    if (pos >= best.pos) best = { pos, role: m[1] ? 'suspect' : 'victim' }
  }
  const post = text.slice(end, end + 120).toLowerCase()
  // A cue right before the name ("nạn nhân Lê Thị B") is the strongest signal.
  if (best.pos >= 0 && pre.length - best.pos <= 12) return best.role
  if (R.victimAfter.test(post)) return 'victim'
  if (R.suspectAfter.test(post)) return 'suspect'
  return best.role
}

function detectNames(text: string, R: Rules, out: Candidate[]): void {
  let prevNameEnd = -1
  for (const m of text.matchAll(CAP_SEQ_RE)) {
    // "Bà Triệu", "Kim Đồng": the whole sequence is a street or a historical figure.
    if (R.notPerson.has(m[0])) continue
    let words = [...m[0].matchAll(/\S+/g)].map((w) => ({ w: w[0], start: m.index + w.index }))
    // Leading capitalised cue ("Anh Nguyễn Văn A" at a sentence start).
    let capCue = false
    while (words.length > 1 && R.capCueWords.has(words[0].w)) {
      words = words.slice(1)
      capCue = true
    }
    const seqBefore = before(text, words[0].start, 40)
    const listed =
      prevNameEnd >= 0 &&
      R.listJoin.test(text.slice(prevNameEnd, words[0].start)) &&
      !R.titleStart.test(text.slice(words[0].start, words[0].start + 30))
    const cued = capCue || listed || R.personCueBefore.test(seqBefore)
    let i = words.findIndex((w, k) => R.surnames.has(w.w) && words.length - k >= 2)
    if (i < 0) {
      // A given name alone, used as a person: after "với", "cùng" …, or as a clause's subject.
      const lone =
        !cued &&
        words.length === 1 &&
        R.givenNames.has(words[0].w) &&
        (R.givenCueBefore.test(seqBefore) ||
          (R.clauseStart.test(seqBefore) && R.subjectPredicate.test(text.slice(m.index + m[0].length, m.index + m[0].length + 16))))
      if ((!cued && !lone) || words.length > 4) continue
      i = 0
    } else if (i > 0 && cued && !/^\p{Lu}[\p{Ll}]+$/u.test(words[0].w)) {
      i = 0
    }
    const name = words.slice(i)
    if (name.length === 0 || name.length > 5) continue
    if (name.every((w) => w.w.length === 1)) continue // "N.V.A." is already masked
    const start = name[0].start
    const last = name[name.length - 1]
    let end = last.start + last.w.length
    // "Nguyễn Văn T." — a name already shortened to its initial keeps its dot.
    if (last.w.length === 1 && text[end] === '.') end++
    const s = text.slice(start, end)
    const bare = s.replace(/\s+\p{Lu}\.?$/u, '')
    if (R.notPerson.has(s) || R.notPerson.has(bare)) continue
    const pre = before(text, start, 80)
    if (R.endsWithPlaceWord.test(pre) && !listed) continue
    if (R.placeBefore.test(pre) && !cued) continue
    // Without a cue, two syllables ("Sầm Sơn", "Mai Châu") are more often a place than a person.
    if (!cued && name.length === 2 && !/^\s*\(/.test(text.slice(end, end + 3))) continue
    // A one-word "name" after a cue must not be a common capitalised word.
    if (name.length <= 2 && (R.commonCapitalised.test(name[0].w) || R.titleStart.test(text.slice(start, start + 30)))) continue
    const lastComma = pre.lastIndexOf(',')
    const clause = lastComma >= 0 && lastComma > pre.length - 45 ? pre.slice(lastComma + 1) : pre.slice(-45)
    const official =
      !R.privateCueBefore.test(seqBefore) && (R.officialBefore.test(clause) || R.officialAfter.test(text.slice(end, end + 40)))
    const from = Math.max(sentenceStart(text, start), start - 12)
    out.push({ start, end, type: 'name', text: s, priority: 4, role: roleOf(text, R, start, end), official, from })
    prevNameEnd = end
    if (!official) {
      const a = R.afterNameAddress.exec(text.slice(end, end + 200))
      if (a) {
        const as = end + a[1].length
        out.push({ start: as, end: as + trimAddress(a[2]).length, type: 'address', text: trimAddress(a[2]), priority: 5, from: end })
      }
    }
  }
}

function attachAges(text: string, R: Rules, spans: PiiSpan[]): void {
  const ages = spans.filter((s) => s.type === 'age' || (s.type === 'date' && s.age !== undefined))
  let k = 0
  for (const n of spans) {
    if (n.type !== 'name') continue
    while (k < ages.length && ages[k].start < n.end) k++
    const x = ages[k]
    const a = x && x.start - n.end <= 40 && !/[.;!?]\s/.test(text.slice(n.end, x.start)) ? x : undefined
    if (a?.age !== undefined) Object.assign(n, ageToFlags(a.age))
    else if (R.minorCues.test(before(text, n.start, 25).toLowerCase())) n.minor = true
  }
}

/** A step-parent or adoptive parent is personal data only in a sentence about a minor. */
function keepKinship(text: string, R: Rules, spans: PiiSpan[]): PiiSpan[] {
  return spans.filter((k) => {
    if (k.type !== 'kinship') return true
    const ss = sentenceStart(text, k.start)
    const se = sentenceEnd(text, k.end)
    if (spans.some((s) => s !== k && s.minor === true && s.type !== 'kinship' && s.start >= ss && s.end <= se)) return true
    return R.childWords.test(text.slice(ss, k.start) + text.slice(k.end, se))
  })
}

function resolveOverlaps(all: Candidate[]): Candidate[] {
  // Work cluster by cluster (chains of overlapping candidates) so long texts stay linear.
  const byStart = [...all].sort((a, b) => a.start - b.start)
  const out: Candidate[] = []
  let cluster: Candidate[] = []
  let clusterEnd = -1
  for (const c of byStart) {
    if (c.start >= clusterEnd && cluster.length) {
      out.push(...resolveCluster(cluster))
      cluster = []
    }
    cluster.push(c)
    clusterEnd = Math.max(clusterEnd, c.end)
  }
  if (cluster.length) out.push(...resolveCluster(cluster))
  return out
}

function resolveCluster(cands: Candidate[]): Candidate[] {
  // Higher priority wins, then the longer span; a name inside an address is part of the address.
  const sorted = [...cands].sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start)
  const kept: Candidate[] = []
  for (const c of sorted) {
    const clash = kept.find((k) => c.start < k.end && k.start < c.end)
    if (!clash) {
      kept.push(c)
      continue
    }
    const cLen = c.end - c.start
    const kLen = clash.end - clash.start
    if (c.start <= clash.start && c.end >= clash.end && cLen > kLen && c.priority >= 4 && clash.type === 'name') {
      kept.splice(kept.indexOf(clash), 1, c)
    }
  }
  return kept.sort((a, b) => a.start - b.start)
}

const CAPS_RUN_RE = /(?<![\p{L}\p{N}])\p{Lu}{2,7}(?:[ \u00a0]+\p{Lu}{1,7}){1,4}(?![\p{L}\p{N}])/gu

/**
 * The text with names printed in capitals ("TRẦN THỊ KIM OANH") in title case, same length: a
 * run of capitalised words is rewritten only when its first word is a surname, so "UBND",
 * "CÔNG AN TỈNH" and headlines stay as they are.
 */
function titleCaseNames(text: string, R: Rules): string {
  if (!/\p{Lu}{2}/u.test(text)) return text
  return text.replace(CAPS_RUN_RE, (run) => {
    const title = run.replace(/\p{Lu}+/gu, (w) => w[0] + w.slice(1).toLowerCase())
    const first = /^\S+/.exec(title)?.[0] ?? ''
    return title.length === run.length && R.surnames.has(first) ? title : run
  })
}

const WORD_RE = /[\p{L}\p{M}]+/gu

/**
 * The folded text with every sentence written mostly with diacritics blanked out (spaces, same
 * length): the folded pass has nothing to add there, and skipping it keeps long accented texts
 * as fast as before. A sentence counts as typed without diacritics when fewer than a quarter of
 * its words carry one ("Chau Nguyen Thi Mai, 14 tuổi, …" still does).
 */
function blankAccentedSentences(prepared: string, folded: string): string {
  let out = ''
  let last = 0
  for (const m of prepared.matchAll(/[^.!?;\n]+[.!?;\n]*/g)) {
    let words = 0
    let accented = 0
    for (const w of m[0].matchAll(WORD_RE)) {
      words++
      if (folded.slice(m.index + w.index, m.index + w.index + w[0].length) !== w[0]) accented++
    }
    out += folded.slice(last, m.index)
    out += accented * 4 >= words && accented > 0 ? ' '.repeat(m[0].length) : folded.slice(m.index, m.index + m[0].length)
    last = m.index + m[0].length
  }
  return out + folded.slice(last)
}

/**
 * Finds personal data in a text, written with diacritics or without them.
 *
 * The rules run twice: on the text as written, and on its folded copy (diacritics removed,
 * same length, so offsets carry over) with the folded rules. A match of the folded pass is kept
 * only in sentences typed mostly without diacritics and where the original has none over the
 * match and its cue: text typed without them ("Chau Nguyen Thi Mai, 14 tuoi") is read, while
 * in accented text a folded match cannot turn "bạn" into "bản" or "có" into "cô".
 * @param text any text; it is NFC-normalised (and converted from TCVN3/VNI if needed) first
 * @param opts reference year for ages, type filter, whether officials count
 * @returns the prepared text and the spans, with offsets into it (span text as written)
 */
export function findPersonalData(text: string, opts: FindPiiOptions = {}): PiiResult {
  const prepared = prepareText(typeof text === 'string' ? text : '').text
  const refYear = opts.referenceYear ?? new Date().getFullYear()
  const cands: Candidate[] = []
  // The rules read one tone placement ("Hoà" as "Hòa") and names printed in capitals in title
  // case; both keep the length, so offsets and span texts come from the text as written.
  const canon = canonicalTones(prepared)
  detectPatterns(canon, AS_WRITTEN, refYear, cands)
  detectNames(titleCaseNames(canon, AS_WRITTEN), AS_WRITTEN, cands)
  const folded = foldDiacritics(canon)
  // Stray combining marks (outside NFC compositions) would shift offsets: no folded pass then.
  if (folded.length === prepared.length) {
    const extra: Candidate[] = []
    const unaccented = blankAccentedSentences(prepared, folded)
    detectPatterns(unaccented, FOLDED, refYear, extra)
    detectNames(titleCaseNames(unaccented, FOLDED), FOLDED, extra)
    for (const c of extra) {
      const from = Math.min(c.from ?? c.start, c.start)
      if (canon.slice(from, c.end) !== folded.slice(from, c.end)) continue
      cands.push({ ...c, text: prepared.slice(c.start, c.end) })
    }
  }
  const named = cands.filter((c) => !c.official || opts.includeOfficials)
  const resolved = resolveOverlaps(named)
  let spans: PiiSpan[] = resolved.map((c) => {
    const { priority: _p, official: _o, from: _f, ...span } = c
    // Quoted as written (the rules read a copy with one tone placement and title-cased names).
    return { ...span, text: prepared.slice(c.start, c.end) }
  })
  // Ages, minors and kinship read cue words: folded text and rules cover both spellings.
  attachAges(folded.length === prepared.length ? folded : prepared, FOLDED, spans)
  spans = keepKinship(folded.length === prepared.length ? folded : prepared, FOLDED, spans)
  const types = opts.types ? new Set(opts.types) : undefined
  return { text: prepared, spans: types ? spans.filter((s) => types.has(s.type)) : spans }
}

// ---------------------------------------------------------------------------
// Masking

/** The replacement used by the `remove` style. */
export const REMOVED = '[đã ẩn]'

/** Initials of a name: "Nguyễn Văn An" → "N.V.A.", "Lê Thị H." → "L.T.H.". */
export function initials(name: string): string {
  return `${name
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/\.$/, '').charAt(0).toUpperCase())
    .join('.')}.`
}

/**
 * Masks all but the first and last `keep` digits (3 when there are at least 9 digits,
 * otherwise 2), leaving separators: "0912345678" → "091****678".
 */
export function maskDigits(s: string): string {
  const total = digitsOf(s).length
  const keep = total >= 9 ? 3 : total >= 5 ? 2 : 1
  let seen = 0
  return s.replace(/\d/g, (d) => {
    seen++
    return seen <= keep || seen > total - keep ? d : '*'
  })
}

/**
 * How one span looks in a style. `initials`: names become initials, everything else as in
 * `partial`. `partial`: digits masked except the ends (phone, ID, bank); plates keep province
 * code, series and the last two digits ("36A-***.45"); e-mail keeps two characters of the local
 * part; dates keep the year; addresses keep their last (widest) component; schools keep their
 * level ("Trường THCS [đã ẩn]") and classes their word ("lớp [đã ẩn]"); a step- or adoptive
 * parent becomes "người thân"; ages are kept. `remove`: "[đã ẩn]".
 */
export function maskSpan(span: Pick<PiiSpan, 'type' | 'text'>, style: MaskStyle): string {
  if (style === 'remove') return REMOVED
  const t = span.text
  switch (span.type) {
    case 'name':
      return initials(t)
    case 'phone':
    case 'id':
    case 'bank':
      return maskDigits(t)
    case 'plate': {
      const m = /^(\d{2}\s?-?\s?[A-ZĐ]{1,2}\d{0,2}\s?[-.\s]\s?)(.*)$/u.exec(t)
      if (!m) return maskDigits(t)
      const digits = digitsOf(m[2]).length
      let seen = 0
      return m[1] + m[2].replace(/\d/g, (d) => (++seen > digits - 2 ? d : '*'))
    }
    case 'email': {
      const at = t.indexOf('@')
      return `${t.slice(0, Math.min(2, at))}***${t.slice(at)}`
    }
    case 'date':
      return t.replace(/\d+(?=.*\d{4})/g, (d) => '*'.repeat(d.length))
    case 'address': {
      // Only a commune, district or province may stay ("[…], xã Hoằng Lộc"); a street, lane,
      // hamlet or group is as good as the house.
      const parts = t.split(/\s*,\s*/)
      const last = parts[parts.length - 1]
      return parts.length > 1 && WIDE_PLACE.test(foldDiacritics(last)) ? `[…], ${last}` : REMOVED
    }
    case 'school': {
      // Folded, so "truong tieu hoc …" keeps its level like "trường tiểu học …"; the level is
      // taken from the text as written (same length).
      const m = SCHOOL_LEVEL.exec(foldDiacritics(t))
      if (m) return `${t.slice(0, m[1].length)} ${REMOVED}`
      const c = /^([Ll]\S+p)\s/u.exec(t)
      return c && /^lop$/i.test(foldDiacritics(c[1])) ? `${c[1]} ${REMOVED}` : REMOVED
    }
    case 'kinship':
      // "bị bố dượng xâm hại" → "bị người thân xâm hại": the sentence still reads, the child is not pointed at.
      return foldDiacritics(t) === t ? 'nguoi than' : 'người thân'
    case 'age':
      return t
  }
}

const WIDE_PLACE =
  /^(?:phuong|xa|thi tran|TT\.?|huyen|H\.|quan|Q\.|thi xa|TX\.?|thanh pho|TP\.?|Tp\.?|tinh|T\.|P\.)(?![A-Za-z])|^[A-Z][a-z]*(?:\s+[A-Z][a-z]*)+$/u
const SCHOOL_LEVEL =
  /^([Tt]ruong\s+(?:PTDTBT|PTDTNT|THCS|THPT|TH|Tieu hoc|tieu hoc|Trung hoc co so|trung hoc co so|Trung hoc pho thong|trung hoc pho thong|Mam non|mam non|Mau giao|mau giao|Cao dang|Dai hoc))/u

/**
 * Masks personal data in a text.
 * @param text any text; prepared (NFC, legacy encodings converted) as in {@link findPersonalData}
 * @param spans spans to mask (offsets into the prepared text); found automatically when omitted
 * @param style `initials` (default), `partial` or `remove`; see {@link maskSpan}
 * @returns the prepared text with the spans replaced
 */
export function maskPersonalData(text: string, spans?: PiiSpan[], style: MaskStyle = 'initials'): string {
  const prepared = prepareText(typeof text === 'string' ? text : '').text
  const list = spans ?? findPersonalData(prepared).spans
  const ordered = [...list].filter((s) => s.start >= 0 && s.end <= prepared.length && s.start < s.end).sort((a, b) => b.start - a.start)
  let out = prepared
  let limit = Number.POSITIVE_INFINITY
  for (const s of ordered) {
    if (s.end > limit) continue // overlapping spans: the later one was already masked
    out = out.slice(0, s.start) + maskSpan({ type: s.type, text: prepared.slice(s.start, s.end) }, style) + out.slice(s.end)
    limit = s.start
  }
  return out
}
