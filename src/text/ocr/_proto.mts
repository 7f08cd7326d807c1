import { createWorker, OEM, PSM } from 'tesseract.js'
import sharp from 'sharp'
import { svgToPng } from '/work/main/src/platform/html/raster.ts'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
const text = ['Từ ngày mai, Công an tỉnh sẽ phạt', 'người đi xe máy không đội mũ bảo hiểm', 'mức 5 triệu đồng. Ở đây mọi người', 'chia sẻ rộng rãi để cảnh báo nhau.']
function svg(scale: number) {
  const w = 390*scale, h = 300*scale
  const lines = text.map((l,i)=>`<text x="${16*scale}" y="${(40+i*24)*scale}" font-size="${16*scale}" fill="#050505">${l}</text>`).join('')
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#fff"/>${lines}</svg>`
}
const t0 = Date.now()
const w = await createWorker('vie', OEM.LSTM_ONLY, { langPath: '/work/main/node_modules/@tesseract.js-data/vie/4.0.0_best_int', gzip: true, cacheMethod: 'none', cachePath: mkdtempSync(join(tmpdir(),'ocr-')) })
console.log('init', Date.now()-t0)
for (const s of [1,2]) {
  const png = svgToPng(svg(s))
  for (const up of [1,2,3]) {
    const img = up===1? png : await sharp(png).resize({width: 390*s*up, kernel:'lanczos3'}).grayscale().png().toBuffer()
    const t1 = Date.now()
    const r = await w.recognize(img)
    console.log(s, up, Date.now()-t1, r.data.confidence, JSON.stringify(r.data.text))
  }
}
await w.terminate()
