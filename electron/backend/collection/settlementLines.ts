import { daysLate, type allocatePayment, type OpenBill, type PenaltyPolicy } from '../../../shared/collection';
import type { DateString } from '../../../shared/time';
import type { Unit } from '../audit/record';
import { sql } from '../db/sql';

/** One line of a settlement (销账明细): what one bill got, and its penalty accrual after it. */
export interface SettlementLine {
  lineNo: number;
  billId: string;
  period: string;
  penaltyFen: number;
  principalFen: number;
  daysLate: number;
  penaltyAccruedTo: string;
  penaltyAccruedFen: number;
}

/**
 * Writes the lines of a settlement from an allocation (a counter payment's, or prepaid drawn onto
 * new bills), in the caller's transaction, and returns them for the outbox and the ledger's
 * penalty entries, which the caller posts with its own reference.
 */
export function writeSettlementLines(
  unit: Unit,
  settlementId: string,
  allocation: ReturnType<typeof allocatePayment>,
  openBills: readonly OpenBill[],
  settleDate: DateString,
  policy: PenaltyPolicy,
): SettlementLine[] {
  const after = new Map(allocation.remaining.map((r) => [r.billId, r]));
  const late = new Map(openBills.map((b) => [b.billId, daysLate(b, settleDate, policy)]));
  return allocation.allocations.map((a, index) => {
    const state = after.get(a.billId);
    if (!state) throw new Error(`allocation for bill ${a.billId} has no state`);
    const line: SettlementLine = {
      lineNo: index + 1,
      billId: a.billId,
      period: a.period,
      penaltyFen: a.penaltyFen,
      principalFen: a.principalFen,
      daysLate: late.get(a.billId) ?? 0,
      penaltyAccruedTo: state.penaltyAccruedTo,
      penaltyAccruedFen: state.penaltyAccruedFen,
    };
    unit.run(sql`
      INSERT INTO settlement_lines (settlement_id, line_no, bill_id, period, penalty_fen, principal_fen, days_late, penalty_accrued_to, penalty_accrued_fen)
      VALUES (${settlementId}, ${line.lineNo}, ${line.billId}, ${line.period}, ${line.penaltyFen}, ${line.principalFen}, ${line.daysLate},
              ${line.penaltyAccruedTo}, ${line.penaltyAccruedFen})`);
    return line;
  });
}
