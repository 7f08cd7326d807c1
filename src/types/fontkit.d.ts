declare module 'fontkit' {
  /** The part of a font that the share cards measure with. */
  interface Glyph {
    /** Horizontal advance, in font units. */
    advanceWidth: number
  }
  interface Font {
    unitsPerEm: number
    glyphForCodePoint(codePoint: number): Glyph
    hasGlyphForCodePoint(codePoint: number): boolean
  }
  /** Opens a font file (a TrueType file here, not a collection). */
  function openSync(path: string): Font
}
