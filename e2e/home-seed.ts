// Seeds a meter reader with a book read today (so due this week) in an open period, on top of
// e2e/collection-seed.ts's clerks, head and customers: for the home page's reader card.
// Usage: node --import tsx e2e/home-seed.ts DB  → prints JSON { period, bookNo }
import { enterReading } from '../electron/backend/readings/entry';
import { addMeters, addStaff, book, households, openPeriod, PERIOD, SYSTEM_ACTOR, TODAY, withStation } from './readings-seed';

const db = process.argv[2];
if (!db) throw new Error('usage: home-seed.ts DB');
const out = await withStation(db, async (backend) => {
  await addStaff(backend, [{ staffNo: 'R001', name: '孙抄表', roles: ['meter_reader'], password: 'reader1234' }]);
  const points = addMeters(backend, households(3, 'H'));
  const b = book(backend, points, 'R001', '东村一本');
  // The month opened (the collection seed's book B01 is opened with it).
  await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
  const register = 0;
  // One of the three read already this period.
  const first = points[0];
  if (!first) throw new Error('no meter');
  backend.write(SYSTEM_ACTOR, (unit) =>
    enterReading(unit, { staff: null }, { period: PERIOD, pointId: first.pointId, kind: 'actual', value: String(register + 120), readingDate: TODAY, reason: '', confirmedRollover: false, supersedes: null, source: 'keyboard' }, TODAY),
  );
  return { period: PERIOD, bookNo: b.bookNo, bookName: '东村一本' };
});
process.stdout.write(JSON.stringify(out));
