import { afterEach, describe, expect, it } from 'vitest';
import { parseCenti } from '../../../shared/money';
import { sql } from '../db/sql';
import { addMeters, replaceMeter } from './fixtures';
import { bookWith, history, households, makeReadingStation, moreStaff, openPeriod, readAll, type ReadingStation } from './test-station';

let rs: ReadingStation;
afterEach(() => rs?.station.close());
const kwh = (text: string) => parseCenti(text);

// The test clock stands at 2026-11-26 10:00 (Shanghai); the books are read on the 25th.
describe('entering readings (录入读数)', () => {
  it('saves a clean reading with its audit and outbox rows, and refuses to edit or delete it', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(2));
    const book = await bookWith(rs, points, 'M001');
    await openPeriod(rs, '2026-11');
    const outcome = await rs.reader.call('readings.save', { period: '2026-11', pointId: points[0]!.pointId, value: '123.45', readingDate: '2026-11-25' });
    expect(outcome).toMatchObject({ outcome: 'saved', reading: { value: 12345, previousValue: 0, consumption: 12345, flags: [], status: 'clean' } });
    const db = rs.station.backend.store.read;
    expect(db.value(sql`SELECT summary FROM audit_log WHERE action = 'reading.enter'`)).toContain('"account":"GD01D000001"');
    expect(db.value(sql`SELECT count(*) FROM outbox WHERE entity = 'reading'`)).toBe(1);
    expect(() => rs.station.backend.store.write((tx) => tx.run(sql`UPDATE readings SET value = 1`))).toThrow(/facts/);
    const grid = await rs.reader.call('readings.book', { period: '2026-11', bookId: book.id });
    expect(grid.rows.map((r) => [r.accountNo, r.status])).toEqual([['GD01D000001', 'clean'], ['GD01D000002', 'not_entered']]);
    expect(grid.canEnter).toBe(true);
  });

  it('starts each period from the previous reading in force (起码) and flags a 10× spike against history', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(1));
    await bookWith(rs, points, 'M001');
    const last = await history(rs, points, '2026-08', 3, 100); // 100 kWh a month
    await openPeriod(rs, '2026-11');
    const due = rs.station.backend.store.read.get<{ previous_reading: number; previous_date: string }>(sql`
      SELECT previous_reading, previous_date FROM reading_due WHERE period = '2026-11'`);
    expect(due).toEqual({ previous_reading: kwh(String(last)), previous_date: '2026-10-25' });
    const [spike] = await readAll(rs.reader, '2026-11', points, [String(last + 1000)], '2026-11-25');
    expect(spike).toMatchObject({ outcome: 'saved', reading: { consumption: kwh('1000'), needsReview: true, status: 'awaiting_review' } });
    if (spike?.outcome === 'saved') expect(spike.reading.flags.map((f) => f.code)).toEqual(['high']);
  });

  it('offers a drop near 99999 on a 5-digit meter as a rollover, and refuses the same drop far from it', async () => {
    rs = await makeReadingStation();
    const [near, far] = addMeters(rs.station.backend, [
      { accountNo: 'GD01N1', name: '满码户', meterNo: 'N-0001', startReading: '99950' },
      { accountNo: 'GD01F1', name: '普通户', meterNo: 'F-0001', startReading: '50000' },
    ]);
    await bookWith(rs, [near!, far!], 'M001');
    await openPeriod(rs, '2026-11');
    const offered = await rs.reader.call('readings.save', { period: '2026-11', pointId: near!.pointId, value: '120', readingDate: '2026-11-25' });
    expect(offered).toMatchObject({ outcome: 'confirm', consumption: kwh('170'), wraps: [{ span: 'meter', digits: 5, advance: kwh('170') }] });
    expect(rs.station.backend.store.read.value(sql`SELECT count(*) FROM readings`)).toBe(0);
    const confirmed = await rs.reader.call('readings.save', { period: '2026-11', pointId: near!.pointId, value: '120', readingDate: '2026-11-25', confirmedRollover: true });
    expect(confirmed).toMatchObject({ outcome: 'saved', reading: { consumption: kwh('170'), rollover: true, status: 'awaiting_review' } });
    const refused = await rs.reader.call('readings.save', { period: '2026-11', pointId: far!.pointId, value: '40000', readingDate: '2026-11-25', confirmedRollover: true });
    expect(refused).toMatchObject({ outcome: 'refused', errors: [{ code: 'negative', params: { previous: kwh('50000'), current: kwh('40000') } }] });
  });

  it('lets a meter reader enter only in the books assigned to them', async () => {
    rs = await makeReadingStation();
    const [mine, theirs] = addMeters(rs.station.backend, households(2));
    await bookWith(rs, [mine!], 'M001', 25, '东村一本');
    const other = await bookWith(rs, [theirs!], 'M002', 25, '东村二本');
    await openPeriod(rs, '2026-11');
    const refused = await rs.reader.fail('readings.save', { period: '2026-11', pointId: theirs!.pointId, value: '10', readingDate: '2026-11-25' });
    expect(refused.code).toBe('forbidden');
    expect(refused.message).toContain(`抄表本 ${other.bookNo} 不是分配给您的`);
    expect((await rs.reader.call('readings.book', { period: '2026-11', bookId: other.id })).canEnter).toBe(false);
    expect((await rs.reader.call('books.list', { mine: true })).rows.map((b) => b.name)).toEqual(['东村一本']);
    // A counter clerk may look but not enter; the station head may enter in any book.
    const counter = await moreStaff(rs, 'C001', ['clerk']);
    expect((await counter.fail('readings.save', { period: '2026-11', pointId: mine!.pointId, value: '10', readingDate: '2026-11-25' })).code).toBe('forbidden');
    expect((await rs.head.call('readings.save', { period: '2026-11', pointId: theirs!.pointId, value: '10', readingDate: '2026-11-25' })).outcome).toBe('saved');
  });

  it('never overwrites: a second entry is refused, a correction supersedes with a reason and counts as an error', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(1));
    await bookWith(rs, points, 'M001');
    await openPeriod(rs, '2026-11');
    const first = await rs.reader.call('readings.save', { period: '2026-11', pointId: points[0]!.pointId, value: '150', readingDate: '2026-11-25' });
    if (first.outcome !== 'saved') throw new Error('not saved');
    const again = await rs.reader.fail('readings.save', { period: '2026-11', pointId: points[0]!.pointId, value: '105', readingDate: '2026-11-25' });
    expect(again.code).toBe('conflict');
    expect(again.message).toContain('请录入更正并注明原因');
    const noReason = await rs.reader.fail('readings.save', { period: '2026-11', pointId: points[0]!.pointId, value: '105', readingDate: '2026-11-25', supersedes: first.reading.id });
    expect(noReason.message).toBe('更正读数须填写原因');
    const fixed = await rs.reader.call('readings.save', {
      period: '2026-11', pointId: points[0]!.pointId, value: '105', readingDate: '2026-11-25', supersedes: first.reading.id, reason: '抄错位',
    });
    expect(fixed).toMatchObject({ outcome: 'saved', reading: { consumption: kwh('105'), supersedes: first.reading.id, reason: '抄错位' } });
    const stale = await rs.reader.fail('readings.save', { period: '2026-11', pointId: points[0]!.pointId, value: '106', readingDate: '2026-11-25', supersedes: first.reading.id, reason: 'x' });
    expect(stale.code).toBe('conflict');
    const db = rs.station.backend.store.read;
    expect(db.column(sql`SELECT value FROM current_readings`)).toEqual([10500]);
    expect(db.column(sql`SELECT action FROM audit_log WHERE entity = 'reading' ORDER BY id`)).toEqual(['reading.enter', 'reading.correct']);
    const overview = await rs.head.call('readings.overview', { period: '2026-11' });
    expect(overview.readers).toEqual([expect.objectContaining({ staffNo: 'M001', entered: 2, corrected: 1 })]);
    const historyRows = await rs.head.call('readings.history', { pointId: points[0]!.pointId });
    expect(historyRows.rows.map((r) => [r.value, r.superseded])).toEqual([[10500, false], [15000, true]]);
  });

  it('takes estimates (估抄) and no-access marks (未抄到) only with a reason; no access is not billed', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(2));
    await bookWith(rs, points, 'M001');
    await openPeriod(rs, '2026-11');
    const [a, b] = points;
    expect((await rs.reader.fail('readings.save', { period: '2026-11', pointId: a!.pointId, kind: 'estimated', value: '90', readingDate: '2026-11-25' })).message).toBe('估抄须填写原因');
    expect((await rs.reader.fail('readings.save', { period: '2026-11', pointId: b!.pointId, kind: 'no_access', readingDate: '2026-11-25' })).message).toBe('未抄到须填写原因');
    const missing = await rs.reader.fail('readings.save', { period: '2026-11', pointId: a!.pointId, readingDate: '2026-11-25' });
    expect(missing.issues?.[0]).toEqual({ path: 'value', message: '请填写止码' });
    await rs.reader.call('readings.save', { period: '2026-11', pointId: a!.pointId, kind: 'estimated', value: '90', readingDate: '2026-11-25', reason: '表箱锁' });
    await rs.reader.call('readings.save', { period: '2026-11', pointId: b!.pointId, kind: 'no_access', readingDate: '2026-11-25', reason: '门锁无人' });
    const db = rs.station.backend.store.read;
    expect(db.all(sql`SELECT kind, value, consumption, reason FROM readings ORDER BY kind`)).toEqual([
      { kind: 'estimated', value: 9000, consumption: 9000, reason: '表箱锁' },
      { kind: 'no_access', value: null, consumption: null, reason: '门锁无人' },
    ]);
    expect(db.column(sql`SELECT kind FROM billable_readings`)).toEqual(['estimated']);
    // Next period starts from the estimate, skipping nothing; the no-access meter still from its start.
    await rs.head.call('periods.close', { period: '2026-11' });
    await openPeriod(rs, '2026-12');
    expect(db.column(sql`SELECT previous_reading FROM reading_due WHERE period = '2026-12' ORDER BY seq`)).toEqual([9000, 0]);
  });

  it('reads time-of-use registers and flags registers that do not add up to the total', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(1, { touStart: { peak: '300', flat: '400', valley: '300' }, startReading: '1000' }));
    const book = await bookWith(rs, points, 'M001');
    await openPeriod(rs, '2026-11');
    const grid = await rs.reader.call('readings.book', { period: '2026-11', bookId: book.id });
    expect(grid.rows[0]).toMatchObject({ tou: true, registerNames: ['peak', 'flat', 'valley'], previousRegisters: { peak: 30000, flat: 40000, valley: 30000 } });
    const base = { period: '2026-11', pointId: points[0]!.pointId, value: '1200', readingDate: '2026-11-25' };
    expect((await rs.reader.fail('readings.save', { ...base, registers: { peak: '380', flat: '470' } })).message).toBe('分时表须填写谷段读数');
    const saved = await rs.reader.call('readings.save', { ...base, registers: { peak: '380', flat: '470', valley: '355' } });
    expect(saved).toMatchObject({ outcome: 'saved', reading: { consumption: kwh('200'), touConsumption: { peak: kwh('80'), flat: kwh('70'), valley: kwh('55') } } });
    if (saved.outcome === 'saved') expect(saved.reading.flags.map((f) => f.code)).toEqual(['tou_sum_mismatch']);
  });

  it('counts both meters after a replacement (换表): the old meter\'s final reading and the new one from its start', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(1));
    const book = await bookWith(rs, points, 'M001');
    const last = await history(rs, points, '2026-10', 1, 4500); // read 4500 on 2026-10-25
    replaceMeter(rs.station.backend, { pointId: points[0]!.pointId, date: '2026-11-10', oldFinal: String(last + 120), newMeterNo: 'D-NEW-1', multiplier: 20, digits: 6 });
    await openPeriod(rs, '2026-11');
    const grid = await rs.reader.call('readings.book', { period: '2026-11', bookId: book.id });
    expect(grid.rows[0]).toMatchObject({ meterNo: 'D-NEW-1', multiplier: 20, replacement: { oldMeterNo: 'D-0001', oldFinal: kwh('4620'), oldMultiplier: 1, newStart: 0 } });
    const saved = await rs.reader.call('readings.save', { period: '2026-11', pointId: points[0]!.pointId, value: '85.5', readingDate: '2026-11-25' });
    // (4620 − 4500) × 1 + (85.5 − 0) × 20 = 1830 kWh
    expect(saved).toMatchObject({ outcome: 'saved', reading: { consumption: kwh('1830'), meterNo: 'D-NEW-1', previousValue: kwh('4500') } });
    if (saved.outcome === 'saved') expect(saved.reading.replacedMeterId).not.toBeNull();
  });

  it('refuses readings dated after today, for meters not due, and values that are not numbers', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(2));
    await bookWith(rs, [points[0]!], 'M001');
    await openPeriod(rs, '2026-11');
    expect((await rs.reader.fail('readings.save', { period: '2026-11', pointId: points[0]!.pointId, value: '10', readingDate: '2026-11-27' })).message).toBe('抄表日期 2026-11-27 晚于今天');
    expect((await rs.reader.fail('readings.save', { period: '2026-11', pointId: points[1]!.pointId, value: '10', readingDate: '2026-11-25' })).code).toBe('not_found');
    expect((await rs.reader.fail('readings.save', { period: '2026-11', pointId: points[0]!.pointId, value: '1x', readingDate: '2026-11-25' })).issues).toEqual([
      { path: 'value', message: '读数应为数字，最多 2 位小数' },
    ]);
  });

  it('uses head office\'s reading policy in force instead of the defaults', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(1));
    await bookWith(rs, points, 'M001');
    const last = await history(rs, points, '2026-08', 3, 100);
    await openPeriod(rs, '2026-11');
    // ×2 of history: clean under the default ×3, high under head office's ×1.5 from November.
    rs.station.backend.store.write((tx) =>
      tx.run(sql`INSERT INTO reading_policies (effective_from, definition, imported_at) VALUES ('2026-11-01', '{"highPercent":150}', 1)`),
    );
    const [outcome] = await readAll(rs.reader, '2026-11', points, [String(last + 200)], '2026-11-25');
    expect(outcome?.outcome === 'saved' && outcome.reading.flags).toMatchObject([{ code: 'high', params: { thresholdPercent: 150 } }]);
  });

  it('starts from a reading older than the months it checks against when the meter was not reached since', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(1, { installDate: '2025-11-20' }));
    await bookWith(rs, points, 'M001');
    const last = await history(rs, points, '2025-12', 1, 300); // read 300 on 2025-12-25
    // Then locked out for ten months (more than the checked history).
    for (const period of ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10']) {
      await openPeriod(rs, period);
      await rs.head.call('readings.save', { period, pointId: points[0]!.pointId, kind: 'no_access', readingDate: `${period}-25`, reason: '常年外出' });
      await rs.head.call('periods.close', { period });
    }
    await openPeriod(rs, '2026-11');
    const [saved] = await readAll(rs.reader, '2026-11', points, [String(last + 3300)], '2026-11-25');
    expect(saved).toMatchObject({ outcome: 'saved', reading: { previousValue: kwh(String(last)), previousDate: '2025-12-25', consumption: kwh('3300') } });
  });
});
