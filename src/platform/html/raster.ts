/**
 * SVG → PNG for share images (Open Graph, Zalo, Facebook show no SVG). Rendered by resvg (Rust,
 * prebuilt for the platform by npm) with the Be Vietnam Pro TTFs of @expo-google-fonts (OFL)
 * and no system fonts, so a card looks the same on every machine and Vietnamese diacritics
 * come out right whatever fonts the server has. Text in the SVG names 'Be Vietnam Pro' (or any
 * family: it is the default).
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { Resvg } from '@resvg/resvg-js'

const require = createRequire(import.meta.url)
/** The weights the cards use. */
const WEIGHTS = ['400Regular', '600SemiBold', '700Bold']

let fontFiles: string[] | undefined

function fonts(): string[] {
  if (!fontFiles) {
    const dir = path.dirname(require.resolve('@expo-google-fonts/be-vietnam-pro/package.json'))
    fontFiles = WEIGHTS.map((w) => path.join(dir, w, `BeVietnamPro_${w}.ttf`))
  }
  return fontFiles
}

/** Renders `svg` to a PNG at its own size. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: fonts(), defaultFontFamily: 'Be Vietnam Pro', sansSerifFamily: 'Be Vietnam Pro' },
    logLevel: 'off',
  })
  return resvg.render().asPng()
}
