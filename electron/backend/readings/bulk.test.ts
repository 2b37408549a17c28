import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR, type Unit } from '../audit/record';
import { sql } from '../db/sql';
import { commitEntries, commitEntry, loadEntryContexts, loadEntryContextsAlongside, planEntry, type EntryPlan } from './entry';
import { addMeters } from './fixtures';
import { policyInForce } from './policy';
import { bookWith, history, households, makeReadingStation, openPeriod, readAll, type ReadingStation } from './test-station';

// A big handheld import reads its meters' history on a second thread (loadEntryContextsAlongside)
// and writes its readings in a few multi-row statements (commitEntries): the checks must see
// exactly what one thread reading everything sees, a thread that cannot read costs nothing but
// time, and the rows written are those of entering the readings one by one.

let rs: ReadingStation;
afterEach(() => rs?.station.close());

/** Five households with six months read; this month one read and corrected, one read once. */
async function stationWithHistory(beforeNovember?: (bookId: string) => Promise<void>) {
  rs = await makeReadingStation();
  const fixtures = addMeters(rs.station.backend, households(5, { installDate: '2026-04-25' }));
  const book = await bookWith(rs, fixtures, 'M001');
  await history(rs, fixtures, '2026-05', 6, 100);
  await beforeNovember?.(book.id);
  await openPeriod(rs, '2026-11');
  const [first] = await readAll(rs.reader, '2026-11', fixtures.slice(0, 2), ['700'], '2026-11-25');
  if (first?.outcome !== 'saved') throw new Error('fixture reading');
  const fixed = await rs.reader.call('readings.save', {
    period: '2026-11', pointId: fixtures[0]!.pointId, value: '705', readingDate: '2026-11-25', supersedes: first.reading.id, reason: '抄错位',
  });
  if (fixed.outcome !== 'saved') throw new Error('fixture correction');
  const db = rs.station.backend.store.read;
  return { db, ids: fixtures.map((p) => p.pointId), policy: policyInForce(db, '2026-11-26'), corrected: first.reading.id, fixedId: fixed.reading.id };
}

describe('an import\'s meters read on two threads', () => {
  it('gives the checks the same due rows, meters and history as one thread', async () => {
    const { db, ids, policy, corrected, fixedId } = await stationWithHistory();
    const one = loadEntryContexts(db, '2026-11', ids, policy);
    // Sanity: the history is there, newest first, the corrected reading replaced by its correction.
    const first = one.get(ids[0]!);
    expect(first?.history.map((h) => h.period)).toEqual(['2026-11', '2026-10', '2026-09', '2026-08', '2026-07', '2026-06', '2026-05']);
    expect(first?.history[0]?.id).toBe(fixedId);
    expect([...one.values()].flatMap((c) => c.history).some((h) => h.id === corrected)).toBe(false);
    expect(one.get(ids[4]!)?.history).toHaveLength(6);

    // Two points a query: three chunks, the first read here, the other two on the other thread.
    const report = { twoThreads: false };
    const two = await loadEntryContextsAlongside(db, { file: rs.station.backend.store.file }, '2026-11', ids, policy, { parallelFrom: 1, pointsPerQuery: 2, report });
    expect(report.twoThreads).toBe(true);
    expect(two).toEqual(one);
    expect([...two.keys()]).toEqual([...one.keys()]);
  });

  it('reads everything itself when the other thread cannot, and below the threshold', async () => {
    const { db, ids, policy } = await stationWithHistory();
    const one = loadEntryContexts(db, '2026-11', ids, policy);
    const failed = { twoThreads: true };
    const warn = console.warn;
    console.warn = () => undefined;
    try {
      expect(await loadEntryContextsAlongside(db, { file: ':memory:' }, '2026-11', ids, policy, { parallelFrom: 1, pointsPerQuery: 2, report: failed })).toEqual(one);
    } finally {
      console.warn = warn;
    }
    expect(failed.twoThreads).toBe(false);
    const small = { twoThreads: true };
    expect(await loadEntryContextsAlongside(db, { file: rs.station.backend.store.file }, '2026-11', ids, policy, { report: small })).toEqual(one);
    expect(small.twoThreads).toBe(false);
  });
});

describe('an import\'s commit', () => {
  it('writes the same reading and outbox rows in a few statements as one at a time', async () => {
    // A time-of-use meter besides the households (no history: a new meter's first month).
    let tou = '';
    const { db, ids, policy } = await stationWithHistory(async (bookId) => {
      const [point] = addMeters(rs.station.backend, households(1, { touStart: { peak: '300', flat: '400', valley: '300' }, startReading: '1000', installDate: '2026-10-25' }, 'T'));
      tou = point!.pointId;
      await rs.head.call('books.movePoints', { pointIds: [tou], toBookId: bookId });
    });
    const backend = rs.station.backend;
    const contexts = loadEntryContexts(db, '2026-11', [...ids, tou], policy);
    const plan = (pointId: string, value: string, registers = {}): EntryPlan => {
      const prepared = planEntry(contexts.get(pointId)!, policy, { staff: null }, {
        period: '2026-11', pointId, kind: 'actual', value, registers, readingDate: '2026-11-25', reason: '', confirmedRollover: false, supersedes: null, source: 'import', readBy: null,
      }, '2026-11-26');
      if (prepared.outcome !== 'saved') throw new Error(prepared.outcome);
      return prepared.plan;
    };
    const plans = [plan(ids[2]!, '700'), plan(ids[3]!, '5000'), plan(ids[4]!, '700'), plan(tou, '1200', { peak: '380', flat: '470', valley: '350' })];
    expect(plans[1]?.flags.map((f) => f.code)).toContain('high');
    expect(plans[3]?.touConsumption).not.toBeNull();

    // Each way in a transaction that is then rolled back: the same clock, the same outbox numbers.
    const written = (write: (unit: Unit) => void) => {
      let rows: unknown[] = [];
      expect(() =>
        backend.write(SYSTEM_ACTOR, (unit) => {
          write(unit);
          rows = [
            unit.all(sql`SELECT * FROM readings WHERE id IN ${sql.list(plans.map((p) => p.id))} ORDER BY id`),
            unit.all(sql`SELECT * FROM outbox WHERE entity = 'reading' AND seq > (SELECT coalesce(max(seq), 0) - ${plans.length} FROM outbox) ORDER BY seq`),
          ];
          throw new Error('roll back');
        }),
      ).toThrow('roll back');
      return rows;
    };
    const oneByOne = written((unit) => plans.forEach((p) => commitEntry(unit, p, true)));
    const together = written((unit) => commitEntries(unit, plans));
    expect((oneByOne[0] as unknown[]).length).toBe(4);
    expect((oneByOne[1] as unknown[]).length).toBe(4);
    expect(together).toEqual(oneByOne);
  });
});
