// What is due in a period (reading_due): one row per metering point of an active book with an
// installed meter, with the previous reading (起码) the reader starts from — the latest reading
// in force of an earlier period that was read or estimated, else the installed meter's start
// reading. Made when the period opens; refreshed when a point moves between books or a
// correction changes an earlier period's reading.
//
// Both are one INSERT … SELECT inside the caller's transaction: the rows never pass through
// JavaScript (for a whole station that was two thirds of opening a period).
import type { Period } from '../../../shared/time';
import { sql, type SqlFragment } from '../db/sql';
import type { WritableDB } from '../db/store';
import { IN_FORCE } from './rows';

/**
 * A period counts, with its due list, only once its open is done (issue 18): a period opened in
 * slices inserts its row first, listed in period_opens_open, then writes its due list a few books
 * per transaction; the last transaction removes the listing. Until then nobody reads the period
 * or its rows: the periods list leaves it out (periods.ts), and readers that take a period from
 * elsewhere (the appraisal month, a billing run's period, a reading's period) add this condition.
 * Constant subqueries: SQLite evaluates them once per statement.
 */
export const periodPublished = (period: string): SqlFragment =>
  sql`(EXISTS (SELECT 1 FROM reading_periods published WHERE published.period = ${period}) AND NOT EXISTS (SELECT 1 FROM period_opens_open opening WHERE opening.period = ${period}))`;

/** Where due rows go: the period's list, or the staging of periods opened by earlier versions (migration 0013, no longer written). */
export type DueTable = 'reading_due' | 'reading_due_staged';
const TABLE: Record<DueTable, SqlFragment> = { reading_due: sql`reading_due`, reading_due_staged: sql`reading_due_staged` };

/** `pr` is a reading (not 未抄到) in force: IN_FORCE of rows.ts, for the alias `pr`. */
const PR_IN_FORCE = sql`pr.kind <> 'no_access' AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = pr.id)`;

/**
 * Writes (or rewrites) the due rows of `period` for the points `where` selects (on `bp`), `pr`
 * being the reading `previous` joins (none: the meter's start reading). Returns the rows written.
 */
function writeDue(tx: WritableDB, period: Period, previous: SqlFragment, where: SqlFragment, into: DueTable = 'reading_due'): number {
  return tx.run(sql`
    INSERT INTO ${TABLE[into]} (period, point_id, book_id, seq, meter_id, previous_reading, previous_registers, previous_date,
                             previous_meter_id, previous_multiplier)
    SELECT ${period}, bp.point_id, bp.book_id, bp.seq, im.id,
           coalesce(pr.value, im.start_reading), iif(pr.id IS NULL, im.start_registers, pr.registers),
           coalesce(pr.reading_date, im.install_date), coalesce(pr.meter_id, im.id), pr.multiplier
    FROM book_points bp
    JOIN books b ON b.id = bp.book_id AND b.active = 1
    JOIN metering_points pt ON pt.id = bp.point_id AND pt.active = 1
    JOIN meters im ON im.point_id = bp.point_id AND im.removed_date IS NULL
    ${previous}
    WHERE ${where}
    ORDER BY bp.point_id
    ON CONFLICT (period, point_id) DO UPDATE SET
      book_id = excluded.book_id, seq = excluded.seq, meter_id = excluded.meter_id,
      previous_reading = excluded.previous_reading, previous_registers = excluded.previous_registers,
      previous_date = excluded.previous_date, previous_meter_id = excluded.previous_meter_id,
      previous_multiplier = excluded.previous_multiplier`).changes;
}

/** The latest reading in force before `period`, looked for point by point. */
const latestBefore = (period: Period) => sql`
  LEFT JOIN readings pr ON pr.id = (
    SELECT r.id FROM readings r
    WHERE r.point_id = bp.point_id AND r.period < ${period} AND r.kind <> 'no_access' AND ${IN_FORCE}
    ORDER BY r.period DESC LIMIT 1)`;

/**
 * The due list of a period being opened, for every point of the active books. Most points were
 * read in the period before, whose readings sit together in readings_period_point, so those are
 * joined in one pass; only the rest (no access last month, new in a book) look further back.
 */
export function insertDueForPeriod(tx: WritableDB, period: Period): number {
  return insertDueForBooks(tx, period, 'reading_due');
}

/**
 * The same for some books only (`bookIds`; all when absent), into `into`: a period opened in
 * slices stages its due list a few books per transaction (periods.ts).
 */
export function insertDueForBooks(tx: WritableDB, period: Period, into: DueTable, bookIds?: readonly string[]): number {
  const earlier = tx.value<string | null>(sql`SELECT max(period) FROM reading_periods WHERE period < ${period}`) ?? null;
  const books = bookIds ? sql`bp.book_id IN ${sql.list(bookIds)}` : sql`true`;
  const joined = earlier
    ? // CROSS JOIN: the readings are looked up point by point after the books' points, whatever the
      // statistics say. Without them (a station never closed, the demo's building file) SQLite
      // took the earlier period's readings first, all 100,000 of them for every few books: a
      // period open of the 100,000-customer station 8.5 s in 201 slices instead of 0.6 s in 19.
      writeDue(tx, period, sql`CROSS JOIN readings pr ON pr.period = ${earlier} AND pr.point_id = bp.point_id AND ${PR_IN_FORCE}`, books, into)
    : 0;
  const rest = writeDue(tx, period, latestBefore(period), sql`${books} AND NOT EXISTS (SELECT 1 FROM ${TABLE[into]} d WHERE d.period = ${period} AND d.point_id = bp.point_id)`, into);
  return joined + rest;
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
      writeDue(tx, period, latestBefore(period), sql`bp.point_id IN ${sql.list(pointIds.slice(i, i + 500))}`);
    }
  }
  // A period being opened in slices is among them (its row comes first, issue 18): the rows it
  // wrote so far stay as true as an open period's; a point of a book not written yet is written by its slice.
}
