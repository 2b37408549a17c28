// Customer files (客户档案): opening, editing, suspending and closing accounts. Every change is
// one `backend.write` unit: the row, its search keys, the audit log (who, when, before → after)
// and the outbox for head office, together or not at all. Nothing is ever deleted.
import { customerSearchKeys, nameInitials } from '../../../shared/customers/searchKeys';
import {
  ACCOUNT_NO_RE,
  checkCustomerFields,
  checkMeterFields,
  formatAccountNo,
  maskIdCard,
  normaliseCustomerFields,
  type CustomerField,
  type CustomerFields,
  type CustomerStatus,
  type FieldProblem,
  type MeterFields,
  validDate,
} from '../../../shared/customers/rules';
import { isDate } from '../../../shared/time';
import type { OutboxEntry, Unit } from '../audit/record';
import { nextNumber } from '../counters';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB, WritableDB } from '../db/store';
import { AppError, refuse } from '../errors';
import { FieldsError } from './fieldsError';
import { closeAccountChecks } from './hooks';
import { insertMeterOnNewPoint, normaliseMeter } from './meters';
import { customerRow, type CustomerRow } from './rows';
import { insertRows } from '../db/insertRows';

export const ACCOUNT_COUNTER = 'customers.account';

export interface NewCustomer extends CustomerFields {
  /** Kept when given (files brought over from an older system); else the next 户号 of the station. */
  accountNo?: string | null;
  status?: CustomerStatus;
  statusDate?: string;
  points?: { label: string; meter: MeterFields }[];
}

/** Bulk work (an import, the demo) audits once for the batch: each row goes to the outbox only. */
export interface BulkOptions {
  importBatch: string | null;
}

const FIELD_COLUMNS: Record<CustomerField, keyof CustomerRow> = {
  name: 'name',
  phone: 'phone',
  phone2: 'phone2',
  idCard: 'id_card',
  township: 'township',
  village: 'village',
  addressDetail: 'address_detail',
  transformerArea: 'transformer_area',
  customerClass: 'customer_class',
  tariffCode: 'tariff_code',
  householdSize: 'household_size',
  multiPerson: 'multi_person',
  capacityKva: 'capacity_kva',
  openedDate: 'opened_date',
  notes: 'notes',
};

export function fieldsOf(row: CustomerRow): CustomerFields {
  return {
    name: row.name,
    phone: row.phone,
    phone2: row.phone2,
    idCard: row.id_card,
    township: row.township,
    village: row.village,
    addressDetail: row.address_detail,
    transformerArea: row.transformer_area,
    customerClass: row.customer_class,
    tariffCode: row.tariff_code,
    householdSize: row.household_size,
    multiPerson: row.multi_person === 1,
    capacityKva: row.capacity_kva,
    openedDate: row.opened_date,
    notes: row.notes,
  };
}

/** The customer record as it travels to head office (the full ID number included: head office keeps the files). */
function customerPayload(db: ReadableDB, id: string): Record<string, unknown> {
  const row = customerRow(db, id);
  return {
    id: row.id,
    stationId: row.station_id,
    accountNo: row.account_no,
    ...fieldsOf(row),
    status: row.status,
    statusDate: row.status_date,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** What the audit log keeps of a value: ID numbers masked (the log is read by more roles than may see them). */
function auditValue(field: CustomerField, value: unknown): unknown {
  return field === 'idCard' && typeof value === 'string' && value ? maskIdCard(value) : value;
}

/** A new customer row as filed: one at a time by createCustomer, many at once by fileCustomers. */
export interface NewCustomerRow {
  id: string;
  accountNo: string;
  fields: CustomerFields;
  status: CustomerStatus;
  statusDate: string;
  initials: string;
  importBatch: string | null;
}

const INSERT_CUSTOMERS = sql`
  INSERT INTO customers (id, station_id, account_no, name, phone, phone2, id_card, township, village, address_detail,
    transformer_area, customer_class, tariff_code, household_size, multi_person, capacity_kva, status, status_date,
    opened_date, notes, created_at, updated_at, name_initials, created_by, import_batch)`;

export function insertCustomerRows(unit: Unit, rows: readonly NewCustomerRow[]): void {
  const stationId = unit.stationId();
  insertRows(
    unit,
    INSERT_CUSTOMERS,
    rows.map(({ id, accountNo, fields: f, status, statusDate, initials, importBatch }) => [
      id, stationId, accountNo, f.name, f.phone, f.phone2, f.idCard, f.township, f.village, f.addressDetail,
      f.transformerArea, f.customerClass, f.tariffCode, f.householdSize, f.multiPerson, f.capacityKva, status, statusDate,
      f.openedDate, f.notes, unit.at, unit.at, initials, unit.actor.staffId, importBatch,
    ]),
  );
}

/** A new customer as it travels to head office (the full ID number included: head office keeps the files). */
export function newCustomerChange(unit: Unit, r: NewCustomerRow): OutboxEntry {
  const payload = { id: r.id, stationId: unit.stationId(), accountNo: r.accountNo, ...r.fields, status: r.status, statusDate: r.statusDate, createdAt: unit.at, updatedAt: unit.at };
  return { entity: 'customer', entityId: r.id, op: 'insert', payload };
}

type KeyFields = { name: string; phone: string; phone2: string };

/**
 * Search keys of customers, inserted in key order: the index is then walked once from end to
 * end rather than probed at random (filing 50,000 imported customers writes ~350,000 keys).
 */
export function insertSearchKeys(tx: WritableDB, keys: [key: string, customerId: string][]): void {
  keys.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  insertRows(tx, sql`INSERT INTO customer_search_keys (key, customer_id)`, keys);
}

/** Writes a customer's search keys, first removing the keys of `before` (an edit). */
function writeSearchKeys(tx: WritableDB, id: string, f: KeyFields, before?: KeyFields): void {
  if (before) tx.run(sql`DELETE FROM customer_search_keys WHERE customer_id = ${id} AND key IN ${sql.list(customerSearchKeys(before))}`);
  insertSearchKeys(tx, customerSearchKeys(f).map((key) => [key, id]));
}

/** Places already noted in this transaction: a bulk import of one village notes it once. */
const notedPlaces = new WeakMap<WritableDB, Set<string>>();

/** Notes the townships and villages of customers (the address words of the search box). */
export function notePlaces(tx: WritableDB, places: Iterable<{ township: string; village: string }>): void {
  const noted = notedPlaces.get(tx) ?? new Set<string>();
  notedPlaces.set(tx, noted);
  const fresh: [string, string][] = [];
  for (const { township, village } of places) {
    const key = `${township}\u0000${village}`;
    if (noted.has(key)) continue;
    noted.add(key);
    fresh.push([township, village]);
  }
  insertRows(tx, sql`INSERT INTO customer_places (township, village)`, fresh, sql` ON CONFLICT DO NOTHING`);
}

const stationCodes = new WeakMap<WritableDB, string>();

function stationCode(unit: Unit): string {
  let code = stationCodes.get(unit);
  if (code === undefined) {
    code = unit.value<string>(sql`SELECT code FROM station`) ?? '';
    stationCodes.set(unit, code);
  }
  return code;
}

/** Which of these account numbers the station already has (looked up a few hundred at a time). */
export function takenAccounts(db: ReadableDB, accountNos: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < accountNos.length; i += 500) {
    for (const no of db.column<string>(sql`SELECT account_no FROM customers WHERE account_no IN ${sql.list(accountNos.slice(i, i + 500))}`)) out.add(no);
  }
  return out;
}

/**
 * 户号 for `count` customers filed at once: the counter moves once for the lot, and numbers
 * already taken — in the station, or brought by the batch itself — are skipped (never reused).
 */
export function takeAccountNumbers(unit: Unit, count: number, brought: ReadonlySet<string>): string[] {
  const code = stationCode(unit);
  const out: string[] = [];
  while (out.length < count) {
    const need = count - out.length;
    const first = nextNumber(unit, ACCOUNT_COUNTER);
    unit.run(sql`UPDATE counters SET value = ${first + need - 1} WHERE name = ${ACCOUNT_COUNTER}`);
    const candidates = Array.from({ length: need }, (_, i) => formatAccountNo(code, first + i));
    const taken = takenAccounts(unit, candidates);
    for (const no of candidates) if (!taken.has(no) && !brought.has(no)) out.push(no);
  }
  return out;
}

/** Account numbers taken from the counter in one step by `reserveAccountNumbers`, used in order. */
const reserved = new WeakMap<WritableDB, { next: number; last: number }>();

/**
 * Takes `count` account numbers from the counter at once (inside the bulk transaction, so a
 * rollback returns them) for the createCustomer calls that follow: other desks' fixtures file
 * many customers one by one in a transaction. (fileCustomers numbers its batch itself.)
 */
export function reserveAccountNumbers(unit: Unit, count: number): void {
  if (count <= 0) return;
  const last = nextNumber(unit, ACCOUNT_COUNTER) + count - 1;
  unit.run(sql`UPDATE counters SET value = ${last} WHERE name = ${ACCOUNT_COUNTER}`);
  reserved.set(unit, { next: last - count + 1, last });
}

function takeAccountCounter(unit: Unit): number {
  const block = reserved.get(unit);
  if (block && block.next <= block.last) return block.next++;
  return nextNumber(unit, ACCOUNT_COUNTER);
}

/** The next free 户号: counter values already taken by imported files are skipped, never reused. */
function nextAccountNo(unit: Unit): string {
  const code = stationCode(unit);
  for (;;) {
    const candidate = formatAccountNo(code, takeAccountCounter(unit));
    if (!unit.value(sql`SELECT 1 FROM customers WHERE account_no = ${candidate}`)) return candidate;
  }
}

/**
 * What is wrong with a new customer record by the rules alone (fields, the account number's
 * form, its meters); the station's own numbers are checked by the caller.
 */
export function newRecordProblems(input: NewCustomer, accountNo: string | null, fields: CustomerFields, meters: MeterFields[]): FieldProblem[] {
  const problems = checkCustomerFields(fields);
  if (accountNo && !ACCOUNT_NO_RE.test(accountNo)) problems.push({ field: 'accountNo', key: 'customers.err.accountNo', params: { value: accountNo } });
  if (input.statusDate !== undefined && !validDate(input.statusDate)) problems.push({ field: 'statusDate', key: 'customers.err.date', params: { value: input.statusDate } });
  const seen = new Set<string>();
  meters.forEach((m, i) => {
    problems.push(...checkMeterFields(m, `points.${i}.meter.`));
    if (seen.has(m.meterNo)) problems.push({ field: `points.${i}.meter.meterNo`, key: 'customers.err.meterInFile', params: { meterNo: m.meterNo, row: i } });
    seen.add(m.meterNo);
    if (validDate(fields.openedDate) && validDate(m.installDate) && m.installDate < fields.openedDate) {
      problems.push({ field: `points.${i}.meter.installDate`, key: 'customers.err.dateBeforeOpened', params: { date: m.installDate, openedDate: fields.openedDate } });
    }
  });
  return problems;
}

/**
 * 新装立户: files a new customer with its meters. Returns the new customer's id. Other desks'
 * tests and demo steps call this (through `backend.write`).
 */
export function createCustomer(unit: Unit, input: NewCustomer, bulk?: BulkOptions): { id: string; accountNo: string } {
  const fields = normaliseCustomerFields(input);
  const accountNo = input.accountNo ? input.accountNo.trim().toUpperCase() : null;
  const meters = (input.points ?? []).map((p) => normaliseMeter(p.meter));
  const problems = newRecordProblems(input, accountNo, fields, meters);
  if (accountNo && ACCOUNT_NO_RE.test(accountNo) && takenAccounts(unit, [accountNo]).size) problems.push({ field: 'accountNo', key: 'customers.err.accountTaken', params: { accountNo } });
  if (problems.length) throw new FieldsError(problems);
  const status = input.status ?? 'active';
  if (status === 'closed' && meters.length) throw refuse('customers.err.closeWithMeters', { accountNo: accountNo ?? '' });

  const row: NewCustomerRow = {
    id: uuidv7(unit.at),
    accountNo: accountNo ?? nextAccountNo(unit),
    fields,
    status,
    statusDate: input.statusDate ?? fields.openedDate,
    initials: nameInitials(fields.name),
    importBatch: bulk?.importBatch ?? null,
  };
  const { id, accountNo: account } = row;
  insertCustomerRows(unit, [row]);
  writeSearchKeys(unit, id, fields);
  notePlaces(unit, [fields]);
  const change = newCustomerChange(unit, row);
  if (bulk) unit.outbox(change);
  else {
    unit.record({
      ...change,
      action: 'customer.create',
      summary: { accountNo: account, name: fields.name, address: [fields.township, fields.village, fields.addressDetail].filter(Boolean).join(' '), class: fields.customerClass },
    });
  }
  (input.points ?? []).forEach((p, i) => insertMeterOnNewPoint(unit, { id, accountNo: account }, p.label.trim(), meters[i] as MeterFields, bulk));
  return { id, accountNo: account };
}

function assertOpen(row: CustomerRow): void {
  if (row.status === 'closed') throw new AppError('conflict', 'customers.err.closed', { accountNo: row.account_no });
}

/** 修改档案: saves the changed fields, keeping each one's before and after in the audit log. */
export function updateCustomer(unit: Unit, customerId: string, input: CustomerFields, expectedUpdatedAt?: number): void {
  const row = customerRow(unit, customerId);
  assertOpen(row);
  if (expectedUpdatedAt !== undefined && expectedUpdatedAt !== row.updated_at) {
    const actor = unit.value<string>(sql`
      SELECT actor FROM audit_log WHERE entity = 'customer' AND entity_id = ${customerId} ORDER BY id DESC LIMIT 1`);
    throw new AppError('conflict', 'customers.err.changedMeanwhile', { actor: actor ?? '' });
  }
  const fields = normaliseCustomerFields(input);
  const problems = checkCustomerFields(fields);
  if (problems.length) throw new FieldsError(problems);
  const before = fieldsOf(row);
  const changes: Record<string, [unknown, unknown]> = {};
  for (const field of Object.keys(FIELD_COLUMNS) as CustomerField[]) {
    if (before[field] !== fields[field]) changes[field] = [auditValue(field, before[field]), auditValue(field, fields[field])];
  }
  if (Object.keys(changes).length === 0) return;
  unit.run(sql`
    UPDATE customers SET name = ${fields.name}, phone = ${fields.phone}, phone2 = ${fields.phone2}, id_card = ${fields.idCard},
      township = ${fields.township}, village = ${fields.village}, address_detail = ${fields.addressDetail},
      transformer_area = ${fields.transformerArea}, customer_class = ${fields.customerClass}, tariff_code = ${fields.tariffCode},
      household_size = ${fields.householdSize}, multi_person = ${fields.multiPerson}, capacity_kva = ${fields.capacityKva},
      opened_date = ${fields.openedDate}, notes = ${fields.notes}, name_initials = ${nameInitials(fields.name)},
      updated_at = ${Math.max(unit.at, row.updated_at + 1)}
    WHERE id = ${customerId}`);
  if (changes.name || changes.phone || changes.phone2) writeSearchKeys(unit, customerId, fields, before);
  if (changes.township || changes.village) notePlaces(unit, [fields]);
  unit.record({
    action: 'customer.update',
    entity: 'customer',
    entityId: customerId,
    op: 'update',
    summary: { accountNo: row.account_no, name: fields.name, changes },
    payload: customerPayload(unit, customerId),
  });
}

type StatusAction = 'suspend' | 'resume' | 'close';
const STATUS_MOVES: Record<StatusAction, { from: CustomerStatus[]; to: CustomerStatus }> = {
  suspend: { from: ['active'], to: 'suspended' }, // 暂停
  resume: { from: ['suspended'], to: 'active' }, // 恢复
  close: { from: ['active', 'suspended'], to: 'closed' }, // 销户
};

/** 暂停 / 恢复 / 销户 on a date, with a reason. Closing needs no installed meter and passes the close hooks. */
export function changeStatus(unit: Unit, customerId: string, action: StatusAction, date: string, reason: string): void {
  const row = customerRow(unit, customerId);
  const move = STATUS_MOVES[action];
  if (!move.from.includes(row.status)) {
    throw new AppError('conflict', 'customers.err.statusFrom', { accountNo: row.account_no });
  }
  if (!isDate(date)) throw new FieldsError([{ field: 'date', key: 'customers.err.date', params: { value: date } }]);
  if (date < row.opened_date) throw new FieldsError([{ field: 'date', key: 'customers.err.dateBeforeOpened', params: { date, openedDate: row.opened_date } }]);
  if (action === 'close') {
    const installed = unit.value<number>(sql`
      SELECT count(*) FROM meters m JOIN metering_points p ON p.id = m.point_id
      WHERE p.customer_id = ${customerId} AND m.removed_date IS NULL`);
    if (installed) throw new AppError('conflict', 'customers.err.closeWithMeters', { accountNo: row.account_no });
    for (const check of closeAccountChecks) {
      const refusal = check(unit, { id: customerId, accountNo: row.account_no });
      if (refusal) throw refusal;
    }
  }
  unit.run(sql`UPDATE customers SET status = ${move.to}, status_date = ${date}, updated_at = ${Math.max(unit.at, row.updated_at + 1)} WHERE id = ${customerId}`);
  unit.record({
    action: `customer.${action}`,
    entity: 'customer',
    entityId: customerId,
    op: 'update',
    summary: { accountNo: row.account_no, name: row.name, changes: { status: [row.status, move.to] }, date, reason },
    payload: customerPayload(unit, customerId),
  });
}

export { assertOpen };
