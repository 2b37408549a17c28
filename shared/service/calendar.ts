// The working-day calendar (工作日历) head office sends: holidays (法定节假日) that fall on weekdays
// and make-up working days (调休上班) that fall on weekends. Every other Monday–Friday is a working
// day. A time limit in working days follows it (a limit crossing the Spring Festival waits for
// the holiday to pass).
import { addDays, dayNumber, shanghaiDate, shanghaiMidnight, type DateString } from '../time';

export type CalendarDayKind = 'holiday' | 'workday';

export interface CalendarDay {
  date: DateString;
  kind: CalendarDayKind;
  /** 春节, 国庆节, 调休… shown in the calendar list. */
  name?: string;
}

export interface WorkingCalendar {
  /** date → kind, for the days that differ from the Monday–Friday rule. */
  days: ReadonlyMap<DateString, CalendarDayKind>;
}

export function makeCalendar(days: readonly CalendarDay[]): WorkingCalendar {
  return { days: new Map(days.map((d) => [d.date, d.kind])) };
}

export const EMPTY_CALENDAR: WorkingCalendar = { days: new Map() };

/** 1970-01-01 was a Thursday. */
function weekday(date: DateString): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7; // 0 = Sunday
}

export function isWorkingDay(date: DateString, calendar: WorkingCalendar): boolean {
  const kind = calendar.days.get(date);
  if (kind === 'holiday') return false;
  if (kind === 'workday') return true;
  const w = weekday(date);
  return w !== 0 && w !== 6;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The start (00:00 Asia/Shanghai) of the day after the one `ms` falls on. */
export function nextDayStart(ms: number): number {
  return shanghaiMidnight(addDays(shanghaiDate(ms), 1));
}
