import type { Fen } from '../../../shared/money';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { billsOfCustomer } from './byCustomer';

// The customer ledger (客户账): the one account balance that collection settles against.
// amount_fen > 0 increases what the customer owes (a bill), < 0 decreases it (a payment, a
// credit). Balance = sum; a negative balance is prepaid (预收电费). Billing writes two kinds of
// entry: 'bill' when a bill is issued and 'bill_credit' when an issued bill is corrected (冲正).

/** A bill as it reaches the ledger: what collection needs to settle it. */
export interface IssuedBill {
  billId: string;
  billNo: string;
  customerId: string;
  period: string;
  totalFen: Fen;
  issuedAt: number;
  dueDate: string;
  /** The ledger entry that charged it. */
  ledgerEntryId: string;
}

/** An issued bill credited by a correction: the credit and the bill that replaces it. */
export interface CreditedBill {
  billId: string;
  billNo: string;
  customerId: string;
  creditFen: Fen;
  creditEntryId: string;
  replacedByBillId: string;
}

/**
 * Called inside the issuing transaction, once per batch of bills issued (a billing run's issue,
 * or a correction's new bill). Collection registers here to draw prepaid balance onto new bills
 * (an overpayment becomes prepaid balance, which the next bills draw on when issued). A hook that
 * throws rolls the whole issue back. Starts empty.
 */
export type BillsIssuedHook = (unit: Unit, bills: readonly IssuedBill[]) => void;
export const BILLS_ISSUED_HOOKS: BillsIssuedHook[] = [];

/**
 * Called inside the correction's transaction when an issued bill is credited (before the new
 * bill's issue hooks run), so collection can release what it had allocated to the old bill.
 */
export type BillCreditedHook = (unit: Unit, credited: CreditedBill) => void;
export const BILL_CREDITED_HOOKS: BillCreditedHook[] = [];

/** What the customer owes now (negative = prepaid), in fen. */
export function customerBalance(db: ReadableDB, customerId: string): Fen {
  return db.value<number>(sql`SELECT coalesce(sum(amount_fen), 0) FROM ledger_entries WHERE customer_id = ${customerId}`) ?? 0;
}

/**
 * The customer's issued bills in force (not replaced by a correction), oldest first by due date,
 * period and bill number — the order collection settles them in. Whether and how much of each is
 * paid is collection's record, not billing's.
 */
export function openBills(db: ReadableDB, customerId: string): Omit<IssuedBill, 'ledgerEntryId'>[] {
  return db.all<Omit<IssuedBill, 'ledgerEntryId'>>(sql`
    SELECT b.id AS billId, b.bill_no AS billNo, b.customer_id AS customerId, b.period, b.total_fen AS totalFen,
           i.issued_at AS issuedAt, i.due_date AS dueDate
    FROM bills_in_force b JOIN bill_issues i ON i.bill_id = b.id
    WHERE ${billsOfCustomer(customerId)}
    ORDER BY i.due_date, b.period, b.bill_no, b.id`);
}

/**
 * Issues one bill: the issue row and the charge on the ledger. The caller records the issued
 * bills (recordIssues) and runs the hooks for the batch.
 */
export function postBillCharge(
  unit: Unit,
  bill: { id: string; billNo: string; customerId: string; period: string; totalFen: Fen },
  dueDate: string,
  issuedAt: number = unit.at,
): IssuedBill {
  const entryId = uuidv7(issuedAt);
  const staffId = unit.actor.staffId;
  unit.run(sql`INSERT INTO bill_issues (bill_id, issued_at, issued_by, due_date) VALUES (${bill.id}, ${issuedAt}, ${staffId}, ${dueDate})`);
  unit.run(sql`
    INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, ref_id, period, at, by_staff, memo)
    VALUES (${entryId}, ${unit.stationId()}, ${bill.customerId}, 'bill', ${bill.totalFen}, ${bill.id}, NULL, ${bill.period}, ${issuedAt}, ${staffId}, ${bill.billNo})`);
  return { billId: bill.id, billNo: bill.billNo, customerId: bill.customerId, period: bill.period, totalFen: bill.totalFen, issuedAt, dueDate, ledgerEntryId: entryId };
}

/**
 * Audit + outbox for bills issued together: each issue travels with its ledger charge as its own
 * outbox row; the audit log gets one entry per 500 bills.
 */
export function recordIssues(unit: Unit, issued: readonly IssuedBill[]): void {
  const issuedBy = unit.actor.staffId;
  for (const b of issued) {
    unit.outbox({
      entity: 'bill_issue',
      entityId: b.billId,
      op: 'insert',
      payload: {
        billId: b.billId,
        issuedAt: b.issuedAt,
        issuedBy,
        dueDate: b.dueDate,
        ledgerEntry: { id: b.ledgerEntryId, customerId: b.customerId, entryType: 'bill', amountFen: b.totalFen, billId: b.billId, period: b.period, at: b.issuedAt, byStaff: issuedBy },
      },
    });
  }
  for (let i = 0; i < issued.length; i += 500) {
    const part = issued.slice(i, i + 500);
    const first = part[0];
    if (!first) break;
    unit.audit({
      action: 'bill.issue',
      entity: 'bill',
      entityId: part.length === 1 ? first.billId : null,
      summary:
        part.length === 1
          ? { billNo: first.billNo, period: first.period, totalFen: first.totalFen, dueDate: first.dueDate }
          : { bills: part.length, from: first.billNo, to: part.at(-1)?.billNo, totalFen: part.reduce((s, b) => s + b.totalFen, 0), dueDate: first.dueDate },
    });
  }
}

/** Credits an issued bill in full (冲正), naming the correction that caused it. */
export function postBillCredit(
  unit: Unit,
  bill: { id: string; billNo: string; customerId: string; period: string; totalFen: Fen },
  correctionId: string,
  memo: string,
): string {
  const entryId = uuidv7(unit.at);
  unit.run(sql`
    INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, ref_id, period, at, by_staff, memo)
    VALUES (${entryId}, ${unit.stationId()}, ${bill.customerId}, 'bill_credit', ${-bill.totalFen}, ${bill.id}, ${correctionId}, ${bill.period}, ${unit.at}, ${unit.actor.staffId}, ${memo})`);
  unit.record({
    action: 'bill.credit',
    entity: 'ledger_entry',
    entityId: entryId,
    op: 'insert',
    summary: { billNo: bill.billNo, amountFen: -bill.totalFen, correctionId },
    payload: { id: entryId, customerId: bill.customerId, entryType: 'bill_credit', amountFen: -bill.totalFen, billId: bill.id, refId: correctionId, period: bill.period, at: unit.at, memo },
  });
  return entryId;
}

export function runIssuedHooks(unit: Unit, bills: readonly IssuedBill[]): void {
  if (bills.length === 0) return;
  for (const hook of BILLS_ISSUED_HOOKS) hook(unit, bills);
}

export function runCreditedHooks(unit: Unit, credited: CreditedBill): void {
  for (const hook of BILL_CREDITED_HOOKS) hook(unit, credited);
}

export interface LedgerLine {
  id: string;
  at: number;
  entryType: string;
  amountFen: Fen;
  billNo: string | null;
  period: string | null;
  memo: string;
}

/** The customer's ledger entries, newest first (at most `limit`). */
export function ledgerOf(db: ReadableDB, customerId: string, limit = 200): LedgerLine[] {
  return db.all<LedgerLine>(sql`
    SELECT e.id, e.at, e.entry_type AS entryType, e.amount_fen AS amountFen, b.bill_no AS billNo, e.period, e.memo
    FROM ledger_entries e LEFT JOIN bills b ON b.id = e.bill_id
    WHERE e.customer_id = ${customerId}
    ORDER BY e.at DESC, e.rowid DESC
    LIMIT ${limit}`);
}
