// What is due in a period (reading_due): one row per metering point of an active book with an
// installed meter, with the previous reading (起码) the reader starts from — the latest reading
// in force of an earlier period that was read or estimated, else the installed meter's start
// reading. Made when the period opens; refreshed when a point moves between books or a
// correction changes an earlier period's reading.
import type { Period } from '../../../shared/time';
import { sql, type SqlFragment } from '../db/sql';
import type { ReadableDB, WritableDB } from '../db/store';

export interface DueSourceRow {
  point_id: string;
  book_id: string;
  seq: number;
  meter_id: string;
  start_reading: number;
  start_registers: string | null;
  install_date: string;
  prev_value: number | null;
  prev_registers: string | null;
  prev_date: string | null;
  prev_meter_id: string | null;
  prev_multiplier: number | null;
}

/** Due rows as they would be made for `period`, for the points `where` selects (on `bp`). */
export function dueSources(db: ReadableDB, period: Period, where: SqlFragment): DueSourceRow[] {
  return db.all<DueSourceRow>(sql`
    SELECT bp.point_id, bp.book_id, bp.seq, im.id AS meter_id, im.start_reading, im.start_registers, im.install_date,
           pr.value AS prev_value, pr.registers AS prev_registers, pr.reading_date AS prev_date,
           pr.meter_id AS prev_meter_id, pr.multiplier AS prev_multiplier
    FROM book_points bp
    JOIN books b ON b.id = bp.book_id AND b.active = 1
    JOIN metering_points pt ON pt.id = bp.point_id AND pt.active = 1
    JOIN meters im ON im.point_id = bp.point_id AND im.removed_date IS NULL
    LEFT JOIN readings pr ON pr.id = (
      SELECT r.id FROM readings r
      WHERE r.point_id = bp.point_id AND r.period < ${period} AND r.kind <> 'no_access'
        AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id)
      ORDER BY r.period DESC LIMIT 1)
    WHERE ${where}`);
}

/** Rows per INSERT statement: one statement for many rows costs far less than a statement each. */
const ROWS_PER_INSERT = 50;

/** Writes (or rewrites) due rows, in primary-key order so the table grows at its end. */
/**
 * Due rows for every point of the active books, for opening a period: the previous period's
 * readings in force are read in one pass (its rows are contiguous in readings_period_point),
 * and only the points not read there (no access, new in a book) look further back one by one.
 * Yields to the event loop between books.
 */
export async function collectDueSources(db: ReadableDB, period: Period, afterBook?: (done: number, total: number) => Promise<void>): Promise<Map<string, DueSourceRow>> {
  const earlier = db.value<string | null>(sql`SELECT max(period) FROM reading_periods WHERE period < ${period}`) ?? null;
  type Previous = Pick<DueSourceRow, 'point_id' | 'prev_value' | 'prev_registers' | 'prev_date' | 'prev_meter_id' | 'prev_multiplier'>;
  const lastRead = new Map(
    (earlier
      ? db.all<Previous>(sql`
          SELECT r.point_id, r.value AS prev_value, r.registers AS prev_registers, r.reading_date AS prev_date,
                 r.meter_id AS prev_meter_id, r.multiplier AS prev_multiplier
          FROM readings r
          WHERE r.period = ${earlier} AND r.kind <> 'no_access' AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id)`)
      : []
    ).map((r) => [r.point_id, r]),
  );
  const bookIds = db.column<string>(sql`SELECT id FROM books WHERE active = 1 ORDER BY book_no`);
  const sources = new Map<string, DueSourceRow>();
  const lookBack: string[] = [];
  for (const [index, bookId] of bookIds.entries()) {
    for (const point of db.all<DueSourceRow>(sql`
      SELECT bp.point_id, bp.book_id, bp.seq, im.id AS meter_id, im.start_reading, im.start_registers, im.install_date,
             NULL AS prev_value, NULL AS prev_registers, NULL AS prev_date, NULL AS prev_meter_id, NULL AS prev_multiplier
      FROM book_points bp
      JOIN metering_points pt ON pt.id = bp.point_id AND pt.active = 1
      JOIN meters im ON im.point_id = bp.point_id AND im.removed_date IS NULL
      WHERE bp.book_id = ${bookId}`)) {
      const previous = lastRead.get(point.point_id);
      if (previous) sources.set(point.point_id, { ...point, ...previous });
      else lookBack.push(point.point_id);
    }
    await afterBook?.(index + 1, bookIds.length);
  }
  for (let i = 0; i < lookBack.length; i += 500) {
    for (const src of dueSources(db, period, sql`bp.point_id IN ${sql.list(lookBack.slice(i, i + 500))}`)) sources.set(src.point_id, src);
  }
  return sources;
}

export function insertDueRows(tx: WritableDB, period: Period, sources: readonly DueSourceRow[]): void {
  const sorted = [...sources].sort((a, b) => (a.point_id < b.point_id ? -1 : a.point_id > b.point_id ? 1 : 0));
  for (let i = 0; i < sorted.length; i += ROWS_PER_INSERT) {
    const values = sorted.slice(i, i + ROWS_PER_INSERT).map((src) => {
      const read = src.prev_value !== null;
      return sql`(${period}, ${src.point_id}, ${src.book_id}, ${src.seq}, ${src.meter_id},
                  ${read ? src.prev_value : src.start_reading}, ${read ? src.prev_registers : src.start_registers},
                  ${read ? src.prev_date : src.install_date}, ${read ? src.prev_meter_id : src.meter_id}, ${read ? src.prev_multiplier : null})`;
    });
    tx.run(sql`
      INSERT INTO reading_due (period, point_id, book_id, seq, meter_id, previous_reading, previous_registers, previous_date,
                               previous_meter_id, previous_multiplier)
      VALUES ${sql.join(values)}
      ON CONFLICT (period, point_id) DO UPDATE SET
        book_id = excluded.book_id, seq = excluded.seq, meter_id = excluded.meter_id,
        previous_reading = excluded.previous_reading, previous_registers = excluded.previous_registers,
        previous_date = excluded.previous_date, previous_meter_id = excluded.previous_meter_id,
        previous_multiplier = excluded.previous_multiplier`);
  }
}

/**
 * Brings the due rows of open periods (after `afterPeriod`, if given) up to date for these
 * points: their book and place after a move or reorder, their 起码 after a correction of an
 * earlier period. A point newly put in a book joins the open period's due list.
 */
export function refreshDueRows(tx: WritableDB, pointIds: readonly string[], afterPeriod?: Period): void {
  if (pointIds.length === 0) return;
  const open = tx.column<string>(sql`
    SELECT period FROM reading_periods WHERE status = 'open' ${afterPeriod ? sql`AND period > ${afterPeriod}` : sql``}`);
  for (const period of open) {
    for (let i = 0; i < pointIds.length; i += 500) {
      insertDueRows(tx, period, dueSources(tx, period, sql`bp.point_id IN ${sql.list(pointIds.slice(i, i + 500))}`));
    }
  }
}
