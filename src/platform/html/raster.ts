/**
 * SVG → PNG for share images (Open Graph, Zalo, Facebook show no SVG). Rendered by resvg (Rust,
 * prebuilt for the platform by npm) with the Be Vietnam Pro TTFs of @expo-google-fonts (OFL)
 * and no system fonts, so a card looks the same on every machine and Vietnamese diacritics
 * come out right whatever fonts the server has. Text in the SVG names 'Be Vietnam Pro' (or any
 * family: it is the default).
 */
import { Resvg } from '@resvg/resvg-js'
import { cardFontFiles } from './card.ts'

const fontFiles = cardFontFiles()

/** Renders `svg` to a PNG at its own size. */
export function svgToPng(svg: string): Buffer {
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles, defaultFontFamily: 'Be Vietnam Pro', sansSerifFamily: 'Be Vietnam Pro' },
    logLevel: 'off',
  })
  return resvg.render().asPng()
}
