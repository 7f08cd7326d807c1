/**
 * Sources for communes-thanh-hoa.json (checked against each other, name by name):
 * - Resolution 1686/NQ-UBTVQH15 (16 June 2025) of the National Assembly Standing Committee on
 *   rearranging the commune-level units of Thanh Hóa in 2025, as transcribed in the
 *   vietnamese-provinces-database project (manual decree seeds, province 38);
 * - a second, independently compiled list of the 34 provinces' units after 1 July 2025;
 * - news reports of the totals: 166 units = 19 phường + 147 xã (126 xã and 19 phường formed by
 *   merging, 21 xã unchanged: Phú Xuân, Mường Chanh, Quang Chiểu, Tam Chung, Pù Nhi, Nhi Sơn,
 *   Mường Lý, Trung Lý, Trung Sơn, Na Mèo, Sơn Thủy, Sơn Điện, Mường Mìn, Tam Thanh, Yên
 *   Khương, Yên Thắng, Xuân Thái, Bát Mọt, Yên Nhân, Lương Sơn, Vạn Xuân).
 */
import { describe, expect, it } from 'vitest'
import { COMMUNES, communeByCode, communeSlug, isCommuneCode } from './communes.ts'

describe('Thanh Hóa communes', () => {
  it('has 166 units: 19 wards and 147 communes', () => {
    expect(COMMUNES).toHaveLength(166)
    expect(COMMUNES.filter((c) => c.kind === 'phuong')).toHaveLength(19)
    expect(COMMUNES.filter((c) => c.kind === 'xa')).toHaveLength(147)
  })

  it('has unique codes and names, NFC names that match their kind and codes derived from the name', () => {
    expect(new Set(COMMUNES.map((c) => c.code)).size).toBe(166)
    expect(new Set(COMMUNES.map((c) => c.name)).size).toBe(166)
    for (const c of COMMUNES) {
      expect(c.name, c.code).toBe(c.name.normalize('NFC'))
      expect(c.name.startsWith(c.kind === 'phuong' ? 'Phường ' : 'Xã '), c.name).toBe(true)
      expect(c.code, c.name).toBe(communeSlug(c.name))
      expect(c.code).toMatch(/^(phuong|xa)-[a-z0-9]+(-[a-z0-9]+)*$/)
    }
  })

  it('lists the 19 wards by name', () => {
    const wards = COMMUNES.filter((c) => c.kind === 'phuong').map((c) => c.name.slice('Phường '.length))
    expect(wards.sort()).toEqual(
      [
        'Bỉm Sơn',
        'Đào Duy Từ',
        'Đông Quang',
        'Đông Sơn',
        'Đông Tiến',
        'Hạc Thành',
        'Hải Bình',
        'Hải Lĩnh',
        'Hàm Rồng',
        'Nam Sầm Sơn',
        'Nghi Sơn',
        'Ngọc Sơn',
        'Nguyệt Viên',
        'Quảng Phú',
        'Quang Trung',
        'Sầm Sơn',
        'Tân Dân',
        'Tĩnh Gia',
        'Trúc Lâm',
      ].sort(),
    )
  })

  it('keeps the 21 communes that were not merged', () => {
    const unchanged = [
      'Phú Xuân',
      'Mường Chanh',
      'Quang Chiểu',
      'Tam Chung',
      'Pù Nhi',
      'Nhi Sơn',
      'Mường Lý',
      'Trung Lý',
      'Trung Sơn',
      'Na Mèo',
      'Sơn Thủy',
      'Sơn Điện',
      'Mường Mìn',
      'Tam Thanh',
      'Yên Khương',
      'Yên Thắng',
      'Xuân Thái',
      'Bát Mọt',
      'Yên Nhân',
      'Lương Sơn',
      'Vạn Xuân',
    ]
    for (const n of unchanged) expect(communeByCode(communeSlug(`Xã ${n}`))?.name, n).toBe(`Xã ${n}`)
  })

  it('looks communes up by code', () => {
    expect(communeByCode('phuong-hac-thanh')).toEqual({ code: 'phuong-hac-thanh', name: 'Phường Hạc Thành', kind: 'phuong' })
    expect(communeByCode('xa-nguyet-an')?.name).toBe('Xã Nguyệt Ấn')
    expect(communeByCode('xa-cac-son')?.name).toBe('Xã Các Sơn')
    expect(communeByCode('phuong-dien-bien')).toBeUndefined() // a ward of the old Thanh Hóa city, merged away
    expect(communeByCode('')).toBeUndefined()
    expect(isCommuneCode('xa-ba-dinh')).toBe(true)
    expect(isCommuneCode('ba-dinh')).toBe(false)
    expect(isCommuneCode('PHUONG-HAC-THANH')).toBe(false)
    expect(isCommuneCode(undefined)).toBe(false)
    expect(isCommuneCode('__proto__')).toBe(false)
  })

  it('makes slugs from NFC and NFD names alike', () => {
    expect(communeSlug('Phường Hạc Thành')).toBe('phuong-hac-thanh')
    expect(communeSlug('Phường Hạc Thành'.normalize('NFD'))).toBe('phuong-hac-thanh')
    expect(communeSlug('Xã Đồng Lương')).toBe('xa-dong-luong')
    expect(communeSlug('  ĐÀO   Duy-Từ! ')).toBe('dao-duy-tu')
  })

  it('is frozen', () => {
    expect(Object.isFrozen(COMMUNES)).toBe(true)
    expect(Object.isFrozen(COMMUNES[0])).toBe(true)
  })
})
