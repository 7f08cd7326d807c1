import sharp from 'sharp'
import { renderScreenshot } from './render.ts'
import { prepareImage } from './preprocess.ts'
const s = await renderScreenshot('Chữ tối trên nền sáng.', { layout: 'post', theme: 'light', density: 2, format: 'png' })
const p = await prepareImage(s.image)
console.log(await sharp(p.png).metadata())
