/**
 * Builds the long-post → claim evaluation set for the claim matcher (issue 18, item 2):
 * Facebook-style paragraphs of 80–400 words that carry one short claim of
 * `src/text/fixtures/claim-pairs.tsv`, and hard negatives (same kind of event, same province,
 * other facts) that carry none.
 *
 *   npx tsx tools/build-match-longposts.ts      writes fixtures/match-longposts.{heldout,dev}.jsonl
 *
 * Everything here was written for this project. The held-out part (its scenarios, fillers,
 * openers and closers) was written first and is never used to tune: thresholds and weights are
 * chosen on the dev part only (`tools/eval-match.ts --long`). Posts are assembled from a
 * scenario's core sentence (the claim retold) or a hard negative's, generic fillers in the
 * voice of a social-media post, and a style: standard, no diacritics, old tone placement,
 * Southern forms, chat abbreviations, with emoji and hashtags mixed in. A few posts per part
 * are written whole by hand.
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { mulberry32 } from '../src/platform/random.ts'
import { fold } from '../src/text/normalize.ts'
import { loadPairs } from './eval-match.ts'

/** One claim scenario: the stored claim, ways a post retells it, and same-kind negatives. */
interface Scenario {
  /** The claim exactly as in claim-pairs.tsv. */
  claim: string
  /** Sentences that carry the claim (its facts: place, number, action). */
  cores: string[]
  /** Same kind of event, same province, other facts: carries no stored claim. */
  negatives: string[]
}

/** A row of the long-post set. */
export interface LongPostCase {
  /** Stable id (split-kind-n). */
  id: string
  /** `pos`: carries `claim`; `neg`: a hard negative, carries none. */
  kind: 'pos' | 'neg'
  /** The claim carried (exact text of claim-pairs.tsv), or null for a negative. */
  claim: string | null
  /** Style applied (standard, nodiac, oldtone, southern, chat, hand). */
  style: string
  /** Words (whitespace-separated). */
  words: number
  /** The post. */
  text: string
}

// ---------------------------------------------------------------------------
// Held-out part (written first; never tuned on)

const HELDOUT_SCENARIOS: Scenario[] = [
  {
    claim: 'Bà cụ ở Hoằng Hóa bị kẻ giả danh công an lừa mất 300 triệu đồng qua điện thoại',
    cores: [
      'Bà cụ nhà hàng xóm em ở Hoằng Hóa vừa bị một đứa giả danh công an gọi điện thoại lừa mất 300 triệu đồng, tiền dành dụm cả đời của bà.',
      'Nghe nói bà cụ ở Hoằng Hóa nhận điện thoại của kẻ xưng là công an, bảo bà dính vào vụ án, thế là bà bị lừa chuyển mất 300 triệu đồng cho nó.',
    ],
    negatives: [
      'Bà cụ ở Hoằng Hóa bị kẻ giả làm nhân viên điện lực gọi điện đòi nộp 20 triệu đồng tiền điện nợ cũ, may mà con cháu ngăn kịp.',
      'Một ông cụ ở Hoằng Hóa bị kẻ gian giả làm con trai nhắn tin Zalo vay 50 triệu đồng để đóng học cho cháu.',
    ],
  },
  {
    claim: 'Cháy lớn tại chợ Vườn Hoa thành phố Thanh Hóa, nhiều ki ốt bị thiêu rụi',
    cores: [
      'Tối qua cháy lớn ở chợ Vườn Hoa thành phố Thanh Hóa, lửa bốc cao lắm, nhiều ki ốt bị thiêu rụi hết hàng hóa.',
      'Chợ Vườn Hoa ở thành phố Thanh Hóa vừa cháy lớn, cả dãy ki ốt quần áo bị thiêu rụi, tiểu thương khóc ngất.',
    ],
    negatives: [
      'Chập điện ở chợ Tây Thành thành phố Thanh Hóa làm hư hai ki ốt bán đồ điện, lực lượng chữa cháy dập tắt sau mười phút.',
      'Cháy kho phế liệu ở khu công nghiệp Lễ Môn lúc nửa đêm, khói đen bốc cao, không ai bị thương.',
    ],
  },
  {
    claim: 'Hồ Cửa Đạt sắp xả lũ khẩn cấp, người dân Thường Xuân cần sơ tán ngay trong đêm',
    cores: [
      'Hồ Cửa Đạt sắp xả lũ khẩn cấp, bà con Thường Xuân phải sơ tán ngay trong đêm nay, đừng chủ quan.',
      'Có tin hồ Cửa Đạt chuẩn bị xả lũ khẩn cấp nên người dân Thường Xuân cần sơ tán ngay trong đêm, ai ở ven sông thì dọn đồ đi.',
    ],
    negatives: [
      'Hồ Sông Mực ở Như Thanh bị rò rỉ nước ở chân đập phụ, xã đang huy động dân gia cố bằng bao cát.',
      'Đập tràn ở Ngọc Lặc bị nứt một đoạn mặt đường, xe tải không được đi qua cho đến khi sửa xong.',
    ],
  },
  {
    claim: 'Người phụ nữ lạ mặt cho kẹo để dụ dỗ bắt cóc trẻ em ở chợ Tĩnh Gia',
    cores: [
      'Có người phụ nữ lạ mặt cứ đi quanh chợ Tĩnh Gia cho kẹo để dụ dỗ bắt cóc trẻ em, các mẹ giữ con cho chặt.',
      'Ở chợ Tĩnh Gia xuất hiện một người phụ nữ lạ mặt hay cho kẹo trẻ con, nghi là dụ dỗ để bắt cóc trẻ em.',
    ],
    negatives: [
      'Có người đàn ông đi xe máy chặn đường hỏi tên học sinh ở Hà Trung rồi bỏ đi, công an xã đã xác minh là người bán bảo hiểm.',
      'Một nhóm người bán hàng rong ở Tĩnh Gia bị nghi ăn trộm gà, dân giữ lại giao cho công an.',
    ],
  },
  {
    claim: 'Tin nhắn báo phạt nguội kèm đường link nộp phạt trực tuyến là lừa đảo',
    cores: [
      'Cái tin nhắn báo phạt nguội có kèm đường link nộp phạt trực tuyến là lừa đảo đấy, đừng bấm vào.',
      'Em vừa nhận tin nhắn báo phạt nguội kèm đường link để nộp phạt trực tuyến, hỏi ra mới biết là lừa đảo.',
    ],
    negatives: [
      'Tin nhắn mời làm cộng tác viên chốt đơn trên sàn thương mại điện tử nhận hoa hồng cao là lừa đảo, nhiều chị em ở Thọ Xuân mất tiền.',
      'Cuộc gọi báo trúng thưởng một chiếc xe máy, yêu cầu nộp trước phí vận chuyển 3 triệu, chị gái em ở Hậu Lộc suýt mắc bẫy.',
    ],
  },
  {
    claim: 'Xe khách lật trên quốc lộ 45 đoạn qua Như Thanh, nhiều hành khách bị thương',
    cores: [
      'Sáng nay xe khách lật trên quốc lộ 45 đoạn qua Như Thanh, nhiều hành khách bị thương phải đưa đi viện.',
      'Một chiếc xe khách vừa bị lật ở quốc lộ 45 đoạn qua huyện Như Thanh, nghe nói nhiều hành khách bị thương.',
    ],
    negatives: [
      'Xe tải chở mía bị lật trên đường Hồ Chí Minh đoạn qua Ngọc Lặc, mía đổ đầy đường, tài xế chỉ bị xây xát.',
      'Xe máy tự ngã trên tỉnh lộ đoạn qua Như Thanh do đường trơn, người đi xe được dân đưa vào trạm y tế.',
    ],
  },
  {
    claim: 'Giải cứu 12 công dân Thanh Hóa bị lừa sang Campuchia làm việc',
    cores: [
      'Vừa giải cứu được 12 công dân Thanh Hóa bị lừa sang Campuchia làm việc, trong đó có hai đứa cùng làng em.',
      'Nghe tin 12 công dân Thanh Hóa bị lừa sang Campuchia làm việc đã được giải cứu về nước, gia đình mừng lắm.',
    ],
    negatives: [
      'Công an bắt đối tượng môi giới đưa 5 lao động ở Như Xuân sang Lào làm thuê không có giấy phép.',
      'Một thanh niên ở Nghi Sơn đi xuất khẩu lao động Nhật Bản bị công ty môi giới giữ hộ chiếu đòi thêm 40 triệu.',
    ],
  },
  {
    claim: 'Lũ quét ở Mường Lát cuốn trôi 3 ngôi nhà, một người mất tích',
    cores: [
      'Đêm qua lũ quét ở Mường Lát cuốn trôi 3 ngôi nhà, có một người mất tích đến giờ chưa tìm thấy.',
      'Mường Lát vừa có lũ quét, 3 ngôi nhà bị cuốn trôi và một người mất tích, bà con đang đi tìm.',
    ],
    negatives: [
      'Mưa đá ở Mường Lát làm tốc mái 20 ngôi nhà, may không có thiệt hại về người.',
      'Gió lốc ở Quan Hóa làm đổ cột điện, mấy bản mất điện từ chiều, chưa ai bị thương.',
    ],
  },
  {
    claim: 'Ông lão ở Hoằng Hóa bị kẻ gian đánh tráo vàng khi bán ở chợ',
    cores: [
      'Ông lão ở Hoằng Hóa mang vàng ra chợ bán thì bị kẻ gian đánh tráo vàng giả, mất trắng.',
      'Có ông lão ở Hoằng Hóa bị kẻ gian đánh tráo vàng ngay khi đang bán ở chợ, về nhà mới biết là vàng giả.',
    ],
    negatives: [
      'Bà bán vé số ở Hậu Lộc bị kẻ gian đánh tráo tờ vé số trúng thưởng bằng tờ đã sửa số.',
      'Chủ tiệm tạp hóa ở Hoằng Hóa nhận phải tờ tiền 500 nghìn giả khi bán hàng buổi tối.',
    ],
  },
  {
    claim: 'Đối tượng nhận làm bằng lái xe không cần thi, giá 5 triệu, là lừa đảo',
    cores: [
      'Mấy đứa trên mạng nhận làm bằng lái xe không cần thi, giá 5 triệu, là lừa đảo hết đấy, đừng tin.',
      'Có đối tượng đăng bài nhận làm bằng lái xe không cần thi với giá 5 triệu, em hỏi công an thì bảo là lừa đảo.',
    ],
    negatives: [
      'Trang mạng nhận làm hộ chiếu nhanh trong 3 ngày giá 2 triệu, nộp tiền xong thì bị chặn liên lạc.',
      'Trung tâm dạy lái xe ở Đông Sơn thu thêm tiền thi thử ngoài quy định, học viên phản ánh lên xã.',
    ],
  },
  {
    claim: 'Nổ bình gas tại quán ăn ở Sầm Sơn làm 4 người bị thương',
    cores: [
      'Trưa nay nổ bình gas tại quán ăn ở Sầm Sơn làm 4 người bị thương, cửa kính vỡ tung.',
      'Một quán ăn ở Sầm Sơn vừa bị nổ bình gas, 4 người bị thương phải đi cấp cứu.',
    ],
    negatives: [
      'Chập điện gây cháy quán karaoke ở Sầm Sơn lúc rạng sáng, nhân viên kịp thoát ra ngoài an toàn.',
      'Một nhà hàng hải sản ở Sầm Sơn bị phạt vì chặt chém khách du lịch đĩa ghẹ 2 triệu.',
    ],
  },
  {
    claim: 'Thông báo giả mạo Công an tỉnh Thanh Hóa về việc cấm xe máy vào thành phố từ ngày 1/7',
    cores: [
      'Cái thông báo giả mạo Công an tỉnh Thanh Hóa về việc cấm xe máy vào thành phố từ ngày 1/7 lại đang được chia sẻ.',
      'Mọi người đừng tin thông báo cấm xe máy vào thành phố từ ngày 1/7, đó là văn bản giả mạo Công an tỉnh Thanh Hóa.',
    ],
    negatives: [
      'Sở Giao thông thông báo cấm xe tải trên 10 tấn đi qua cầu Hoàng Long từ tuần sau để sửa chữa mặt cầu.',
      'Thành phố Thanh Hóa cấm đỗ ô tô trên đường Lê Lợi vào giờ cao điểm, vi phạm bị phạt theo quy định.',
    ],
  },
  {
    claim: 'Người đàn ông ở Quan Hóa bị hàng xóm đâm tử vong vì mâu thuẫn đất đai',
    cores: [
      'Ở Quan Hóa có người đàn ông bị hàng xóm đâm tử vong chỉ vì mâu thuẫn đất đai, thương vợ con anh ấy quá.',
      'Người đàn ông ở Quan Hóa đã tử vong sau khi bị hàng xóm đâm, nghe bảo hai nhà mâu thuẫn đất đai lâu rồi.',
    ],
    negatives: [
      'Hai anh em ruột ở Bá Thước xô xát vì tranh chấp ruộng, một người bị thương nhẹ ở tay.',
      'Người đàn ông ở Quan Sơn say rượu đập phá nhà văn hóa bản, bị công an xã đưa về làm việc.',
    ],
  },
  {
    claim: 'Link đăng ký nhận hỗ trợ 2 triệu đồng của Chính phủ đang lan truyền trên Facebook là giả mạo',
    cores: [
      'Cái link đăng ký nhận hỗ trợ 2 triệu đồng của Chính phủ đang lan truyền trên Facebook là giả mạo nhé.',
      'Nhiều người gửi link đăng ký nhận hỗ trợ 2 triệu đồng của Chính phủ trên Facebook, thực ra là link giả mạo.',
    ],
    negatives: [
      'Link bình chọn cho cháu thi ảnh đẹp đang lan truyền trên Messenger, bấm vào đăng nhập là mất tài khoản.',
      'Trang bán hàng giảm giá 90 phần trăm điện thoại chính hãng trên mạng nhận tiền cọc rồi biến mất.',
    ],
  },
  {
    claim: 'Công an tỉnh triệt phá đường dây đánh bạc qua mạng quy mô 1.000 tỷ đồng',
    cores: [
      'Công an tỉnh vừa triệt phá đường dây đánh bạc qua mạng quy mô 1.000 tỷ đồng, nghe con số mà choáng.',
      'Đường dây đánh bạc qua mạng quy mô tới 1.000 tỷ đồng đã bị Công an tỉnh triệt phá.',
    ],
    negatives: [
      'Công an huyện Thọ Xuân bắt quả tang 8 người đánh bài ăn tiền trong lán trại giữa cánh đồng.',
      'Công an phường bắt nhóm cho vay lãi suất cao qua ứng dụng, thu giữ nhiều sổ sách.',
    ],
  },
  {
    claim: 'Nhóm người lạ đi xe 7 chỗ bắt cóc học sinh trước cổng trường ở Hoằng Hóa',
    cores: [
      'Có nhóm người lạ đi xe 7 chỗ bắt cóc học sinh ngay trước cổng trường ở Hoằng Hóa, phụ huynh đón con cẩn thận.',
      'Nghe nói trước cổng trường ở Hoằng Hóa có nhóm người lạ lái xe 7 chỗ bắt cóc học sinh.',
    ],
    negatives: [
      'Người lạ đứng chụp ảnh trước cổng trường ở Hoằng Hóa rồi bỏ đi, nhà trường báo công an xã, hóa ra là thợ ảnh kỷ yếu.',
      'Xe đưa đón học sinh của một trường tư ở Hoằng Hóa chở quá số người, bị cảnh sát giao thông lập biên bản.',
    ],
  },
  {
    claim: 'Tai nạn giao thông nghiêm trọng trên quốc lộ 1A ở Hà Trung làm 2 người tử vong',
    cores: [
      'Vừa xảy ra tai nạn giao thông nghiêm trọng trên quốc lộ 1A ở Hà Trung làm 2 người tử vong tại chỗ.',
      'Quốc lộ 1A đoạn Hà Trung chiều nay có tai nạn giao thông nghiêm trọng, 2 người tử vong.',
    ],
    negatives: [
      'Va chạm giữa xe máy và xe đạp trên đường liên xã ở Hà Trung, một học sinh bị thương nhẹ.',
      'Xe tải chết máy giữa quốc lộ 1A ở Hà Trung gây ùn tắc gần một tiếng, không có va chạm.',
    ],
  },
  {
    claim: 'Đường dây cho vay nặng lãi ở Bỉm Sơn đòi nợ bằng cách ném chất bẩn vào nhà',
    cores: [
      'Đường dây cho vay nặng lãi ở Bỉm Sơn đòi nợ bằng cách ném chất bẩn vào nhà người vay, hôi thối cả xóm.',
      'Ở Bỉm Sơn có bọn cho vay nặng lãi, ai chậm trả là bị ném chất bẩn vào nhà để đòi nợ.',
    ],
    negatives: [
      'Ứng dụng vay tiền trên điện thoại gọi điện làm phiền cả danh bạ của một cô giáo ở Nga Sơn.',
      'Chủ hụi ở Bỉm Sơn ôm tiền bỏ trốn, hàng chục người góp hụi kéo đến nhà đòi.',
    ],
  },
  {
    claim: 'Hổ xổng chuồng từ trang trại ở Thọ Xuân, người dân không nên ra khỏi nhà',
    cores: [
      'Có con hổ xổng chuồng từ trang trại ở Thọ Xuân, người dân không nên ra khỏi nhà tối nay.',
      'Trang trại ở Thọ Xuân để hổ xổng chuồng, bà con khuyên nhau không nên ra khỏi nhà.',
    ],
    negatives: [
      'Đàn khỉ từ rừng về phá hoa màu ở Thường Xuân, người dân phải làm bù nhìn đuổi.',
      'Trâu của một nhà ở Triệu Sơn đứt dây chạy ra đường, húc đổ xe máy của người đi đường.',
    ],
  },
  {
    claim: 'Ngộ độc rượu ở Thạch Thành, 2 người tử vong',
    cores: [
      'Ngộ độc rượu ở Thạch Thành, 2 người tử vong sau bữa liên hoan hôm qua.',
      'Ở Thạch Thành vừa có vụ ngộ độc rượu làm 2 người tử vong, nghi rượu pha cồn công nghiệp.',
    ],
    negatives: [
      'Ngộ độc nấm rừng ở Thạch Thành, 3 người trong một gia đình phải nhập viện cấp cứu.',
      'Nhiều người ở Cẩm Thủy đau bụng sau khi ăn cỗ cưới, trạm y tế nghi do thức ăn để lâu.',
    ],
  },
]

const HELDOUT_FILLERS = [
  'Em đọc được trong nhóm Zalo của xóm từ sáng sớm.',
  'Không biết thật hay giả nên em đăng lên đây hỏi mọi người.',
  'Ai có người nhà ở đó thì gọi điện hỏi thăm giúp với.',
  'Dạo này trên mạng nhiều tin quá, không biết đâu mà lần.',
  'Mong các cơ quan chức năng sớm vào cuộc làm rõ.',
  'Bà con mình ở quê ít dùng mạng nên dễ tin lắm.',
  'Mình chia sẻ lại để mọi người cùng biết, chứ cũng chưa kiểm chứng được.',
  'Chồng em đi làm về kể lại, cả nhà ai cũng lo.',
  'Hôm trước cũng có chuyện tương tự ở huyện bên mà không ai để ý.',
  'Đọc xong mà thấy thương mấy gia đình quá.',
  'Cả buổi sáng ngoài quán nước ai cũng bàn chuyện này.',
  'Em chỉ mong là tin không đúng, chứ đúng thì buồn lắm.',
  'Mọi người nhớ nhắc ông bà bố mẹ ở nhà cẩn thận nhé.',
  'Có ai ở gần đó xác nhận giúp em với, em cảm ơn nhiều.',
  'Thời buổi bây giờ cái gì cũng có thể xảy ra.',
  'Nhà em cách đó cũng không xa nên hơi lo.',
  'Trên nhóm phụ huynh lớp con em cũng đang bàn tán rất nhiều.',
  'Xin phép admin cho em đăng bài, nếu sai em xin gỡ.',
  'Ai biết thông tin chính thức thì để lại bình luận giúp em.',
  'Em đã báo cho trưởng thôn nhưng chưa thấy phản hồi.',
  'Mấy hôm nay trời mưa suốt, đường sá đi lại khó khăn.',
  'Đợt này giá cả cái gì cũng tăng, người dân đã khổ lại càng khổ.',
  'Con em đi học về cũng kể là nghe các bạn nói vậy.',
  'Lúc đầu em không tin đâu, nhưng nhiều người nói quá.',
  'Bao giờ mới hết mấy chuyện như thế này hả trời.',
  'Mọi người đọc kỹ rồi hẵng chia sẻ nhé, đừng hoang mang quá.',
  'Em có chụp màn hình lại nhưng ảnh mờ quá nên không đăng.',
  'Bác hàng xóm nhà em bảo tối qua thấy xe cứu thương chạy qua mấy lần.',
  'Chị gái em làm ở ủy ban nói là đang chờ báo cáo.',
  'Trên mạng mỗi người nói một kiểu nên em cũng không biết tin ai.',
  'Cứ đề phòng vẫn hơn, mất bò mới lo làm chuồng thì muộn rồi.',
  'Em viết hơi dài, mong mọi người đọc hết giúp em.',
  'Ở quê em chuyện gì xảy ra một lúc là cả làng biết.',
  'Nếu ai cần giúp đỡ gì thì nhắn tin cho em, em ở ngay gần.',
  'Cầu mong mọi chuyện sớm ổn thỏa.',
  'Thấy bảo công an xã đã xuống nắm tình hình từ sáng.',
]
const HELDOUT_OPENERS = [
  'Cả nhà ơi,',
  'Mọi người ơi cho em hỏi chút.',
  'Tin nóng đây mọi người.',
  'Chuyện thật như đùa.',
  'Các bác các chú ơi,',
  'Xin chào cả nhóm.',
  '',
]
const HELDOUT_CLOSERS = [
  'Mọi người share cho nhiều người biết nhé.',
  'Cảm ơn mọi người đã đọc.',
  'Có gì mới em cập nhật sau.',
  'Ai biết thêm thì bình luận bên dưới giúp em.',
  'Cẩn thận vẫn hơn cả nhà ạ.',
]
const HELDOUT_HASHTAGS = ['#ThanhHoa', '#canhgiac', '#tinnong', '#xonxao', '#chiase', '#thanhhoa36', '#cảnh_báo']

const HELDOUT_HAND: LongPostCase[] = [
  hand(
    'heldout',
    1,
    'Bà cụ ở Hoằng Hóa bị kẻ giả danh công an lừa mất 300 triệu đồng qua điện thoại',
    'Chuyện buồn ở quê em 😢 Bà nội thằng bạn em năm nay gần tám mươi tuổi, ở một mình vì con cháu đi làm xa hết. Tuần trước bà nhận được cuộc điện thoại, đầu dây bên kia xưng là công an, nói bà có liên quan đến một đường dây rửa tiền, phải chuyển tiền vào tài khoản để "tạm giữ" thì mới không bị bắt. Bà sợ quá, không dám nói với ai, ra ngân hàng rút hết sổ tiết kiệm. Tổng cộng bà cụ ở Hoằng Hóa bị kẻ giả danh công an lừa mất 300 triệu đồng qua điện thoại như vậy đó mọi người. Đến lúc con trai gọi về hỏi thăm thì mọi chuyện đã muộn. Gia đình đã trình báo công an huyện rồi nhưng chưa biết có lấy lại được không. Em viết bài này mong mọi người về nhắc ông bà bố mẹ: công an thật không bao giờ gọi điện bắt chuyển tiền cả. Ai nhận cuộc gọi kiểu này thì cúp máy và báo ngay cho con cháu hoặc công an xã. Đừng để mất tiền rồi mới hối hận. #canhgiac #HoangHoa',
  ),
  hand(
    'heldout',
    2,
    'Ngộ độc rượu ở Thạch Thành, 2 người tử vong',
    'a e oi tin buon. o thach thanh vua co vu ngo doc ruou, 2 nguoi tu vong roi, nghe bao uong ruou mua ngoai cho ve, ko ro ruou gi. may nguoi con lai dang nam vien cap cuu. nha ai hay mua ruou can trôi noi thi thoi nhe, uong bia cho lanh. thương gia dinh ho qua, toan tru cot trong nha ca. ai biet them thong tin thi cmt giup e voi, e nghe ng ta noi lai thoi. #thachthanh #ngodocruou',
  ),
]

// ---------------------------------------------------------------------------
// Dev part (written after the held-out part; the only part used for tuning)

const DEV_SCENARIOS: Scenario[] = [
  {
    claim: 'Đối tượng giả danh công an gọi điện yêu cầu người dân chuyển tiền vào tài khoản',
    cores: [
      'Đang có đối tượng giả danh công an gọi điện yêu cầu người dân chuyển tiền vào tài khoản, nói là để phục vụ điều tra.',
      'Mẹ em vừa nhận cuộc gọi của kẻ giả danh công an, yêu cầu chuyển tiền vào tài khoản của nó ngay trong ngày.',
    ],
    negatives: [
      'Kẻ gian giả làm nhân viên y tế gọi điện báo người nhà đang cấp cứu, đòi chuyển ngay tiền viện phí 15 triệu.',
      'Có người xưng là giáo viên chủ nhiệm nhắn tin cho phụ huynh ở Đông Sơn, bảo nộp tiền học thêm qua số tài khoản lạ.',
    ],
  },
  {
    claim: 'Cụ ông 75 tuổi ở Nông Cống suýt mất 200 triệu vì cuộc gọi giả danh công an',
    cores: [
      'Cụ ông 75 tuổi ở Nông Cống suýt mất 200 triệu vì cuộc gọi giả danh công an, may mà nhân viên ngân hàng phát hiện.',
      'Một cụ ông 75 tuổi ở Nông Cống nhận cuộc gọi giả danh công an và suýt chuyển mất 200 triệu.',
    ],
    negatives: [
      'Cụ bà 80 tuổi ở Nông Cống bị người bán hàng rong lừa mua thuốc chữa bách bệnh giá 15 triệu.',
      'Một ông cụ ở Nông Cống bị kẻ gian giả làm cán bộ bảo hiểm xã hội đến nhà thu tiền gia hạn thẻ.',
    ],
  },
  {
    claim: 'Hai nhóm thanh niên hỗn chiến bằng hung khí ở Hoằng Hóa, một người bị chém trọng thương',
    cores: [
      'Tối qua hai nhóm thanh niên hỗn chiến bằng hung khí ở Hoằng Hóa, một người bị chém trọng thương.',
      'Ở Hoằng Hóa vừa có hai nhóm thanh niên hỗn chiến, dùng cả hung khí, một người bị chém trọng thương.',
    ],
    negatives: [
      'Nhóm thanh niên ở Hoằng Hóa tụ tập đua xe máy trong đêm, bị công an xã giải tán và tạm giữ 6 xe.',
      'Hai người đàn ông ở Hậu Lộc cãi nhau vì va quệt xe, đánh nhau bị thương nhẹ.',
    ],
  },
  {
    claim: 'Nước sông Mã dâng cao, nhiều xã ở Cẩm Thủy bị ngập sâu',
    cores: [
      'Nước sông Mã dâng cao quá, nhiều xã ở Cẩm Thủy đã bị ngập sâu, đường vào bản bị chia cắt.',
      'Mấy hôm nay nước sông Mã dâng cao khiến nhiều xã ở Cẩm Thủy bị ngập sâu.',
    ],
    negatives: [
      'Sông Chu đoạn qua Thọ Xuân cạn trơ đáy, người dân thiếu nước tưới lúa.',
      'Nắng nóng kéo dài làm nhiều giếng ở Cẩm Thủy khô cạn, dân phải đi xin nước.',
    ],
  },
  {
    claim: 'Xe khách biển 36B-123.45 chở trẻ em bị bắt cóc đi Nghệ An',
    cores: [
      'Xe khách biển 36B-123.45 chở trẻ em bị bắt cóc đi Nghệ An, ai thấy báo công an ngay.',
      'Mọi người để ý chiếc xe khách biển 36B-123.45, nghe nói chở trẻ em bị bắt cóc đi Nghệ An.',
    ],
    negatives: [
      'Xe tải biển 36C chở lợn bệnh từ Thanh Hóa đi tiêu thụ ở Nghệ An bị trạm thú y phát hiện.',
      'Xe khách chạy tuyến Thanh Hóa đi Hà Nội nhồi nhét 40 khách, bị cảnh sát giao thông phạt.',
    ],
  },
  {
    claim: 'Thông báo tuyển dụng vào ngành công an không cần thi tuyển, nộp 50 triệu là giả mạo',
    cores: [
      'Thông báo tuyển dụng vào ngành công an không cần thi tuyển, chỉ cần nộp 50 triệu là giả mạo, đừng ai mắc lừa.',
      'Có trang đăng thông báo tuyển dụng vào ngành công an không cần thi tuyển, nộp 50 triệu là vào, cái đó giả mạo.',
    ],
    negatives: [
      'Có người hứa xin việc vào bệnh viện huyện Như Xuân, đòi trước 30 triệu tiền chạy.',
      'Trung tâm ngoại ngữ ở Sầm Sơn thu học phí rồi đóng cửa, học viên không liên lạc được.',
    ],
  },
  {
    claim: 'Cắt điện toàn thành phố Thanh Hóa ngày mai để sửa chữa lưới điện',
    cores: [
      'Ngày mai cắt điện toàn thành phố Thanh Hóa để sửa chữa lưới điện, nhà ai có đồ ăn trong tủ lạnh thì liệu.',
      'Nghe bảo điện lực sẽ cắt điện toàn thành phố Thanh Hóa ngày mai để sửa chữa lưới điện.',
    ],
    negatives: [
      'Mất nước sinh hoạt ở phường Đông Hương ba ngày liền do vỡ đường ống, dân phải mua nước bình.',
      'Đèn đường trên đại lộ Lê Lợi tắt cả tuần nay, đi đêm rất nguy hiểm.',
    ],
  },
  {
    claim: 'Tin đồn bắt cóc trẻ em để lấy nội tạng ở Thiệu Hóa là sai sự thật',
    cores: [
      'Tin đồn bắt cóc trẻ em để lấy nội tạng ở Thiệu Hóa là sai sự thật, công an đã xác minh rồi.',
      'Cái tin bắt cóc trẻ em lấy nội tạng ở Thiệu Hóa mà mọi người share là sai sự thật nhé.',
    ],
    negatives: [
      'Tin đồn dịch tả lợn châu Phi bùng phát ở Thiệu Hóa làm giá lợn hơi giảm mạnh.',
      'Tin đồn nhà máy ở Thiệu Hóa xả thải ra sông làm cá chết hàng loạt đang được kiểm tra.',
    ],
  },
  {
    claim: 'Công an bắt giữ đối tượng trộm xe máy liên tỉnh tại Hậu Lộc',
    cores: [
      'Công an vừa bắt giữ đối tượng trộm xe máy liên tỉnh tại Hậu Lộc, thu được mấy chục chiếc xe.',
      'Đối tượng trộm xe máy liên tỉnh đã bị công an bắt giữ tại Hậu Lộc sáng nay.',
    ],
    negatives: [
      'Công an thu giữ 200 bình khí cười ở một quán bar tại Hậu Lộc trong đợt kiểm tra đêm.',
      'Công an xã ở Hậu Lộc trả lại ví tiền cho du khách đánh rơi ở bãi biển.',
    ],
  },
  {
    claim: 'Cảnh sát phòng cháy giải cứu 5 người mắc kẹt trong đám cháy nhà trọ ở phường Đông Hương',
    cores: [
      'Cảnh sát phòng cháy đã giải cứu 5 người mắc kẹt trong đám cháy nhà trọ ở phường Đông Hương lúc nửa đêm.',
      'Đám cháy nhà trọ ở phường Đông Hương, 5 người mắc kẹt đã được cảnh sát phòng cháy giải cứu an toàn.',
    ],
    negatives: [
      'Cháy xe ô tô đang đỗ ở phường Đông Hương lúc rạng sáng, không có người bị thương.',
      'Một căn nhà ở phường Đông Thọ bị chập điện bốc khói, hàng xóm dùng bình cứu hỏa dập kịp.',
    ],
  },
  {
    claim: 'Học sinh toàn tỉnh Thanh Hóa được nghỉ học ngày mai để tránh bão',
    cores: [
      'Học sinh toàn tỉnh Thanh Hóa được nghỉ học ngày mai để tránh bão, phụ huynh chú ý nhé.',
      'Sở giáo dục cho học sinh toàn tỉnh Thanh Hóa nghỉ học ngày mai để tránh bão.',
    ],
    negatives: [
      'Sinh viên Đại học Hồng Đức được nghỉ Tết 4 tuần, nhiều bạn đã đặt vé xe về quê.',
      'Trường trung học ở Sầm Sơn tổ chức cho học sinh học bơi miễn phí trong hè.',
    ],
  },
  {
    claim: 'Văn bản lan truyền nói Công an tỉnh cấm người dân ra đường sau 22 giờ là giả mạo',
    cores: [
      'Văn bản lan truyền nói Công an tỉnh cấm người dân ra đường sau 22 giờ là giả mạo, mọi người đừng hoang mang.',
      'Cái văn bản bảo Công an tỉnh cấm người dân ra đường sau 22 giờ đang lan truyền là văn bản giả mạo.',
    ],
    negatives: [
      'Quy định mới yêu cầu quán karaoke ở Sầm Sơn đóng cửa trước 24 giờ, chủ quán than ế khách.',
      'Phường tổ chức kiểm tra tạm trú các nhà trọ vào buổi tối, sinh viên được nhắc mang theo giấy tờ.',
    ],
  },
  {
    claim: 'Xe container tông xe máy ở Bỉm Sơn, hai người chết tại chỗ',
    cores: [
      'Xe container tông xe máy ở Bỉm Sơn, hai người chết tại chỗ, cảnh tượng kinh hoàng lắm.',
      'Chiều nay ở Bỉm Sơn xe container tông vào xe máy, hai người đi xe máy chết tại chỗ.',
    ],
    negatives: [
      'Xe container mất phanh lao vào nhà dân ở Bỉm Sơn lúc đêm, chỉ thiệt hại tài sản.',
      'Xe ben chở đất làm rơi vãi khắp đường ở Bỉm Sơn, nhiều người đi xe máy bị ngã.',
    ],
  },
  {
    claim: 'Nhiều người ở Hà Trung bị lừa đầu tư chứng khoán qua nhóm Telegram',
    cores: [
      'Nhiều người ở Hà Trung bị lừa đầu tư chứng khoán qua nhóm Telegram, có người mất cả trăm triệu.',
      'Ở Hà Trung có nhiều người tham gia nhóm Telegram đầu tư chứng khoán rồi bị lừa sạch tiền.',
    ],
    negatives: [
      'Nhiều người ở Hà Trung bị lừa mua đất nền ở dự án không có thật, đặt cọc rồi mất liên lạc.',
      'Một nhóm ở Hà Trung rủ nhau chơi hụi qua mạng, chủ hụi ôm tiền trốn.',
    ],
  },
  {
    claim: 'Cướp tiệm vàng ở Triệu Sơn, đối tượng dùng súng khống chế chủ tiệm',
    cores: [
      'Vừa có vụ cướp tiệm vàng ở Triệu Sơn, đối tượng dùng súng khống chế chủ tiệm rồi lấy vàng bỏ chạy.',
      'Cướp tiệm vàng ở Triệu Sơn giữa ban ngày, tên cướp dùng súng khống chế chủ tiệm.',
    ],
    negatives: [
      'Trộm đột nhập tiệm điện thoại ở Triệu Sơn lúc nửa đêm, lấy đi 30 chiếc điện thoại.',
      'Hai thanh niên giật túi xách của một phụ nữ đi chợ ở Triệu Sơn rồi phóng xe bỏ chạy.',
    ],
  },
  {
    claim: 'Người mất tích ở Lang Chánh đã được tìm thấy trong rừng sau 3 ngày',
    cores: [
      'Người mất tích ở Lang Chánh đã được tìm thấy trong rừng sau 3 ngày, sức khỏe yếu nhưng còn tỉnh.',
      'Mừng quá, sau 3 ngày tìm kiếm, người mất tích ở Lang Chánh đã được tìm thấy trong rừng.',
    ],
    negatives: [
      'Người đi lấy măng ở Lang Chánh bị rắn cắn, được dân bản cáng ra trạm y tế.',
      'Hai học sinh ở Bá Thước trốn nhà đi chơi, gia đình đăng tin tìm, đến tối đã về.',
    ],
  },
  {
    claim: 'Đi xe máy điện không đội mũ bảo hiểm sẽ bị tịch thu xe',
    cores: [
      'Từ giờ đi xe máy điện không đội mũ bảo hiểm sẽ bị tịch thu xe, học sinh chú ý.',
      'Nghe nói đi xe máy điện mà không đội mũ bảo hiểm là sẽ bị tịch thu xe luôn.',
    ],
    negatives: [
      'Chở ba trên xe đạp điện sẽ bị phạt 2 triệu đồng theo quy định mới.',
      'Học sinh dưới 16 tuổi lái xe máy đến trường, nhà trường mời phụ huynh lên làm việc.',
    ],
  },
  {
    claim: 'Clip xe cứu thương bị chặn đường ở Thọ Xuân là chuyện cũ năm 2021',
    cores: [
      'Clip xe cứu thương bị chặn đường ở Thọ Xuân đang lan truyền là chuyện cũ năm 2021 rồi.',
      'Cái clip xe cứu thương bị chặn đường ở Thọ Xuân là chuyện cũ từ năm 2021, giờ lại có người đăng lại.',
    ],
    negatives: [
      'Clip tài xế taxi bị hành khách đánh ở Thọ Xuân là chuyện mới xảy ra tuần này.',
      'Clip nhóm học sinh ở Thọ Xuân đánh bạn trong lớp học khiến phụ huynh bức xúc.',
    ],
  },
  {
    claim: 'Trường tiểu học ở Thọ Xuân cho học sinh nghỉ vì dịch sốt xuất huyết',
    cores: [
      'Trường tiểu học ở Thọ Xuân cho học sinh nghỉ vì dịch sốt xuất huyết, nhiều cháu phải nhập viện.',
      'Nghe tin một trường tiểu học ở Thọ Xuân phải cho học sinh nghỉ vì dịch sốt xuất huyết.',
    ],
    negatives: [
      'Trường mầm non ở Thọ Xuân có 10 cháu bị tay chân miệng, phụ huynh lo lắng.',
      'Trường tiểu học ở Thọ Xuân bị phụ huynh phản ánh thu quỹ lớp quá nhiều.',
    ],
  },
  {
    claim: 'Giả mạo trang Facebook của Công an tỉnh Thanh Hóa để nhận hồ sơ làm lại bằng lái xe',
    cores: [
      'Có kẻ giả mạo trang Facebook của Công an tỉnh Thanh Hóa để nhận hồ sơ làm lại bằng lái xe, thu tiền rồi biến.',
      'Trang Facebook giả mạo Công an tỉnh Thanh Hóa đang nhận hồ sơ làm lại bằng lái xe, mọi người đừng gửi.',
    ],
    negatives: [
      'Trang Facebook giả mạo Bệnh viện Đa khoa tỉnh để bán thuốc giảm cân không rõ nguồn gốc.',
      'Tài khoản mạng xã hội giả danh một ca sĩ nổi tiếng kêu gọi quyên góp từ thiện cho vùng lũ.',
    ],
  },
]

const DEV_FILLERS = [
  'Sáng nay đi chợ em nghe mấy bà bán rau kể.',
  'Chuyện này em thấy cả nhóm cư dân đang bàn.',
  'Không biết có ai kiểm chứng được chưa.',
  'Tin này chưa có nguồn chính thức nên mọi người đọc tham khảo thôi.',
  'Em thấy lo cho mấy đứa nhỏ trong nhà.',
  'Quê em mấy năm nay ít khi có chuyện như vậy.',
  'Nghe xong em gọi ngay cho bố mẹ dặn dò.',
  'Cô giáo chủ nhiệm cũng nhắc trong nhóm lớp rồi.',
  'Có bác trong xóm bảo là thật, có người bảo là bịa.',
  'Đi làm cả ngày về mới đọc được tin.',
  'Mấy ông hàng xóm ngồi uống trà cũng nói chuyện này cả tối.',
  'Ai ở gần thì để ý giúp nhé.',
  'Thật sự là càng ngày càng nhiều chuyện khó tin.',
  'Em đăng lên không phải để câu like đâu ạ.',
  'Có ai làm trong ngành thì cho em xin thông tin chuẩn với.',
  'Nói thật là đọc mà run hết cả người.',
  'Cả nhà em ai cũng bảo phải cẩn thận.',
  'Nhiều người chia sẻ quá nên em cũng chia sẻ theo.',
  'Đêm qua mất ngủ vì nghĩ chuyện này.',
  'Chuyện này em nghe từ người quen làm bên xã.',
  'Không biết báo chí đã đưa tin chưa.',
  'Mong là mọi người bình tĩnh, đừng lan truyền thêm nếu chưa chắc.',
  'Thông tin em có đến đâu em chia sẻ đến đó.',
  'Lúc nào rảnh em sẽ hỏi thêm rồi cập nhật.',
  'Ông bà ta nói cấm có sai, cẩn tắc vô áy náy.',
  'Tuần này ở quê đang mùa gặt nên ai cũng bận.',
  'Em xin lỗi nếu thông tin chưa chính xác.',
  'Người lớn tuổi thì hay nghe điện thoại lạ lắm.',
  'Bọn trẻ bây giờ dùng mạng còn giỏi hơn người lớn.',
  'Nhóm nào cũng thấy có người đăng chuyện này.',
  'Chắc phải chờ thông báo của chính quyền thôi.',
  'Hy vọng mọi người đều bình an.',
  'Em ở xa quê nên chỉ biết qua mạng.',
  'Thôi thì cứ biết để đề phòng.',
  'Cảm giác bất an thật sự.',
  'Sáng mai em sẽ lên xã hỏi cho rõ.',
]
const DEV_OPENERS = ['Mọi người ơi!!!', 'Nóng:', 'Cho em hỏi với ạ.', 'Các mẹ ơi,', 'Hóng tin,', 'Cảnh báo nè cả nhà.', '']
const DEV_CLOSERS = [
  'Share mạnh cho mọi người cùng biết.',
  'Ai có tin chính thức thì báo em với.',
  'Cảm ơn cả nhà.',
  'Đọc xong nhớ chia sẻ nhé.',
  'Mong tin sớm được làm rõ.',
]
const DEV_HASHTAGS = ['#thanhhoa', '#canhbao', '#tintuc', '#hongtin', '#36', '#ThanhHóa', '#luadao']

const DEV_HAND: LongPostCase[] = [
  hand(
    'dev',
    1,
    'Nhiều người ở Hà Trung bị lừa đầu tư chứng khoán qua nhóm Telegram',
    'Các anh chị cho em hỏi với ạ. Em có ông chú họ ở Hà Trung, mấy tháng trước được một người lạ kéo vào nhóm Telegram, trong đó toàn "chuyên gia" hướng dẫn đầu tư chứng khoán, lãi mỗi ngày mấy phần trăm. Ban đầu chú nạp ít thì rút được tiền lãi thật, sau đó nạp dần lên hơn một trăm triệu thì tài khoản bị khóa, nhóm giải tán luôn. Hỏi ra mới biết nhiều người ở Hà Trung bị lừa đầu tư chứng khoán qua nhóm Telegram y như vậy, có cả cô giáo về hưu. Giờ không biết trình báo ở đâu thì có hy vọng lấy lại tiền không ạ? Em cảm ơn mọi người nhiều 🙏🙏 #luadao #HaTrung',
  ),
  hand(
    'dev',
    2,
    'Xe container tông xe máy ở Bỉm Sơn, hai người chết tại chỗ',
    'troi oi vua di qua bim son thay dong nguoi dung xem, xe container tong xe may, hai nguoi chet tai cho luon 😭😭 nghe noi la hai vo chong di lam ve. doan duong do xe tai xe container chay nhieu lam, toi lai toi nua. ae di duong cham thoi nhe, an toan la tren het. nha ai co nguoi than di lam ca toi qua doan do thi goi dien hoi xem the nao. nghe noi xe container chay nhanh lam, luc do troi lai mua, duong tron. cong an den rat nhanh, phong toa ca mot doan dai. cau mong hai nguoi yen nghi. #bimson #tainan',
  ),
]

// ---------------------------------------------------------------------------
// Styles

/** New → old tone placement on open "oa/oe/uy" syllables ("hòa" → "hoà", "thủy" → "thuỷ"). */
function oldTones(text: string): string {
  const tones = ['\u0300', '\u0301', '\u0309', '\u0303', '\u0323']
  return text
    .normalize('NFD')
    .replace(
      /([oOuU])(\u0300|\u0301|\u0309|\u0303|\u0323)([aAeEyY])(?!\p{L}|\u0302|\u0306|\u031b)/gu,
      (_m, v1: string, tone: string, v2: string) => (tones.includes(tone) ? `${v1}${v2}${tone}` : _m),
    )
    .normalize('NFC')
}

const SOUTHERN: [RegExp, string][] = [
  [/\bkhông\b/g, 'hông'],
  [/\bvậy\b/g, 'dậy'],
  [/\bthế\b/g, 'vậy'],
  [/\bnhé\b/g, 'nha'],
  [/\bmẹ\b/g, 'má'],
  [/\bbố\b/g, 'ba'],
  [/\btôi\b/g, 'tui'],
  [/\bbọn\b/g, 'tụi'],
  [/\blắm\b/g, 'quá trời'],
  [/\bạ\b/g, 'nè'],
  [/\bhỏi\b/g, 'hỏi thăm'],
]

const CHAT: [RegExp, string][] = [
  [/\bkhông\b/gi, 'ko'],
  [/\bđược\b/gi, 'dc'],
  [/\bmọi người\b/gi, 'mn'],
  [/\bbiết\b/gi, 'bít'],
  [/\bgì\b/gi, 'j'],
  [/\banh em\b/gi, 'ae'],
  [/\bvới\b/gi, 'vs'],
  [/\bthôi\b/gi, 'thui'],
  [/\bchuyển khoản\b/gi, 'ck'],
  [/\bnhé\b/gi, 'nha'],
]

const EMOJI = ['😱', '🙏', '😡', '⚠️', '👉', '😭', '‼️', '🔥', '😢', '🆘']

/** `\b` in these regexes is ASCII-only; Vietnamese words are matched between spaces/punctuation. */
function replaceWords(text: string, rules: [RegExp, string][]): string {
  let out = text
  for (const [re, to] of rules) {
    const word = re.source.replace(/\\b/g, '')
    out = out.replace(new RegExp(`(^|[\\s,.!?:;"(])${word}(?=$|[\\s,.!?:;")])`, re.flags.includes('i') ? 'giu' : 'gu'), `$1${to}`)
  }
  return out
}

type Style = 'standard' | 'nodiac' | 'oldtone' | 'southern' | 'chat'
const STYLES: Style[] = ['standard', 'nodiac', 'oldtone', 'southern', 'chat', 'standard', 'oldtone', 'nodiac']

function applyStyle(text: string, style: Style): string {
  switch (style) {
    case 'nodiac':
      return fold(text)
    case 'oldtone':
      return oldTones(text)
    case 'southern':
      return replaceWords(text, SOUTHERN)
    case 'chat':
      return replaceWords(text, CHAT).toLowerCase().replace(/\.\s/g, ' ')
    default:
      return text
  }
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w.length > 0).length
}

interface Pools {
  fillers: string[]
  openers: string[]
  closers: string[]
  hashtags: string[]
}

/** One post: opener, fillers before and after the core, closer, hashtags; 80–400 words. */
function compose(core: string, pools: Pools, style: Style, r: () => number): string {
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)]
  const target = 85 + Math.floor(r() * 270)
  const before: string[] = []
  const after: string[] = []
  const used = new Set<string>()
  let words = countWords(core) + 12
  let guard = 0
  while (words < target && guard++ < 200) {
    const f = pick(pools.fillers)
    if (used.has(f) && used.size < pools.fillers.length) continue
    used.add(f)
    if (r() < 0.4) before.push(f)
    else after.push(f)
    words += countWords(f)
  }
  const emoji = r() < 0.6
  const withEmoji = (s: string): string => (emoji && r() < 0.3 ? `${s} ${pick(EMOJI)}` : s)
  const parts = [pick(pools.openers), ...before.map(withEmoji), withEmoji(core), ...after.map(withEmoji), pick(pools.closers)]
  // Paragraph breaks as in a real post, kept on one line (the CLI reads one post per line).
  let text = parts.filter((p) => p !== '').join(r() < 0.5 ? ' ' : '  ')
  text = applyStyle(text, style)
  if (r() < 0.7) {
    const tags = new Set<string>()
    const n = 1 + Math.floor(r() * 4)
    for (let i = 0; i < n; i++) tags.add(pick(pools.hashtags))
    text = `${text} ${[...tags].join(' ')}`
  }
  return text
}

function hand(split: string, n: number, claim: string, text: string): LongPostCase {
  return { id: `${split}-hand-${n}`, kind: 'pos', claim, style: 'hand', words: countWords(text), text }
}

/** Builds one part: 8 posts per scenario carrying the claim, 3 hard negatives, plus the hand-written. */
export function buildPart(split: string, scenarios: Scenario[], pools: Pools, handWritten: LongPostCase[], seed: number): LongPostCase[] {
  const r = mulberry32(seed)
  const out: LongPostCase[] = []
  let pos = 0
  let neg = 0
  for (const s of scenarios) {
    for (let i = 0; i < 8; i++) {
      const style = STYLES[i]
      const text = compose(s.cores[i % s.cores.length], pools, style, r)
      out.push({ id: `${split}-pos-${++pos}`, kind: 'pos', claim: s.claim, style, words: countWords(text), text })
    }
    for (let i = 0; i < 3; i++) {
      const style = STYLES[(i * 3 + 1) % STYLES.length]
      const text = compose(s.negatives[i % s.negatives.length], pools, style, r)
      out.push({ id: `${split}-neg-${++neg}`, kind: 'neg', claim: null, style, words: countWords(text), text })
    }
  }
  return [...out, ...handWritten]
}

/** Where the parts are written. */
export const LONGPOST_PATHS = {
  heldout: fileURLToPath(new URL('../src/text/fixtures/match-longposts.heldout.jsonl', import.meta.url)),
  dev: fileURLToPath(new URL('../src/text/fixtures/match-longposts.dev.jsonl', import.meta.url)),
}

function main(): void {
  const pool = new Set(loadPairs().flatMap((p) => [p.a, p.b]))
  for (const s of [...HELDOUT_SCENARIOS, ...DEV_SCENARIOS]) {
    if (!pool.has(s.claim)) throw new Error(`claim not in claim-pairs.tsv: ${s.claim}`)
  }
  const heldClaims = new Set(HELDOUT_SCENARIOS.map((s) => s.claim))
  for (const s of DEV_SCENARIOS) if (heldClaims.has(s.claim)) throw new Error(`claim in both parts: ${s.claim}`)
  const parts = {
    heldout: buildPart(
      'heldout',
      HELDOUT_SCENARIOS,
      { fillers: HELDOUT_FILLERS, openers: HELDOUT_OPENERS, closers: HELDOUT_CLOSERS, hashtags: HELDOUT_HASHTAGS },
      HELDOUT_HAND,
      1801,
    ),
    dev: buildPart(
      'dev',
      DEV_SCENARIOS,
      { fillers: DEV_FILLERS, openers: DEV_OPENERS, closers: DEV_CLOSERS, hashtags: DEV_HASHTAGS },
      DEV_HAND,
      1802,
    ),
  }
  for (const [name, rows] of Object.entries(parts)) {
    for (const row of rows) if (row.kind === 'pos' && (row.words < 80 || row.words > 400)) throw new Error(`${row.id}: ${row.words} words`)
    writeFileSync(LONGPOST_PATHS[name as keyof typeof LONGPOST_PATHS], `${rows.map((x) => JSON.stringify(x)).join('\n')}\n`)
    const pos = rows.filter((x) => x.kind === 'pos')
    const w = pos.map((x) => x.words).sort((a, b) => a - b)
    console.log(
      `${name}: ${pos.length} posts carrying a claim, ${rows.length - pos.length} hard negatives; words ${w[0]}–${w[w.length - 1]}`,
    )
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main()
