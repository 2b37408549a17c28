import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { addMeters } from './fixtures';
import { bookWith, households, makeReadingStation, openPeriod, type ReadingStation } from './test-station';

let rs: ReadingStation;
afterEach(() => rs?.station.close());

describe('reading books (抄表本)', () => {
  it('numbers new books from the counter, assigns only active meter readers, and is the station head\'s to manage', async () => {
    rs = await makeReadingStation();
    const first = await rs.head.call('books.create', { name: '东村一本', readerId: rs.staffId('M001'), readingDay: 5 });
    expect(first.book).toMatchObject({ bookNo: 'B001', readerNo: 'M001', readerName: '王抄表', readingDay: 5, points: 0, active: true });
    const typed = await rs.head.call('books.create', { bookNo: 'b002', name: '西村本', readerId: null, readingDay: 31 });
    expect(typed.book.bookNo).toBe('B002');
    expect((await rs.head.call('books.create', { name: '南村本', readerId: null, readingDay: 10 })).book.bookNo).toBe('B003');
    expect((await rs.head.fail('books.create', { bookNo: 'B001', name: '重复', readerId: null, readingDay: 1 })).message).toBe('抄表本号 B001 已被使用');
    expect((await rs.head.fail('books.create', { name: '错人', readerId: rs.staffId('B001'), readingDay: 1 })).message).toBe('钱核算 不是在岗的抄表员');
    expect((await rs.reader.fail('books.create', { name: '自建', readerId: null, readingDay: 1 })).code).toBe('forbidden');
    const moved = await rs.head.call('books.update', { bookId: first.book.id, readerId: rs.staffId('M002'), readingDay: 6 });
    expect(moved.book).toMatchObject({ readerNo: 'M002', readingDay: 6 });
    expect(rs.station.backend.store.read.value(sql`SELECT summary FROM audit_log WHERE action = 'book.update'`)).toContain('"readingDay":{"before":5,"after":6}');
  });

  it('keeps every active meter in one book: moves meters between books, lists those in none, reorders by the whole list', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(4));
    const [a, b, c, d] = points.map((p) => p.pointId) as [string, string, string, string];
    expect((await rs.head.call('books.unassigned', {})).total).toBe(4);
    const east = await bookWith(rs, points.slice(0, 3), 'M001', 25, '东村一本');
    const west = await bookWith(rs, [], 'M002', 25, '西村本');
    const unassigned = await rs.head.call('books.unassigned', {});
    expect(unassigned.rows.map((p) => p.accountNo)).toEqual(['GD01D000004']);
    await rs.head.call('books.movePoints', { pointIds: [b, d], toBookId: west.id });
    expect((await rs.head.call('books.unassigned', {})).total).toBe(0);
    expect((await rs.head.call('books.get', { bookId: east.id })).points.map((p) => [p.seq, p.pointId])).toEqual([[1, a], [3, c]]);
    expect((await rs.head.call('books.get', { bookId: west.id })).points.map((p) => p.pointId)).toEqual([b, d]);
    expect((await rs.head.fail('books.reorder', { bookId: west.id, pointIds: [d] })).message).toBe('排序清单须恰好包含本本的全部 2 块表');
    await rs.head.call('books.reorder', { bookId: west.id, pointIds: [d, b] });
    expect((await rs.head.call('books.get', { bookId: west.id })).points.map((p) => [p.seq, p.accountNo])).toEqual([[1, 'GD01D000004'], [2, 'GD01D000002']]);
    expect((await rs.head.fail('books.update', { bookId: west.id, active: false })).message).toBe(`抄表本 ${west.bookNo} 还有 2 块表，请先移到其他抄表本再停用`);
  });

  it('moves and reorders in the open period too, so the grid follows the book', async () => {
    rs = await makeReadingStation();
    const points = addMeters(rs.station.backend, households(3));
    const east = await bookWith(rs, points.slice(0, 2), 'M001');
    await openPeriod(rs, '2026-11');
    // A meter put in a book mid-period joins this period's list; a reorder shows at once.
    await rs.head.call('books.movePoints', { pointIds: [points[2]!.pointId], toBookId: east.id });
    await rs.head.call('books.reorder', { bookId: east.id, pointIds: [points[2]!.pointId, points[0]!.pointId, points[1]!.pointId] });
    const grid = await rs.reader.call('readings.book', { period: '2026-11', bookId: east.id });
    expect(grid.rows.map((r) => r.accountNo)).toEqual(['GD01D000003', 'GD01D000001', 'GD01D000002']);
  });
});

describe('griddesk check for readings', () => {
  it('reports active meters in no book', async () => {
    rs = await makeReadingStation();
    const { INVARIANTS } = await import('../invariants');
    const problems = () => INVARIANTS.flatMap((i) => i.check(rs.station.backend));
    const points = addMeters(rs.station.backend, households(2));
    expect(problems()).toEqual(['2 active meters are in no reading book (books screen: "meters in no book")']);
    await bookWith(rs, points, 'M001');
    expect(problems()).toEqual([]);
  });
});
