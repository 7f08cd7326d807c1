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

/** A font family other than Be Vietnam Pro, by its TTF files (the OCR evaluation's phone fonts). */
export interface RasterFont {
  family: string
  files: string[]
}

/** Renders `svg` to a PNG at its own size, in Be Vietnam Pro unless another font is given. */
export function svgToPng(svg: string, font?: RasterFont): Buffer {
  const family = font?.family ?? 'Be Vietnam Pro'
  const resvg = new Resvg(svg, {
    font: { loadSystemFonts: false, fontFiles: font?.files ?? fontFiles, defaultFontFamily: family, sansSerifFamily: family },
    logLevel: 'off',
  })
  return resvg.render().asPng()
}
