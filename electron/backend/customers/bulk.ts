// Filing customers in bulk (批量建档): an import's commit and the demo station file tens of
// thousands of customers in one transaction. The records and rules are createCustomer's; what
// differs is how they are written, set by set instead of customer by customer:
// - the station's numbers are checked with one lookup per few hundred (accounts brought by the
//   batch, meter numbers), and the counter moves once for the batch;
// - pinyin initials and name fragments are worked out once per distinct name (names repeat);
// - rows go in as multi-row INSERTs, the search keys sorted by key (a walk along the index,
//   not ~350,000 random probes of it);
// - the batch is audited once by the caller; each customer, point and meter still goes to the
//   outbox, since head office keeps the files.
import { nameInitials, nameKeys, phoneKeys } from '../../../shared/customers/searchKeys';
import { normaliseCustomerFields, type CustomerFields, type CustomerStatus, type FieldProblem, type MeterFields } from '../../../shared/customers/rules';
import type { Unit } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { refuse } from '../errors';
import {
  insertCustomerRows,
  insertSearchKeys,
  newCustomerChange,
  newRecordProblems,
  notePlaces,
  takeAccountNumbers,
  takenAccounts,
  type BulkOptions,
  type NewCustomer,
  type NewCustomerRow,
} from './customers';
import { FieldsError } from './fieldsError';
import { insertPointsWithMeters, installedMeters, normaliseMeter } from './meters';

/**
 * SQLite's page cache during a bulk filing. Filing 50,000 customers dirties ~150 MB of pages
 * (rows, indexes, search keys, outbox); with the connection's 64 MB cache (db/open.ts) SQLite spills dirty pages
 * to the WAL in mid-transaction and reads them back — a quarter of the filing's time.
 */
const BULK_PAGE_CACHE_KIB = 128 * 1024;

/** Runs `work` (the bulk write transactions) with the larger page cache, then gives the memory back. */
export function withBulkPageCache<T>(backend: Backend, work: () => T): T {
  const { db } = backend.store;
  const before = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${BULK_PAGE_CACHE_KIB}`);
  try {
    return work();
  } finally {
    db.pragma(`cache_size = ${before}`);
  }
}

/** Customers per step: rows of one step are written together; memory stays bounded. */
const STEP = 5000;

/**
 * A record checked by createCustomer's rules, its fields normalised: what fileCustomers files.
 * `checkRecord` makes one; an import's preview makes them from its rows (parseSheetRow applies the
 * same rules and tells each problem by column), so its commit does not check each record again.
 */
export interface CheckedCustomer {
  fields: CustomerFields;
  /** Brought by the record (upper case); null takes the station's next 户号. */
  accountNo: string | null;
  status: CustomerStatus;
  statusDate: string;
  points: { label: string; meter: MeterFields }[];
}

/**
 * Pinyin initials and name keys, worked out once per distinct name: names repeat (a village of
 * 张 and 王), and pinyin is the dearest part of filing a customer. An import fills this while its
 * preview is checked, so the commit — one transaction that holds the back end — does not.
 */
export class NameKeys {
  private readonly byName = new Map<string, { initials: string; keys: string[] }>();

  of(name: string): { initials: string; keys: string[] } {
    let found = this.byName.get(name);
    if (!found) this.byName.set(name, (found = { initials: nameInitials(name), keys: nameKeys(name) }));
    return found;
  }

  /** What was worked out, as plain data (sent to a job thread in parts). */
  entries(): [string, { initials: string; keys: string[] }][] {
    return [...this.byName];
  }

  /** Adds what another NameKeys worked out (its entries()). */
  adopt(entries: [string, { initials: string; keys: string[] }][]): void {
    for (const [name, found] of entries) this.byName.set(name, found);
  }
}

/** A record refused as createCustomer would refuse it. */
function refuseRecord(problems: FieldProblem[]): never {
  throw new FieldsError(problems);
}

/** Checks one record by createCustomer's rules: refused (FieldsError) as createCustomer would refuse it. */
export function checkRecord(input: NewCustomer): CheckedCustomer {
  const fields = normaliseCustomerFields(input);
  const accountNo = input.accountNo ? input.accountNo.trim().toUpperCase() : null;
  const points = (input.points ?? []).map((p) => ({ label: p.label.trim(), meter: normaliseMeter(p.meter) }));
  const problems = newRecordProblems(input, accountNo, fields, points.map((p) => p.meter));
  if (problems.length) refuseRecord(problems);
  const status = input.status ?? 'active';
  if (status === 'closed' && points.length) throw refuse('customers.err.closeWithMeters', { accountNo: accountNo ?? '' });
  return { fields, accountNo, status, statusDate: input.statusDate ?? fields.openedDate, points };
}

/**
 * Files checked records (each as createCustomer would, with its meters) inside the caller's unit:
 * all of them, or — on the first one refused — none (the error rolls the unit back). What may
 * have changed since the records were checked is checked here: the station's account and meter
 * numbers. Returns each customer's id and account number, in the order given.
 */
export function fileCustomers(
  unit: Unit,
  checked: readonly CheckedCustomer[],
  /** `withoutKeys`: the search keys are not written here (a sliced import writes them all at its end, sorted: importKeys.ts). */
  options: BulkOptions & { names?: NameKeys; withoutKeys?: boolean },
): { id: string; accountNo: string }[] {
  // Account numbers brought by the batch: once each, and not already the station's.
  const brought = new Set<string>();
  for (const c of checked) {
    if (!c.accountNo) continue;
    if (brought.has(c.accountNo)) refuseRecord([{ field: 'accountNo', key: 'customers.err.accountTaken', params: { accountNo: c.accountNo } }]);
    brought.add(c.accountNo);
  }
  const [taken] = takenAccounts(unit, [...brought]);
  if (taken) refuseRecord([{ field: 'accountNo', key: 'customers.err.accountTaken', params: { accountNo: taken } }]);
  const numbers = takeAccountNumbers(unit, checked.filter((c) => !c.accountNo).length, brought);
  let nextNumber = 0;
  const accounts = checked.map((c) => c.accountNo ?? (numbers[nextNumber++] as string));

  // Meter numbers: once each in the batch, and not installed anywhere in the station.
  const meterAccount = new Map<string, string>();
  checked.forEach((c, i) => {
    for (const { meter: m } of c.points) {
      const other = meterAccount.get(m.meterNo);
      if (other !== undefined) refuseRecord([{ field: 'meterNo', key: 'customers.err.meterTaken', params: { meterNo: m.meterNo, accountNo: other } }]);
      meterAccount.set(m.meterNo, accounts[i] as string);
    }
  });
  const [installed] = installedMeters(unit, [...meterAccount.keys()]);
  if (installed) refuseRecord([{ field: 'meterNo', key: 'customers.err.meterTaken', params: { meterNo: installed[0], accountNo: installed[1] } }]);

  const names = options.names ?? new NameKeys();
  const filed: { id: string; accountNo: string }[] = [];
  for (let start = 0; start < checked.length; start += STEP) {
    const rows: NewCustomerRow[] = [];
    const keys: [string, string][] = [];
    const points: { customerId: string; label: string; meter: MeterFields }[] = [];
    const end = Math.min(start + STEP, checked.length);
    for (let i = start; i < end; i++) {
      const { fields, status, statusDate, points: its } = checked[i] as CheckedCustomer;
      const name = names.of(fields.name);
      const row: NewCustomerRow = { fields, status, statusDate, importBatch: options.importBatch, id: uuidv7(unit.at), accountNo: accounts[i] as string, initials: name.initials };
      rows.push(row);
      if (!options.withoutKeys) {
        for (const key of name.keys) keys.push([key, row.id]);
        for (const key of phoneKeys(fields.phone, fields.phone2)) keys.push([key, row.id]);
      }
      for (const p of its) points.push({ customerId: row.id, label: p.label, meter: p.meter });
      filed.push({ id: row.id, accountNo: row.accountNo });
    }
    insertCustomerRows(unit, rows);
    if (!options.withoutKeys) insertSearchKeys(unit, keys);
    notePlaces(unit, rows.map((r) => r.fields));
    unit.outboxAll(rows.map((row) => newCustomerChange(unit, row)));
    insertPointsWithMeters(unit, points);
  }
  return filed;
}
