// How a date or a month is shown and typed in the app's language (issue 16 item 14). The
// browser's own date pickers follow the operating system's locale, so a Chinese screen on an
// English Windows showed "12/05/2026"; GridDesk shows and reads dates itself instead.
//
// Shown:   zh-CN  日期 2026-12-05   月份 2026年12月
//          en     日期 2026-12-05   月份 Dec 2026
// Dates are ISO in both languages: the office's paper forms and the software of the grid company
// use 2026-12-05, and it cannot be misread as 5 December or 12 May. Months read as the office
// says them (2026年12月) and, in English, as a month name, which no one misreads either.
//
// Typed: any of the shown forms, and what a clerk types from a paper form: 2026-12-05,
// 2026/12/5, 2026.12.5, 20261205, 2026年12月5日; months 2026-12, 2026/12, 202612, 2026年12月,
// Dec 2026, December 2026. A date that does not exist (2026-02-30) is refused.
import { isDate, isPeriod } from '../time';
import type { Locale } from '../i18n';

export type DateKind = 'date' | 'month';

export const MONTH_NAMES_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const;

const pad = (n: number) => String(n).padStart(2, '0');

/** The value ('YYYY-MM-DD' or 'YYYY-MM', or '') as the field shows it. Anything else is shown as it is. */
export function formatDateText(value: string, kind: DateKind, locale: Locale): string {
  if (value === '') return '';
  if (kind === 'date') return value;
  if (!isPeriod(value)) return value;
  const year = value.slice(0, 4);
  const month = Number(value.slice(5, 7));
  return locale === 'en' ? `${MONTH_NAMES_EN[month - 1]!.slice(0, 3)} ${year}` : `${year}年${month}月`;
}

export type ParsedDate = { ok: true; value: string } | { ok: false };

/** What was typed → the value ('' for an empty field), or not ok when it is no date / month. */
export function parseDateText(text: string, kind: DateKind): ParsedDate {
  const typed = text.trim().replace(/\s+/g, ' ');
  if (typed === '') return { ok: true, value: '' };
  return kind === 'date' ? parseDay(typed) : parseMonth(typed);
}

function parseDay(typed: string): ParsedDate {
  const parts =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(typed) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(typed);
  if (!parts) return { ok: false };
  const value = `${parts[1]}-${pad(Number(parts[2]))}-${pad(Number(parts[3]))}`;
  return isDate(value) ? { ok: true, value } : { ok: false };
}

function parseMonth(typed: string): ParsedDate {
  const numeric = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(typed) ?? /^(\d{4})(\d{2})$/.exec(typed);
  if (numeric) {
    const value = `${numeric[1]}-${pad(Number(numeric[2]))}`;
    return isPeriod(value) ? { ok: true, value } : { ok: false };
  }
  // Dec 2026, December 2026, Dec. 2026, 2026 Dec
  const nameFirst = /^([a-z]+)\.?,? (\d{4})$/i.exec(typed);
  const yearFirst = /^(\d{4}) ([a-z]+)\.?$/i.exec(typed);
  const word = nameFirst?.[1] ?? yearFirst?.[2];
  const year = nameFirst?.[2] ?? yearFirst?.[1];
  if (word && year) {
    const w = word.toLowerCase();
    const index = w.length >= 3 ? MONTH_NAMES_EN.findIndex((name) => name.toLowerCase().startsWith(w)) : -1;
    if (index >= 0) return { ok: true, value: `${year}-${pad(index + 1)}` };
  }
  return { ok: false };
}

/**
 * Whether the text is a whole date as typed so far: two-digit day (month), or 日 (月), or a month
 * name with its year. The field takes such a date while it is typed; "2026-02-3" on the way to
 * "2026-02-30" is not taken (it would put 3 February in the filter).
 */
export function isWholeDateText(text: string, kind: DateKind): boolean {
  const typed = text.trim();
  if (kind === 'date') return /^\d{4}\D+\d{1,2}\D+\d{2}$/.test(typed) || /^\d{8}$/.test(typed) || /日$/.test(typed);
  return /^\d{4}\D+\d{2}$/.test(typed) || /^\d{6}$/.test(typed) || /月$/.test(typed) || /[a-z]\.?,? \d{4}$/i.test(typed) || /^\d{4} [a-z]{3,}\.?$/i.test(typed);
}

/** Whether the value lies outside [min, max] (ISO strings compare as dates). */
export function outOfRange(value: string, min?: string, max?: string): 'early' | 'late' | null {
  if (value === '') return null;
  if (min && value < min) return 'early';
  if (max && value > max) return 'late';
  return null;
}

/** The days of a month's calendar page, Monday first (as Chinese calendars are): null pads the first week. */
export function calendarDays(period: string): (string | null)[] {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  const first = new Date(Date.UTC(year, month - 1, 1));
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday = 0
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= days; d++) cells.push(`${period}-${pad(d)}`);
  return cells;
}
