import type { Unit } from '../audit/record';
import { nextNumber } from '../counters';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { PreparedBill } from './calculate';

// Writing a computed bill: the bill, its lines (each rounded once to the fen), the readings it
// used, its exception flags — all facts, insert-only — and its outbox row for head office.

/** 电费单号: station code and the station's bill counter, e.g. GD01-B-00000123 (text order = creation order). */
export function billNumber(stationCode: string, n: number): string {
  return `${stationCode}-B-${String(n).padStart(8, '0')}`;
}

export interface WrittenBill {
  id: string;
  billNo: string;
}

export function writeBill(
  unit: Unit,
  stationCode: string,
  prepared: PreparedBill,
  period: string,
  origin: { runId: string | null; kind: 'regular' | 'correction'; replacesBillId: string | null },
): WrittenBill {
  const id = uuidv7(unit.at);
  const billNo = billNumber(stationCode, nextNumber(unit, 'bill'));
  const { customer, tariff, bill } = prepared;
  const stationId = unit.stationId();
  const staffId = unit.actor.staffId;
  const details = JSON.stringify(prepared.details);
  unit.run(sql`
    INSERT INTO bills (id, station_id, bill_no, customer_id, period, kind, replaces_bill_id, tariff_code, tariff_effective_from,
                       kwh, total_fen, created_at, created_by, run_id, book_id, book_seq, details)
    VALUES (${id}, ${stationId}, ${billNo}, ${customer.id}, ${period}, ${origin.kind}, ${origin.replacesBillId}, ${tariff.code},
            ${tariff.effectiveFrom}, ${prepared.kwh}, ${bill.totalFen}, ${unit.at}, ${staffId}, ${origin.runId}, ${prepared.bookId},
            ${prepared.bookSeq}, ${details})`);
  // A customer billed on one metering point has its lines tied to that point.
  const pointId = prepared.readings.length === 1 ? (prepared.readings[0]?.pointId ?? null) : null;
  const lines = bill.lines.map((line, i) => ({
    lineNo: i + 1,
    kind: line.kind,
    labelKey: line.labelKey,
    tier: line.tier,
    touPeriod: line.period,
    quantity: line.quantity,
    unit: line.unit,
    unitPrice: line.unitPrice,
    amountFen: line.amountFen,
  }));
  for (const line of lines) {
    unit.run(sql`
      INSERT INTO bill_lines (bill_id, line_no, point_id, kind, label_key, tier, tou_period, quantity, unit, unit_price, amount_fen)
      VALUES (${id}, ${line.lineNo}, ${pointId}, ${line.kind}, ${line.labelKey}, ${line.tier}, ${line.touPeriod}, ${line.quantity},
              ${line.unit}, ${line.unitPrice}, ${line.amountFen})`);
  }
  for (const reading of prepared.readings) unit.run(sql`INSERT INTO bill_readings (bill_id, reading_id) VALUES (${id}, ${reading.id})`);
  for (const flag of prepared.flags) {
    unit.run(sql`INSERT INTO bill_flags (bill_id, code, params) VALUES (${id}, ${flag.code}, ${JSON.stringify(flag.params)})`);
  }
  unit.record({
    action: origin.kind === 'correction' ? 'bill.createCorrection' : 'bill.create',
    entity: 'bill',
    entityId: id,
    op: 'insert',
    summary: { billNo, account: customer.accountNo, period, totalFen: bill.totalFen },
    payload: {
      id,
      billNo,
      customerId: customer.id,
      period,
      kind: origin.kind,
      replacesBillId: origin.replacesBillId,
      tariffCode: tariff.code,
      tariffEffectiveFrom: tariff.effectiveFrom,
      kwh: prepared.kwh,
      totalFen: bill.totalFen,
      runId: origin.runId,
      bookId: prepared.bookId,
      details: prepared.details,
      lines,
      readingIds: prepared.readings.map((r) => r.id),
      flags: prepared.flags,
      createdAt: unit.at,
      createdBy: staffId,
    },
  });
  return { id, billNo };
}

export function stationCode(unit: Unit): string {
  const code = unit.value<string>(sql`SELECT code FROM station`);
  if (!code) throw new Error('station not set up');
  return code;
}
