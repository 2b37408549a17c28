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

interface LedgerRow {
  bill_id: string | null;
  entry_type: string;
  amount_fen: number;
}

interface LineRow {
  bill_id: string;
  settle_date: string;
  penalty_fen: number;
  principal_fen: number;
  reversed: number;
}

interface BillRow {
  id: string;
  bill_no: string;
  period: string;
  due_date: string;
}

interface WaiverRow {
  bill_id: string;
  waived_fen: number;
  whole: number;
}

const COLLECTION_TYPES = new Set<string>(COLLECTION_ENTRY_TYPES);

/**
 * The customer's open bills with their penalty state replayed to date, the ledger balance and
 * the prepaid balance. `payDate` decides which bills still ask for something (a bill whose
 * principal is paid but whose penalty a reversal reopened stays open while that is due).
 */
export function loadAccount(db: ReadableDB, customerId: string, payDate: DateString, policy: PenaltyPolicy): CustomerAccount {
  const [account] = loadAccounts(db, [customerId], payDate, policy);
  if (!account) throw new Error(`customer ${customerId} not found`);
  return account;
}

/** Many customers' accounts with a few queries per 500 customers (the arrears list). */
export function loadAccounts(db: ReadableDB, customerIds: readonly string[], payDate: DateString, policy: PenaltyPolicy): CustomerAccount[] {
  const out: CustomerAccount[] = [];
  for (let i = 0; i < customerIds.length; i += 500) out.push(...loadChunk(db, customerIds.slice(i, i + 500), payDate, policy));
  return out;
}

function loadChunk(db: ReadableDB, ids: readonly string[], payDate: DateString, policy: PenaltyPolicy): CustomerAccount[] {
  const classes = new Map(db.all<{ id: string; customer_class: CustomerClass }>(sql`SELECT id, customer_class FROM customers WHERE id IN ${sql.list([...ids])}`).map((c) => [c.id, c.customer_class]));
  // The ledger: each customer's balance, and what each issued bill charges.
  const balance = new Map<string, Fen>();
  const charges = new Map<string, { customerId: string; fen: Fen }>();
  for (const e of db.all<LedgerRow & { customer_id: string }>(sql`
    SELECT customer_id, bill_id, entry_type, amount_fen FROM ledger_entries WHERE customer_id IN ${sql.list([...ids])}`)) {
    balance.set(e.customer_id, (balance.get(e.customer_id) ?? 0) + e.amount_fen);
    if (e.bill_id === null || COLLECTION_TYPES.has(e.entry_type)) continue;
    const charge = charges.get(e.bill_id);
    if (charge) charge.fen += e.amount_fen;
    else charges.set(e.bill_id, { customerId: e.customer_id, fen: e.amount_fen });
  }
  // Every settlement line, in the order the money came.
  const lines = db.all<LineRow>(sql`
    SELECT sl.bill_id, s.settle_date, sl.penalty_fen, sl.principal_fen, r.id IS NOT NULL AS reversed
    FROM settlements s JOIN settlement_lines sl ON sl.settlement_id = s.id
    LEFT JOIN payment_reversals r ON r.payment_id = s.payment_id
    WHERE s.customer_id IN ${sql.list([...ids])}
    ORDER BY s.settle_date, s.at, s.id, sl.line_no`);
  const settled = new Map<string, Fen>();
  const linesOf = new Map<string, LineRow[]>();
  const reopened = new Set<string>();
  for (const l of lines) {
    if (l.reversed) {
      reopened.add(l.bill_id);
      continue;
    }
    settled.set(l.bill_id, (settled.get(l.bill_id) ?? 0) + l.principal_fen);
    const list = linesOf.get(l.bill_id);
    if (list) list.push(l);
    else linesOf.set(l.bill_id, [l]);
  }

  const unpaid = new Map<string, Fen>();
  const candidates: string[] = [];
  for (const [billId, charge] of charges) {
    const principal = charge.fen - (settled.get(billId) ?? 0);
    if (principal > 0) unpaid.set(charge.customerId, (unpaid.get(charge.customerId) ?? 0) + principal);
    if (principal > 0 || reopened.has(billId)) candidates.push(billId);
  }
  const bills = candidates.length
    ? db.all<BillRow>(sql`SELECT b.id, b.bill_no, b.period, i.due_date FROM bills b JOIN bill_issues i ON i.bill_id = b.id WHERE b.id IN ${sql.list(candidates)}`)
    : [];
  const waivers = new Map(
    (candidates.length
      ? db.all<WaiverRow>(sql`SELECT bill_id, sum(waived_fen) AS waived_fen, max(whole) AS whole FROM penalty_waivers WHERE bill_id IN ${sql.list(candidates)} GROUP BY bill_id`)
      : []
    ).map((w) => [w.bill_id, w]),
  );

  const open = new Map<string, AccountBill[]>();
  for (const row of bills) {
    const charge = charges.get(row.id);
    const customerClass = charge ? classes.get(charge.customerId) : undefined;
    if (!charge || !customerClass) continue;
    const base: OpenBill = { billId: row.id, billNo: row.bill_no, period: row.period, customerClass, dueDate: row.due_date, principalFen: Math.max(0, charge.fen) };
    // Replay: each settlement fixes the penalty accrued through its day on the principal then unpaid.
    let principal = charge.fen;
    let accrued: { to: DateString; fen: Fen } | undefined;
    let penaltyPaid = 0;
    for (const line of linesOf.get(row.id) ?? []) {
      const step = penaltyForBill(
        { ...base, principalFen: Math.max(0, principal), penaltyPaidFen: penaltyPaid, ...(accrued ? { penaltyAccruedTo: accrued.to, penaltyAccruedFen: accrued.fen } : {}) },
        line.settle_date,
        policy,
      );
      accrued = { to: step.accruedTo, fen: step.accruedFen };
      penaltyPaid += line.penalty_fen;
      principal -= line.principal_fen;
    }
    const waiver = waivers.get(row.id);
    const bill: AccountBill = {
      ...base,
      chargeFen: charge.fen,
      principalFen: Math.max(0, principal),
      penaltyPaidFen: penaltyPaid,
      ...(accrued ? { penaltyAccruedTo: accrued.to, penaltyAccruedFen: accrued.fen } : {}),
      ...(waiver ? { penaltyWaivedFen: waiver.waived_fen, penaltyWaived: waiver.whole === 1 } : {}),
    };
    if (bill.principalFen > 0 || penaltyForBill(bill, payDate, policy).dueFen > 0) {
      const list = open.get(charge.customerId);
      if (list) list.push(bill);
      else open.set(charge.customerId, [bill]);
    }
  }

  return ids.flatMap((customerId): CustomerAccount[] => {
    const customerClass = classes.get(customerId);
    if (!customerClass) return [];
    const ledgerBalanceFen = balance.get(customerId) ?? 0;
    const prepaidRawFen = (unpaid.get(customerId) ?? 0) - ledgerBalanceFen;
    return [{ customerId, customerClass, openBills: open.get(customerId) ?? [], ledgerBalanceFen, prepaidFen: Math.max(0, prepaidRawFen), prepaidRawFen }];
  });
}
