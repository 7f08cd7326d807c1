import { createOcrEngine } from './engine.ts'
import { renderScreenshot } from './render.ts'
import { cer } from './cer.ts'
import { prepareImage } from './preprocess.ts'
import { writeFileSync } from 'node:fs'
import { evaluationTexts } from '../../../tools/eval-ocr.ts'
const e = createOcrEngine()
const text = evaluationTexts()[1]!
for (const spec of [{layout:'chat',theme:'dark',density:2,format:'png'},{layout:'chat',theme:'light',density:2,format:'png'}] as const) {
  const s = await renderScreenshot(text, spec as any)
  const p = await prepareImage(s.image); writeFileSync(`/tmp/p15w4/prep-${spec.theme}.png`, p.png)
  const r = await e.recognize(s.image, {})
  console.log('REF', JSON.stringify(s.reference)); console.log('RAW', JSON.stringify(r.raw)); console.log('OUT', JSON.stringify(r.text), cer(s.reference, r.raw), cer(s.reference, r.text), r.confidence, r.inverted)
}
await e.close()
