import { describe, expect, it } from 'vitest'
import '../../modules.ts'
import { errorStatuses } from '../errors.ts'
import { both, missingKeys, t } from './index.ts'

describe('message catalogues', () => {
  it('have the same keys in Vietnamese and English', () => {
    expect(missingKeys()).toEqual({ vi: [], en: [] })
  })

  it('have a message in both languages for every error code', () => {
    const codes = Object.keys(errorStatuses())
    // The modules' codes are there too (installed by src/modules.ts).
    expect(codes).toContain('PUBLISH_GATE')
    for (const code of codes) {
      const m = both(`errors.${code}`)
      expect(m.vi, code).not.toBe(`errors.${code}`)
      expect(m.en, code).not.toBe(`errors.${code}`)
    }
  })

  it('interpolates parameters and stores NFC text', () => {
    expect(t('vi', 'errors.TOO_MANY_ATTEMPTS', { seconds: 8 })).toBe('Quá nhiều lần thử sai. Hãy thử lại sau 8 giây.')
    expect(t('en', 'dashboard.hello', { name: 'Hoa' })).toBe('Hello, Hoa')
    const vi = t('vi', 'auth.signIn')
    expect(vi).toBe(vi.normalize('NFC'))
  })
})
