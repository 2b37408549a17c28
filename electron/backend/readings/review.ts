// Review (复核) of readings with warnings, by a billing clerk or the station head: accept, send
// for a site visit, or correct — a correction is a new reading superseding the flagged one, and
// it counts in the reading error rate. Decisions are facts (reading_reviews); the latest one
// decides what billing may bill (the billable_readings view).
import type { InputOf, ReviewView } from '../../../shared/contract';
import type { ReviewDecision } from '../../../shared/readings';
import type { DateString } from '../../../shared/time';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, notFound, refuse } from '../errors';
import type { CallStaff } from '../handler';
import { commitEntry, prepareEntry } from './entry';
import { IN_FORCE, READING_COLUMNS, READING_JOINS, toReadingView, type ReadingDbColumns } from './rows';

type ReviewInput = InputOf<'readings.review'> & { decision: ReviewDecision; note: string };

export function reviewReading(unit: Unit, staff: CallStaff, input: ReviewInput, today: DateString) {
  const reading = unit.get<{ id: string; period: string; point_id: string; needs_review: number; superseded: number }>(sql`
    SELECT r.id, r.period, r.point_id, r.needs_review, EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id) AS superseded
    FROM readings r WHERE r.id = ${input.readingId}`);
  if (!reading) throw notFound(`reading ${input.readingId}`);
  if (reading.superseded) throw new AppError('conflict', 'reading.superseded');
  if (!reading.needs_review) throw refuse('reading.noReviewNeeded');

  // A correction is checked like any reading before anything is written.
  let correction = null;
  if (input.decision === 'correct' && input.correction) {
    const c = input.correction;
    const prepared = prepareEntry(
      unit,
      { staff, asReviewer: true },
      {
        period: reading.period,
        pointId: reading.point_id,
        kind: c.kind ?? 'actual',
        value: c.value,
        registers: c.registers,
        readingDate: c.readingDate,
        reason: c.reason ?? '',
        confirmedRollover: c.confirmedRollover ?? false,
        supersedes: reading.id,
        source: 'keyboard',
      },
      today,
    );
    if (prepared.outcome !== 'saved') return prepared;
    correction = prepared.plan;
  }

  const id = uuidv7();
  unit.run(sql`
    INSERT INTO reading_reviews (id, reading_id, decision, note, reviewed_by, reviewed_at)
    VALUES (${id}, ${reading.id}, ${input.decision}, ${input.note}, ${staff.id}, ${unit.at})`);
  const review: ReviewView = { id, decision: input.decision, note: input.note, reviewedBy: staff.id, reviewedByName: staff.name, reviewedAt: unit.at };
  unit.record({
    action: 'reading.review',
    entity: 'reading_review',
    entityId: id,
    op: 'insert',
    summary: { period: reading.period, reading: reading.id, decision: input.decision, ...(input.note ? { note: input.note } : {}) },
    payload: { id, readingId: reading.id, decision: input.decision, note: input.note, reviewedBy: staff.id, reviewedAt: unit.at },
  });
  return { outcome: 'saved' as const, review, reading: correction ? commitEntry(unit, correction) : null };
}

interface QueueDbRow extends ReadingDbColumns {
  book_id: string;
  book_no: string;
  book_name: string;
  account_no: string;
  customer_name: string;
  address: string;
}

/** Readings with warnings in a period (pending ones only, or all), in book order, with recent history. */
export function reviewQueue(db: ReadableDB, period: string, bookId: string | undefined, pendingOnly: boolean) {
  const rows = db.all<QueueDbRow>(sql`
    SELECT ${READING_COLUMNS}, d.book_id, b.book_no, b.name AS book_name, c.account_no, c.name AS customer_name,
           c.township || c.village || c.address_detail AS address
    FROM readings r
    JOIN reading_due d ON d.period = r.period AND d.point_id = r.point_id
    JOIN books b ON b.id = d.book_id
    JOIN metering_points pt ON pt.id = r.point_id
    JOIN customers c ON c.id = pt.customer_id
    ${READING_JOINS}
    WHERE r.period = ${period} AND r.needs_review = 1 AND ${IN_FORCE} ${bookId ? sql`AND d.book_id = ${bookId}` : sql``}
    ORDER BY b.book_no, d.seq
    LIMIT 2000`);
  const out = [];
  for (const row of rows) {
    const reading = toReadingView(row);
    if (!reading || (pendingOnly && reading.status !== 'awaiting_review' && reading.status !== 'to_correct')) continue;
    const history = db.all<{ period: string; kind: 'actual' | 'estimated' | 'no_access'; consumption: number | null; days: number | null }>(sql`
      SELECT r.period, r.kind, r.consumption, CAST(julianday(r.reading_date) - julianday(r.previous_date) AS INTEGER) AS days
      FROM readings r
      WHERE r.point_id = ${reading.pointId} AND r.period < ${period} AND ${IN_FORCE}
      ORDER BY r.period DESC LIMIT 6`);
    out.push({
      reading,
      bookId: row.book_id,
      bookNo: row.book_no,
      bookName: row.book_name,
      accountNo: row.account_no,
      customerName: row.customer_name,
      address: row.address,
      history,
    });
  }
  return out;
}
