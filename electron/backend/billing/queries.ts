import type {
  BillDetail,
  BillDetails,
  BillingCounts,
  BillingProblem,
  BillingTotalsRow,
  BillNotice,
  BillReading,
  BillRow,
  BillStatus,
} from '../../../shared/contract';
import type { Locale } from '../../../shared/i18n';
import { renderStoredMessage } from '../../../shared/i18n/coded';
import { sql, type SqlFragment } from '../db/sql';
import { periodPublished } from '../readings/due';
import type { ReadableDB } from '../db/store';
import { notFound } from '../errors';
import { gatherInputs } from './calculate';
import { linesOf, listCorrections, type LineView } from './corrections';
import { billsOfCustomer } from './byCustomer';

// What the billing screens, the CLI and the notices read. Bills are facts; their status comes
// from the rows beside them: issued (bill_issues), voided (bill_voids), corrected (a bill names
// it in replaces_bill_id), else a draft under review.

const BILL_SELECT = sql`
  SELECT b.id, b.bill_no, b.customer_id, c.account_no, c.name AS customer_name, c.customer_class, b.period, b.kind,
         b.replaces_bill_id, b.tariff_code, b.tariff_effective_from, coalesce(t.name, b.tariff_code) AS tariff_name,
         b.kwh, b.total_fen, b.created_at, i.issued_at, i.due_date, bk.book_no, bk.name AS book_name, b.book_seq, b.details,
         c.township, c.village, c.address_detail, (SELECT o.bill_no FROM bills o WHERE o.id = b.replaces_bill_id) AS replaces_bill_no,
         EXISTS (SELECT 1 FROM bill_voids v WHERE v.bill_id = b.id) AS voided,
         EXISTS (SELECT 1 FROM bills r WHERE r.replaces_bill_id = b.id) AS replaced,
         EXISTS (SELECT 1 FROM bill_reviews rv WHERE rv.bill_id = b.id) AS reviewed,
         (SELECT json_group_array(json_object('code', g.code, 'params', json(g.params))) FROM bill_flags g WHERE g.bill_id = b.id) AS flags
  FROM bills b
  JOIN customers c ON c.id = b.customer_id
  LEFT JOIN tariff_versions t ON t.code = b.tariff_code AND t.effective_from = b.tariff_effective_from
  LEFT JOIN bill_issues i ON i.bill_id = b.id
  LEFT JOIN books bk ON bk.id = b.book_id`;

interface BillDbRow {
  id: string;
  bill_no: string;
  customer_id: string;
  account_no: string;
  customer_name: string;
  customer_class: BillRow['customerClass'];
  period: string;
  kind: BillRow['kind'];
  replaces_bill_id: string | null;
  tariff_code: string;
  tariff_effective_from: string;
  tariff_name: string;
  kwh: number;
  total_fen: number;
  created_at: number;
  issued_at: number | null;
  due_date: string | null;
  book_no: string | null;
  book_name: string | null;
  book_seq: number | null;
  details: string;
  township: string;
  village: string;
  address_detail: string;
  replaces_bill_no: string | null;
  voided: number;
  replaced: number;
  reviewed: number;
  flags: string;
}

function statusOf(r: BillDbRow): BillStatus {
  if (r.voided) return 'voided';
  if (r.replaced) return 'corrected';
  return r.issued_at !== null ? 'issued' : 'draft';
}

function toRow(r: BillDbRow): BillRow {
  return {
    id: r.id,
    billNo: r.bill_no,
    customerId: r.customer_id,
    accountNo: r.account_no,
    customerName: r.customer_name,
    customerClass: r.customer_class,
    period: r.period,
    kind: r.kind,
    replacesBillId: r.replaces_bill_id,
    tariffCode: r.tariff_code,
    tariffEffectiveFrom: r.tariff_effective_from,
    tariffName: r.tariff_name,
    kwh: r.kwh,
    totalFen: r.total_fen,
    status: statusOf(r),
    flags: JSON.parse(r.flags) as BillRow['flags'],
    reviewed: r.reviewed === 1,
    createdAt: r.created_at,
    issuedAt: r.issued_at,
    dueDate: r.due_date,
    bookNo: r.book_no,
    seq: r.book_seq,
  };
}

function statusWhere(status: BillStatus): SqlFragment {
  const voided = sql`EXISTS (SELECT 1 FROM bill_voids v WHERE v.bill_id = b.id)`;
  const replaced = sql`EXISTS (SELECT 1 FROM bills r WHERE r.replaces_bill_id = b.id)`;
  switch (status) {
    case 'voided':
      return voided;
    case 'corrected':
      return replaced;
    case 'issued':
      return sql`i.bill_id IS NOT NULL AND NOT ${replaced}`;
    case 'draft':
      return sql`i.bill_id IS NULL AND NOT ${voided} AND NOT ${replaced}`;
  }
}

/** Lines of many bills, fetched in batches (one query per 500 bills). */
function attachLines(db: ReadableDB, rows: BillRow[]): void {
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows) r.lines = [];
  const ids = [...byId.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    for (const l of db.iterate<LineView & { billId: string }>(sql`
        SELECT bill_id AS billId, line_no AS lineNo, kind, label_key AS labelKey, tier, tou_period AS touPeriod, quantity, unit,
               unit_price AS unitPrice, amount_fen AS amountFen
        FROM bill_lines WHERE bill_id IN ${sql.list(ids.slice(i, i + 500))} ORDER BY bill_id, line_no`)) {
      const { billId, ...line } = l;
      byId.get(billId)?.lines?.push(line);
    }
  }
}

export interface BillFilter {
  period?: string | undefined;
  bookId?: string | undefined;
  customerId?: string | undefined;
  status?: BillStatus | undefined;
  flaggedOnly?: boolean | undefined;
  search?: string | undefined;
  includeLines?: boolean | undefined;
  limit: number;
  offset: number;
}

export function listBills(db: ReadableDB, filter: BillFilter): { rows: BillRow[]; total: number } {
  const where = [sql`1 = 1`];
  if (filter.period) where.push(sql`b.period = ${filter.period}`);
  if (filter.bookId) where.push(sql`b.book_id = ${filter.bookId}`);
  if (filter.customerId) where.push(billsOfCustomer(filter.customerId));
  if (filter.status) where.push(statusWhere(filter.status));
  if (filter.flaggedOnly) where.push(sql`EXISTS (SELECT 1 FROM bill_flags g WHERE g.bill_id = b.id)`);
  if (filter.search) {
    where.push(sql`(c.account_no LIKE ${sql.startsWith(filter.search)} OR b.bill_no LIKE ${sql.contains(filter.search)} OR c.name LIKE ${sql.contains(filter.search)})`);
  }
  const condition = sql.join(where, sql` AND `);
  const total =
    db.value<number>(sql`
      SELECT count(*) FROM bills b JOIN customers c ON c.id = b.customer_id LEFT JOIN bill_issues i ON i.bill_id = b.id
      WHERE ${condition}`) ?? 0;
  const order = filter.customerId ? sql`b.period DESC, b.created_at DESC` : sql`b.period DESC, bk.book_no, b.book_seq, b.bill_no`;
  const rows = db
    .all<BillDbRow>(sql`${BILL_SELECT} WHERE ${condition} ORDER BY ${order} LIMIT ${filter.limit} OFFSET ${filter.offset}`)
    .map(toRow);
  if (filter.includeLines) attachLines(db, rows);
  return { rows, total };
}

function readingsOf(db: ReadableDB, billId: string): BillReading[] {
  return db
    .all<Omit<BillReading, 'touConsumption'> & { touConsumption: string | null }>(sql`
      SELECT r.id AS readingId, r.point_id AS pointId, p.label AS pointLabel, m.meter_no AS meterNo, m.multiplier,
             r.reading_date AS readingDate, r.kind, r.previous_value AS previousValue, r.value, r.consumption, r.tou_consumption AS touConsumption
      FROM bill_readings br
      JOIN readings r ON r.id = br.reading_id
      JOIN metering_points p ON p.id = r.point_id
      JOIN meters m ON m.id = r.meter_id
      WHERE br.bill_id = ${billId}
      ORDER BY p.created_at, p.id`)
    .map((r) => ({ ...r, touConsumption: r.touConsumption ? (JSON.parse(r.touConsumption) as Record<string, number>) : null }));
}

/** bills.details is stored without its empty fields (see compactDetails); this puts them back. */
function detailsOf(text: string): BillDetails {
  const raw = JSON.parse(text) as Partial<BillDetails> & { tiers?: Partial<NonNullable<BillDetails['tiers']>> };
  const tiers = raw.tiers;
  return {
    tiers:
      tiers?.basis && tiers.bounds && tiers.kwh
        ? {
            basis: tiers.basis,
            bounds: tiers.bounds,
            household: tiers.household ?? 'standard',
            tierYearStart: tiers.tierYearStart ?? null,
            months: tiers.months ?? null,
            kwh: tiers.kwh,
            cumulativeBefore: tiers.cumulativeBefore ?? null,
          }
        : null,
    touKwh: raw.touKwh ?? null,
    powerFactor: raw.powerFactor ?? null,
    capacityKva: raw.capacityKva ?? null,
    maxDemandKw: raw.maxDemandKw ?? null,
  };
}

function billDbRow(db: ReadableDB, where: SqlFragment, what: string): BillDbRow {
  const row = db.get<BillDbRow>(sql`${BILL_SELECT} WHERE ${where}`);
  if (!row) throw notFound(what);
  return row;
}

export function getBill(db: ReadableDB, billNo: string): BillDetail {
  const r = billDbRow(db, sql`b.bill_no = ${billNo}`, `bill ${billNo}`);
  const extra = db.get<{ created_by: string | null; issued_by: string | null; replaced_by_id: string | null; replaced_by_no: string | null; replaces_no: string | null }>(sql`
    SELECT cs.name AS created_by, iss.name AS issued_by, nb.id AS replaced_by_id, nb.bill_no AS replaced_by_no, ob.bill_no AS replaces_no
    FROM bills b
    LEFT JOIN staff cs ON cs.id = b.created_by
    LEFT JOIN bill_issues i ON i.bill_id = b.id
    LEFT JOIN staff iss ON iss.id = i.issued_by
    LEFT JOIN bills nb ON nb.replaces_bill_id = b.id
    LEFT JOIN bills ob ON ob.id = b.replaces_bill_id
    WHERE b.id = ${r.id}`);
  const reviews = db.all<{ at: number; staffName: string | null; note: string }>(sql`
    SELECT v.reviewed_at AS at, s.name AS staffName, v.note FROM bill_reviews v LEFT JOIN staff s ON s.id = v.reviewed_by
    WHERE v.bill_id = ${r.id} ORDER BY v.reviewed_at`);
  const voided = db.get<{ at: number; staffName: string | null; reason: string }>(sql`
    SELECT v.voided_at AS at, s.name AS staffName, v.reason FROM bill_voids v LEFT JOIN staff s ON s.id = v.voided_by WHERE v.bill_id = ${r.id}`);
  return {
    ...toRow(r),
    lines: linesOf(db, r.id),
    details: detailsOf(r.details),
    readings: readingsOf(db, r.id),
    createdBy: extra?.created_by ?? null,
    reviews,
    voided: voided ?? null,
    issuedBy: extra?.issued_by ?? null,
    replacedBy: extra?.replaced_by_id && extra.replaced_by_no ? { billId: extra.replaced_by_id, billNo: extra.replaced_by_no } : null,
    replaces: r.replaces_bill_id && extra?.replaces_no ? { billId: r.replaces_bill_id, billNo: extra.replaces_no } : null,
    corrections: listCorrections(db, { billId: r.id }),
  };
}

export function billRowById(db: ReadableDB, billId: string): BillRow {
  return toRow(billDbRow(db, sql`b.id = ${billId}`, `bill ${billId}`));
}

/** The customer page's section: every bill with its lines, newest first, and the ledger balance. */
export function customerBills(db: ReadableDB, customerId: string): BillRow[] {
  return listBills(db, { customerId, includeLines: true, limit: 120, offset: 0 }).rows;
}

// ---------------------------------------------------------------------------------------------
// The period's state, exceptions and totals.

const ZERO: BillingCounts = { due: 0, ready: 0, waiting: 0, unbilled: 0, draft: 0, issued: 0, flaggedUnreviewed: 0, problems: 0, draftFen: 0, issuedFen: 0 };

interface ProblemDbRow {
  customer_id: string;
  account_no: string;
  customer_name: string;
  customer_class: BillingProblem['customerClass'];
  tariff_code: string | null;
  book_id: string | null;
  book_no: string | null;
  code: string;
  detail: string;
}

/** Customers the latest run that tried them could not bill, and who still have no bill in force. */
function problems(db: ReadableDB, period: string, bookId?: string): ProblemDbRow[] {
  return db.all<ProblemDbRow>(sql`
    SELECT p.customer_id, c.account_no, c.name AS customer_name, c.customer_class, c.tariff_code, d.book_id, bk.book_no, p.code, p.detail
    FROM billing_run_problems p
    JOIN billing_runs r ON r.id = p.run_id
    JOIN customers c ON c.id = p.customer_id
    LEFT JOIN (SELECT mp.customer_id, min(rd.book_id) AS book_id FROM reading_due rd JOIN metering_points mp ON mp.id = rd.point_id
               WHERE rd.period = ${period} GROUP BY mp.customer_id) d ON d.customer_id = p.customer_id
    LEFT JOIN books bk ON bk.id = d.book_id
    WHERE r.period = ${period}
      AND r.finished_at = (SELECT max(r2.finished_at) FROM billing_runs r2 JOIN billing_run_problems p2 ON p2.run_id = r2.id
                           WHERE r2.period = ${period} AND p2.customer_id = p.customer_id)
      AND NOT EXISTS (SELECT 1 FROM bills_in_force b WHERE b.customer_id = p.customer_id AND b.period = ${period})
      ${bookId ? sql`AND EXISTS (SELECT 1 FROM reading_due rd JOIN metering_points mp ON mp.id = rd.point_id
                                 WHERE rd.period = ${period} AND rd.book_id = ${bookId} AND mp.customer_id = p.customer_id)` : sql``}
    ORDER BY bk.book_no, c.account_no`);
}

/**
 * Where a period stands. Bills, problems and due points are counted per book with SQL; who is
 * ready, waiting or still unbilled needs every due point's reading, so it is worked out for the
 * scope asked about only (one book is quick; the whole station reads every reading of the month).
 */
export function billingStatus(db: ReadableDB, period: string, bookId?: string) {
  const books = db.all<{ id: string; book_no: string; name: string; due: number }>(sql`
    SELECT bk.id, bk.book_no, bk.name, count(d.point_id) AS due
    FROM books bk JOIN reading_due d ON d.book_id = bk.id AND d.period = ${period}
    WHERE ${periodPublished(period)}
    GROUP BY bk.id ORDER BY bk.book_no`);
  const counts = new Map<string, BillingCounts>(books.map((b) => [b.id, { ...ZERO, due: b.due }]));
  const station: BillingCounts = { ...ZERO, due: books.reduce((s, b) => s + b.due, 0) };
  const add = (book: string | null, patch: Partial<BillingCounts>) => {
    for (const target of [book ? counts.get(book) : undefined, station]) {
      if (!target) continue;
      for (const [k, v] of Object.entries(patch) as [keyof BillingCounts, number][]) target[k] += v;
    }
  };
  for (const row of db.iterate<{ book_id: string | null; issued: number; n: number; fen: number; flagged: number }>(sql`
      SELECT b.book_id, (i.bill_id IS NOT NULL) AS issued, count(*) AS n, sum(b.total_fen) AS fen,
             sum(EXISTS (SELECT 1 FROM bill_flags g WHERE g.bill_id = b.id) AND NOT EXISTS (SELECT 1 FROM bill_reviews r WHERE r.bill_id = b.id)) AS flagged
      FROM bills_in_force b LEFT JOIN bill_issues i ON i.bill_id = b.id
      WHERE b.period = ${period} GROUP BY b.book_id, issued`)) {
    add(row.book_id, row.issued ? { issued: row.n, issuedFen: row.fen } : { draft: row.n, draftFen: row.fen, flaggedUnreviewed: row.flagged });
  }
  for (const p of problems(db, period)) add(p.book_id, { problems: 1 });
  const inputs = gatherInputs(db, { period, bookId });
  const scoped = (book: string | null | undefined) => (bookId ? bookId : (book ?? null));
  for (const r of inputs.ready) add(scoped(r.book?.bookId), { ready: 1, unbilled: inputs.billed.has(r.customer.id) ? 0 : 1 });
  for (const w of inputs.waiting) add(scoped(w.bookId), { waiting: 1 });
  const lastRunAt = db.value<number | null>(sql`SELECT max(finished_at) FROM billing_runs WHERE period = ${period}`) ?? null;
  return {
    period,
    totals: bookId ? (counts.get(bookId) ?? ZERO) : station,
    books: books.map((b) => ({ ...(counts.get(b.id) ?? ZERO), bookId: b.id, bookNo: b.book_no, bookName: b.name })),
    /** Ready / waiting / unbilled are counted for this scope only. */
    scope: bookId ?? null,
    lastRunAt,
  };
}

/** Bills held by their flags and customers who could not be billed; a problem's reason in the reader's language. */
export function billingExceptions(db: ReadableDB, period: string, bookId: string | undefined, locale: Locale) {
  const bills = db
    .all<BillDbRow>(sql`${BILL_SELECT}
      WHERE b.period = ${period} ${bookId ? sql`AND b.book_id = ${bookId}` : sql``}
        AND i.bill_id IS NULL
        AND NOT EXISTS (SELECT 1 FROM bill_voids v WHERE v.bill_id = b.id)
        AND EXISTS (SELECT 1 FROM bill_flags g WHERE g.bill_id = b.id)
      ORDER BY bk.book_no, b.book_seq, b.bill_no`)
    .map(toRow);
  attachLines(db, bills);
  return {
    bills,
    problems: problems(db, period, bookId).map(
      (p): BillingProblem => ({
        customerId: p.customer_id,
        accountNo: p.account_no,
        customerName: p.customer_name,
        customerClass: p.customer_class,
        tariffCode: p.tariff_code,
        bookNo: p.book_no,
        code: p.code,
        detail: p.code === 'cannot_compute' ? renderStoredMessage(locale, p.detail) : p.detail,
      }),
    ),
  };
}

export function billingSummary(db: ReadableDB, period: string, bookId?: string) {
  const group = (key: SqlFragment, label: SqlFragment, join: SqlFragment = sql``): BillingTotalsRow[] =>
    db.all<BillingTotalsRow>(sql`
      SELECT coalesce(${key}, '') AS key, coalesce(${label}, '') AS label, count(*) AS bills, coalesce(sum(b.kwh), 0) AS kwh,
             coalesce(sum(b.total_fen), 0) AS amountFen
      FROM bills_in_force b JOIN customers c ON c.id = b.customer_id ${join}
      WHERE b.period = ${period} ${bookId ? sql`AND b.book_id = ${bookId}` : sql``}
      GROUP BY 1 ORDER BY 1`);
  const byBook = group(sql`b.book_id`, sql`bk.book_no || ' ' || bk.name`, sql`LEFT JOIN books bk ON bk.id = b.book_id`).sort((a, b) => a.label.localeCompare(b.label));
  const byClass = group(sql`c.customer_class`, sql`c.customer_class`);
  const byTariff = group(
    sql`b.tariff_code`,
    sql`(SELECT t.name FROM tariff_versions t WHERE t.code = b.tariff_code ORDER BY t.effective_from DESC LIMIT 1)`,
  );
  const sum = (rows: BillingTotalsRow[]) => ({
    key: 'total',
    label: '',
    bills: rows.reduce((s, r) => s + r.bills, 0),
    kwh: rows.reduce((s, r) => s + r.kwh, 0),
    amountFen: rows.reduce((s, r) => s + r.amountFen, 0),
  });
  return { period, byBook, byClass, byTariff, totals: sum(byClass) };
}

// ---------------------------------------------------------------------------------------------
// Bill notices (电费通知单).

export function billNotices(db: ReadableDB, input: { billNos?: string[] | undefined; period?: string | undefined; bookId?: string | undefined }): BillNotice[] {
  const where = input.billNos
    ? sql`b.bill_no IN ${sql.list(input.billNos)}`
    : sql`b.period = ${input.period ?? ''} ${input.bookId ? sql`AND b.book_id = ${input.bookId}` : sql``}
          AND NOT EXISTS (SELECT 1 FROM bills r WHERE r.replaces_bill_id = b.id)`;
  const rows = db.all<BillDbRow>(sql`${BILL_SELECT} WHERE ${where} AND i.bill_id IS NOT NULL ORDER BY bk.book_no, b.book_seq, b.bill_no`);
  return rows.map((r): BillNotice => {
    const issuedAt = r.issued_at ?? 0;
    // 上期结欠: the balance when the bill was issued, without this bill's own entries.
    const arrearsFen =
      db.value<number>(sql`
        SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries
        WHERE customer_id = ${r.customer_id} AND at <= ${issuedAt} AND (bill_id IS NULL OR bill_id <> ${r.id})`) ?? 0;
    return {
      billId: r.id,
      billNo: r.bill_no,
      period: r.period,
      kind: r.kind,
      replacesBillNo: r.replaces_bill_no,
      accountNo: r.account_no,
      customerName: r.customer_name,
      address: [r.township, r.village, r.address_detail].filter(Boolean).join(''),
      customerClass: r.customer_class,
      tariffCode: r.tariff_code,
      tariffName: r.tariff_name,
      bookNo: r.book_no,
      bookName: r.book_name,
      seq: r.book_seq,
      readings: readingsOf(db, r.id),
      kwh: r.kwh,
      lines: linesOf(db, r.id),
      details: detailsOf(r.details),
      totalFen: r.total_fen,
      arrearsFen,
      amountDueFen: Math.max(0, r.total_fen + arrearsFen),
      issuedAt,
      dueDate: r.due_date ?? '',
    };
  });
}
