// How reading rows come out of the database and into the contract's shapes. One reading
// column list and one mapper, used by the grid, the review queue, the history and the save.
import type { BookPointView, BookView, ReadingFlagView, ReadingView, ReviewView } from '../../../shared/contract';
import { readingStatus, type ReadingKind, type ReviewDecision, type TouRegister } from '../../../shared/readings';
import { sql } from '../db/sql';

export type Registers = Partial<Record<TouRegister, number>>;

export function parseJson<T>(text: string | null | undefined): T | null {
  return text ? (JSON.parse(text) as T) : null;
}

/** Reading columns, each prefixed `r_`, for a query that joins `readings r`. */
export const READING_COLUMNS = sql`
  r.id AS r_id, r.period AS r_period, r.point_id AS r_point_id, r.meter_id AS r_meter_id, rm.meter_no AS r_meter_no,
  r.reading_date AS r_reading_date, r.kind AS r_kind, r.value AS r_value, r.registers AS r_registers,
  r.previous_value AS r_previous_value, r.previous_date AS r_previous_date, r.multiplier AS r_multiplier,
  r.consumption AS r_consumption, r.tou_consumption AS r_tou_consumption, r.rollover AS r_rollover, r.flags AS r_flags,
  r.needs_review AS r_needs_review, r.reason AS r_reason, r.supersedes AS r_supersedes, r.source AS r_source,
  r.entered_by AS r_entered_by, rs.name AS r_entered_by_name, r.read_by AS r_read_by, r.entered_at AS r_entered_at,
  r.replaced_meter_id AS r_replaced_meter_id,
  EXISTS (SELECT 1 FROM readings x WHERE x.supersedes = r.id) AS r_superseded,
  rv.id AS rv_id, rv.decision AS rv_decision, rv.note AS rv_note, rv.reviewed_by AS rv_reviewed_by,
  rvs.name AS rv_reviewed_by_name, rv.reviewed_at AS rv_reviewed_at`;

/** The joins READING_COLUMNS needs: the reading's meter, who entered it, its latest review. */
export const READING_JOINS = sql`
  LEFT JOIN meters rm ON rm.id = r.meter_id
  LEFT JOIN staff rs ON rs.id = r.entered_by
  LEFT JOIN reading_reviews rv ON rv.id = (
    SELECT v.id FROM reading_reviews v WHERE v.reading_id = r.id ORDER BY v.reviewed_at DESC, v.id DESC LIMIT 1)
  LEFT JOIN staff rvs ON rvs.id = rv.reviewed_by`;

/** "The reading in force" for `r`: no correction supersedes it (current_readings, inlined for the planner). */
export const IN_FORCE = sql`NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id)`;

export interface ReadingDbColumns {
  r_id: string | null;
  r_period: string;
  r_point_id: string;
  r_meter_id: string;
  r_meter_no: string | null;
  r_reading_date: string;
  r_kind: ReadingKind;
  r_value: number | null;
  r_registers: string | null;
  r_previous_value: number | null;
  r_previous_date: string | null;
  r_multiplier: number | null;
  r_consumption: number | null;
  r_tou_consumption: string | null;
  r_rollover: number;
  r_flags: string;
  r_needs_review: number;
  r_reason: string;
  r_supersedes: string | null;
  r_source: 'keyboard' | 'import' | 'remote';
  r_entered_by: string | null;
  r_entered_by_name: string | null;
  r_read_by: string | null;
  r_entered_at: number;
  r_replaced_meter_id: string | null;
  r_superseded: number;
  rv_id: string | null;
  rv_decision: ReviewDecision | null;
  rv_note: string | null;
  rv_reviewed_by: string | null;
  rv_reviewed_by_name: string | null;
  rv_reviewed_at: number | null;
}

export function toReadingView(row: ReadingDbColumns): ReadingView | null {
  if (!row.r_id) return null;
  const review: ReviewView | null =
    row.rv_id && row.rv_decision
      ? {
          id: row.rv_id,
          decision: row.rv_decision,
          note: row.rv_note ?? '',
          reviewedBy: row.rv_reviewed_by ?? '',
          reviewedByName: row.rv_reviewed_by_name ?? '',
          reviewedAt: row.rv_reviewed_at ?? 0,
        }
      : null;
  const needsReview = row.r_needs_review === 1;
  return {
    id: row.r_id,
    period: row.r_period,
    pointId: row.r_point_id,
    meterId: row.r_meter_id,
    meterNo: row.r_meter_no ?? '',
    readingDate: row.r_reading_date,
    kind: row.r_kind,
    value: row.r_value,
    registers: parseJson<Registers>(row.r_registers),
    previousValue: row.r_previous_value,
    previousDate: row.r_previous_date,
    multiplier: row.r_multiplier,
    consumption: row.r_consumption,
    touConsumption: parseJson<Registers>(row.r_tou_consumption),
    rollover: row.r_rollover === 1,
    flags: parseJson<ReadingFlagView[]>(row.r_flags) ?? [],
    needsReview,
    reason: row.r_reason,
    supersedes: row.r_supersedes,
    superseded: row.r_superseded === 1,
    source: row.r_source,
    enteredBy: row.r_entered_by,
    enteredByName: row.r_entered_by_name,
    readBy: row.r_read_by,
    enteredAt: row.r_entered_at,
    replacedMeterId: row.r_replaced_meter_id,
    review,
    status: readingStatus({ kind: row.r_kind, needsReview }, review?.decision ?? null),
  };
}

/** Book columns (`b` joined with its reader `bs`). */
export const BOOK_COLUMNS = sql`
  b.id, b.book_no, b.name, b.reader_id, bs.staff_no AS reader_no, bs.name AS reader_name, b.reading_day, b.active,
  (SELECT count(*) FROM book_points bp WHERE bp.book_id = b.id) AS points`;
export const BOOK_FROM = sql`books b LEFT JOIN staff bs ON bs.id = b.reader_id`;

export interface BookDbRow {
  id: string;
  book_no: string;
  name: string;
  reader_id: string | null;
  reader_no: string | null;
  reader_name: string | null;
  reading_day: number;
  active: number;
  points: number;
}

export function toBookView(row: BookDbRow): BookView {
  return {
    id: row.id,
    bookNo: row.book_no,
    name: row.name,
    readerId: row.reader_id,
    readerNo: row.reader_no,
    readerName: row.reader_name,
    readingDay: row.reading_day,
    active: row.active === 1,
    points: row.points,
  };
}

/** A metering point with its customer and installed meter (`pt`, `c`, `im`). */
export const POINT_COLUMNS = sql`
  pt.id AS point_id, c.id AS customer_id, c.account_no, c.name AS customer_name,
  c.township || c.village || c.address_detail AS address, pt.label AS point_label, im.meter_no AS installed_meter_no`;
export const POINT_FROM = sql`
  metering_points pt
  JOIN customers c ON c.id = pt.customer_id
  LEFT JOIN meters im ON im.point_id = pt.id AND im.removed_date IS NULL`;

export interface PointDbRow {
  point_id: string;
  seq?: number | null;
  customer_id: string;
  account_no: string;
  customer_name: string;
  address: string;
  point_label: string;
  installed_meter_no: string | null;
}

export function toPointView(row: PointDbRow): BookPointView {
  return {
    pointId: row.point_id,
    seq: row.seq ?? null,
    customerId: row.customer_id,
    accountNo: row.account_no,
    customerName: row.customer_name,
    address: row.address,
    pointLabel: row.point_label,
    meterNo: row.installed_meter_no,
  };
}
