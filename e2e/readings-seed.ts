// Seeding for the reading end-to-end tests: the customer files, staff, books and past months a
// station would already have, written straight into the station's database beside the running
// web host (WAL lets both in). What the tests check is then done through the UI.
import { SYSTEM_ACTOR } from '../electron/backend/audit/record';
import { Backend } from '../electron/backend/context';
import { createBook, movePoints } from '../electron/backend/readings/books';
import { enterReading } from '../electron/backend/readings/entry';
import { addMeters, type FixtureMeter, type FixturePoint } from '../electron/backend/readings/fixtures';
import { closePeriod, openPeriod } from '../electron/backend/readings/periods';
import { insertStaff, prepareStaff } from '../electron/backend/staff/staff';
import type { Role } from '../shared/permissions';
import { scheduledReadingDate } from '../shared/readings';
import { addMonths, periodOf, shanghaiDate } from '../shared/time';

export const TODAY = shanghaiDate(Date.now());
export const PERIOD = periodOf(TODAY);
/** Books are read today (their reading day is today's day of the month), so no reading is outside the window. */
export const BOOK_DAY = Number(TODAY.slice(8, 10));

export async function withStation<T>(db: string, work: (backend: Backend) => T | Promise<T>): Promise<T> {
  const backend = new Backend({ db });
  try {
    return await work(backend);
  } finally {
    backend.close();
  }
}

export async function addStaff(backend: Backend, members: { staffNo: string; name: string; roles: Role[]; password: string }[]) {
  for (const m of members) {
    const prepared = await prepareStaff({ ...m, mustChangePassword: false });
    backend.write(SYSTEM_ACTOR, (unit) => insertStaff(unit, prepared));
  }
}

export function staffId(backend: Backend, staffNo: string): string {
  const id = backend.store.db.prepare('SELECT id FROM staff WHERE staff_no = ?').pluck().get(staffNo) as string | undefined;
  if (!id) throw new Error(`no staff ${staffNo}`);
  return id;
}

/** Households installed early in the month four months back, before any history the tests give them. */
export function households(count: number, prefix: string, extra: Partial<FixtureMeter> = {}): FixtureMeter[] {
  return Array.from({ length: count }, (_, i) => ({
    accountNo: `GD01${prefix}${String(i + 1).padStart(5, '0')}`,
    name: `${prefix}户${i + 1}`,
    village: '东村',
    address: `${i + 1}号`,
    meterNo: `${prefix}-${String(i + 1).padStart(4, '0')}`,
    installDate: `${addMonths(PERIOD, -4)}-01`,
    ...extra,
  }));
}

export function book(backend: Backend, points: FixturePoint[], readerNo: string | null, name: string) {
  return backend.write(SYSTEM_ACTOR, (unit) => {
    const b = createBook(unit, { name, readerId: readerNo ? staffId(backend, readerNo) : null, readingDay: BOOK_DAY });
    movePoints(unit, points.map((p) => p.pointId), b.id);
    return b;
  });
}

/** `months` closed months before PERIOD, each read `monthly` more on the book day; then PERIOD opened. */
export async function history(backend: Backend, points: FixturePoint[], months: number, monthly: number): Promise<number> {
  let register = 0;
  for (let k = months; k >= 1; k--) {
    const period = addMonths(PERIOD, -k);
    await openPeriod(backend, SYSTEM_ACTOR, period);
    register += monthly;
    const date = scheduledReadingDate(period, BOOK_DAY);
    backend.write(SYSTEM_ACTOR, (unit) => {
      for (const p of points) {
        enterReading(unit, { staff: null }, { period, pointId: p.pointId, kind: 'actual', value: String(register), readingDate: date, reason: '', confirmedRollover: false, supersedes: null, source: 'keyboard' }, TODAY);
      }
      closePeriod(unit, period, 'zh-CN');
    });
  }
  await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
  return register;
}

export { addMeters, openPeriod, SYSTEM_ACTOR };
