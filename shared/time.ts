// Dates and periods in Asia/Shanghai (DESIGN.md: "dates and periods in Asia/Shanghai; periods
// are YYYY-MM"). China has kept UTC+8 all year since 1991, so a fixed offset is exact and avoids
// depending on the ICU time-zone data of whichever runtime shows the page.

import { RuleError } from './i18n/coded';

/** Calendar date 'YYYY-MM-DD' (a day in Asia/Shanghai). */
export type DateString = string;
/** Billing/reading period 'YYYY-MM'. */
export type Period = string;

export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
export const DATE_RE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function isPeriod(text: string): boolean {
  return PERIOD_RE.test(text);
}

export function isDate(text: string): boolean {
  if (!DATE_RE.test(text)) return false;
  // Round-trip through the calendar to refuse 2026-02-30.
  return dateFromDayNumber(dayNumber(text)) === text;
}

/** Milliseconds since the epoch → 'YYYY-MM-DD' in Asia/Shanghai. */
export function shanghaiDate(ms: number): DateString {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Milliseconds since the epoch → 'YYYY-MM-DD HH:mm:ss' in Asia/Shanghai. */
export function shanghaiDateTime(ms: number): string {
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** 'YYYY-MM-DD' → the epoch milliseconds of its midnight in Asia/Shanghai. */
export function shanghaiMidnight(date: DateString): number {
  return Date.parse(`${date}T00:00:00Z`) - SHANGHAI_OFFSET_MS;
}

/** Days since 1970-01-01 for a calendar date (time-zone free). */
export function dayNumber(date: DateString): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

export function dateFromDayNumber(day: number): DateString {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: DateString, days: number): DateString {
  return dateFromDayNumber(dayNumber(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: DateString, to: DateString): number {
  return dayNumber(to) - dayNumber(from);
}

export function periodOf(date: DateString): Period {
  return date.slice(0, 7);
}

export function addMonths(period: Period, months: number): Period {
  const m = PERIOD_RE.exec(period);
  if (!m) throw new RuleError('time.badPeriod', { value: period });
  const index = Number(m[1]) * 12 + (Number(m[2]) - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

export function daysInPeriod(period: Period): number {
  const next = addMonths(period, 1);
  return daysBetween(`${period}-01`, `${next}-01`);
}

export function periodMonth(period: Period): number {
  return Number(period.slice(5, 7));
}

export function periodYear(period: Period): number {
  return Number(period.slice(0, 4));
}
