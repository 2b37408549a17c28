import { describe, expect, it } from 'vitest';
import { calendarDays, formatDateText, isWholeDateText, outOfRange, parseDateText } from './dateText';

describe('a date as the field shows it', () => {
  it.each([
    ['2026-12-05', 'date', 'zh-CN', '2026-12-05'],
    ['2026-12-05', 'date', 'en', '2026-12-05'],
    ['2026-12', 'month', 'zh-CN', '2026年12月'],
    ['2026-03', 'month', 'zh-CN', '2026年3月'],
    ['2026-12', 'month', 'en', 'Dec 2026'],
    ['2026-05', 'month', 'en', 'May 2026'],
    ['', 'month', 'zh-CN', ''],
  ] as const)('%s (%s) in %s reads “%s”', (value, kind, locale, shown) => {
    expect(formatDateText(value, kind, locale)).toBe(shown);
  });
});

describe('a date as a clerk types it', () => {
  it.each([
    ['2026-12-05', '2026-12-05'],
    ['2026/12/5', '2026-12-05'],
    ['2026.12.05', '2026-12-05'],
    ['20261205', '2026-12-05'],
    ['2026年12月5日', '2026-12-05'],
    [' 2026-1-9 ', '2026-01-09'],
    ['', ''],
  ])('“%s” is %s', (typed, value) => {
    expect(parseDateText(typed, 'date')).toEqual({ ok: true, value });
  });
  it.each(['2026-02-30', '2026-13-01', '12/05/2026', '2026-12', '2026-12-05x', 'tomorrow', '2026-12-32', '2026-012-05'])('“%s” is refused', (typed) => {
    expect(parseDateText(typed, 'date')).toEqual({ ok: false });
  });
});

describe('a month as a clerk types it', () => {
  it.each([
    ['2026-12', '2026-12'],
    ['2026/3', '2026-03'],
    ['202611', '2026-11'],
    ['2026年11月', '2026-11'],
    ['2026 年 11 月', '2026-11'],
    ['Dec 2026', '2026-12'],
    ['december 2026', '2026-12'],
    ['Sept 2026', '2026-09'],
    ['2026 Mar', '2026-03'],
  ])('“%s” is %s', (typed, value) => {
    expect(parseDateText(typed, 'month')).toEqual({ ok: true, value });
  });
  it.each(['2026-13', '2026-00', '12/2026', 'Ma 2026', 'Foo 2026', '2026-12-05'])('“%s” is refused', (typed) => {
    expect(parseDateText(typed, 'month')).toEqual({ ok: false });
  });
});

describe('limits and the calendar page', () => {
  it('a reading date after today is late, before the window early', () => {
    expect(outOfRange('2026-12-06', undefined, '2026-12-05')).toBe('late');
    expect(outOfRange('2026-11-30', '2026-12-01')).toBe('early');
    expect(outOfRange('2026-12-05', '2026-12-01', '2026-12-05')).toBeNull();
    expect(outOfRange('', '2026-12-01')).toBeNull();
  });
  it('December 2026 starts on a Tuesday: one blank before the 1st, Monday first', () => {
    const days = calendarDays('2026-12');
    expect(days.slice(0, 2)).toEqual([null, '2026-12-01']);
    expect(days.filter(Boolean)).toHaveLength(31);
  });
  it('February 2028 (a leap year) has 29 days', () => {
    expect(calendarDays('2028-02').filter(Boolean).at(-1)).toBe('2028-02-29');
  });
});

describe('taken while typing only when whole', () => {
  it.each([
    ['2026-02-3', 'date', false],
    ['2026-02-30', 'date', true],
    ['2026/12/05', 'date', true],
    ['2026年12月5', 'date', false],
    ['2026年12月5日', 'date', true],
    ['2026120', 'date', false],
    ['20261205', 'date', true],
    ['2026-1', 'month', false],
    ['2026-11', 'month', true],
    ['2026年1', 'month', false],
    ['2026年11月', 'month', true],
    ['Nov 202', 'month', false],
    ['Nov 2026', 'month', true],
  ] as const)('“%s” (%s): %s', (typed, kind, whole) => {
    expect(isWholeDateText(typed, kind)).toBe(whole);
  });
});
