import { createWorker, OEM, PSM } from 'tesseract.js'
import { renderScreenshot } from './render.ts'
import { cer } from './cer.ts'
import { prepareImage } from './preprocess.ts'
import { correctOcrText } from './correct.ts'
import { workerOptions } from './engine.ts'
import { evaluationTexts } from '../../../tools/eval-ocr.ts'
import sharp from 'sharp'
const w = await createWorker('vie', OEM.LSTM_ONLY, workerOptions() as any)
const texts = evaluationTexts().slice(0, 3)
for (const tm of ["0"]) {
  for (const clahe of [false]) {
  await w.setParameters({ tessedit_pageseg_mode: PSM.AUTO, preserve_interword_spaces: '1', user_defined_dpi: '300', debug_file: '/dev/null', thresholding_method: tm } as any)
  let e = 0, n = 0, e2 = 0
  for (const text of texts) for (const spec of [{layout:'chat',theme:'dark',density:2,format:'png'},{layout:'chat',theme:'light',density:1,format:'jpeg40'},{layout:'post',theme:'light',density:2,format:'png'},{layout:'chat',theme:'light',density:2,format:'png'},{layout:'post',theme:'light',density:1,format:'jpeg40'},{layout:'post',theme:'dark',density:1,format:'jpeg40'}] as const) {
    const s = await renderScreenshot(text, spec as any)
    let p = (await prepareImage(s.image)).png
    if (clahe) p = await sharp(p).clahe({ width: 64, height: 64, maxSlope: 3 }).png().toBuffer()
    const r = await w.recognize(p)
    const c = cer(s.reference, correctOcrText(r.data.text)); const len = s.reference.length
    e += c * len; n += len; e2 += cer(s.reference, r.data.text) * len
  }
  console.log('thresholding_method', tm, 'clahe', clahe, (100*e2/n).toFixed(2), (100*e/n).toFixed(2))
  }
}
await w.terminate()
