import { renderScreenshot } from './render.ts'
import { writeFileSync } from 'node:fs'
const body = 'Từ ngày mai, Công an tỉnh sẽ phạt người đi xe máy không đội mũ bảo hiểm mức 5 triệu đồng. Ở đây mọi người chia sẻ rộng rãi để cảnh báo nhau! Ai thấy thì báo ngay cho người thân.'
for (const [n, spec] of [['post-light-1', {layout:'post',theme:'light',density:1,format:'png'}], ['chat-dark-2', {layout:'chat',theme:'dark',density:2,format:'jpeg40'}]] as const) {
  const s = await renderScreenshot(body, spec as any)
  writeFileSync(`/tmp/p15w4/${n}.${spec.format==='png'?'png':'jpg'}`, s.image)
  console.log(n, s.width, s.height, JSON.stringify(s.reference))
}
