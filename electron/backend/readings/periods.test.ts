import { afterEach, describe, expect, it } from 'vitest';
import { parseCenti } from '../../../shared/money';
import { SYSTEM_ACTOR } from '../audit/record';
import { sql } from '../db/sql';
import { addMeters } from './fixtures';
import { cannotClose, checkBookForClose, closeCheckedPeriod, getPeriod } from './periods';
import { bookWith, history, households, makeReadingStation, openPeriod, readAll, type ReadingStation } from './test-station';

let rs: ReadingStation;
afterEach(() => rs?.station.close());
const kwh = (text: string) => parseCenti(text);

describe('reading periods (抄表期)', () => {
  it('opens a period for every active book, in order, after the previous one closed', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(5));
    await bookWith(rs, points.slice(0, 3), 'M001', 25, '东村一本');
    await bookWith(rs, points.slice(3), 'M002', 10, '东村二本');
    expect(await openPeriod(rs, '2026-10')).toMatchObject({ period: '2026-10', books: 2, due: 5 });
    expect((await rs.head.fail('periods.open', { period: '2026-10' })).code).toBe('conflict');
    expect((await rs.head.fail('periods.open', { period: '2026-11' })).message).toBe('2026-10 期尚未关账，不能开启下一期');
    expect((await rs.head.fail('periods.open', { period: '2026-09' })).message).toBe('只能开启 2026-10 之后的期间');
    expect((await rs.reader.fail('periods.open', { period: '2026-12' })).code).toBe('forbidden');
    const [period] = (await rs.reader.call('periods.list', {})).rows;
    expect(period).toMatchObject({ period: '2026-10', status: 'open', due: 5, entered: 0, awaitingReview: 0, openedByName: '李所长' });
    expect(rs.station.backend.store.read.value(sql`SELECT summary FROM audit_log WHERE action = 'period.open'`)).toBe('{"period":"2026-10","books":2,"due":5}');
  });

  it('opens from what holds when the write happens, even if a book changed after the job started', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(3));
    const east = await bookWith(rs, points.slice(0, 2), 'M001', 25, '东村一本');
    await bookWith(rs, [points[2]!], 'M002', 25, '东村二本');
    let moved = false;
    const { openPeriod: open } = await import('./periods');
    const result = await open(rs.station.backend, SYSTEM_ACTOR, '2026-11', {
      // Once the job has started, the second book's meter moves into the first.
      tick: async () => {
        if (moved) return;
        moved = true;
        await rs.head.call('books.movePoints', { pointIds: [points[2]!.pointId], toBookId: east.id });
      },
    });
    expect(result).toMatchObject({ period: '2026-11', books: 1, due: 3 });
    expect(rs.station.backend.store.read.value(sql`SELECT book_id FROM reading_due WHERE point_id = ${points[2]!.pointId}`)).toBe(east.id);
  });

  it('starts each meter from its reading in force: last month, its correction, the month before a no-access, or the start reading', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(4));
    const [read, corrected, missed, added] = points as [typeof points[0], typeof points[0], typeof points[0], typeof points[0]];
    const fresh = addMeters(rs.station.backend, households(1, { startReading: '7.5' }, 'N'))[0]!;
    const book = await bookWith(rs, [read, corrected, missed], 'M001');
    await history(rs, [read, corrected, missed], '2026-08', 1, 100);
    await openPeriod(rs, '2026-09');
    const [, wrong] = await readAll(rs.reader, '2026-09', [read, corrected], ['200', '200'], '2026-09-25');
    if (wrong?.outcome !== 'saved') throw new Error('not saved');
    await readAll(rs.reader, '2026-09', [corrected], ['210'], '2026-09-25', { supersedes: wrong.reading.id, reason: '看错一位' });
    await rs.reader.call('readings.save', { period: '2026-09', pointId: missed.pointId, kind: 'no_access', readingDate: '2026-09-25', reason: '门锁无人' });
    await rs.head.call('periods.close', { period: '2026-09' });
    await rs.head.call('books.movePoints', { pointIds: [added.pointId, fresh.pointId], toBookId: book.id });

    expect(await openPeriod(rs, '2026-10')).toMatchObject({ period: '2026-10', books: 1, due: 5 });
    const due = rs.station.backend.store.read.all<{ point_id: string; previous_reading: number; previous_date: string }>(
      sql`SELECT point_id, previous_reading, previous_date FROM reading_due WHERE period = '2026-10'`,
    );
    const from = (p: { pointId: string }) => due.find((d) => d.point_id === p.pointId);
    expect(from(read)).toMatchObject({ previous_reading: kwh('200'), previous_date: '2026-09-25' });
    expect(from(corrected)).toMatchObject({ previous_reading: kwh('210'), previous_date: '2026-09-25' });
    expect(from(missed)).toMatchObject({ previous_reading: kwh('100'), previous_date: '2026-08-25' });
    expect(from(added)).toMatchObject({ previous_reading: 0, previous_date: '2026-07-25' });
    expect(from(fresh)).toMatchObject({ previous_reading: kwh('7.5'), previous_date: '2026-07-25' });
  });

  it('refuses a period two months ahead, and a station with no book to read', async () => {
    rs = await makeReadingStation();
    expect((await rs.head.fail('periods.open', { period: '2027-01' })).message).toBe('不能提前开启 2027-01 期（最多开启到 2026-12）');
    const { jobId } = await rs.head.call('periods.open', { period: '2026-11' });
    const state = await rs.station.backend.jobs.finished(jobId);
    expect(state).toMatchObject({ status: 'failed', error: { message: '没有可开启的抄表任务：没有启用的抄表本，或本内没有在装的表' } });
    expect(rs.station.backend.store.read.value(sql`SELECT count(*) FROM reading_periods`)).toBe(0);
  });

  it('closes only when every book is complete and reviewed, saying what is missing in which book', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(3));
    const book = await bookWith(rs, points, 'M001');
    await history(rs, points, '2026-08', 3, 100);
    await openPeriod(rs, '2026-11');
    const [a, b, c] = points;
    // a: a 10× spike; b: an ordinary month; c: not read yet.
    const [spike] = await readAll(rs.reader, '2026-11', [a!], ['1300'], '2026-11-25');
    await readAll(rs.reader, '2026-11', [b!], ['400'], '2026-11-25');
    const refused = await rs.head.fail('periods.close', { period: '2026-11' });
    expect(refused.message).toBe(`2026-11 期还不能关账：${book.bookNo} 1 块未录入，1 条待复核`);
    // The same check a book at a time (the demo builder's close in parts): the same figures, the same refusal.
    const db = rs.station.backend.store.read;
    const blocked = checkBookForClose(db, '2026-11', book.id);
    expect(blocked).toEqual({ not_entered: 1, awaiting_review: 1, to_correct: 0 });
    expect(cannotClose(db, '2026-11', new Map([[book.id, blocked!]]), 'zh-CN').messageIn('zh-CN')).toBe(refused.message);
    await rs.reader.call('readings.save', { period: '2026-11', pointId: c!.pointId, kind: 'no_access', readingDate: '2026-11-25', reason: '门锁无人' });
    expect((await rs.head.fail('periods.close', { period: '2026-11' })).message).toBe(`2026-11 期还不能关账：${book.bookNo} 1 条待复核`);

    // The meter reader may not review; the billing clerk accepts the spike; then the period closes.
    if (spike?.outcome !== 'saved') throw new Error('spike not saved');
    expect((await rs.reader.fail('readings.review', { readingId: spike.reading.id, decision: 'accept' })).code).toBe('forbidden');
    const queue = await rs.clerk.call('readings.reviewQueue', { period: '2026-11' });
    expect(queue.rows.map((r) => [r.accountNo, r.reading.flags.map((f) => f.code)])).toEqual([['GD01D000001', ['high']]]);
    expect(queue.rows[0]?.history.map((h) => h.consumption)).toEqual([kwh('100'), kwh('100'), kwh('100')]);
    expect(rs.station.backend.store.read.column(sql`SELECT id FROM billable_readings WHERE period = '2026-11'`)).not.toContain(spike.reading.id);
    const accepted = await rs.clerk.call('readings.review', { readingId: spike.reading.id, decision: 'accept', note: '新装空调，属实' });
    expect(accepted).toMatchObject({ outcome: 'saved', review: { decision: 'accept', reviewedByName: '钱核算' }, reading: null });
    expect(rs.station.backend.store.read.column(sql`SELECT id FROM billable_readings WHERE period = '2026-11'`)).toContain(spike.reading.id);
    expect((await rs.clerk.call('readings.reviewQueue', { period: '2026-11' })).rows).toEqual([]);
    expect(checkBookForClose(db, '2026-11', book.id)).toBeNull();
    const closed = await rs.head.call('periods.close', { period: '2026-11' });
    expect(closed.period).toMatchObject({ status: 'closed', closedByName: '李所长', due: 3, entered: 3, awaitingReview: 0 });
    // The close's write alone refuses a period already closed, as the desk's close does.
    expect(() => rs.station.backend.write(SYSTEM_ACTOR, (unit) => closeCheckedPeriod(unit, '2026-11', 3))).toThrow('Period 2026-11 is closed');
    expect(getPeriod(db, '2026-11').status).toBe('closed');
  });

  it('takes only a reviewer\'s correction once closed, which also moves the next period\'s 起码', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(1));
    await bookWith(rs, points, 'M001');
    await history(rs, points, '2026-08', 2, 100); // 2026-09 read 200
    const p = points[0]!.pointId;
    await openPeriod(rs, '2026-10');
    const [read] = await readAll(rs.reader, '2026-10', points, ['900'], '2026-10-25'); // 700 kWh: high
    if (read?.outcome !== 'saved') throw new Error('not saved');
    await rs.clerk.call('readings.review', { readingId: read.reading.id, decision: 'site_visit', note: '请核实' });
    await rs.head.call('periods.close', { period: '2026-10' }); // a site visit is a decision
    await openPeriod(rs, '2026-11');
    const db = rs.station.backend.store.read;
    expect(db.value(sql`SELECT previous_reading FROM reading_due WHERE period = '2026-11'`)).toBe(kwh('900'));

    expect((await rs.reader.fail('readings.save', { period: '2026-10', pointId: p, value: '300', readingDate: '2026-10-25', supersedes: read.reading.id, reason: '看错' })).message).toBe(
      '2026-10 期已关账，只能由核算员或所长录入更正',
    );
    const corrected = await rs.clerk.call('readings.review', {
      readingId: read.reading.id,
      decision: 'correct',
      note: '现场核实为 300',
      correction: { value: '300', readingDate: '2026-10-25', reason: '现场核实，抄表员看错一位' },
    });
    expect(corrected).toMatchObject({ outcome: 'saved', review: { decision: 'correct' }, reading: { value: kwh('300'), consumption: kwh('100'), supersedes: read.reading.id } });
    expect(db.value(sql`SELECT previous_reading FROM reading_due WHERE period = '2026-11'`)).toBe(kwh('300'));
    // The corrected reading is clean and billable; the flagged one is gone from billing.
    expect(db.column(sql`SELECT value FROM billable_readings WHERE period = '2026-10'`)).toEqual([kwh('300')]);
  });
});

describe('period overview (抄表进度)', () => {
  it('shows each book with its reader and counts, the late ones, the meters not read and the error rate', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(5));
    const early = await bookWith(rs, points.slice(0, 3), 'M001', 10, '东村一本'); // due 11-10: late by 11-26
    const onTime = await bookWith(rs, points.slice(3), 'M002', 25, '东村二本'); // due 11-25: window open to 11-28
    await openPeriod(rs, '2026-11');
    await readAll(rs.reader, '2026-11', [points[0]!], ['100'], '2026-11-10');
    await rs.reader.call('readings.save', { period: '2026-11', pointId: points[1]!.pointId, kind: 'no_access', readingDate: '2026-11-10', reason: '狗凶，未能进院' });
    await readAll(rs.otherReader, '2026-11', [points[3]!], ['100'], '2026-11-25');
    const overview = await rs.head.call('readings.overview', { period: '2026-11' });
    expect(overview.books.map((b) => [b.bookNo, b.readerName, b.due, b.entered, b.actual, b.noAccess, b.complete, b.late])).toEqual([
      [early.bookNo, '王抄表', 3, 2, 1, 1, false, true],
      [onTime.bookNo, '赵抄表', 2, 1, 1, 0, false, false],
    ]);
    expect(overview.notRead.total).toBe(3);
    expect(overview.notRead.rows.map((r) => [r.accountNo, r.status, r.reason])).toEqual([
      ['GD01D000002', 'no_access', '狗凶，未能进院'],
      ['GD01D000003', 'not_entered', ''],
      ['GD01D000005', 'not_entered', ''],
    ]);
    expect(overview.readers.map((r) => [r.staffNo, r.entered, r.corrected])).toEqual([['M001', 1, 0], ['M002', 1, 0]]);
  });
});
