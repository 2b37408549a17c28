import { addDays, shanghaiDate, shanghaiMidnight } from '../../../shared/time';
import type { Actor, Unit } from '../audit/record';
import type { Backend } from '../context';
import type { Random } from '../demo/random';
import { uuidv7 } from '../db/ids';
import { breather, fixedSliceSize, writeInSlices } from '../demo/pace';
import { sql } from '../db/sql';
import { formatReceiptNo } from './payments';

// The demo station's payment history (电费收缴), written as the rows `postPayment` writes
// (payment, settlement with its line, the ledger's payment entry, the outbox) for months that are
// history: each issued bill paid at the counter by one of the station's clerks between the day
// after issue and its due date, so no penalty arises and the account replay needs no penalty
// state. What is left for someone trying the demo:
// - about one customer in ten has not paid their last one to three bills (arrears with penalties
//   accruing today; those more than 30 days overdue can be reminded and then noticed);
// - a bill whose due date has not come yet is paid by some and not yet by others;
// - about one payer in thirty rounded their last payment up to the next 100 yuan, so holds prepaid
//   balance (预收) that the next bills will draw.
// Writing these through postPayment one at a time would cost about 2 ms each: a 100,000-customer
// demo has over a million payments. The history's days are not closed (日结); today is open.

export interface DemoPaymentsResult {
  payments: number;
  unpaidBills: number;
  prepaidCustomers: number;
}

interface IssuedRow {
  bill_id: string;
  customer_id: string;
  period: string;
  total_fen: number;
  issued_at: number;
  due_date: string;
}

interface PlannedPayment {
  at: number;
  payDate: string;
  customerId: string;
  billId: string;
  period: string;
  billFen: number;
  amountFen: number;
}

/** Issued bills read at a time while planning (a month's, by customer): ~5-10 ms. */
const PLAN_ROWS = 1000;

const CHANNELS = ['cash', 'cash', 'cash', 'cash', 'qr', 'qr', 'qr', 'card', 'transfer'] as const;

export async function buildPaymentsDemo(
  backend: Backend,
  actor: Actor,
  clerks: { staffId: string }[],
  random: Random,
  /** The demo's today: payments are history before it. */
  asOf: string,
  progress: (done: number, total: number) => Promise<void>,
): Promise<DemoPaymentsResult> {
  if (clerks.length === 0) throw new Error('demo payments: no clerk to take them');
  const db = backend.store.read;
  const today = asOf;
  const station = backend.requireStation();
  // Issued bills in force, per customer oldest first, read a month at a time in pieces of
  // PLAN_ROWS bills (by the bills' (period, customer) index, no sort), then planned customer by
  // customer, with a turn of the loop whenever DEMO_PACE.targetMs is spent (issue 18: reading
  // every bill sorted by customer, planning and sorting the payments in one piece held the
  // building thread 1.85 s at 20,000 customers). The customers are planned in the same order (by
  // id, as the one read's ORDER BY customer_id, period), so the random draws are the same.
  const breathe = breather();
  const pieceRows = fixedSliceSize() ?? PLAN_ROWS; // the tests' small slices: a few bills a piece
  const byCustomer = new Map<string, IssuedRow[]>();
  for (let period = db.value<string>(sql`SELECT min(period) FROM bill_rows`); period != null; period = db.value<string>(sql`SELECT min(period) FROM bill_rows WHERE period > ${period}`)) {
    for (let after = ''; ; ) {
      const piece = db.all<IssuedRow>(sql`
        SELECT b.id AS bill_id, b.customer_id, b.period, b.total_fen, i.issued_at, i.due_date
        FROM bills_in_force b JOIN bill_issues i ON i.bill_id = b.id
        WHERE b.period = ${period} AND b.customer_id > ${after} AND b.total_fen > 0
        ORDER BY b.customer_id LIMIT ${pieceRows}`);
      for (const bill of piece) {
        const own = byCustomer.get(bill.customer_id);
        if (own) own.push(bill);
        else byCustomer.set(bill.customer_id, [bill]);
      }
      await breathe();
      if (piece.length < pieceRows) break;
      after = piece[piece.length - 1]!.customer_id;
    }
  }
  // The payments planned go by their pay date (to be sorted a day at a time, below).
  const byDay = new Map<string, PlannedPayment[]>();
  let unpaidBills = 0;
  let prepaidCustomers = 0;
  // The customers by id, a piece at a time from the table's key (not a sort of them all).
  for (let after = ''; ; ) {
    const ids = db.column<string>(sql`SELECT id FROM customers WHERE id > ${after} ORDER BY id LIMIT ${pieceRows}`);
    for (const customerId of ids) {
      const own = byCustomer.get(customerId);
      if (!own) continue;
      byCustomer.delete(customerId);
      plan(own);
      await breathe();
    }
    if (ids.length < pieceRows) break;
    after = ids[ids.length - 1]!;
  }

  function plan(own: IssuedRow[]): void {
    const leaveUnpaid = random.chance(0.1) ? 1 + random.int(0, 2) : 0;
    const roundsUp = random.chance(1 / 30);
    own.forEach((bill, index) => {
      const last = index === own.length - 1;
      if (index >= own.length - leaveUnpaid) {
        unpaidBills += 1;
        return;
      }
      const issuedOn = shanghaiDate(bill.issued_at);
      const window = Math.max(1, Math.min(14, daysBetween(issuedOn, bill.due_date)));
      const payDate = addDays(issuedOn, 1 + random.int(0, window - 1));
      if (payDate >= today) {
        unpaidBills += 1; // not due yet and not paid yet
        return;
      }
      const at = shanghaiMidnight(payDate) + (8.5 * 3600 + random.int(0, 8 * 3600)) * 1000;
      const amountFen = last && roundsUp ? Math.ceil((bill.total_fen + 1) / 10_000) * 10_000 : bill.total_fen;
      if (amountFen > bill.total_fen) prepaidCustomers += 1;
      const payment = { at, payDate, customerId: bill.customer_id, billId: bill.bill_id, period: bill.period, billFen: bill.total_fen, amountFen };
      const day = byDay.get(payDate);
      if (day) day.push(payment);
      else byDay.set(payDate, [payment]);
    });
  }
  // Receipt numbers run in the order the payments were taken: sorted a day at a time (a payment's
  // time is within its pay date, so the days in order, each sorted, are the whole sorted; the sort
  // is stable, so ties keep the planning's order as one sort of the whole did), with turns between.
  const planned: PlannedPayment[] = [];
  for (const day of [...byDay.keys()].sort()) {
    const own = byDay.get(day)!;
    own.sort((a, b) => a.at - b.at);
    for (const p of own) planned.push(p);
    byDay.delete(day);
    await breathe();
  }

  const receiptStart = db.value<number>(sql`SELECT value FROM counters WHERE name = 'receipt'`) ?? 0;
  // Slices of ~40 ms with a turn of the loop between (demo/pace.ts, issue 18): the random draws go
  // in the same order whatever the sizes; each slice brings the receipt counter up to its last payment.
  await writeInSlices(
    backend,
    actor,
    planned,
    (unit, p, i) => writePayment(unit, station, receiptStart + i + 1, p, clerks[random.int(0, clerks.length - 1)]?.staffId ?? '', random),
    {
      endSlice: (unit, upTo) =>
        unit.run(sql`INSERT INTO counters (name, value) VALUES ('receipt', ${receiptStart + upTo})
                     ON CONFLICT (name) DO UPDATE SET value = excluded.value`),
      afterSlice: (done) => progress(done, planned.length),
    },
  );
  return { payments: planned.length, unpaidBills, prepaidCustomers };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

function writePayment(unit: Unit, station: { id: string; code: string }, seq: number, p: PlannedPayment, clerkId: string, random: Random): void {
  const channel = CHANNELS[random.int(0, CHANNELS.length - 1)] ?? 'cash';
  // Cash is often a round note or two more than the bill.
  const tendered = channel === 'cash' ? Math.ceil(p.amountFen / 1000) * 1000 + (random.chance(0.3) ? 10_000 : 0) : p.amountFen;
  const receiptNo = formatReceiptNo(station.code, seq);
  const paymentId = uuidv7(p.at);
  const settlementId = uuidv7(p.at);
  const ledgerId = uuidv7(p.at);
  const toPrepaid = p.amountFen - p.billFen;
  const balanceBefore = p.billFen;
  const balanceAfter = p.billFen - p.amountFen;
  unit.run(sql`
    INSERT INTO payments (id, station_id, receipt_no, receipt_seq, idempotency_key, customer_id, amount_fen, channel, tendered_fen,
                          change_fen, reference, pay_date, business_date, clerk_id, balance_before_fen, balance_after_fen, posted_at)
    VALUES (${paymentId}, ${station.id}, ${receiptNo}, ${seq}, ${`demo-${seq}`}, ${p.customerId}, ${p.amountFen}, ${channel}, ${tendered},
            ${tendered - p.amountFen}, '', ${p.payDate}, ${p.payDate}, ${clerkId}, ${balanceBefore}, ${balanceAfter}, ${p.at})`);
  unit.run(sql`
    INSERT INTO settlements (id, station_id, customer_id, kind, payment_id, settle_date, prepaid_used_fen, to_prepaid_fen, at, by_staff)
    VALUES (${settlementId}, ${station.id}, ${p.customerId}, 'payment', ${paymentId}, ${p.payDate}, 0, ${toPrepaid}, ${p.at}, ${clerkId})`);
  unit.run(sql`
    INSERT INTO settlement_lines (settlement_id, line_no, bill_id, period, penalty_fen, principal_fen, days_late, penalty_accrued_to, penalty_accrued_fen)
    VALUES (${settlementId}, 1, ${p.billId}, ${p.period}, 0, ${p.billFen}, 0, ${p.payDate}, 0)`);
  unit.run(sql`
    INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, ref_id, period, at, by_staff, memo)
    VALUES (${ledgerId}, ${station.id}, ${p.customerId}, 'payment', ${-p.amountFen}, NULL, ${paymentId}, NULL, ${p.at}, ${clerkId}, ${receiptNo})`);
  unit.outbox({
    entity: 'payment',
    entityId: paymentId,
    op: 'insert',
    payload: {
      payment: {
        id: paymentId, receiptNo, receiptSeq: seq, idempotencyKey: `demo-${seq}`, customerId: p.customerId, amountFen: p.amountFen, channel,
        tenderedFen: tendered, changeFen: tendered - p.amountFen, reference: '', payDate: p.payDate, businessDate: p.payDate, clerkId,
        balanceBeforeFen: balanceBefore, balanceAfterFen: balanceAfter, postedAt: p.at,
      },
      settlement: {
        id: settlementId, kind: 'payment', settleDate: p.payDate, prepaidUsedFen: 0, toPrepaidFen: toPrepaid,
        lines: [{ lineNo: 1, billId: p.billId, period: p.period, penaltyFen: 0, principalFen: p.billFen, daysLate: 0, penaltyAccruedTo: p.payDate, penaltyAccruedFen: 0 }],
      },
      ledger: [{ id: ledgerId, entryType: 'payment', amountFen: -p.amountFen, billId: null, refId: paymentId, period: null, memo: receiptNo }],
    },
  });
}
