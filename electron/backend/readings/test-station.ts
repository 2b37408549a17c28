// For reading tests: a station with a station head, two meter readers and a billing clerk, and
// a way to read a whole book for a period through the API as a reader would.
import type { InputOf } from '../../../shared/contract';
import type { Role } from '../../../shared/permissions';
import { SYSTEM_ACTOR } from '../audit/record';
import type { BackendOptions } from '../context';
import { sql } from '../db/sql';
import { insertStaff, prepareStaff } from '../staff/staff';
import { makeTestStation, type TestClient, type TestStation } from '../testing';
import { addMeters, type FixtureMeter, type FixturePoint } from './fixtures';

export interface ReadingStation {
  station: TestStation;
  head: TestClient;
  reader: TestClient;
  otherReader: TestClient;
  clerk: TestClient;
  staffId(staffNo: string): string;
}

const PASSWORD = 'reading123';

/** Staff made straight in the store with one shared hash (scrypt is slow on purpose), then logged in. */
async function staffWith(station: TestStation, members: { staffNo: string; name: string; roles: Role[] }[]): Promise<TestClient[]> {
  const prepared = await prepareStaff({ staffNo: 'X', name: 'X', roles: [], password: PASSWORD, mustChangePassword: false });
  station.backend.write(SYSTEM_ACTOR, (unit) => {
    for (const m of members) insertStaff(unit, { ...prepared, ...m, id: `staff-${m.staffNo}` });
  });
  return Promise.all(
    members.map(async (m) => {
      const client = station.client();
      await client.call('auth.login', { staffNo: m.staffNo, password: PASSWORD });
      return client;
    }),
  );
}

export async function makeReadingStation(options: Partial<BackendOptions> = {}): Promise<ReadingStation> {
  const station = makeTestStation(options);
  await station.setUp();
  const [head, reader, otherReader, clerk] = (await staffWith(station, [
    { staffNo: 'H001', name: '李所长', roles: ['station_head'] },
    { staffNo: 'M001', name: '王抄表', roles: ['meter_reader'] },
    { staffNo: 'M002', name: '赵抄表', roles: ['meter_reader'] },
    { staffNo: 'B001', name: '钱核算', roles: ['billing_clerk'] },
  ])) as [TestClient, TestClient, TestClient, TestClient];
  const staffId = (staffNo: string) => {
    const id = station.backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${staffNo}`);
    if (!id) throw new Error(`no staff ${staffNo}`);
    return id;
  };
  return { station, head, reader, otherReader, clerk, staffId };
}

/** Another staff member of the station, logged in. */
export async function moreStaff(rs: ReadingStation, staffNo: string, roles: Role[], name = staffNo): Promise<TestClient> {
  const [client] = await staffWith(rs.station, [{ staffNo, name, roles }]);
  return client as TestClient;
}

/** `count` households on 东村, meters D-0001…, 5 digits ×1 unless given. */
export function households(count: number, extra: Partial<FixtureMeter> = {}, prefix = 'D'): FixtureMeter[] {
  return Array.from({ length: count }, (_, i) => ({
    accountNo: `GD01${prefix}${String(i + 1).padStart(6, '0')}`,
    name: `住户${prefix}${i + 1}`,
    village: '东村',
    address: `${i + 1}号`,
    meterNo: `${prefix}-${String(i + 1).padStart(4, '0')}`,
    // Installed a month before the first period the tests read, so the first month is a month.
    installDate: '2026-07-25',
    ...extra,
  }));
}

/** A book with these meters in order, read by `readerNo` on `day`. */
export async function bookWith(rs: ReadingStation, points: FixturePoint[], readerNo: string | null, day = 25, name = '东村一本') {
  const { book } = await rs.head.call('books.create', { name, readerId: readerNo ? rs.staffId(readerNo) : null, readingDay: day });
  if (points.length) await rs.head.call('books.movePoints', { pointIds: points.map((p) => p.pointId), toBookId: book.id });
  return book;
}

export async function openPeriod(rs: ReadingStation, period: string) {
  const { jobId } = await rs.head.call('periods.open', { period });
  const state = await rs.station.backend.jobs.finished(jobId);
  if (state.status !== 'succeeded') throw new Error(`periods.open ${period} failed: ${state.error?.message}`);
  return state.result as { period: string; books: number; due: number };
}

type Save = InputOf<'readings.save'>;

/** Enters `values` (as typed) for the points in order, on `date`; returns the outcomes. */
export async function readAll(client: TestClient, period: string, points: FixturePoint[], values: string[], date: string, extra: Partial<Save> = {}) {
  const outcomes = [];
  for (const [i, p] of points.entries()) {
    outcomes.push(await client.call('readings.save', { period, pointId: p.pointId, value: values[i] ?? values[0], readingDate: date, ...extra }));
  }
  return outcomes;
}

/**
 * Gives the points `months` of history before `period`: each month opened, read (start + n ×
 * `monthly` for each point) on the book day and closed. Returns the register after the last month.
 */
export async function history(rs: ReadingStation, points: FixturePoint[], firstPeriod: string, months: number, monthly: number, day = 25) {
  let register = 0;
  let period = firstPeriod;
  for (let m = 0; m < months; m++) {
    await openPeriod(rs, period);
    register += monthly;
    await readAll(rs.head, period, points, [String(register)], `${period}-${String(day).padStart(2, '0')}`);
    await rs.head.call('periods.close', { period });
    const [y, mm] = period.split('-').map(Number) as [number, number];
    period = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
  }
  return register;
}
