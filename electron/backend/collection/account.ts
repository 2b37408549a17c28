import { penaltyForBill, type CustomerClass, type OpenBill, type PenaltyPolicy } from '../../../shared/collection';
import type { Fen } from '../../../shared/money';
import type { DateString } from '../../../shared/time';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';

// A customer's account as the counter sees it, read from the facts: the ledger (0004) for what
// each issued bill charges and for the one balance, and settlement_lines for what was settled.
//
// - A bill's charge is the sum of its ledger entries other than collection's own (the bill, and
//   any credit a billing correction posted against it).
// - Its unpaid principal is charge − principal settled by settlements not reversed.
// - Its penalty is replayed from those settlements in date order: each one fixes the accrual
//   through its day (penaltyAccruedTo / penaltyAccruedFen in shared/collection/penalty.ts), so a
//   reversal of any payment, earlier or later, leaves an exact history without rewriting rows.
// - Prepaid balance (预收) is what the ledger balance leaves over once unpaid principal is
//   counted: Σ unpaid principal − ledger balance. Money paid in advance, an overpayment and a
//   bill corrected below what was paid on it all land there.

/** Ledger entry types the collection desk posts (ledger_entries.entry_type). */
export const COLLECTION_ENTRY_TYPES = ['payment', 'payment_reversal', 'penalty', 'penalty_reversal', 'penalty_waiver'] as const;
export type CollectionEntryType = (typeof COLLECTION_ENTRY_TYPES)[number];

/** Settlement lines still in force: their settlement is a prepaid draw, or a payment not reversed. */
export const LIVE_SETTLEMENT = sql`(s.payment_id IS NULL OR NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = s.payment_id))`;

export interface AccountBill extends OpenBill {
  /** What the bill charges now (after billing corrections). */
  chargeFen: Fen;
}

export interface CustomerAccount {
  customerId: string;
  customerClass: CustomerClass;
  /** Bills with principal or penalty still due on the day asked, oldest first by due date. */
  openBills: AccountBill[];
  /** Σ ledger entries: > 0 owed, < 0 prepaid. Unsettled penalties are not in it. */
  ledgerBalanceFen: Fen;
  /** Prepaid balance (预收电费) available to settle bills. */
  prepaidFen: Fen;
  /**
   * Σ unpaid principal − ledger balance before clamping at zero: negative only if money already
   * used to settle bills was taken back (a reversal must never leave it so).
   */
  prepaidRawFen: Fen;
}

interface BillRow {
  id: string;
  bill_no: string;
  period: string;
  due_date: string;
  charge_fen: number;
  settled_fen: number;
  reopened: number;
}

interface LineRow {
  bill_id: string;
  settle_date: string;
  penalty_fen: number;
  principal_fen: number;
}

interface WaiverRow {
  bill_id: string;
  waived_fen: number;
  whole: number;
}

export function ledgerBalance(db: ReadableDB, customerId: string): Fen {
  return db.value<number>(sql`SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries WHERE customer_id = ${customerId}`) ?? 0;
}

/**
 * The customer's open bills with their penalty state replayed to date, the ledger balance and
 * the prepaid balance. `payDate` decides which bills still ask for something (a bill whose
 * principal is paid but whose penalty a reversal reopened stays open while that is due).
 */
export function loadAccount(db: ReadableDB, customerId: string, payDate: DateString, policy: PenaltyPolicy): CustomerAccount {
  const customerClass = db.value<CustomerClass>(sql`SELECT customer_class FROM customers WHERE id = ${customerId}`);
  if (!customerClass) throw new Error(`customer ${customerId} not found`);
  const rows = db.all<BillRow>(sql`
    SELECT b.id, b.bill_no, b.period, i.due_date,
      coalesce((SELECT sum(l.amount_fen) FROM ledger_entries l
                WHERE l.bill_id = b.id AND l.entry_type NOT IN ${sql.list([...COLLECTION_ENTRY_TYPES])}), 0) AS charge_fen,
      coalesce((SELECT sum(sl.principal_fen) FROM settlement_lines sl JOIN settlements s ON s.id = sl.settlement_id
                WHERE sl.bill_id = b.id AND ${LIVE_SETTLEMENT}), 0) AS settled_fen,
      EXISTS (SELECT 1 FROM settlement_lines sl JOIN settlements s ON s.id = sl.settlement_id
              JOIN payment_reversals r ON r.payment_id = s.payment_id WHERE sl.bill_id = b.id) AS reopened
    FROM bills b JOIN bill_issues i ON i.bill_id = b.id
    WHERE b.customer_id = ${customerId}`);
  const ledgerBalanceFen = ledgerBalance(db, customerId);

  let unpaidPrincipal = 0;
  const candidates = rows.filter((r) => {
    const principal = r.charge_fen - r.settled_fen;
    if (principal > 0) unpaidPrincipal += principal;
    return principal > 0 || r.reopened === 1;
  });
  const prepaidRawFen = unpaidPrincipal - ledgerBalanceFen;
  const prepaidFen = Math.max(0, prepaidRawFen);
  if (candidates.length === 0) return { customerId, customerClass, openBills: [], ledgerBalanceFen, prepaidFen, prepaidRawFen };

  const ids = candidates.map((r) => r.id);
  const lines = db.all<LineRow>(sql`
    SELECT sl.bill_id, s.settle_date, sl.penalty_fen, sl.principal_fen
    FROM settlement_lines sl JOIN settlements s ON s.id = sl.settlement_id
    WHERE sl.bill_id IN ${sql.list(ids)} AND ${LIVE_SETTLEMENT}
    ORDER BY s.settle_date, s.at, s.id`);
  const waivers = db.all<WaiverRow>(sql`
    SELECT bill_id, sum(waived_fen) AS waived_fen, max(whole) AS whole
    FROM penalty_waivers WHERE bill_id IN ${sql.list(ids)} GROUP BY bill_id`);

  const openBills: AccountBill[] = [];
  for (const row of candidates) {
    const base: OpenBill = {
      billId: row.id,
      billNo: row.bill_no,
      period: row.period,
      customerClass,
      dueDate: row.due_date,
      principalFen: Math.max(0, row.charge_fen),
    };
    // Replay: each settlement fixes the penalty accrued through its day on the principal then unpaid.
    let principal = row.charge_fen;
    let accrued: { to: DateString; fen: Fen } | undefined;
    let penaltyPaid = 0;
    for (const line of lines) {
      if (line.bill_id !== row.id) continue;
      const step = penaltyForBill(
        { ...base, principalFen: Math.max(0, principal), penaltyPaidFen: penaltyPaid, ...(accrued ? { penaltyAccruedTo: accrued.to, penaltyAccruedFen: accrued.fen } : {}) },
        line.settle_date,
        policy,
      );
      accrued = { to: step.accruedTo, fen: step.accruedFen };
      penaltyPaid += line.penalty_fen;
      principal -= line.principal_fen;
    }
    const waiver = waivers.find((w) => w.bill_id === row.id);
    const bill: AccountBill = {
      ...base,
      chargeFen: row.charge_fen,
      principalFen: Math.max(0, principal),
      penaltyPaidFen: penaltyPaid,
      ...(accrued ? { penaltyAccruedTo: accrued.to, penaltyAccruedFen: accrued.fen } : {}),
      ...(waiver ? { penaltyWaivedFen: waiver.waived_fen, penaltyWaived: waiver.whole === 1 } : {}),
    };
    if (bill.principalFen > 0 || penaltyForBill(bill, payDate, policy).dueFen > 0) openBills.push(bill);
  }
  return { customerId, customerClass, openBills, ledgerBalanceFen, prepaidFen, prepaidRawFen };
}
