// The working-day calendar as the station holds it: head office's days (reference packs), the
// newest row of a date counting. Loaded whole (a few dozen rows a year) for each computation.
import { DATE_RE } from '../../../shared/time';
import { makeCalendar, type CalendarDay, type WorkingCalendar } from '../../../shared/service';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import type { Unit } from '../audit/record';
import { refuse } from '../errors';

export function loadCalendar(db: ReadableDB): WorkingCalendar {
  const rows = db.all<{ date: string; kind: 'holiday' | 'workday' | 'normal' }>(sql`
    SELECT d.date, d.kind FROM service_calendar_days d
    WHERE d.seq = (SELECT max(x.seq) FROM service_calendar_days x WHERE x.date = d.date)`);
  return makeCalendar(rows.filter((r) => r.kind !== 'normal') as CalendarDay[]);
}

export function listCalendar(db: ReadableDB, year: string): { date: string; kind: string; name: string; source: string }[] {
  return db.all(sql`
    SELECT d.date, d.kind, d.name, d.source FROM service_calendar_days d
    WHERE d.date LIKE ${`${year}-%`} AND d.seq = (SELECT max(x.seq) FROM service_calendar_days x WHERE x.date = d.date)
    ORDER BY d.date`);
}

/**
 * Loads calendar days: `{ "days": [{ "date": "2026-10-01", "kind": "holiday", "name": "国庆节" }, …] }`
 * or the array alone (docs/service.md "Calendar"). All or nothing: a bad day refuses the lot with
 * its position and field.
 */
export function loadCalendarDays(unit: Unit, data: unknown, source: string): number {
  const days = Array.isArray(data) ? data : (data as { days?: unknown } | null)?.days;
  if (!Array.isArray(days)) throw refuse('service.calendar.shape');
  days.forEach((d: unknown, i) => {
    const day = d as { date?: unknown; kind?: unknown; name?: unknown };
    if (typeof day?.date !== 'string' || !DATE_RE.test(day.date)) throw refuse('service.calendar.badDay', { n: i + 1, field: 'date' });
    if (day.kind !== 'holiday' && day.kind !== 'workday' && day.kind !== 'normal') throw refuse('service.calendar.badDay', { n: i + 1, field: 'kind' });
  });
  for (const d of days as { date: string; kind: string; name?: string }[]) {
    unit.run(sql`INSERT INTO service_calendar_days (date, kind, name, source, loaded_at, loaded_by) VALUES (${d.date}, ${d.kind}, ${String(d.name ?? '')}, ${source}, ${unit.at}, ${unit.actor.staffId})`);
  }
  unit.audit({ action: 'service.calendar.load', entity: 'service_calendar', summary: { days: days.length, source } });
  return days.length;
}
