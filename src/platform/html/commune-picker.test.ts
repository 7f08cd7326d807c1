/**
 * The commune picker's own diacritic folding (assets/commune-picker.js runs in the browser and
 * cannot import src/text/normalize.ts) must match what the server's `fold` gives, or a query
 * that the search pages answer would find nothing in the picker. The asset is loaded as it is
 * served and its `fold` compared on every commune name and on the whole Vietnamese alphabet.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { COMMUNES } from '../../modules/reference/communes.ts'
import { fold } from '../../text/normalize.ts'

const ASSET = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets/commune-picker.js')

/** The asset's `fold`, evaluated from the file's text (it enhances nothing without a document). */
async function clientFold(): Promise<(s: string) => string> {
  const source = await readFile(ASSET, 'utf8')
  return new Function(`${source}\nreturn fold`)() as (s: string) => string
}

const ALPHABET = 'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ'

describe('commune picker folding', () => {
  it('folds all 166 commune names as fold() does', async () => {
    const clientSide = await clientFold()
    expect(COMMUNES).toHaveLength(166)
    const differ = COMMUNES.filter((c) => clientSide(c.name) !== fold(c.name)).map((c) => c.name)
    expect(differ).toEqual([])
    expect(clientSide('Phường Sầm Sơn')).toBe('phuong sam son')
  })

  it('folds every Vietnamese letter, lower and upper case, NFC and NFD, as fold() does', async () => {
    const clientSide = await clientFold()
    for (const letter of [...ALPHABET, ...ALPHABET.toUpperCase(), 'Ð', 'ð']) {
      expect(clientSide(letter), letter).toBe(fold(letter))
      expect(clientSide(letter.normalize('NFD')), `${letter} (NFD)`).toBe(fold(letter.normalize('NFD')))
    }
  })
})
