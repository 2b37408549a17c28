import { penaltyForBill } from '../../../shared/collection';
import { fenToYuan, type Fen } from '../../../shared/money';
import { shanghaiDate } from '../../../shared/time';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import { refuse } from '../errors';
import { loadAccount } from './account';
import type { Clerk } from './payments';
import { penaltyPolicyOn } from './policy';

// Penalty waiver (违约金减免): the station head waives, with a reason, the penalty a bill asks
// for today — or, with `whole`, the bill's penalty for good, including what would still accrue.
// The ledger shows it as the penalty charged and the same amount waived, so the balance does not
// move (penalties reach the ledger only when settled or waived).

export function waivePenalty(unit: Unit, billId: string, reason: string, whole: boolean, head: Clerk, requestedBy: string | null): { waivedFen: Fen; whole: boolean } {
  const bill = unit.get<{ id: string; bill_no: string; customer_id: string; period: string }>(sql`
    SELECT b.id, b.bill_no, b.customer_id, b.period FROM bills b JOIN bill_issues i ON i.bill_id = b.id WHERE b.id = ${billId}`);
  if (!bill) throw refuse('collection.billNotFound', { what: billId }, 'not_found');
  const today = shanghaiDate(unit.at);
  const policy = penaltyPolicyOn(unit, today);
  const open = loadAccount(unit, bill.customer_id, today, policy).openBills.find((b) => b.billId === billId);
  const due = open ? penaltyForBill(open, today, policy).dueFen : 0;
  const nothingLeft = !open || open.penaltyWaived === true || (due === 0 && (!whole || open.principalFen === 0));
  if (nothingLeft) throw refuse('collection.noPenaltyToWaive', { billNo: bill.bill_no }, 'conflict');

  const id = uuidv7(unit.at);
  const stationId = unit.stationId();
  unit.run(sql`
    INSERT INTO penalty_waivers (id, station_id, customer_id, bill_id, waive_date, waived_fen, whole, reason, approved_by, requested_by, at)
    VALUES (${id}, ${stationId}, ${bill.customer_id}, ${billId}, ${today}, ${due}, ${whole}, ${reason}, ${head.id}, ${requestedBy}, ${unit.at})`);
  const ledger: Record<string, unknown>[] = [];
  if (due > 0) {
    for (const [entryType, amountFen] of [['penalty', due], ['penalty_waiver', -due]] as const) {
      const entry = { id: uuidv7(unit.at), entryType, amountFen, billId, refId: id, period: bill.period };
      unit.run(sql`
        INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, ref_id, period, at, by_staff, memo)
        VALUES (${entry.id}, ${stationId}, ${bill.customer_id}, ${entryType}, ${amountFen}, ${billId}, ${id}, ${bill.period}, ${unit.at}, ${head.id}, ${reason})`);
      ledger.push(entry);
    }
  }
  unit.record({
    action: 'penalty.waive',
    entity: 'penalty_waiver',
    entityId: id,
    op: 'insert',
    summary: { billNo: bill.bill_no, amount: fenToYuan(due), whole, reason },
    payload: { id, customerId: bill.customer_id, billId, waiveDate: today, waivedFen: due, whole, reason, approvedBy: head.id, requestedBy, at: unit.at, ledger },
  });
  return { waivedFen: due, whole };
}
