import { allocatePayment } from '../../../shared/collection';
import { fenToYuan } from '../../../shared/money';
import { shanghaiDate } from '../../../shared/time';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import { loadAccounts } from './account';
import { penaltyPolicyOn } from './policy';
import { writeSettlementLines } from './settlementLines';

// Prepaid balance drawn onto newly issued bills (预收转实收), inside the issuing transaction: a
// customer holding prepaid balance has it applied to their open bills, oldest first, as a
// settlement of kind 'prepaid'. No money moves, so the ledger gets no payment entry (only the
// penalty of an older bill, if the draw settles one, is charged as the counter would).
//
// Who can hold prepaid when bills are issued: customers who once paid more than they owed
// (a settlement sent money to prepaid) — found by a partial index — and, in a small batch (a
// correction's new bill), anyone in it. Every read of an account nets prepaid anyway; the draw
// makes the bills show as paid.

/** A batch of bills up to this size checks every customer in it. */
const CHECK_EVERYONE_UP_TO = 200;

export function drawPrepaid(unit: Unit, issued: readonly { billId: string; customerId: string }[]): number {
  const customers = [...new Set(issued.map((b) => b.customerId))];
  if (customers.length === 0) return 0;
  const candidates =
    customers.length <= CHECK_EVERYONE_UP_TO
      ? customers
      : customers.filter((id) => unit.value(sql`SELECT 1 FROM settlements WHERE customer_id = ${id} AND to_prepaid_fen > 0 LIMIT 1`) !== undefined);
  if (candidates.length === 0) return 0;
  const today = shanghaiDate(unit.at);
  const policy = penaltyPolicyOn(unit, today);
  const stationId = unit.stationId();
  let drawn = 0;
  for (const account of loadAccounts(unit, candidates, today, policy)) {
    if (account.prepaidFen === 0 || account.openBills.length === 0) continue;
    const allocation = allocatePayment(account.prepaidFen, account.openBills, today, policy);
    const used = account.prepaidFen - allocation.prepaidFen;
    if (used === 0) continue;
    const id = uuidv7(unit.at);
    unit.run(sql`
      INSERT INTO settlements (id, station_id, customer_id, kind, payment_id, settle_date, prepaid_used_fen, to_prepaid_fen, at, by_staff)
      VALUES (${id}, ${stationId}, ${account.customerId}, 'prepaid', NULL, ${today}, ${used}, 0, ${unit.at}, ${unit.actor.staffId})`);
    const lines = writeSettlementLines(unit, id, allocation, account.openBills, today, policy);
    for (const line of lines) {
      if (line.penaltyFen === 0) continue;
      unit.run(sql`
        INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, ref_id, period, at, by_staff, memo)
        VALUES (${uuidv7(unit.at)}, ${stationId}, ${account.customerId}, 'penalty', ${line.penaltyFen}, ${line.billId}, ${id}, ${line.period}, ${unit.at}, ${unit.actor.staffId}, '预收抵扣')`);
    }
    unit.record({
      action: 'prepaid.draw',
      entity: 'settlement',
      entityId: id,
      op: 'insert',
      summary: { customerId: account.customerId, amount: fenToYuan(used), bills: lines.length },
      payload: { id, customerId: account.customerId, kind: 'prepaid', settleDate: today, prepaidUsedFen: used, lines },
    });
    drawn += used;
  }
  return drawn;
}
