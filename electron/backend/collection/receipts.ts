import type { ReceiptView } from '../../../shared/contract/collection';
import type { Unit } from '../audit/record';
import type { StationIdentity } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { refuse } from '../errors';
import { loadPayment } from './payments';

// Receipts (收据): built from the payment as posted. Every print is recorded; the first is the
// original, every later one is printed as a copy (副本) with its number, so a second original
// never exists.

interface ReceiptExtraRow {
  clerk_id: string;
  clerk_no: string;
  clerk_name: string;
  reference: string;
  township: string;
  village: string;
  address_detail: string;
}

export function customerAddress(row: { township: string; village: string; address_detail: string }): string {
  return `${row.township}${row.village}${row.address_detail}`;
}

export function receiptView(db: ReadableDB, station: StationIdentity, receiptNo: string, copyNo: number | null): ReceiptView {
  const payment = loadPayment(db, sql`p.receipt_no = ${receiptNo.toUpperCase()}`);
  if (!payment) throw refuse('collection.receiptNotFound', { receiptNo }, 'not_found');
  const extra = db.get<ReceiptExtraRow>(sql`
    SELECT p.clerk_id, st.staff_no AS clerk_no, st.name AS clerk_name, p.reference, c.township, c.village, c.address_detail
    FROM payments p JOIN staff st ON st.id = p.clerk_id JOIN customers c ON c.id = p.customer_id
    WHERE p.id = ${payment.paymentId}`);
  if (!extra) throw new Error(`payment ${payment.paymentId} lost its clerk or customer`);
  const reversed = db.get<{ approved_at: number; reason: string; approver: string; business_date: string }>(sql`
    SELECT r.approved_at, q.reason, st.staff_no || ' ' || st.name AS approver, r.business_date
    FROM payment_reversals r JOIN reversal_requests q ON q.id = r.request_id JOIN staff st ON st.id = r.approved_by
    WHERE r.payment_id = ${payment.paymentId}`);
  const pending =
    !reversed &&
    db.value<number>(sql`
      SELECT count(*) FROM reversal_requests q WHERE q.payment_id = ${payment.paymentId}
        AND NOT EXISTS (SELECT 1 FROM reversal_rejections j WHERE j.request_id = q.id)`) !== 0;
  const printCount = db.value<number>(sql`SELECT count(*) FROM receipt_prints WHERE payment_id = ${payment.paymentId}`) ?? 0;
  return {
    ...payment,
    station: { code: station.code, name: station.name },
    clerk: { id: extra.clerk_id, staffNo: extra.clerk_no, name: extra.clerk_name },
    address: customerAddress(extra),
    reference: extra.reference,
    copyNo,
    printCount,
    reversed: reversed ? { at: reversed.approved_at, reason: reversed.reason, approvedBy: reversed.approver, businessDate: reversed.business_date } : null,
    reversalPending: pending,
  };
}

/** Records one print of the receipt and returns its copy number (0 = the original). */
export function recordPrint(unit: Unit, receiptNo: string): number {
  const payment = unit.get<{ id: string }>(sql`SELECT id FROM payments WHERE receipt_no = ${receiptNo.toUpperCase()}`);
  if (!payment) throw refuse('collection.receiptNotFound', { receiptNo }, 'not_found');
  const copyNo = unit.value<number>(sql`SELECT count(*) FROM receipt_prints WHERE payment_id = ${payment.id}`) ?? 0;
  unit.run(sql`
    INSERT INTO receipt_prints (id, payment_id, copy_no, printed_at, printed_by, printed_by_label)
    VALUES (${uuidv7(unit.at)}, ${payment.id}, ${copyNo}, ${unit.at}, ${unit.actor.staffId}, ${unit.actor.label})`);
  unit.audit({ action: 'receipt.print', entity: 'payment', entityId: payment.id, summary: { receiptNo: receiptNo.toUpperCase(), copyNo } });
  return copyNo;
}
