/**
 * Vietnam's public holidays as the Labour Code 2019 (art. 112) lists them, computed per year:
 * 1/1; Tết Nguyên Đán (lunar New Year) — 5 days by default: the last day of the lunar year and
 * the first four of the new one; Giỗ Tổ Hùng Vương (10/3 lunar); 30/4; 1/5; Quốc khánh 2/9 and
 * one adjacent day (the law lets the Government pick the day before or after; we default to
 * 1/9, as in most recent years). Lunar dates come from `@dqcai/vn-lunar` (the Vietnamese
 * calendar, UTC+7, which differs from the Chinese one in some years). The Government sets the
 * exact Tết days and swaps days each year, so these are defaults: the office edits the list
 * (removes a day, adds compensatory days) on /console/hoi-dap/ngay-nghi.
 */
import { getSolarDate } from '@dqcai/vn-lunar'
import { addDays } from './inquiries.clock.ts'

/** A computed holiday: its local day key and its Vietnamese name. */
export interface ComputedHoliday {
  day: string
  name: string
}

const pad = (n: number) => String(n).padStart(2, '0')

/** The solar day key of a lunar date (non-leap month). */
export function lunarToSolar(day: number, month: number, year: number): string {
  const s = getSolarDate(day, month, year)
  return `${s.year}-${pad(s.month)}-${pad(s.day)}`
}

/** The first day of the lunar year that starts in solar `year` (Tết), as a day key. */
export function tetDay(year: number): string {
  return lunarToSolar(1, 1, year)
}

/** The public holidays of solar `year` by the law's defaults, in day order. */
export function computedHolidays(year: number): ComputedHoliday[] {
  const tet = tetDay(year)
  const list: ComputedHoliday[] = [
    { day: `${year}-01-01`, name: 'Tết Dương lịch' },
    { day: addDays(tet, -1), name: 'Tết Nguyên Đán (30 Tết)' },
    { day: tet, name: 'Tết Nguyên Đán (mùng 1)' },
    { day: addDays(tet, 1), name: 'Tết Nguyên Đán (mùng 2)' },
    { day: addDays(tet, 2), name: 'Tết Nguyên Đán (mùng 3)' },
    { day: addDays(tet, 3), name: 'Tết Nguyên Đán (mùng 4)' },
    { day: lunarToSolar(10, 3, year), name: 'Giỗ Tổ Hùng Vương (10/3 âm lịch)' },
    { day: `${year}-04-30`, name: 'Ngày Giải phóng miền Nam, thống nhất đất nước' },
    { day: `${year}-05-01`, name: 'Ngày Quốc tế Lao động' },
    { day: `${year}-09-01`, name: 'Quốc khánh (ngày liền kề)' },
    { day: `${year}-09-02`, name: 'Quốc khánh' },
  ]
  return list.sort((a, b) => a.day.localeCompare(b.day))
}
