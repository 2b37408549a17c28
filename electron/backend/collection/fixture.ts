// Test data for the collection desk: customers filed through the customer files module (search
// keys, audit and all; every meter in a reading book), and issued bills written with the SQL of
// migration 0004 (bills with one flat energy line, bill_issues, ledger 'bill' entries, numbered
// from billing's counter) and reading-book places with that of 0003. Used by tests, the
// reliability check, the e2e seed and the benchmark: a bill of an exact amount and due date, which
// a billing run from readings cannot give as directly. billing-hooks.test.ts pays real bills.
import type { CustomerClass } from '../../../shared/collection';
import type { Fen } from '../../../shared/money';
import { SYSTEM_ACTOR } from '../audit/record';
import type { Backend } from '../context';
import { nextNumber } from '../counters';
import { fileCustomer } from '../customers/fixtures';
import { billNumber, listBillPeriods } from '../billing/bills';
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
  /** Put the customer's metering point in this reading book (made if missing; default B01). */
  bookNo?: string;
}

/** Puts a metering point at the end of a reading book (made if missing). */
export function placeInBook(tx: WritableDB, stationId: string, at: number, pointId: string, bookNo: string): void {
  let bookId = tx.value<string>(sql`SELECT id FROM books WHERE book_no = ${bookNo}`);
  if (!bookId) {
    bookId = uuidv7(at);
    tx.run(sql`INSERT INTO books (id, station_id, book_no, name, reading_day, created_at, updated_at)
               VALUES (${bookId}, ${stationId}, ${bookNo}, ${`${bookNo} 抄表本`}, 5, ${at}, ${at})`);
  }
  const seq = (tx.value<number>(sql`SELECT coalesce(max(seq), 0) FROM book_points WHERE book_id = ${bookId}`) ?? 0) + 1;
  tx.run(sql`INSERT INTO book_points (point_id, book_id, seq) VALUES (${pointId}, ${bookId}, ${seq})`);
}

/** A customer with one meter, filed through the customer files module. */
export function addCustomer(backend: Backend, c: FixtureCustomer): { id: string; accountNo: string } {
  const filed = fileCustomer(backend, {
    name: c.name,
    customerClass: c.customerClass ?? 'residential',
    ...(c.phone ? { phone: c.phone } : {}),
    ...(c.township ? { township: c.township } : {}),
    ...(c.village ? { village: c.village } : {}),
    ...(c.transformerArea ? { transformerArea: c.transformerArea } : {}),
    ...(c.customerClass && c.customerClass !== 'residential' ? { householdSize: null } : {}),
  });
  // Every active meter is in a reading book (the readings desk's invariant): B01 unless told.
  const bookNo = c.bookNo ?? 'B01';
  if (filed.pointId) {
    const pointId = filed.pointId;
    backend.write(SYSTEM_ACTOR, (unit) => placeInBook(unit, unit.stationId(), unit.at, pointId, bookNo));
  }
  return { id: filed.id, accountNo: filed.accountNo };
}

export interface FixtureBill {
  customerId: string;
  period: string;
  amountFen: Fen;
  dueDate: string;
}

function insertIssuedBill(tx: WritableDB, stationId: string, stationCode: string, at: number, b: FixtureBill): { billId: string; billNo: string } {
  const billId = uuidv7(at);
  const billNo = billNumber(stationCode, nextNumber(tx, 'bill'));
  tx.run(sql`
    INSERT INTO bills (id, station_id, bill_no, customer_id, period, tariff_code, tariff_effective_from, kwh, total_fen, created_at)
    VALUES (${billId}, ${stationId}, ${billNo}, ${b.customerId}, ${b.period}, 'RES-GD', '2025-01-01', 10000, ${b.amountFen}, ${at})`);
  listBillPeriods(tx, [b.period]);
  // One flat energy line carrying the whole amount: 10000 kWh (centi) at whatever price makes it.
  tx.run(sql`
    INSERT INTO bill_lines (bill_id, line_no, kind, label_key, tier, quantity, unit, unit_price, amount_fen)
    VALUES (${billId}, 1, 'energy', 'flat', NULL, 10000, 'kWh', ${(b.amountFen / 10000).toFixed(8)}, ${b.amountFen})`);
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
