// The month's KPIs of every member of staff, from the station's own rows (shared/appraisal/kpis.ts
// says what each one is). One aggregate query per KPI for the whole station, grouped by person,
// so computing the month costs a few scans, not one per person. `drillKpi` lists the rows
// behind one person's figure. Who is responsible for what is documented in docs/appraisal.md.
import { count, KPI_UNITS, notMeasured, rate, UNMEASURED_KPIS, type KpiCode, type KpiValue } from '../../../shared/appraisal';
import type { MessageKey } from '../../../shared/i18n';
import { scheduledReadingDate } from '../../../shared/readings';
import { addDays, addMonths, daysInPeriod, shanghaiMidnight } from '../../../shared/time';
import { sql } from '../db/sql';
import { periodPublished } from '../readings/due';
import type { ReadableDB } from '../db/store';
import { policyInForce } from '../readings/policy';
import { serviceDrillRows, serviceKpis, serviceKpisOf } from '../service/kpis';

export interface MonthRange {
  period: string;
  first: string;
  last: string;
  startMs: number;
  endMs: number;
}

export function monthRange(period: string): MonthRange {
  const first = `${period}-01`;
  const last = `${period}-${String(daysInPeriod(period)).padStart(2, '0')}`;
  return { period, first, last, startMs: shanghaiMidnight(first), endMs: shanghaiMidnight(`${addMonths(period, 1)}-01`) };
}

/** Every KPI of every member of staff named, for the month (a person with no rows gets the "nothing to measure" figures). */
export function computeKpis(db: ReadableDB, period: string, staffIds: readonly string[], today: string): Map<string, Map<KpiCode, KpiValue>> {
  const m = monthRange(period);
  const out = new Map<string, Map<KpiCode, KpiValue>>();
  const put = (staffId: string, v: KpiValue) => out.get(staffId)?.set(v.code, v);
  for (const id of staffIds) out.set(id, new Map());

  // 实抄率: the meters due in the person's books; actually read = the reading in force is 实抄.
  const actual = new Map<string, { due: number; actual: number }>();
  for (const r of db.all<{ reader: string; due: number; actual: number }>(sql`
    SELECT b.reader_id AS reader, count(*) AS due,
           sum(EXISTS (SELECT 1 FROM readings r WHERE r.period = d.period AND r.point_id = d.point_id AND r.kind = 'actual'
                        AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id))) AS actual
    FROM reading_due d JOIN books b ON b.id = d.book_id
    WHERE d.period = ${period} AND ${periodPublished(period)} AND b.reader_id IS NOT NULL
    GROUP BY b.reader_id`)) {
    actual.set(r.reader, r);
  }

  // 抄表差错率: the readings a person took in the field (first entries, not corrections made at
  // review) and how many of them a correction later superseded.
  const errors = new Map<string, { entered: number; corrected: number }>();
  for (const r of db.all<{ reader: string; entered: number; corrected: number }>(sql`
    SELECT coalesce(r.read_by, r.entered_by) AS reader, count(*) AS entered,
           sum(EXISTS (SELECT 1 FROM readings x WHERE x.supersedes = r.id)) AS corrected
    FROM readings r
    WHERE r.period = ${period} AND r.supersedes IS NULL AND r.kind <> 'no_access' AND coalesce(r.read_by, r.entered_by) IS NOT NULL
    GROUP BY 1`)) {
    errors.set(r.reader, r);
  }

  // 抄表及时率: books whose deadline (book day + the reading window) has passed; on time when
  // every due meter has a first reading dated on or before it.
  const onTime = new Map<string, { due: number; onTime: number }>();
  for (const b of bookCompletion(db, period, today)) {
    if (!b.reader || !b.deadlinePassed) continue;
    const t = onTime.get(b.reader) ?? { due: 0, onTime: 0 };
    t.due += 1;
    if (b.onTime) t.onTime += 1;
    onTime.set(b.reader, t);
  }

  // 电费回收率: the month's issued bills (the one in force after corrections) in the person's
  // books, and the principal settled on them, less reversed payments.
  const collection = new Map<string, { billed: number; collected: number }>();
  for (const r of db.all<{ reader: string; billed: number; collected: number }>(sql`
    SELECT bk.reader_id AS reader, sum(b.total_fen) AS billed,
           sum(min(b.total_fen, coalesce((SELECT sum(l.principal_fen) FROM settlement_lines l JOIN settlements st ON st.id = l.settlement_id
                                          WHERE l.bill_id = b.id AND (st.payment_id IS NULL OR NOT EXISTS (SELECT 1 FROM payment_reversals pr WHERE pr.payment_id = st.payment_id))), 0))) AS collected
    FROM bills b JOIN bill_issues i ON i.bill_id = b.id JOIN books bk ON bk.id = b.book_id
    WHERE b.period = ${period} AND bk.reader_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM bills n JOIN bill_issues ni ON ni.bill_id = n.id WHERE n.replaces_bill_id = b.id)
    GROUP BY bk.reader_id`)) {
    collection.set(r.reader, r);
  }

  // 日结差错: the person's closings of the month with a cash difference.
  const closings = new Map<string, { filed: number; diffs: number; fen: number }>();
  for (const r of db.all<{ clerk: string; filed: number; diffs: number; fen: number }>(sql`
    SELECT clerk_id AS clerk, count(*) AS filed, sum(difference_fen <> 0) AS diffs, sum(abs(difference_fen)) AS fen
    FROM day_closings WHERE business_date BETWEEN ${m.first} AND ${m.last} GROUP BY clerk_id`)) {
    closings.set(r.clerk, r);
  }

  const reversals = countBy(db.all<{ who: string; n: number }>(sql`
    SELECT requested_by AS who, count(*) AS n FROM reversal_requests
    WHERE requested_at >= ${m.startMs} AND requested_at < ${m.endMs} AND requested_by IS NOT NULL GROUP BY requested_by`));
  const corrections = countBy(db.all<{ who: string; n: number }>(sql`
    SELECT requested_by AS who, count(*) AS n FROM bill_corrections
    WHERE requested_at >= ${m.startMs} AND requested_at < ${m.endMs} AND requested_by IS NOT NULL GROUP BY requested_by`));

  // 有效投诉, 回访满意率, 业扩时限达标率: from the customer-service desk's orders and visits.
  const service = serviceKpis(db, m.startMs, m.endMs);

  for (const id of staffIds) {
    const a = actual.get(id);
    put(id, rate('reading.actualRate', a?.actual ?? 0, a?.due ?? 0));
    const e = errors.get(id);
    put(id, rate('reading.errorRate', e?.corrected ?? 0, e?.entered ?? 0));
    put(id, e && e.entered > 0 ? count('reading.errorCount', e.corrected) : notMeasured('reading.errorCount'));
    const t = onTime.get(id);
    put(id, rate('reading.onTimeRate', t?.onTime ?? 0, t?.due ?? 0));
    const c = collection.get(id);
    put(id, rate('collection.rate', c?.collected ?? 0, c?.billed ?? 0));
    const k = closings.get(id);
    put(id, k ? count('closing.differenceCount', k.diffs) : notMeasured('closing.differenceCount'));
    put(id, k ? count('closing.differenceFen', k.fen) : notMeasured('closing.differenceFen'));
    put(id, count('collection.reversals', reversals.get(id) ?? 0));
    // Workload: by the clerk-and-day index, one person at a time (a scan of a year's payments otherwise).
    put(id, count('collection.payments', db.value<number>(sql`SELECT count(*) FROM payments WHERE clerk_id = ${id} AND business_date BETWEEN ${m.first} AND ${m.last}`) ?? 0));
    put(id, count('billing.corrections', corrections.get(id) ?? 0));
    for (const v of serviceKpisOf(service, id)) put(id, v);
    for (const code of UNMEASURED_KPIS) put(id, notMeasured(code));
  }
  return out;
}

function countBy(rows: { who: string; n: number }[]): Map<string, number> {
  return new Map(rows.map((r) => [r.who, r.n]));
}

interface BookCompletion {
  bookId: string;
  bookNo: string;
  name: string;
  reader: string | null;
  readingDay: number;
  deadline: string;
  deadlinePassed: boolean;
  due: number;
  readBy: number;
  lastDate: string | null;
  onTime: boolean;
}

/** Each book of the period: due meters, how many were read by the deadline, the last reading date. */
export function bookCompletion(db: ReadableDB, period: string, today: string, readerId?: string): BookCompletion[] {
  const policy = policyInForce(db, today);
  const rows = db.all<{ book_id: string; book_no: string; name: string; reader: string | null; reading_day: number; due: number; dates: string | null }>(sql`
    SELECT d.book_id, b.book_no, b.name, b.reader_id AS reader, b.reading_day, count(*) AS due,
           group_concat((SELECT r.reading_date FROM readings r WHERE r.period = d.period AND r.point_id = d.point_id AND r.supersedes IS NULL)) AS dates
    FROM reading_due d JOIN books b ON b.id = d.book_id
    WHERE d.period = ${period} AND ${periodPublished(period)} ${readerId ? sql`AND b.reader_id = ${readerId}` : sql``}
    GROUP BY d.book_id ORDER BY b.book_no`);
  return rows.map((r) => {
    const deadline = addDays(scheduledReadingDate(period, r.reading_day), policy.windowDaysAfter);
    const dates = r.dates ? r.dates.split(',') : [];
    const readBy = dates.filter((d) => d <= deadline).length;
    const lastDate = dates.length ? dates.reduce((a, b) => (a > b ? a : b)) : null;
    return {
      bookId: r.book_id,
      bookNo: r.book_no,
      name: r.name,
      reader: r.reader,
      readingDay: r.reading_day,
      deadline,
      deadlinePassed: today > deadline || readBy === r.due,
      due: r.due,
      readBy,
      lastDate,
      onTime: readBy === r.due,
    };
  });
}

export type DrillKind = 'text' | 'number' | 'fen' | 'date' | 'time';

export interface Drill {
  kpi: KpiCode;
  columns: { key: MessageKey; kind: DrillKind }[];
  rows: (string | number | null)[][];
  total: number;
  /** True when more rows exist than are listed. */
  truncated: boolean;
}

const DRILL_LIMIT = 2000;

/** The rows behind one person's KPI for the month. */
export function drillKpi(db: ReadableDB, period: string, staffId: string, kpi: KpiCode, today: string): Drill {
  const m = monthRange(period);
  const col = (key: MessageKey, kind: DrillKind = 'text') => ({ key, kind });
  const done = (columns: Drill['columns'], rows: Drill['rows'], total = rows.length): Drill => ({ kpi, columns, rows: rows.slice(0, DRILL_LIMIT), total, truncated: total > DRILL_LIMIT });
  switch (kpi) {
    case 'reading.actualRate': {
      // Meters not actually read first (what cost the points), then the rest.
      const rows = db.rows<(string | number | null)[]>(sql`
        SELECT b.book_no, d.seq, c.account_no, c.name, m.meter_no, coalesce(r.kind, 'not_entered'), r.reading_date, coalesce(r.reason, '')
        FROM reading_due d JOIN books b ON b.id = d.book_id
        JOIN metering_points p ON p.id = d.point_id JOIN customers c ON c.id = p.customer_id JOIN meters m ON m.id = d.meter_id
        LEFT JOIN readings r ON r.period = d.period AND r.point_id = d.point_id AND NOT EXISTS (SELECT 1 FROM readings s WHERE s.supersedes = r.id)
        WHERE d.period = ${period} AND ${periodPublished(period)} AND b.reader_id = ${staffId}
        ORDER BY coalesce(r.kind, 'not_entered') = 'actual', b.book_no, d.seq
        LIMIT ${DRILL_LIMIT + 1}`);
      const total = db.value<number>(sql`SELECT count(*) FROM reading_due d JOIN books b ON b.id = d.book_id WHERE d.period = ${period} AND ${periodPublished(period)} AND b.reader_id = ${staffId}`) ?? 0;
      return done([col('appraisal.drill.book'), col('appraisal.drill.seq', 'number'), col('appraisal.drill.account'), col('appraisal.drill.customer'), col('appraisal.drill.meter'), col('appraisal.drill.readingKind'), col('appraisal.drill.readingDate', 'date'), col('appraisal.drill.reason')], rows, total);
    }
    case 'reading.errorRate':
    case 'reading.errorCount': {
      const rows = db.rows<(string | number | null)[]>(sql`
        SELECT c.account_no, c.name, m.meter_no, r.reading_date, r.value, x.value, x.reason, coalesce(xs.name, ''), x.entered_at
        FROM readings r JOIN readings x ON x.supersedes = r.id
        JOIN metering_points p ON p.id = r.point_id JOIN customers c ON c.id = p.customer_id JOIN meters m ON m.id = r.meter_id
        LEFT JOIN staff xs ON xs.id = x.entered_by
        WHERE r.period = ${period} AND r.supersedes IS NULL AND r.kind <> 'no_access' AND coalesce(r.read_by, r.entered_by) = ${staffId}
        ORDER BY x.entered_at`);
      return done(
        [col('appraisal.drill.account'), col('appraisal.drill.customer'), col('appraisal.drill.meter'), col('appraisal.drill.readingDate', 'date'), col('appraisal.drill.entered', 'number'), col('appraisal.drill.corrected', 'number'), col('appraisal.drill.reason'), col('appraisal.drill.correctedBy'), col('appraisal.drill.correctedAt', 'time')],
        rows.map((r) => [r[0] ?? null, r[1] ?? null, r[2] ?? null, r[3] ?? null, r[4] === null ? null : Number(r[4]) / 100, r[5] === null ? null : Number(r[5]) / 100, r[6] ?? null, r[7] ?? null, r[8] ?? null]),
      );
    }
    case 'reading.onTimeRate': {
      const rows = bookCompletion(db, period, today, staffId).map((b) => [b.bookNo, b.name, b.deadline, b.due, b.readBy, b.lastDate, b.deadlinePassed ? (b.onTime ? 'yes' : 'no') : 'pending']);
      return done([col('appraisal.drill.book'), col('appraisal.drill.bookName'), col('appraisal.drill.deadline', 'date'), col('appraisal.drill.due', 'number'), col('appraisal.drill.readByDeadline', 'number'), col('appraisal.drill.lastDate', 'date'), col('appraisal.drill.onTime')], rows);
    }
    case 'collection.rate': {
      const rows = db.rows<(string | number | null)[]>(sql`
        SELECT b.bill_no, c.account_no, c.name, bk.book_no, b.total_fen,
               min(b.total_fen, coalesce((SELECT sum(l.principal_fen) FROM settlement_lines l JOIN settlements st ON st.id = l.settlement_id
                    WHERE l.bill_id = b.id AND (st.payment_id IS NULL OR NOT EXISTS (SELECT 1 FROM payment_reversals pr WHERE pr.payment_id = st.payment_id))), 0)) AS collected
        FROM bills b JOIN bill_issues i ON i.bill_id = b.id JOIN books bk ON bk.id = b.book_id JOIN customers c ON c.id = b.customer_id
        WHERE b.period = ${period} AND bk.reader_id = ${staffId}
          AND NOT EXISTS (SELECT 1 FROM bills n JOIN bill_issues ni ON ni.bill_id = n.id WHERE n.replaces_bill_id = b.id)
        ORDER BY collected - b.total_fen, bk.book_no, b.book_seq`);
      return done([col('appraisal.drill.bill'), col('appraisal.drill.account'), col('appraisal.drill.customer'), col('appraisal.drill.book'), col('appraisal.drill.billed', 'fen'), col('appraisal.drill.collected', 'fen')], rows);
    }
    case 'closing.differenceCount':
    case 'closing.differenceFen': {
      const rows = db.rows<(string | number | null)[]>(sql`
        SELECT business_date, payment_count, expected_cash_fen, counted_cash_fen, difference_fen, reason
        FROM day_closings WHERE clerk_id = ${staffId} AND business_date BETWEEN ${m.first} AND ${m.last} ORDER BY difference_fen = 0, business_date`);
      return done([col('appraisal.drill.businessDate', 'date'), col('appraisal.drill.payments', 'number'), col('appraisal.drill.expectedCash', 'fen'), col('appraisal.drill.countedCash', 'fen'), col('appraisal.drill.difference', 'fen'), col('appraisal.drill.reason')], rows);
    }
    case 'collection.reversals': {
      const rows = db.rows<(string | number | null)[]>(sql`
        SELECT q.requested_at, p.receipt_no, c.account_no, p.amount_fen, q.reason,
               CASE WHEN EXISTS (SELECT 1 FROM payment_reversals v WHERE v.request_id = q.id) THEN 'approved'
                    WHEN EXISTS (SELECT 1 FROM reversal_rejections j WHERE j.request_id = q.id) THEN 'rejected' ELSE 'pending' END
        FROM reversal_requests q JOIN payments p ON p.id = q.payment_id JOIN customers c ON c.id = p.customer_id
        WHERE q.requested_by = ${staffId} AND q.requested_at >= ${m.startMs} AND q.requested_at < ${m.endMs} ORDER BY q.requested_at`);
      return done([col('appraisal.drill.at', 'time'), col('appraisal.drill.receipt'), col('appraisal.drill.account'), col('appraisal.drill.amount', 'fen'), col('appraisal.drill.reason'), col('appraisal.drill.status')], rows);
    }
    case 'collection.payments': {
      const rows = db.rows<(string | number | null)[]>(sql`
        SELECT business_date, count(*), sum(amount_fen), min(receipt_no), max(receipt_no)
        FROM payments WHERE clerk_id = ${staffId} AND business_date BETWEEN ${m.first} AND ${m.last} GROUP BY business_date ORDER BY business_date`);
      return done([col('appraisal.drill.businessDate', 'date'), col('appraisal.drill.payments', 'number'), col('appraisal.drill.amount', 'fen'), col('appraisal.drill.firstReceipt'), col('appraisal.drill.lastReceipt')], rows);
    }
    case 'billing.corrections': {
      const rows = db.rows<(string | number | null)[]>(sql`
        SELECT k.requested_at, b.bill_no, c.account_no, b.period, k.reason, coalesce(d.decision, 'pending')
        FROM bill_corrections k JOIN bills b ON b.id = k.bill_id JOIN customers c ON c.id = b.customer_id
        LEFT JOIN bill_correction_decisions d ON d.correction_id = k.id
        WHERE k.requested_by = ${staffId} AND k.requested_at >= ${m.startMs} AND k.requested_at < ${m.endMs} ORDER BY k.requested_at`);
      return done([col('appraisal.drill.at', 'time'), col('appraisal.drill.bill'), col('appraisal.drill.account'), col('appraisal.drill.period'), col('appraisal.drill.reason'), col('appraisal.drill.status')], rows);
    }
    case 'service.complaints':
    case 'service.satisfaction':
    case 'service.newConnectionTimeliness': {
      const rows = serviceDrillRows(db, kpi, staffId, m.startMs, m.endMs);
      return done([col('appraisal.drill.at', 'time'), col('service.drill.order'), col('service.drill.detail'), col('appraisal.drill.account'), col('service.drill.figure'), col('appraisal.drill.reason')], rows);
    }
    default:
      return done([col('appraisal.drill.none')], []);
  }
}

export { KPI_UNITS };
