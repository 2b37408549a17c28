import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../audit/record';
import { sql } from '../db/sql';
import { announceWaiting } from '../db/waiting';
import { billingStatus } from '../billing/queries';
import { bookCompletion } from '../appraisal/kpis';
import { insertDueForBooks } from './due';
import { addMeters } from './fixtures';
import { discardStoppedOpens, listPeriods, openPeriod, StoppedForTest } from './periods';
import { bookWith, history, households, makeReadingStation, readAll, type ReadingStation } from './test-station';

// Opening a period in slices (issue 18): each slice writes a few books' due rows; the last
// transaction inserts the period, and only then does any reader see its due list.

let rs: ReadingStation;
afterEach(() => rs?.station.close());

const DUE = sql`SELECT period, point_id, book_id, seq, meter_id, previous_reading, previous_registers, previous_date, previous_meter_id, previous_multiplier`;

/** The due list the one-transaction open writes, computed in a transaction that is rolled back. */
function oneTransactionDue(rs: ReadingStation, period: string): unknown[] {
  let rows: unknown[] = [];
  try {
    rs.station.backend.store.write((tx) => {
      tx.run(sql`DELETE FROM reading_due_staged`);
      insertDueForBooks(tx, period, 'reading_due_staged');
      rows = tx.all(sql`${DUE} FROM reading_due_staged ORDER BY point_id`);
      throw new Error('roll back');
    });
  } catch {
    /* rolled back on purpose */
  }
  return rows;
}

async function threeBooks(rs: ReadingStation) {
  const points = addMeters(rs.station.backend, households(9));
  const east = await bookWith(rs, points.slice(0, 3), 'M001', 25, '东村一本');
  await bookWith(rs, points.slice(3, 6), 'M002', 25, '东村二本');
  await bookWith(rs, points.slice(6), 'M001', 25, '东村三本');
  return { points, east };
}

/** What the readers show of a period: the periods list, the billing desk's due count, the appraisal's books. */
const visible = (rs: ReadingStation, period: string) => ({
  periods: listPeriods(rs.station.backend.store.read).filter((p) => p.period === period).length,
  due: billingStatus(rs.station.backend.store.read, period).totals.due + bookCompletion(rs.station.backend.store.read, period, `${period}-28`).length,
});
const written = (rs: ReadingStation, period: string) => rs.station.backend.store.read.value<number>(sql`SELECT count(*) FROM reading_due WHERE period = ${period}`);

describe('opening a period in slices (开抄表期, issue 18)', () => {
  it('writes one book per slice and ends with the due list of the one-transaction open, history and no-access included', async () => {
    rs = await makeReadingStation();
    const { points } = await threeBooks(rs);
    await history(rs, points, '2026-08', 1, 100);
    const slices: number[] = [];
    await openPeriod(rs.station.backend, SYSTEM_ACTOR, '2026-09', undefined, { pointsPerSlice: 1, onSlice: (ms) => void slices.push(ms) });
    await readAll(rs.reader, '2026-09', points.slice(0, 3), ['200', '210', '220'], '2026-09-25');
    await rs.otherReader.call('readings.save', { period: '2026-09', pointId: points[3]!.pointId, kind: 'no_access', readingDate: '2026-09-25', reason: '门锁无人' });
    await readAll(rs.otherReader, '2026-09', points.slice(4, 6), ['150', '160'], '2026-09-25');
    await readAll(rs.reader, '2026-09', points.slice(6), ['300', '310', '320'], '2026-09-25');
    await rs.head.call('periods.close', { period: '2026-09' });

    const expected = oneTransactionDue(rs, '2026-10');
    slices.length = 0;
    const result = await openPeriod(rs.station.backend, SYSTEM_ACTOR, '2026-10', undefined, { pointsPerSlice: 1, onSlice: (ms) => void slices.push(ms) });
    expect(result).toMatchObject({ period: '2026-10', books: 3, due: 9, slices: 5 }); // the period row, three books, the opening
    expect(slices).toHaveLength(4); // three books, then the transaction that opens the period (a few rows)
    expect(rs.station.backend.store.read.all(sql`${DUE} FROM reading_due WHERE period = '2026-10' ORDER BY point_id`)).toEqual(expected);
    expect(expected).toHaveLength(9);
    // Nothing is left listed as opening, and the open is audited once.
    expect(rs.station.backend.store.read.value(sql`SELECT count(*) FROM period_opens_open`)).toBe(0);
    expect(rs.station.backend.store.read.value(sql`SELECT count(*) FROM audit_log WHERE action = 'period.open' AND entity_id = '2026-10'`)).toBe(1);
  });

  it('a slice commits after its next two books while another writer waits; the books it did not reach go to the next', async () => {
    rs = await makeReadingStation();
    const { points } = await threeBooks(rs);
    await history(rs, points, '2026-08', 1, 100);
    const expected = oneTransactionDue(rs, '2026-09');
    // A pace no slice reaches (10 s): the three books (9 points) would go in one slice; a writer
    // announced from elsewhere ends it after two, and is gone before the next.
    const pace = { targetMs: 10_000, gapMs: 0, checkpoint: true, lazySync: true };
    const withdraw = announceWaiting(rs.station.backend.store.file);
    const booksDone: number[] = [];
    const result = await openPeriod(rs.station.backend, SYSTEM_ACTOR, '2026-09', undefined, {
      pace,
      onSlice: () => {
        withdraw();
        booksDone.push(rs.station.backend.store.read.value<number>(sql`SELECT books_done FROM period_opens_open`) ?? -1);
      },
    });
    expect(booksDone).toEqual([2, 3, -1]); // two books, the third, then the opening (the listing is gone)
    expect(result).toMatchObject({ period: '2026-09', books: 3, due: 9 });
    expect(rs.station.backend.store.read.all(sql`${DUE} FROM reading_due WHERE period = '2026-09' ORDER BY point_id`)).toEqual(expected);
  });

  it('takes other writes between slices, and a point moved into an already staged book is in the due list', async () => {
    rs = await makeReadingStation();
    const { points, east } = await threeBooks(rs);
    const late = addMeters(rs.station.backend, households(1, {}, 'N'))[0]!;
    let moved = false;
    await openPeriod(rs.station.backend, SYSTEM_ACTOR, '2026-11', undefined, {
      pointsPerSlice: 1,
      onSlice: async () => {
        if (moved) return;
        moved = true;
        // Between the first and the second slice: one book's rows are written, but no reader sees them; other writes go through.
        expect(written(rs, '2026-11')).toBe(3);
        expect(visible(rs, '2026-11')).toEqual({ periods: 0, due: 0 });
        await rs.head.call('books.movePoints', { pointIds: [late.pointId, points[8]!.pointId], toBookId: east.id });
      },
    });
    const due = rs.station.backend.store.read.all<{ point_id: string; book_id: string }>(sql`SELECT point_id, book_id FROM reading_due WHERE period = '2026-11'`);
    expect(due).toHaveLength(10);
    expect(due.find((d) => d.point_id === late.pointId)?.book_id).toBe(east.id);
    expect(due.find((d) => d.point_id === points[8]!.pointId)?.book_id).toBe(east.id);
    expect(due.filter((d) => d.book_id === east.id)).toHaveLength(5);
  });

  it('a stopped open shows nothing, blocks a second open while it is fresh, and is discarded: at start, or by the next try', async () => {
    rs = await makeReadingStation();
    await threeBooks(rs);
    const backend = rs.station.backend;
    await expect(openPeriod(backend, SYSTEM_ACTOR, '2026-11', undefined, { pointsPerSlice: 1, stopAfterSlices: 2 })).rejects.toBeInstanceOf(StoppedForTest);
    expect(visible(rs, '2026-11')).toEqual({ periods: 0, due: 0 });
    expect(written(rs, '2026-11')).toBe(6);
    expect((await rs.head.fail('periods.open', { period: '2026-11' })).message).toBe('2026-11 期正在开启（另一个窗口或命令行正在写入抄表任务），请等它完成后再看');
    expect(discardStoppedOpens(backend)).toBe(0); // still fresh: could be another process's

    // A minute later it counts as stopped: the start throws its staged rows away.
    const clock = backend as { now: () => number };
    const realNow = backend.now;
    clock.now = () => realNow() + 61_000;
    try {
      expect(discardStoppedOpens(backend)).toBe(1);
      expect(written(rs, '2026-11')).toBe(0);
      expect(backend.store.read.value(sql`SELECT count(*) FROM period_opens_open`)).toBe(0);
      expect(backend.store.read.value(sql`SELECT count(*) FROM reading_periods WHERE period = '2026-11'`)).toBe(0);
      // Stopped again; the next try discards and opens the whole period.
      await expect(openPeriod(backend, SYSTEM_ACTOR, '2026-11', undefined, { pointsPerSlice: 1, stopAfterSlices: 1 })).rejects.toBeInstanceOf(StoppedForTest);
      clock.now = () => realNow() + 122_000;
      expect(await openPeriod(backend, SYSTEM_ACTOR, '2026-11', undefined, { pointsPerSlice: 1 })).toMatchObject({ period: '2026-11', books: 3, due: 9 });
      expect(oneTransactionDue(rs, '2026-11')).toEqual(backend.store.read.all(sql`${DUE} FROM reading_due WHERE period = '2026-11' ORDER BY point_id`));
      expect(visible(rs, '2026-11')).toEqual({ periods: 1, due: 9 + 3 });
    } finally {
      clock.now = realNow;
    }
  });
});
