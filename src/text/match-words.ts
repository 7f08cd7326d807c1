/**
 * The word lists of the claim matcher: abbreviations, paraphrases, stop and framing words,
 * negators, places, actions, exclusive alternatives, truth and denial markers, number words.
 * Folded keys unless said otherwise. Read by `match-features.ts` (and `FAKE_WORDS` by the
 * pair score); changing a list changes decisions, so re-run `tools/eval-match.ts`.
 */

/**
 * Teencode and abbreviations, keyed by the lower-cased token. Applied only to tokens written
 * without tone or vowel marks, so "cá" is never read as "CA" (công an).
 */
export const ABBREVIATIONS: Record<string, string> = {
  ko: 'không',
  k: 'không',
  hok: 'không',
  hk: 'không',
  khg: 'không',
  kg: 'không',
  kh: 'không',
  k0: 'không',
  dc: 'được',
  đc: 'được',
  dk: 'được',
  đk: 'được',
  csgt: 'cảnh sát giao thông',
  cand: 'công an nhân dân',
  pccc: 'phòng cháy chữa cháy',
  tp: 'thành phố',
  ql: 'quốc lộ',
  tngt: 'tai nạn giao thông',
  kkt: 'khu kinh tế',
  kcn: 'khu công nghiệp',
  cccd: 'căn cước công dân',
  cmnd: 'chứng minh nhân dân',
  gplx: 'giấy phép lái xe',
  ubnd: 'ủy ban nhân dân',
  tk: 'tài khoản',
  stk: 'số tài khoản',
  ck: 'chuyển khoản',
  dt: 'điện thoại',
  đt: 'điện thoại',
  sdt: 'số điện thoại',
  sđt: 'số điện thoại',
  oto: 'ô tô',
  xm: 'xe máy',
  fb: 'facebook',
  bv: 'bệnh viện',
  mn: 'mọi người',
  mng: 'mọi người',
  ng: 'người',
  ae: 'anh em',
  vs: 'với',
  bit: 'biết',
  bik: 'biết',
  bt: 'biết',
  j: 'gì',
  r: 'rồi',
  ns: 'nói',
  lun: 'luôn',
  ktra: 'kiểm tra',
  tb: 'thông báo',
  yc: 'yêu cầu',
  h: 'giờ',
  onl: 'online',
  gd: 'gia đình',
  gđ: 'gia đình',
  hs: 'học sinh',
  gv: 'giáo viên',
  ph: 'phụ huynh',
  nv: 'nhân viên',
  vn: 'việt nam',
  tq: 'trung quốc',
  ntn: 'như thế nào',
  bh: 'bây giờ',
  bjo: 'bây giờ',
  tr: 'triệu',
  ty: 'tỷ',
  trieu: 'triệu',
  vnd: 'đồng',
  vnđ: 'đồng',
  sms: 'tin nhắn',
  otp: 'otp',
}

/** Tokens after which a bare "ca" means "công an" (and before which, for "CA xác minh"). */
export const CA_NEXT = new Set(['tinh', 'huyen', 'xa', 'phuong', 'thi', 'thanh', 'quan', 'nhan', 'xac', 'bat', 'moi', 'goi', 'khong', 'ko'])
export const CA_PREV = new Set(['gia', 'danh', 'xung', 'bao', 'cua', 'la', 'cho', 'trinh', 'len'])

/**
 * Paraphrase table: accented phrase → canonical accented phrase. A phrase written without
 * marks matches by its folded form (so "lua dao" finds "lừa đảo"); a phrase written with marks
 * must match exactly, so "lửa" (fire) is not "lừa" (deceive).
 */
export const SYNONYMS: Record<string, string> = {
  'mạo danh': 'giả danh',
  'tự xưng là': 'giả danh',
  'tự xưng': 'giả danh',
  'xưng là': 'giả danh',
  'đóng giả': 'giả danh',
  'giả làm': 'giả danh',
  'giả công an': 'giả danh công an',
  'mạo danh là': 'giả danh',
  'bắt người': 'bắt cóc',
  'bắt trẻ': 'bắt cóc trẻ',
  'dụ dỗ': 'dụ',
  'chiếm đoạt': 'lừa đảo',
  lừa: 'lừa đảo',
  'lừa tiền': 'lừa đảo',
  hack: 'lừa đảo',
  'chiếm quyền': 'lừa đảo',
  'lừa gạt': 'lừa đảo',
  'mất sạch': 'mất',
  'mất hết': 'mất',
  'mất trắng': 'mất',
  'rút hết': 'rút',
  'rút sạch': 'rút',
  'tử vong': 'chết',
  'thiệt mạng': 'chết',
  'qua đời': 'chết',
  'chết người': 'chết',
  'tử nạn': 'chết',
  tông: 'đâm',
  'tông vào': 'đâm',
  'va chạm': 'đâm',
  'đâm vào': 'đâm',
  'đâm trúng': 'đâm',
  'tông trúng': 'đâm',
  'công te nơ': 'container',
  'công-te-nơ': 'container',
  'trẻ con': 'trẻ em',
  'trẻ nhỏ': 'trẻ em',
  'con nít': 'trẻ em',
  'cháu bé': 'trẻ em',
  'cháu nhỏ': 'trẻ em',
  'các cháu': 'trẻ em',
  'em nhỏ': 'trẻ em',
  'đứa trẻ': 'trẻ em',
  'đứa bé': 'trẻ em',
  'xe ô tô': 'ô tô',
  'xe hơi': 'ô tô',
  'xe oto': 'ô tô',
  'bịa đặt': 'sai sự thật',
  'không đúng sự thật': 'sai sự thật',
  'thất thiệt': 'sai sự thật',
  'tin giả': 'sai sự thật',
  'không có thật': 'sai sự thật',
  'không chính xác': 'sai sự thật',
  'hoàn toàn bịa đặt': 'sai sự thật',
  'tin đồn thất thiệt': 'sai sự thật',
  'không có chuyện': 'sai sự thật',
  'nhấn vào': 'bấm',
  'bấm vào': 'bấm',
  'click vào': 'bấm',
  'nhấp vào': 'bấm',
  nhấn: 'bấm',
  click: 'bấm',
  'đường link': 'link',
  'đường dẫn': 'link',
  'liên kết': 'link',
  app: 'ứng dụng',
  'cài đặt': 'cài',
  'tải về': 'cài',
  fanpage: 'facebook',
  'trang facebook': 'facebook',
  face: 'facebook',
  'đoạn clip': 'clip',
  video: 'clip',
  'đoạn video': 'clip',
  'công văn': 'văn bản',
  'hù dọa': 'đe dọa',
  dọa: 'đe dọa',
  'đe doạ': 'đe dọa',
  'hù doạ': 'đe dọa',
  'nhân dân': 'người dân',
  dân: 'người dân',
  'bà con': 'người dân',
  'mọi người': 'người dân',
  'kẻ gian': 'đối tượng',
  kẻ: 'đối tượng',
  thằng: 'đối tượng',
  'nghi phạm': 'đối tượng',
  'nghi can': 'đối tượng',
  'đóng phạt': 'nộp phạt',
  'bằng lái xe': 'bằng lái',
  'giấy phép lái xe': 'bằng lái',
  'căn cước công dân': 'căn cước',
  'thẻ căn cước': 'căn cước',
  'chứng minh nhân dân': 'căn cước',
  'định danh điện tử': 'định danh',
  'chuyển khoản': 'chuyển tiền',
  'chuyển tiền': 'chuyển tiền',
  'xả tràn': 'xả lũ',
  'nước lũ': 'lũ',
  'lũ lụt': 'lũ',
  'ngập lụt': 'ngập',
  'ngập sâu': 'ngập',
  'ngập nặng': 'ngập',
  'di dời': 'sơ tán',
  'chạy lũ': 'sơ tán',
  'bốc cháy': 'cháy',
  'hỏa hoạn': 'cháy',
  'hoả hoạn': 'cháy',
  'đám cháy': 'cháy',
  'vụ cháy': 'cháy',
  'bình ga': 'bình gas',
  'cảnh sát phòng cháy chữa cháy': 'cứu hỏa',
  'cảnh sát phòng cháy': 'cứu hỏa',
  'phòng cháy chữa cháy': 'cứu hỏa',
  'lính cứu hỏa': 'cứu hỏa',
  'cán bộ công an': 'công an',
  'công an nhân dân': 'công an',
  'lực lượng công an': 'công an',
  'mất liên lạc': 'mất tích',
  'phát hiện': 'tìm thấy',
  'bắt giam': 'bắt giữ',
  'tạm giữ': 'bắt giữ',
  'bắt được': 'bắt giữ',
  'tóm gọn': 'bắt giữ',
  'bắt gọn': 'bắt giữ',
  'trộm cắp': 'trộm',
  'ăn trộm': 'trộm',
  'kẻ trộm': 'trộm',
  'sát hại': 'giết',
  'giết hại': 'giết',
  'giết người': 'giết',
  'lừa bán người': 'buôn người',
  'bán người': 'buôn người',
  'lừa bán': 'buôn người',
  'nhập viện': 'vào viện',
  'đi viện': 'vào viện',
  'cấp cứu': 'vào viện',
  chém: 'đâm chém',
  'hỗn chiến': 'đánh nhau',
  'ẩu đả': 'đánh nhau',
  ngàn: 'nghìn',
  tỉ: 'tỷ',
}

/** Words that carry little meaning for "is this the same claim" (folded). */
export const STOP_WORDS = new Set(
  (
    'la cua va o tai cho de thi ma nhung cac mot nay do da dang se bi duoc voi khi sau truoc tren trong ve tu den ' +
    'ra vao len xuong co nhe oi nha a ah lam roi thoi luon nao gi the vay ay nghe noi bao nhu hay hoac cung con ' +
    'rat qua lai vua moi van toi minh chung nguoi di ai biet nhieu het tat ca viec vu chi ' +
    'duoi kia day nua thay nhe nhi ha hay'
  ).split(' '),
)

/** Rumour framing: tells how the text circulates, not what it claims (folded). */
export const FRAMING_WORDS = new Set(
  (
    'canh bao xon xao tin don lan truyen thong tin share chia se mang xa hoi clip hinh anh nghe noi ' +
    'canh giac hoang mang khan cap gap tham khoc nghiem trong'
  ).split(' '),
)

/**
 * Everyday words of a social-media post (folded) that are content words but tell little about
 * which claim a long post carries ("dân", "điện thoại", "nhà", "ngày"): a pasted post has many
 * of them whatever it is about. Half weight in the containment score (match-score.ts), nowhere
 * else, so the pair score is unchanged.
 */
export const COMMON_POST_WORDS = new Set(
  (
    'dan ngay dem toi sang chieu nay mai qua hom nam thang tuan gio luc em anh chi ong ba be con chau ' +
    'me bo nha gia dinh xom lang que dien thoai goi nhan tin nhan mang facebook zalo tien dong ' +
    'yeu cau thong bao kiem tra xac minh giup biet hoi noi ke nghe thay xem doc dang viet ' +
    'moi cung that gia ro chinh thuc lien quan nhieu it lon nho cao moi cu khong co duoc ' +
    'tinh huyen xa phuong thanh pho cong an'
  ).split(' '),
)

/** Negators (folded, with their accented keys), and compounds in which "không" is not a negation. */
export const NEGATORS: Record<string, string> = { khong: 'không', chua: 'chưa', chang: 'chẳng' }
export const NOT_NEGATION_AFTER = new Set(['gian', 'khi', 'quan', 'anh', 'day', 'phan', 'lo', 'tac', 'trung', 'nguoi lai'])
export const NOT_NEGATION_BEFORE = new Set(['hang', 'chan'])
/** Question words: "có ai biết … không?" asks, it does not negate. */
export const QUESTION_OPENERS = new Set(['co', 'ai', 'phai', 'da'])

/** Place names of Thanh Hóa and neighbours (folded), for the "other place" penalty. */
export const PLACES = [
  // districts, towns, cities
  'tho xuan',
  'trieu son',
  'nong cong',
  'quang xuong',
  'hoang hoa',
  'hau loc',
  'nga son',
  'ha trung',
  'vinh loc',
  'yen dinh',
  'thieu hoa',
  'dong son',
  'tinh gia',
  'nghi son',
  'nhu thanh',
  'nhu xuan',
  'thuong xuan',
  'lang chanh',
  'ba thuoc',
  'quan hoa',
  'quan son',
  'muong lat',
  'cam thuy',
  'thach thanh',
  'ngoc lac',
  'sam son',
  'bim son',
  // wards, communes, landmarks that rumours name
  'dien bien',
  'dong huong',
  'dong ve',
  'ba dinh',
  'ham rong',
  'quang thanh',
  'hai tien',
  'hai hoa',
  'vuon hoa',
  'tay thanh',
  'nga tu voi',
  'nga ba bia',
  'dinh huong',
  'cau ghep',
  'ba doi',
  'cua dat',
  'yen my',
  'trung son',
  'na meo',
  'ten tang',
  'hoang long',
  'hac thanh',
  'le loi',
  'xuan hoa',
  'xuan lap',
  'song ma',
  'song chu',
  'song yen',
  'song len',
  'lam son',
  'ben en',
  'pu luong',
  // neighbours and abroad
  'nghe an',
  'ninh binh',
  'ha noi',
  'ha tinh',
  'hoa binh',
  'quang tri',
  'hai phong',
  'nam dinh',
  'son la',
  'lao',
  'campuchia',
  'myanmar',
  'trung quoc',
  'thai lan',
  'malaysia',
  'dai loan',
  'han quoc',
  'nhat ban',
]
export const PLACE_SET = new Set(PLACES)
/** The province itself: everything here happens "in Thanh Hóa", so it never makes claims differ. */
export const PROVINCE_NAMES = new Set(['thanh hoa', 'xu thanh', 'tinh thanh hoa'])
/** Single-syllable places that are also common words: only when written with a capital. */
export const CAPITAL_ONLY_PLACES = new Set(['lao'])

/** Action / outcome classes (folded canonical phrases); the longest phrase at a position wins. */
export const ACTION_CLASSES = new Map<string, string>(
  Object.entries({
    'bat coc': 'kidnap',
    cuop: 'rob',
    trom: 'steal',
    'dot nhap': 'steal',
    'moc tui': 'steal',
    giet: 'kill',
    chet: 'die',
    'bi thuong': 'injure',
    'trong thuong': 'injure',
    'xay xat': 'injure',
    'mat tich': 'missing',
    'tim thay': 'found',
    no: 'explode',
    'ro ri': 'leak',
    lu: 'flood',
    ngap: 'flood',
    'xa lu': 'flood',
    'sat lo': 'landslide',
    lat: 'overturn',
    'lua dao': 'scam',
    'bat giu': 'arrest',
    'khoi to': 'arrest',
    bat: 'arrest',
    'dau thu': 'surrender',
    'lan tron': 'hiding',
    'danh nhau': 'fight',
    'dam chem': 'fight',
    'dua xe': 'race',
    'duoi nuoc': 'drown',
    'ngo doc': 'poison',
    'dau doc': 'poison',
    'giai cuu': 'rescue',
    'cuu thoat': 'rescue',
    cuu: 'rescue',
    'tong tien': 'extort',
    'phat to roi': 'leaflet',
    vo: 'breach',
    nut: 'crack',
    'tich thu': 'confiscate',
    'thu hoi': 'revoke',
    'dinh chi': 'suspend',
    'tam dung': 'suspend',
    tang: 'increase',
    giam: 'decrease',
    'cat dien': 'power-cut',
    'cat nuoc': 'water-cut',
    'nhiem phen': 'contaminated',
    'tu tu': 'suicide',
    'cuon troi': 'swept',
    chay: 'fire',
    dam: 'hit',
    phat: 'fine',
    'thu tien': 'take-money',
    'nhan tien': 'take-money',
    'an toan': 'safe',
    'tra lai': 'return',
  }),
)
/** Homographs that only count as an action when marked so, or (second list) never when unmarked. */
export const ACTION_ACCENTS: Record<string, string> = {
  no: 'nổ',
  lu: 'lũ',
  lat: 'lật',
  vo: 'vỡ',
  tang: 'tăng',
  giam: 'giảm',
  nut: 'nứt',
  cuop: 'cướp',
  trom: 'trộm',
  chet: 'chết',
  giet: 'giết',
  ngap: 'ngập',
  bat: 'bắt',
  cuu: 'cứu',
  chay: 'cháy',
  dam: 'đâm',
  phat: 'phạt',
}
export const ACTION_UNMARKED_NEVER = new Set(['no', 'tang', 'vo', 'bat', 'cuu', 'dam', 'giam', 'nut'])

/**
 * Mutually exclusive alternatives (folded phrases): victim, vehicle, channel, impersonated
 * body… One text naming an alternative the other lacks, while the other names a different one
 * of the same group, is a different claim about the same topic.
 */
export const EXCLUSIVE_GROUPS: string[][][] = [
  [
    ['be trai', 'cau be', 'nam sinh'],
    ['be gai', 'co be', 'nu sinh', 'co gai'],
  ],
  [
    ['cu ong', 'ong lao', 'ong cu'],
    ['cu ba', 'ba cu', 'ba lao'],
  ],
  [['xe khach'], ['xe tai'], ['xe buyt'], ['xe dap'], ['xe may dien', 'xe dien'], ['taxi'], ['xe om']],
  [
    ['tre em', 'hoc sinh', 'nu sinh', 'nam sinh'],
    ['nguoi gia', 'cu ong', 'cu ba'],
    ['cong nhan'],
    ['giao vien', 'co giao', 'thay giao'],
    ['can bo'],
    ['sinh vien'],
    ['ca si'],
    ['chu tiem vang', 'chu quan'],
    ['tai xe'],
    ['benh nhan'],
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
  [
    ['len nhanh', 'dang len', 'dang cao'],
    ['xuong nhanh', 'dang xuong', 'rut nhanh'],
  ],
]
/** Exclusive alternatives that are homographs when unmarked: need these marks. */
export const CHOICE_ACCENTS: Record<string, string> = {
  ho: 'hổ',
  bo: 'bò',
  cho: 'chó',
  gau: 'gấu',
  trau: 'trâu',
  nam: 'nấm',
  ruou: 'rượu',
}

/** Truth markers (folded): "… là thật" against a text that denies it. */
export const TRUE_MARKERS = new Set(['la that', 'co that', 'dung su that', 'la tin that'])
/** Verdicts of falsity (folded, after synonyms): the whole claim is denied. */
export const DENIAL_MARKERS = new Set(['sai su that', 'dan dung', 'cat ghep', 'clip cu', 'chuyen cu', 'la anh cu'])
/** Words that call a document or page fake: they contradict "… là thật" but deny nothing else. */
export const FAKE_WORDS = ['gia', 'gia mao']
/** Function words that end a negation's scope ("không cần thi với giá…" negates only "thi"). */
export const SCOPE_BREAKERS = new Set(['voi', 'o', 'tai', 'khi', 'vi', 'de', 'ma', 'nhung', 'nhu', 'va', 'cua', 'cho', 've', 'theo', 'do'])
/** Words skipped inside a negation's scope ("không bao giờ gọi" negates "gọi"). */
export const SCOPE_FILLERS = new Set([
  'bao',
  'gio',
  'he',
  'phai',
  'can',
  'duoc',
  'co',
  'bi',
  'the',
  'con',
  'van',
  'se',
  'dang',
  'da',
  'nen',
])

/** Units after a number (folded) and their multiplier. */
export const NUMBER_UNITS: Record<string, number> = { trieu: 1e6, tr: 1e6, ty: 1e9, nghin: 1e3, k: 1e3 }
/** Number words (accented) and their value. */
export const NUMBER_WORDS: Record<string, number> = {
  một: 1,
  hai: 2,
  ba: 3,
  bốn: 4,
  tư: 4,
  năm: 5,
  sáu: 6,
  bảy: 7,
  bẩy: 7,
  tám: 8,
  chín: 9,
  mười: 10,
  chục: 10,
  trăm: 100,
}
/** Number words safe to read without marks (the others are common homographs: bà, nam, tu, sau…). */
export const UNMARKED_NUMBER_WORDS: Record<string, number> = { mot: 1, hai: 2, muoi: 10 }
/** Words that are counted: a number word must precede one of these. */
export const COUNTED = new Set([
  'nguoi',
  'chau',
  'em',
  'be',
  'xe',
  'ho',
  'tuoi',
  'ngay',
  'gio',
  'trieu',
  'ty',
  'nghin',
  'ngoi',
  'can',
  'thanh',
  'hoc',
  'cong',
  'lan',
  'thang',
  'tuan',
  'nhom',
  'chiec',
  'vu',
  'nha',
  'tre',
  'nu',
  'doi',
  'ke',
  'tai',
  'hanh',
])
