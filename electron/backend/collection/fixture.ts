// Test data for the collection desk: customers and issued bills, written with the SQL of
// migrations 0002 (customers) and 0004 (bills, bill_issues, ledger 'bill' entries). Used by tests,
// the reliability check and the benchmark only. Kept in this one file so it can be swapped for the
// customer and billing desks' module functions once those are on main.
import type { CustomerClass } from '../../../shared/collection';
import type { Fen } from '../../../shared/money';
import { SYSTEM_ACTOR } from '../audit/record';
import type { Backend } from '../context';
import { nextNumber } from '../counters';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { WritableDB } from '../db/store';

export interface FixtureCustomer {
  name: string;
  customerClass?: CustomerClass;
  phone?: string;
  township?: string;
  village?: string;
  transformerArea?: string;
  /** Put the customer's metering point in this reading book (made if missing). */
  bookNo?: string;
}

export function insertCustomer(tx: WritableDB, stationId: string, stationCode: string, at: number, c: FixtureCustomer): { id: string; accountNo: string } {
  const id = uuidv7(at);
  const accountNo = `${stationCode}${String(nextNumber(tx, 'fixture_account')).padStart(7, '0')}`;
  tx.run(sql`
    INSERT INTO customers (id, station_id, account_no, name, phone, township, village, address_detail, transformer_area, customer_class,
                           status_date, opened_date, created_at, updated_at)
    VALUES (${id}, ${stationId}, ${accountNo}, ${c.name}, ${c.phone ?? ''}, ${c.township ?? '青山镇'}, ${c.village ?? '东村'}, '1号',
            ${c.transformerArea ?? '东村1号台区'}, ${c.customerClass ?? 'residential'}, '2025-01-01', '2025-01-01', ${at}, ${at})`);
  if (c.bookNo) {
    let bookId = tx.value<string>(sql`SELECT id FROM books WHERE book_no = ${c.bookNo}`);
    if (!bookId) {
      bookId = uuidv7(at);
      tx.run(sql`INSERT INTO books (id, station_id, book_no, name, reading_day, created_at, updated_at)
                 VALUES (${bookId}, ${stationId}, ${c.bookNo}, ${`${c.bookNo} 抄表本`}, 5, ${at}, ${at})`);
    }
    const pointId = uuidv7(at);
    tx.run(sql`INSERT INTO metering_points (id, station_id, customer_id, created_at) VALUES (${pointId}, ${stationId}, ${id}, ${at})`);
    const seq = (tx.value<number>(sql`SELECT coalesce(max(seq), 0) FROM book_points WHERE book_id = ${bookId}`) ?? 0) + 1;
    tx.run(sql`INSERT INTO book_points (point_id, book_id, seq) VALUES (${pointId}, ${bookId}, ${seq})`);
  }
  return { id, accountNo };
}

export function addCustomer(backend: Backend, c: FixtureCustomer): { id: string; accountNo: string } {
  const station = backend.requireStation();
  return backend.write(SYSTEM_ACTOR, (unit) => insertCustomer(unit, station.id, station.code, unit.at, c));
}

export interface FixtureBill {
  customerId: string;
  period: string;
  amountFen: Fen;
  dueDate: string;
}

export function insertIssuedBill(tx: WritableDB, stationId: string, stationCode: string, at: number, b: FixtureBill): { billId: string; billNo: string } {
  const billId = uuidv7(at);
  const billNo = `${stationCode}-B-${String(nextNumber(tx, 'fixture_bill')).padStart(6, '0')}`;
  tx.run(sql`
    INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at)
    VALUES (${billId}, ${stationId}, ${billNo}, ${b.customerId}, ${b.period}, 'RES-GD', '2025-01-01', 10000, ${b.amountFen}, ${at})`);
  tx.run(sql`INSERT INTO bill_issues (bill_id, issued_at, due_date) VALUES (${billId}, ${at}, ${b.dueDate})`);
  tx.run(sql`
    INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, period, at)
    VALUES (${uuidv7(at)}, ${stationId}, ${b.customerId}, 'bill', ${b.amountFen}, ${billId}, ${b.period}, ${at})`);
  return { billId, billNo };
}

/** An issued bill: the bill, its issue with the due date, and the ledger charge. */
export function issueBill(backend: Backend, b: FixtureBill): { billId: string; billNo: string } {
  const station = backend.requireStation();
  return backend.write(SYSTEM_ACTOR, (unit) => insertIssuedBill(unit, station.id, station.code, unit.at, b));
}

/** A billing correction's credit against a bill (ledger 'bill_credit'). */
export function creditBill(backend: Backend, billId: string, amountFen: Fen): void {
  backend.write(SYSTEM_ACTOR, (unit) => {
    const bill = unit.get<{ customer_id: string; period: string }>(sql`SELECT customer_id, period FROM bills WHERE id = ${billId}`);
    if (!bill) throw new Error(`no bill ${billId}`);
    unit.run(sql`
      INSERT INTO ledger_entries (id, station_id, customer_id, entry_type, amount_fen, bill_id, period, at)
      VALUES (${uuidv7(unit.at)}, ${unit.stationId()}, ${bill.customer_id}, 'bill_credit', ${-amountFen}, ${billId}, ${bill.period}, ${unit.at})`);
  });
}
