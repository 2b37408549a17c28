import type { Correction } from '../../../shared/contract';
import type { Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { notFound, refuse } from '../errors';
import { billNumber, recordBills, reserveBillNumbers, stationCode, writeBills } from './bills';
import { BillingContext, gatherInputs, isProblem, problemReason, type PreparedBill } from './calculate';
import { billState, dueDateFor } from './issue';
import { postBillCharge, postBillCredit, recordIssues, runCreditedHooks, runIssuedHooks } from './ledger';

// Corrections (冲正): an issued bill is never edited. A billing clerk asks for a correction with
// the reason; the bill is recomputed from today's readings in force and customer file exactly as
// a run would. The station head approves it by their own login: the original is credited in full
// on the ledger and a new bill (kind 'correction', naming the one it replaces) is issued — one
// transaction, so the balance moves by exactly new − old.

interface OriginalBill {
  id: string;
  bill_no: string;
  customer_id: string;
  period: string;
  total_fen: number;
  book_id: string | null;
  book_seq: number | null;
}

function original(db: ReadableDB, billId: string): OriginalBill {
  const state = billState(db, billId);
  if (!state.issued) throw refuse('billing.correctOnlyIssued', { billNo: state.bill_no }, 'conflict');
  if (!state.in_force) throw refuse('billing.notInForce', { billNo: state.bill_no }, 'conflict');
  const row = db.get<OriginalBill>(sql`SELECT id, bill_no, customer_id, period, total_fen, book_id, book_seq FROM bills WHERE id = ${billId}`);
  if (!row) throw notFound(`bill ${billId}`);
  return row;
}

/** The bill as a run would compute it today for the same customer and period. */
export function recompute(db: ReadableDB, billId: string): { bill: OriginalBill; prepared: PreparedBill } {
  const bill = original(db, billId);
  const scope = { period: bill.period, customerId: bill.customer_id };
  const inputs = gatherInputs(db, scope);
  const ready = inputs.ready[0];
  if (!ready) throw refuse('billing.correctionReadingsNotReady', { billNo: bill.bill_no, period: bill.period }, 'conflict');
  const result = BillingContext.read(db, scope).prepare(ready.customer, ready.readings, ready.book);
  if (isProblem(result)) throw refuse('billing.correctionCannotCompute', { billNo: bill.bill_no, detail: problemReason(result) });
  // The corrected bill stays where the original was printed.
  return { bill, prepared: { ...result, bookId: bill.book_id, bookSeq: bill.book_seq } };
}

export interface LineView {
  lineNo: number;
  kind: string;
  labelKey: string;
  tier: number | null;
  touPeriod: string | null;
  quantity: number | null;
  unit: string | null;
  unitPrice: string | null;
  amountFen: number;
}

export function linesOf(db: ReadableDB, billId: string): LineView[] {
  return db.all<LineView>(sql`
    SELECT line_no AS lineNo, kind, label_key AS labelKey, tier, tou_period AS touPeriod, quantity, unit, unit_price AS unitPrice, amount_fen AS amountFen
    FROM bill_lines WHERE bill_id = ${billId} ORDER BY line_no`);
}

export function preparedLines(prepared: PreparedBill): LineView[] {
  return prepared.bill.lines.map((l, i) => ({
    lineNo: i + 1,
    kind: l.kind,
    labelKey: l.labelKey,
    tier: l.tier,
    touPeriod: l.period,
    quantity: l.quantity,
    unit: l.unit,
    unitPrice: l.unitPrice,
    amountFen: l.amountFen,
  }));
}

export function previewCorrection(db: ReadableDB, billId: string) {
  const { bill, prepared } = recompute(db, billId);
  const originalLines = linesOf(db, billId);
  return {
    billNo: bill.bill_no,
    originalTotalFen: bill.total_fen,
    originalLines,
    newTotalFen: prepared.bill.totalFen,
    newLines: preparedLines(prepared),
    newKwh: prepared.kwh,
    differenceFen: prepared.bill.totalFen - bill.total_fen,
    tariffCode: prepared.tariff.code,
    tariffEffectiveFrom: prepared.tariff.effectiveFrom,
  };
}

function pendingFor(db: ReadableDB, billId: string): string | undefined {
  return db.value<string>(sql`
    SELECT c.id FROM bill_corrections c
    WHERE c.bill_id = ${billId} AND NOT EXISTS (SELECT 1 FROM bill_correction_decisions d WHERE d.correction_id = c.id)`);
}

export function requestCorrection(unit: Unit, billId: string, reason: string): string {
  const preview = previewCorrection(unit, billId);
  if (pendingFor(unit, billId)) throw refuse('billing.correctionPending', { billNo: preview.billNo }, 'conflict');
  const same =
    preview.newTotalFen === preview.originalTotalFen &&
    JSON.stringify(preview.newLines) === JSON.stringify(preview.originalLines);
  if (same) throw refuse('billing.correctionNoChange', { billNo: preview.billNo });
  const id = uuidv7(unit.at);
  unit.run(sql`
    INSERT INTO bill_corrections (id, station_id, bill_id, reason, expected_total_fen, requested_by, requested_at)
    VALUES (${id}, ${unit.stationId()}, ${billId}, ${reason}, ${preview.newTotalFen}, ${unit.actor.staffId}, ${unit.at})`);
  unit.record({
    action: 'bill.correctionRequest',
    entity: 'bill_correction',
    entityId: id,
    op: 'insert',
    summary: { billNo: preview.billNo, reason, originalTotalFen: preview.originalTotalFen, newTotalFen: preview.newTotalFen },
    payload: { id, billId, reason, expectedTotalFen: preview.newTotalFen, requestedBy: unit.actor.staffId, requestedAt: unit.at },
  });
  return id;
}

interface CorrectionDbRow {
  id: string;
  bill_id: string;
  reason: string;
  expected_total_fen: number;
}

function pendingCorrection(db: ReadableDB, correctionId: string): CorrectionDbRow {
  const row = db.get<CorrectionDbRow & { decided: number }>(sql`
    SELECT c.id, c.bill_id, c.reason, c.expected_total_fen,
           EXISTS (SELECT 1 FROM bill_correction_decisions d WHERE d.correction_id = c.id) AS decided
    FROM bill_corrections c WHERE c.id = ${correctionId}`);
  if (!row) throw notFound(`correction ${correctionId}`);
  if (row.decided) throw refuse('billing.correctionDecided', {}, 'conflict');
  return row;
}

/** The station head approves: credit the original, issue the recomputed bill. Returns the new bill's id. */
export function approveCorrection(unit: Unit, correctionId: string, note: string): string {
  const staffId = unit.actor.staffId;
  if (!staffId) throw refuse('billing.approveNeedsStaff', {}, 'forbidden');
  const correction = pendingCorrection(unit, correctionId);
  const { bill, prepared } = recompute(unit, correction.bill_id);
  if (prepared.bill.totalFen !== correction.expected_total_fen) {
    throw refuse('billing.correctionChanged', { billNo: bill.bill_no, expected: correction.expected_total_fen, now: prepared.bill.totalFen }, 'conflict');
  }
  const originalBill = { id: bill.id, billNo: bill.bill_no, customerId: bill.customer_id, period: bill.period, totalFen: bill.total_fen };
  const creditEntryId = postBillCredit(unit, originalBill, correctionId, correction.reason);
  const billNo = billNumber(stationCode(unit), reserveBillNumbers(unit, 1));
  const written = writeBills(unit, bill.period, [{ billNo, prepared, origin: { runId: null, kind: 'correction', replacesBillId: bill.id } }])[0]!;
  recordBills(unit, bill.period, [written], 'correction');
  runCreditedHooks(unit, {
    billId: bill.id,
    billNo: bill.bill_no,
    customerId: bill.customer_id,
    creditFen: -bill.total_fen,
    creditEntryId,
    replacedByBillId: written.id,
  });
  const issued = postBillCharge(
    unit,
    { id: written.id, billNo: written.billNo, customerId: bill.customer_id, period: bill.period, totalFen: prepared.bill.totalFen },
    dueDateFor(unit, unit.at),
  );
  recordIssues(unit, [issued]);
  runIssuedHooks(unit, [issued]);
  unit.run(sql`
    INSERT INTO bill_correction_decisions (correction_id, decision, note, decided_by, decided_at, new_bill_id, credit_entry_id)
    VALUES (${correctionId}, 'approved', ${note}, ${staffId}, ${unit.at}, ${written.id}, ${creditEntryId})`);
  unit.record({
    action: 'bill.correctionApprove',
    entity: 'bill_correction',
    entityId: correctionId,
    op: 'update',
    summary: { billNo: bill.bill_no, newBillNo: written.billNo, originalTotalFen: bill.total_fen, newTotalFen: prepared.bill.totalFen, note },
    payload: { correctionId, decision: 'approved', note, decidedBy: staffId, decidedAt: unit.at, newBillId: written.id, creditEntryId },
  });
  return written.id;
}

export function rejectCorrection(unit: Unit, correctionId: string, note: string): void {
  const staffId = unit.actor.staffId;
  if (!staffId) throw refuse('billing.approveNeedsStaff', {}, 'forbidden');
  const correction = pendingCorrection(unit, correctionId);
  unit.run(sql`
    INSERT INTO bill_correction_decisions (correction_id, decision, note, decided_by, decided_at)
    VALUES (${correctionId}, 'rejected', ${note}, ${staffId}, ${unit.at})`);
  unit.record({
    action: 'bill.correctionReject',
    entity: 'bill_correction',
    entityId: correctionId,
    op: 'update',
    summary: { billId: correction.bill_id, note },
    payload: { correctionId, decision: 'rejected', note, decidedBy: staffId, decidedAt: unit.at },
  });
}

interface CorrectionListRow {
  id: string;
  bill_id: string;
  bill_no: string;
  account_no: string;
  customer_name: string;
  period: string;
  reason: string;
  original_total_fen: number;
  expected_total_fen: number;
  requested_at: number;
  requested_by: string | null;
  decision: string | null;
  decided_at: number | null;
  decided_by: string | null;
  decision_note: string | null;
  new_bill_id: string | null;
  new_bill_no: string | null;
}

export function listCorrections(db: ReadableDB, filter: { status?: Correction['status'] | undefined; billId?: string; id?: string }): Correction[] {
  const where = [sql`1 = 1`];
  if (filter.status === 'pending') where.push(sql`d.decision IS NULL`);
  if (filter.status === 'approved' || filter.status === 'rejected') where.push(sql`d.decision = ${filter.status}`);
  if (filter.billId) where.push(sql`(c.bill_id = ${filter.billId} OR d.new_bill_id = ${filter.billId})`);
  if (filter.id) where.push(sql`c.id = ${filter.id}`);
  return db
    .all<CorrectionListRow>(sql`
      SELECT c.id, c.bill_id, b.bill_no, cu.account_no, cu.name AS customer_name, b.period, c.reason,
             b.total_fen AS original_total_fen, c.expected_total_fen, c.requested_at, rs.name AS requested_by,
             d.decision, d.decided_at, ds.name AS decided_by, d.note AS decision_note, d.new_bill_id, nb.bill_no AS new_bill_no
      FROM bill_corrections c
      JOIN bills b ON b.id = c.bill_id
      JOIN customers cu ON cu.id = b.customer_id
      LEFT JOIN staff rs ON rs.id = c.requested_by
      LEFT JOIN bill_correction_decisions d ON d.correction_id = c.id
      LEFT JOIN staff ds ON ds.id = d.decided_by
      LEFT JOIN bills nb ON nb.id = d.new_bill_id
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY c.requested_at DESC, c.id DESC
      LIMIT 500`)
    .map((r) => ({
      id: r.id,
      billId: r.bill_id,
      billNo: r.bill_no,
      accountNo: r.account_no,
      customerName: r.customer_name,
      period: r.period,
      reason: r.reason,
      originalTotalFen: r.original_total_fen,
      expectedTotalFen: r.expected_total_fen,
      requestedAt: r.requested_at,
      requestedBy: r.requested_by,
      status: (r.decision ?? 'pending') as Correction['status'],
      decidedAt: r.decided_at,
      decidedBy: r.decided_by,
      decisionNote: r.decision_note ?? '',
      newBillId: r.new_bill_id,
      newBillNo: r.new_bill_no,
    }));
}

export function getCorrection(db: ReadableDB, correctionId: string): Correction {
  const [row] = listCorrections(db, { id: correctionId });
  if (!row) throw notFound(`correction ${correctionId}`);
  return row;
}
