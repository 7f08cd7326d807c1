import { afterAll, beforeAll, it } from 'vitest'
import { form } from '../../../test/support/app.ts'
import { type NewsroomWorld, newsroomWorld, publishRelease } from './newsroom.test-support.ts'
let w: NewsroomWorld
beforeAll(async () => { w = await newsroomWorld() })
afterAll(async () => { await w.t.close() })
it('dbg', async () => {
  const TITLE = 'Công an tỉnh Thanh Hóa thông báo phương án phân luồng giao thông dịp lễ hội'
  const SUMMARY = 'Từ ngày 1 đến ngày 3 tháng 12, cấm xe tải trên quốc lộ 1A đoạn qua phường Hạc Thành.'
  const BODY_TEXT = 'Người tham gia giao thông đi theo hướng dẫn của lực lượng chức năng.\nMọi thắc mắc xin gọi đường dây nóng 069 2609 113.'
  const r = await publishRelease(w, { title: TITLE, summary: SUMMARY, bodyMd: BODY_TEXT.replace('\n', '\n\n') })
  const fake = `${TITLE}\n${SUMMARY.replace('cấm xe tải', 'cấm tất cả xe máy và ô tô').replace('1A', '47')}\n${BODY_TEXT.replace('069 2609 113', '0912 345 678')}`
  const f = form({ input: fake })
  const res = await w.t.app.inject({ method: 'POST', url: '/xac-minh', payload: f.payload, headers: f.headers })
  console.log(res.body.match(/<section aria-labelledby="h-outcome".*?<form/s)?.[0])
  const c = await w.t.app.inject({ url: `/xac-minh?ma=${r.code}` })
  console.log(r.code, c.body.match(/<section aria-labelledby="h-outcome".*?<form/s)?.[0])
})
