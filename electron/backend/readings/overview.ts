// The station head's view of a period (抄表进度): per book the reader, due / entered / flagged /
// reviewed counts and whether it is late; the meters not read; the reading error rate per reader.
import type { OutputOf, OverviewBook } from '../../../shared/contract';
import { scheduledReadingDate } from '../../../shared/readings';
import { addDays, type DateString } from '../../../shared/time';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { dueStatuses } from './periods';
import { getPeriod } from './periods';
import { policyInForce } from './policy';

type Overview = OutputOf<'readings.overview'>;

const NOT_READ_SHOWN = 500;

export function periodOverview(db: ReadableDB, period: string, today: DateString): Overview {
  const periodRow = getPeriod(db, period);
  const policy = policyInForce(db, today);
  const books = db.all<{ id: string; book_no: string; name: string; reader_id: string | null; reader_name: string | null; reading_day: number }>(sql`
    SELECT b.id, b.book_no, b.name, b.reader_id, s.name AS reader_name, b.reading_day
    FROM books b LEFT JOIN staff s ON s.id = b.reader_id
    WHERE b.id IN (SELECT DISTINCT book_id FROM reading_due WHERE period = ${period})
    ORDER BY b.book_no`);
  const tally = new Map<string, OverviewBook>();
  for (const b of books) {
    const scheduledDate = scheduledReadingDate(period, b.reading_day);
    tally.set(b.id, {
      bookId: b.id,
      bookNo: b.book_no,
      name: b.name,
      readerId: b.reader_id,
      readerName: b.reader_name,
      readingDay: b.reading_day,
      scheduledDate,
      due: 0,
      entered: 0,
      actual: 0,
      estimated: 0,
      noAccess: 0,
      flagged: 0,
      reviewed: 0,
      awaitingReview: 0,
      complete: false,
      late: false,
    });
  }
  const notRead: string[] = [];
  let notReadTotal = 0;
  for (const s of dueStatuses(db, period)) {
    const t = tally.get(s.book_id);
    if (!t) continue;
    t.due += 1;
    if (s.status === 'not_entered' || s.status === 'no_access') {
      notReadTotal += 1;
      if (notRead.length < NOT_READ_SHOWN) notRead.push(s.point_id);
    }
    if (s.status === 'not_entered') continue;
    t.entered += 1;
    if (s.kind === 'actual') t.actual += 1;
    else if (s.kind === 'estimated') t.estimated += 1;
    else t.noAccess += 1;
    if (s.needs_review === 1) {
      t.flagged += 1;
      if (s.status === 'awaiting_review' || s.status === 'to_correct') t.awaitingReview += 1;
      else t.reviewed += 1;
    }
  }
  for (const t of tally.values()) {
    t.complete = t.entered === t.due;
    // Late: not complete once the window after the book's reading day has passed.
    t.late = !t.complete && periodRow.status === 'open' && today > addDays(t.scheduledDate, policy.windowDaysAfter);
  }

  const notReadRows = notRead.length
    ? db.all<Overview['notRead']['rows'][number] & { kind: string | null }>(sql`
        SELECT b.book_no AS bookNo, d.seq, c.account_no AS accountNo, c.name AS customerName,
               c.township || c.village || c.address_detail AS address, m.meter_no AS meterNo,
               coalesce(r.reason, '') AS reason, r.kind
        FROM reading_due d
        JOIN books b ON b.id = d.book_id
        JOIN metering_points pt ON pt.id = d.point_id
        JOIN customers c ON c.id = pt.customer_id
        JOIN meters m ON m.id = d.meter_id
        LEFT JOIN readings r ON r.period = d.period AND r.point_id = d.point_id AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id)
        WHERE d.period = ${period} AND d.point_id IN ${sql.list(notRead)}
        ORDER BY b.book_no, d.seq`)
    : [];

  // 抄表差错率: of the readings each reader took this period, how many were later corrected.
  const readers = db.all<{ staffId: string; staffNo: string; name: string; entered: number; corrected: number }>(sql`
    SELECT s.id AS staffId, s.staff_no AS staffNo, s.name, count(*) AS entered,
           sum(EXISTS (SELECT 1 FROM readings x WHERE x.supersedes = r.id)) AS corrected
    FROM readings r JOIN staff s ON s.id = coalesce(r.read_by, r.entered_by)
    WHERE r.period = ${period} AND r.kind <> 'no_access'
    GROUP BY s.id ORDER BY s.staff_no`);

  return {
    period: periodRow,
    today,
    books: [...tally.values()],
    notRead: {
      total: notReadTotal,
      rows: notReadRows.map(({ kind, ...row }) => ({ ...row, status: kind === 'no_access' ? 'no_access' : 'not_entered' })),
    },
    readers,
  };
}
