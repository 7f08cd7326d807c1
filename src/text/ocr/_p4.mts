import { correctOcrText } from './correct.ts'
for (const t of ['TỪ ngày mai, Công ơn tỉnh sẽ phọt người đi xe móy không đội mũ bỏo hiểm', 'mức 5 triệu đồng. Ở đây mọi người chia sẻ rộng rõi để cỏnh bóo nhau, người dân Ở xã', 'Trần Văn A bị bắt. UBND xã cho biết CÔNG AN TỈNH đã vào cuộc. Ông T. nói', 'Hoằng Hoá, Thanh Hoá, hoà bình'])
  console.log(correctOcrText(t))
