import { disconnectionEligibility, earliestDisconnectionDate, noticeDays, totalDue, type CustomerClass } from '../../../shared/collection';
import type { ArrearsFilter, ArrearsRow } from '../../../shared/contract/collection';
import { fenToYuan, sumFen } from '../../../shared/money';
import { addDays, daysBetween, shanghaiDate, type DateString } from '../../../shared/time';
import type { Unit } from '../audit/record';
import type { StationIdentity } from '../context';
import { uuidv7 } from '../db/ids';
import { changeCounter, changesSince } from '../db/changes';
import { sql, type SqlFragment } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { refuse } from '../errors';
import { yieldToLoop } from '../jobs/runner';
import { loadAccounts } from './account';
import { disconnectionPolicyOn, penaltyPolicyOn } from './policy';
import { customerAddress } from './receipts';
import { requireDisconnectionApproval } from '../service/segments';

// Arrears (欠费): customers with bills past their due date still unpaid, with penalties to
// today; reminders (催费通知单) issued by book or for chosen accounts; and the accounts a
// disconnection notice (停电通知) may be given to under policy — more than 30 days overdue and
// reminded since the due date (shared/collection/disconnection.ts). Nothing is ever cut off by
// the program: the notice is printed and handed over, the rest is people's work.

interface CandidateDbRow {
  id: string;
  account_no: string;
  name: string;
  phone: string;
  township: string;
  village: string;
  address_detail: string;
  transformer_area: string;
  customer_class: CustomerClass;
  book_id: string | null;
  book_no: string | null;
  book_name: string | null;
  last_reminder_id: string | null;
  last_reminder_date: string | null;
  last_notice_date: string | null;
}

export interface ArrearsCase extends ArrearsRow {
  lastReminderId: string | null;
}

/** The book a customer is read in: the book of their first metering point (抄表本). */
const BOOK_OF_CUSTOMER = sql`(SELECT bp.book_id FROM metering_points mp JOIN book_points bp ON bp.point_id = mp.id
                              WHERE mp.customer_id = c.id ORDER BY mp.created_at, mp.id LIMIT 1)`;

function candidates(db: ReadableDB, filter: ArrearsFilter, only?: readonly string[]): CandidateDbRow[] {
  const where: SqlFragment[] = [sql`1 = 1`];
  if (filter.township) where.push(sql`c.township = ${filter.township}`);
  if (filter.village) where.push(sql`c.village = ${filter.village}`);
  if (filter.transformerArea) where.push(sql`c.transformer_area = ${filter.transformerArea}`);
  if (filter.bookId) where.push(sql`${BOOK_OF_CUSTOMER} = ${filter.bookId}`);
  if (only) where.push(sql`c.id IN ${sql.list([...only])}`);
  // A customer owes something only if the ledger says so; the open bills then say what and since when.
  // For the whole station, `+customer_id` keeps SQLite from summing in customer order through
  // ledger_customer (a table lookup for each of millions of entries): it reads ledger_period,
  // which holds customer and amount, and sorts — 16 s → 2 s on the 100,000-customer demo.
  const balances = only
    ? sql`SELECT customer_id, sum(amount_fen) AS balance FROM ledger_entries WHERE customer_id IN ${sql.list([...only])} GROUP BY customer_id`
    : sql`SELECT customer_id, sum(amount_fen) AS balance FROM ledger_entries GROUP BY +customer_id`;
  return db.all<CandidateDbRow>(sql`
    SELECT c.id, c.account_no, c.name, c.phone, c.township, c.village, c.address_detail, c.transformer_area, c.customer_class,
           bk.id AS book_id, bk.book_no, bk.name AS book_name,
           rm.id AS last_reminder_id, rm.reminder_date AS last_reminder_date,
           (SELECT max(n.notice_date) FROM disconnection_notices n WHERE n.customer_id = c.id) AS last_notice_date
    FROM (${balances} HAVING balance > 0) bal
    JOIN customers c ON c.id = bal.customer_id
    LEFT JOIN books bk ON bk.id = ${BOOK_OF_CUSTOMER}
    LEFT JOIN arrears_reminders rm ON rm.id = (SELECT r.id FROM arrears_reminders r WHERE r.customer_id = c.id
                                               ORDER BY r.reminder_date DESC, r.issued_at DESC LIMIT 1)
    WHERE ${sql.join(where, sql` AND `)}`);
}

function casesOf(db: ReadableDB, today: DateString, filter: ArrearsFilter, rows: readonly CandidateDbRow[]): ArrearsCase[] {
  const penaltyPolicy = penaltyPolicyOn(db, today);
  const disconnection = disconnectionPolicyOn(db, today);
  const accounts = new Map(loadAccounts(db, rows.map((c) => c.id), today, penaltyPolicy).map((a) => [a.customerId, a]));
  const out: ArrearsCase[] = [];
  for (const c of rows) {
    const account = accounts.get(c.id);
    // Arrears are bills past their due date (a bill not yet due is not owed yet).
    const overdue = account?.openBills.filter((b) => b.dueDate < today) ?? [];
    if (!account || overdue.length === 0) continue;
    const due = totalDue(overdue, today, penaltyPolicy, account.prepaidFen);
    const principalFen = Math.max(0, due.principalFen - due.prepaidOffsetFen);
    const penaltyFen = due.penaltyFen;
    if (principalFen + penaltyFen === 0) continue;
    const oldestDueDate = due.bills.find((b) => b.principalFen > 0)?.dueDate ?? due.bills[0]?.dueDate ?? today;
    const check = disconnectionEligibility(
      { customerClass: c.customer_class, oldestDueDate, arrearsFen: principalFen, reminderDate: c.last_reminder_date },
      today,
      disconnection,
    );
    const row: ArrearsCase = {
      customerId: c.id,
      accountNo: c.account_no,
      name: c.name,
      phone: c.phone,
      address: customerAddress(c),
      township: c.township,
      village: c.village,
      transformerArea: c.transformer_area,
      customerClass: c.customer_class,
      book: c.book_id ? { id: c.book_id, bookNo: c.book_no ?? '', name: c.book_name ?? '' } : null,
      periods: due.bills.map((b) => b.period),
      principalFen,
      penaltyFen,
      totalFen: principalFen + penaltyFen,
      prepaidFen: account.prepaidFen,
      oldestDueDate,
      daysOverdue: Math.max(0, daysBetween(oldestDueDate, today)),
      lastReminderDate: c.last_reminder_date,
      lastReminderId: c.last_reminder_id,
      lastNoticeDate: c.last_notice_date,
      eligible: check.eligible,
      blocks: check.blocks,
    };
    if (matches(row, filter)) out.push(row);
  }
  return out;
}

const mostOverdueFirst = (a: ArrearsCase, b: ArrearsCase) =>
  b.daysOverdue - a.daysOverdue || (a.accountNo < b.accountNo ? -1 : a.accountNo > b.accountNo ? 1 : 0);

/** Every customer in arrears matching the filter, most overdue first (inside a transaction). */
export function arrearsCases(db: ReadableDB, today: DateString, filter: ArrearsFilter, only?: readonly string[]): ArrearsCase[] {
  return casesOf(db, today, filter, candidates(db, filter, only)).sort(mostOverdueFirst);
}

function matches(row: ArrearsCase, filter: ArrearsFilter): boolean {
  return (
    (!filter.township || row.township === filter.township) &&
    (!filter.village || row.village === filter.village) &&
    (!filter.transformerArea || row.transformerArea === filter.transformerArea) &&
    (!filter.bookId || row.book?.id === filter.bookId) &&
    (filter.minDaysOverdue === undefined || row.daysOverdue >= filter.minDaysOverdue) &&
    (filter.minAmountFen === undefined || row.principalFen >= filter.minAmountFen) &&
    (!filter.eligibleOnly || row.eligible)
  );
}

/**
 * How the first station-wide list is read (issue 18): in slices, each a bounded piece of work on
 * the back end's thread, with a turn of the event loop between them, so a payment at the counter
 * never waits for the whole list (one query over every ledger entry held the thread for about
 * 2 s on the 100,000-customer station). Tests and the bench set `onSlice`.
 */
export const arrearsSlicing = {
  /** Ledger entries summed per slice to start with; then sized so a slice takes about `targetMs`. */
  ledgerRows: 50_000,
  /** Customers in arrears worked out per slice (their bills, payments and penalties). */
  customers: 500,
  /** 0 keeps `ledgerRows` fixed (tests). */
  targetMs: 80,
  /** Called after each slice with its time (before the turn of the loop); throwing stops the list. */
  onSlice: undefined as ((ms: number) => void | Promise<void>) | undefined,
};

async function afterSlice(started: number): Promise<void> {
  await arrearsSlicing.onSlice?.(performance.now() - started);
  await yieldToLoop();
}

/**
 * The whole station's arrears, most overdue first, built in slices: first who owes anything (the
 * ledger summed by rowid range up to `mark.ledgerRowid`, which reads the table in order, as the
 * one query did), then their cases in blocks. Each case is worked out from the customer's rows as
 * they stand when its block runs, so a payment between slices is seen; at the end, customers with
 * ledger entries or file edits after the mark are worked out again (a bill issued to someone who
 * owed nothing at the start). If anything else was recorded meanwhile (a reminder batch, bills
 * issued in bulk), the caller's kept mark makes the next request build the list again.
 */
async function stationArrears(db: ReadableDB, today: DateString, mark: { ledgerRowid: number; outboxSeq: number }): Promise<ArrearsCase[]> {
  const balances = new Map<string, number>();
  let rows = arrearsSlicing.ledgerRows;
  for (let from = 0; from < mark.ledgerRowid; ) {
    const started = performance.now();
    const to = Math.min(mark.ledgerRowid, from + rows);
    // `+customer_id`: sum the range in rowid order and sort, never walk the customer index.
    for (const r of db.all<{ customer_id: string; balance: number }>(sql`
        SELECT customer_id, sum(amount_fen) AS balance FROM ledger_entries WHERE rowid > ${from} AND rowid <= ${to} GROUP BY +customer_id`)) {
      balances.set(r.customer_id, (balances.get(r.customer_id) ?? 0) + r.balance);
    }
    from = to;
    const ms = performance.now() - started;
    if (arrearsSlicing.targetMs > 0) rows = Math.max(5_000, Math.min(1_000_000, Math.round((rows * arrearsSlicing.targetMs) / Math.max(ms, 1))));
    await afterSlice(started);
  }
  const owing = [...balances].filter(([, balance]) => balance > 0).map(([id]) => id);
  const byId = new Map<string, ArrearsCase>();
  for (let i = 0; i < owing.length; i += arrearsSlicing.customers) {
    const started = performance.now();
    for (const c of casesOf(db, today, {}, candidates(db, {}, owing.slice(i, i + arrearsSlicing.customers)))) byId.set(c.customerId, c);
    await afterSlice(started);
  }
  const changed = customersChanged(db, mark);
  if (changed && changed.length > 0) {
    for (const id of changed) byId.delete(id);
    for (const c of casesOf(db, today, {}, candidates(db, {}, changed))) byId.set(c.customerId, c);
  }
  return [...byId.values()].sort(mostOverdueFirst);
}

// The station's list is computed once and kept. Filters then apply in memory, so trying one
// filter after another costs nothing on a 100,000-customer station. What was written since it
// was made decides how it is brought up to date:
// - only payments and what goes with them (ledger entries, settlements, reversal requests, day
//   closings) and edits of customer files: just the customers concerned are worked out again (a
//   payment at the counter must not cost the station head's screen a whole recomputation);
// - anything else recorded (reminders, notices, bills issued in bulk, tariffs …), or a new day:
//   the whole list again.
const REFRESH_BY_CUSTOMER = new Set(['payment', 'settlement', 'reversal_request', 'day_closing', 'customer']);

interface KeptArrears {
  today: DateString;
  ledgerRowid: number;
  outboxSeq: number;
  cases: Promise<Map<string, ArrearsCase>>;
}
const kept = new WeakMap<ReadableDB, KeptArrears>();

async function stationArrearsById(db: ReadableDB, today: DateString, mark: { ledgerRowid: number; outboxSeq: number }): Promise<Map<string, ArrearsCase>> {
  return new Map((await stationArrears(db, today, mark)).map((c) => [c.customerId, c]));
}

/** The customers whose arrears must be worked out again since `since` was made, or null when what was written needs the whole list again. */
function customersChanged(db: ReadableDB, since: { ledgerRowid: number; outboxSeq: number }): string[] | null {
  // No DISTINCT: with it SQLite walks the whole customer index (0.3 s) instead of the new rows.
  // Rows since the list was made may have been pruned by an ack (sync): then what changed is unknown.
  const changes = changesSince(db, since.outboxSeq);
  if (changes === null) return null;
  const changed = new Set(db.column<string>(sql`SELECT customer_id FROM ledger_entries WHERE rowid > ${since.ledgerRowid}`));
  for (const row of changes) {
    if (!REFRESH_BY_CUSTOMER.has(row.entity)) return null;
    if (row.entity === 'customer') changed.add(row.entity_id);
  }
  return changed.size > 500 ? null : [...changed];
}

export async function arrearsList(db: ReadableDB, today: DateString, filter: ArrearsFilter): Promise<ArrearsCase[]> {
  const ledgerRowid = db.value<number>(sql`SELECT max(rowid) FROM ledger_entries`) ?? 0;
  // The store's change counter (db/changes.ts).
  const outboxSeq = changeCounter(db);
  let entry = kept.get(db);
  if (!entry || entry.today !== today || entry.ledgerRowid !== ledgerRowid || entry.outboxSeq !== outboxSeq) {
    const previous = entry?.today === today ? entry : undefined;
    const changed = previous ? customersChanged(db, previous) : null;
    const cases: Promise<Map<string, ArrearsCase>> =
      previous && changed
        ? previous.cases.then((byId) => {
            const next = new Map(byId);
            for (const id of changed) next.delete(id);
            if (changed.length > 0) for (const c of casesOf(db, today, {}, candidates(db, {}, changed))) next.set(c.customerId, c);
            return next;
          })
        : stationArrearsById(db, today, { ledgerRowid, outboxSeq });
    entry = { today, ledgerRowid, outboxSeq, cases };
    kept.set(db, entry);
    const made = entry;
    cases.catch(() => {
      if (kept.get(db) === made) kept.delete(db);
    });
  }
  return [...(await entry.cases).values()].filter((row) => matches(row, filter)).sort(mostOverdueFirst);
}

export function arrearsTotals(rows: readonly ArrearsRow[]) {
  return { principalFen: sumFen(rows.map((r) => r.principalFen)), penaltyFen: sumFen(rows.map((r) => r.penaltyFen)) };
}

/** Issues one reminder to each customer in arrears in the book (or each named customer). */
export function issueReminders(
  unit: Unit,
  target: { bookId?: string | undefined; customerIds?: readonly string[] | undefined },
  payWithinDays: number,
): { batchId: string; count: number } {
  if (!target.bookId && !target.customerIds?.length) throw refuse('arrears.bookOrCustomers');
  const today = shanghaiDate(unit.at);
  const cases = arrearsCases(unit, today, target.bookId ? { bookId: target.bookId } : {}, target.customerIds);
  if (cases.length === 0) throw refuse('arrears.nobodyToRemind', {}, 'conflict');
  const batchId = uuidv7(unit.at);
  const stationId = unit.stationId();
  const payBy = addDays(today, payWithinDays);
  const reminders = cases.map((c) => {
    const reminder = {
      id: uuidv7(unit.at),
      customerId: c.customerId,
      bookId: c.book?.id ?? null,
      principalFen: c.principalFen,
      penaltyFen: c.penaltyFen,
      oldestDueDate: c.oldestDueDate,
      periods: c.periods,
    };
    unit.run(sql`
      INSERT INTO arrears_reminders (id, station_id, batch_id, customer_id, book_id, reminder_date, principal_fen, penalty_fen,
                                     oldest_due_date, periods, pay_by_date, issued_by, issued_at)
      VALUES (${reminder.id}, ${stationId}, ${batchId}, ${c.customerId}, ${reminder.bookId}, ${today}, ${c.principalFen}, ${c.penaltyFen},
              ${c.oldestDueDate}, ${JSON.stringify(c.periods)}, ${payBy}, ${unit.actor.staffId}, ${unit.at})`);
    return reminder;
  });
  unit.record({
    action: 'arrears.remind',
    entity: 'arrears_reminder_batch',
    entityId: batchId,
    op: 'insert',
    summary: { count: reminders.length, ...(target.bookId ? { bookId: target.bookId } : {}), principal: fenToYuan(arrearsTotals(cases).principalFen) },
    payload: { batchId, reminderDate: today, payByDate: payBy, reminders },
  });
  return { batchId, count: reminders.length };
}

interface ReminderDbRow {
  id: string;
  account_no: string;
  name: string;
  phone: string;
  township: string;
  village: string;
  address_detail: string;
  book_no: string | null;
  book_name: string | null;
  periods: string;
  principal_fen: number;
  penalty_fen: number;
  oldest_due_date: string;
  reminder_date: string;
  pay_by_date: string;
}

/** A batch of reminders for printing, in book order (抄表序号) then account number. */
export function reminderBatch(db: ReadableDB, station: StationIdentity, batchId: string) {
  const rows = db.all<ReminderDbRow>(sql`
    SELECT r.id, c.account_no, c.name, c.phone, c.township, c.village, c.address_detail, bk.book_no, bk.name AS book_name,
           r.periods, r.principal_fen, r.penalty_fen, r.oldest_due_date, r.reminder_date, r.pay_by_date
    FROM arrears_reminders r JOIN customers c ON c.id = r.customer_id LEFT JOIN books bk ON bk.id = r.book_id
    WHERE r.batch_id = ${batchId}
    ORDER BY (SELECT min(bp.seq) FROM metering_points mp JOIN book_points bp ON bp.point_id = mp.id AND bp.book_id = r.book_id
              WHERE mp.customer_id = c.id), c.account_no`);
  if (rows.length === 0) throw refuse('arrears.batchNotFound', {}, 'not_found');
  const first = rows[0];
  return {
    station: { code: station.code, name: station.name },
    batchId,
    book: first?.book_no ? { bookNo: first.book_no, name: first.book_name ?? '' } : null,
    rows: rows.map((r) => ({
      reminderId: r.id,
      accountNo: r.account_no,
      name: r.name,
      address: customerAddress(r),
      phone: r.phone,
      bookNo: r.book_no,
      periods: JSON.parse(r.periods) as string[],
      principalFen: r.principal_fen,
      penaltyFen: r.penalty_fen,
      oldestDueDate: r.oldest_due_date,
      reminderDate: r.reminder_date,
      payByDate: r.pay_by_date,
    })),
  };
}

/** Issues a disconnection notice to an account that is eligible today. */
export function issueNotice(unit: Unit, customerId: string): string {
  const today = shanghaiDate(unit.at);
  const [row] = arrearsCases(unit, today, {}, [customerId]);
  const policy = disconnectionPolicyOn(unit, today);
  if (!row || !row.eligible || !row.lastReminderId) {
    const accountNo = row?.accountNo ?? unit.value<string>(sql`SELECT account_no FROM customers WHERE id = ${customerId}`);
    if (!accountNo) throw refuse('collection.customerNotFound', { what: customerId }, 'not_found');
    const block = row?.blocks[0] ?? 'no_arrears';
    throw refuse(`arrears.notEligible.${block}`, { accountNo, days: policy.overdueDaysMoreThan }, 'conflict');
  }
  requireDisconnectionApproval(unit, customerId, row.accountNo); // 独居老人、低保、医疗设备: the head approves first (customer service)
  const id = uuidv7(unit.at);
  const earliest = earliestDisconnectionDate(row.customerClass, today, policy);
  unit.run(sql`
    INSERT INTO disconnection_notices (id, station_id, customer_id, reminder_id, notice_date, earliest_disconnection_date, principal_fen,
                                       penalty_fen, oldest_due_date, days_overdue, issued_by, issued_at)
    VALUES (${id}, ${unit.stationId()}, ${customerId}, ${row.lastReminderId}, ${today}, ${earliest}, ${row.principalFen}, ${row.penaltyFen},
            ${row.oldestDueDate}, ${row.daysOverdue}, ${unit.actor.staffId}, ${unit.at})`);
  unit.record({
    action: 'arrears.notice',
    entity: 'disconnection_notice',
    entityId: id,
    op: 'insert',
    summary: { accountNo: row.accountNo, principal: fenToYuan(row.principalFen), daysOverdue: row.daysOverdue, earliest },
    payload: {
      id, customerId, reminderId: row.lastReminderId, noticeDate: today, earliestDisconnectionDate: earliest, principalFen: row.principalFen,
      penaltyFen: row.penaltyFen, oldestDueDate: row.oldestDueDate, daysOverdue: row.daysOverdue,
    },
  });
  return id;
}

export function noticeView(db: ReadableDB, station: StationIdentity, noticeId: string) {
  const row = db.get<{
    id: string; account_no: string; name: string; township: string; village: string; address_detail: string; customer_class: CustomerClass;
    principal_fen: number; penalty_fen: number; oldest_due_date: string; days_overdue: number; reminder_date: string; notice_date: string;
    earliest_disconnection_date: string; issued_by: string;
  }>(sql`
    SELECT n.id, c.account_no, c.name, c.township, c.village, c.address_detail, c.customer_class, n.principal_fen, n.penalty_fen,
           n.oldest_due_date, n.days_overdue, r.reminder_date, n.notice_date, n.earliest_disconnection_date,
           coalesce((SELECT s.staff_no || ' ' || s.name FROM staff s WHERE s.id = n.issued_by), '') AS issued_by
    FROM disconnection_notices n JOIN customers c ON c.id = n.customer_id JOIN arrears_reminders r ON r.id = n.reminder_id
    WHERE n.id = ${noticeId}`);
  if (!row) throw refuse('arrears.noticeNotFound', {}, 'not_found');
  return {
    noticeId: row.id,
    station: { code: station.code, name: station.name },
    accountNo: row.account_no,
    name: row.name,
    address: customerAddress(row),
    customerClass: row.customer_class,
    principalFen: row.principal_fen,
    penaltyFen: row.penalty_fen,
    oldestDueDate: row.oldest_due_date,
    daysOverdue: row.days_overdue,
    reminderDate: row.reminder_date,
    noticeDate: row.notice_date,
    earliestDisconnectionDate: row.earliest_disconnection_date,
    noticeDays: noticeDays(row.customer_class, disconnectionPolicyOn(db, row.notice_date)),
    issuedBy: row.issued_by,
  };
}

export function arrearsFilters(db: ReadableDB) {
  return {
    townships: db.column<string>(sql`SELECT DISTINCT township FROM customers ORDER BY township`),
    villages: db.all<{ township: string; village: string }>(sql`SELECT DISTINCT township, village FROM customers ORDER BY township, village`),
    transformerAreas: db.column<string>(sql`SELECT DISTINCT transformer_area FROM customers ORDER BY transformer_area`),
    books: db.all<{ id: string; bookNo: string; name: string }>(sql`SELECT id, book_no AS bookNo, name FROM books WHERE active = 1 ORDER BY book_no`),
  };
}
