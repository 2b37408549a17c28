// Reading books (抄表本): a number, a name, an assigned meter reader, a reading day and an
// ordered list of metering points (抄表序号). A point keeps its place across meter replacements
// (换表); each point is in at most one book (book_points' primary key), and `unassignedPoints`
// lists the active ones in none. Moves and reorders also apply to the open period's due list,
// so the grid always follows the book's order.
import type { BookPointView, BookView } from '../../../shared/contract';
import type { Unit } from '../audit/record';
import { nextNumber } from '../counters';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, notFound, refuse } from '../errors';
import { refreshDueRows } from './due';
import { BOOK_COLUMNS, BOOK_FROM, POINT_COLUMNS, POINT_FROM, toBookView, toPointView, type BookDbRow, type PointDbRow } from './rows';

export function listBooks(db: ReadableDB, options: { includeInactive?: boolean; readerId?: string } = {}): BookView[] {
  const where = [sql`1 = 1`];
  if (!options.includeInactive) where.push(sql`b.active = 1`);
  if (options.readerId) where.push(sql`b.reader_id = ${options.readerId}`);
  return db
    .all<BookDbRow>(sql`SELECT ${BOOK_COLUMNS} FROM ${BOOK_FROM} WHERE ${sql.join(where, sql` AND `)} ORDER BY b.book_no`)
    .map(toBookView);
}

export function getBook(db: ReadableDB, bookId: string): BookView {
  const row = db.get<BookDbRow>(sql`SELECT ${BOOK_COLUMNS} FROM ${BOOK_FROM} WHERE b.id = ${bookId}`);
  if (!row) throw notFound(`book ${bookId}`);
  return toBookView(row);
}

export function findBookByNo(db: ReadableDB, bookNo: string): BookView {
  const row = db.get<BookDbRow>(sql`SELECT ${BOOK_COLUMNS} FROM ${BOOK_FROM} WHERE b.book_no = ${bookNo}`);
  if (!row) throw notFound(`book ${bookNo}`);
  return toBookView(row);
}

export function bookPoints(db: ReadableDB, bookId: string): BookPointView[] {
  return db
    .all<PointDbRow>(sql`
      SELECT ${POINT_COLUMNS}, bp.seq FROM ${POINT_FROM} JOIN book_points bp ON bp.point_id = pt.id
      WHERE bp.book_id = ${bookId} ORDER BY bp.seq`)
    .map(toPointView);
}

/** Active metering points with an installed meter that no active book holds (every one must be in a book). */
export function unassignedPoints(db: ReadableDB, limit: number): { total: number; rows: BookPointView[] } {
  const where = sql`
    pt.active = 1 AND im.id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM book_points bp JOIN books b ON b.id = bp.book_id AND b.active = 1 WHERE bp.point_id = pt.id)`;
  const total = db.value<number>(sql`SELECT count(*) FROM ${POINT_FROM} WHERE ${where}`) ?? 0;
  const rows = db.all<PointDbRow>(sql`SELECT ${POINT_COLUMNS} FROM ${POINT_FROM} WHERE ${where} ORDER BY c.account_no LIMIT ${limit}`);
  return { total, rows: rows.map(toPointView) };
}

/** The assigned reader must be active staff with the meter-reader role. */
function assertReader(db: ReadableDB, readerId: string | null): void {
  if (readerId === null) return;
  const staff = db.get<{ name: string; active: number; reader: number }>(sql`
    SELECT s.name, s.active, EXISTS (SELECT 1 FROM staff_roles r WHERE r.staff_id = s.id AND r.role = 'meter_reader') AS reader
    FROM staff s WHERE s.id = ${readerId}`);
  if (!staff) throw notFound(`staff ${readerId}`);
  if (!staff.active || !staff.reader) throw refuse('book.notReader', { name: staff.name });
}

export interface NewBook {
  bookNo?: string | undefined;
  name: string;
  readerId: string | null;
  readingDay: number;
}

export function createBook(unit: Unit, input: NewBook): BookView {
  assertReader(unit, input.readerId);
  let bookNo = input.bookNo?.toUpperCase();
  if (bookNo === undefined) {
    // 抄表本号 from the station's counter: B001, B002, … skipping numbers typed in by hand.
    do bookNo = `B${String(nextNumber(unit, 'book')).padStart(3, '0')}`;
    while (unit.value(sql`SELECT 1 FROM books WHERE book_no = ${bookNo}`));
  } else if (unit.value(sql`SELECT 1 FROM books WHERE book_no = ${bookNo}`)) {
    throw new AppError('conflict', 'book.noTaken', { bookNo });
  }
  const id = uuidv7();
  unit.run(sql`
    INSERT INTO books (id, station_id, book_no, name, reader_id, reading_day, active, created_at, updated_at)
    VALUES (${id}, ${unit.stationId()}, ${bookNo}, ${input.name}, ${input.readerId}, ${input.readingDay}, 1, ${unit.at}, ${unit.at})`);
  const payload = { id, bookNo, name: input.name, readerId: input.readerId, readingDay: input.readingDay, active: true };
  unit.record({ action: 'book.create', entity: 'book', entityId: id, op: 'insert', summary: { bookNo, name: input.name }, payload });
  return getBook(unit, id);
}

export interface BookChange {
  name?: string | undefined;
  readerId?: string | null | undefined;
  readingDay?: number | undefined;
  active?: boolean | undefined;
}

export function updateBook(unit: Unit, bookId: string, change: BookChange): BookView {
  const before = getBook(unit, bookId);
  if (change.readerId !== undefined && change.readerId !== before.readerId) assertReader(unit, change.readerId);
  if (change.active === false && before.active && before.points > 0) throw refuse('book.notEmpty', { bookNo: before.bookNo, count: before.points });
  const after = {
    name: change.name ?? before.name,
    readerId: change.readerId === undefined ? before.readerId : change.readerId,
    readingDay: change.readingDay ?? before.readingDay,
    active: change.active ?? before.active,
  };
  unit.run(sql`
    UPDATE books SET name = ${after.name}, reader_id = ${after.readerId}, reading_day = ${after.readingDay}, active = ${after.active},
                     updated_at = ${unit.at}
    WHERE id = ${bookId}`);
  const changed = Object.fromEntries(
    Object.entries(after).filter(([key, value]) => before[key as keyof typeof after] !== value).map(([key, value]) => [key, { before: before[key as keyof typeof after], after: value }]),
  );
  unit.record({ action: 'book.update', entity: 'book', entityId: bookId, op: 'update', summary: { bookNo: before.bookNo, ...changed }, payload: { id: bookId, ...after } });
  return getBook(unit, bookId);
}

function assertActiveBook(book: BookView): void {
  if (!book.active) throw refuse('book.inactive', { bookNo: book.bookNo });
}

/** Moves points to the end of a book, out of whatever book held them (keeping their order). */
export function movePoints(unit: Unit, pointIds: string[], toBookId: string): BookView {
  const book = getBook(unit, toBookId);
  assertActiveBook(book);
  const ids = [...new Set(pointIds)];
  const points = unit.all<{ id: string; account_no: string; active: number; meter: string | null; book_id: string | null }>(sql`
    SELECT pt.id, c.account_no, pt.active, im.id AS meter, bp.book_id
    FROM metering_points pt JOIN customers c ON c.id = pt.customer_id
    LEFT JOIN meters im ON im.point_id = pt.id AND im.removed_date IS NULL
    LEFT JOIN book_points bp ON bp.point_id = pt.id
    WHERE pt.id IN ${sql.list(ids)}`);
  const byId = new Map(points.map((p) => [p.id, p]));
  for (const id of ids) {
    const point = byId.get(id);
    if (!point) throw notFound(`metering point ${id}`);
    if (!point.active || !point.meter) throw refuse('book.pointNotActive', { accountNo: point.account_no });
  }
  let seq = unit.value<number>(sql`SELECT coalesce(max(seq), 0) FROM book_points WHERE book_id = ${toBookId}`) ?? 0;
  const moved: { pointId: string; fromBookId: string | null; seq: number }[] = [];
  for (const id of ids) {
    const from = byId.get(id)?.book_id ?? null;
    if (from === toBookId) continue;
    seq += 1;
    unit.run(sql`
      INSERT INTO book_points (point_id, book_id, seq) VALUES (${id}, ${toBookId}, ${seq})
      ON CONFLICT (point_id) DO UPDATE SET book_id = excluded.book_id, seq = excluded.seq`);
    moved.push({ pointId: id, fromBookId: from, seq });
  }
  if (moved.length > 0) {
    refreshDueRows(unit, moved.map((m) => m.pointId));
    unit.record({
      action: 'book.movePoints',
      entity: 'book',
      entityId: toBookId,
      op: 'update',
      summary: { bookNo: book.bookNo, count: moved.length, accounts: moved.slice(0, 20).map((m) => byId.get(m.pointId)?.account_no) },
      payload: { bookId: toBookId, points: moved },
    });
  }
  return getBook(unit, toBookId);
}

/** Sets the reading order of a whole book: `pointIds` must be exactly the book's points. */
export function reorderBook(unit: Unit, bookId: string, pointIds: string[]): BookView {
  const book = getBook(unit, bookId);
  const current = unit.column<string>(sql`SELECT point_id FROM book_points WHERE book_id = ${bookId} ORDER BY seq`);
  const wanted = new Set(pointIds);
  if (wanted.size !== pointIds.length || pointIds.length !== current.length || current.some((id) => !wanted.has(id))) {
    throw refuse('book.reorderMismatch', { count: current.length });
  }
  pointIds.forEach((pointId, index) => unit.run(sql`UPDATE book_points SET seq = ${index + 1} WHERE point_id = ${pointId}`));
  refreshDueRows(unit, pointIds);
  unit.record({
    action: 'book.reorder',
    entity: 'book',
    entityId: bookId,
    op: 'update',
    summary: { bookNo: book.bookNo, count: pointIds.length },
    payload: { bookId, order: pointIds },
  });
  return book;
}
