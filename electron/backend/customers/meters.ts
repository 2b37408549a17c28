// Metering points (计量点) and meters (电能表): installing (装表), replacing (换表) and removing
// (拆表). A point keeps its place in a reading book across replacements; the old meter keeps its
// final reading and the new one its start reading on the same date, so the reading and billing
// desks count both in that period.
import { checkMeterFields, type FieldProblem, type MeterFields } from '../../../shared/customers/rules';
import { formatCenti } from '../../../shared/money';
import { isDate } from '../../../shared/time';
import type { OutboxEntry, Unit } from '../audit/record';
import { uuidv7 } from '../db/ids';
import { sql, type SqlArg } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError } from '../errors';
import type { BulkOptions } from './customers';
import { FieldsError } from './fieldsError';
import { customerRow, meterRow, type MeterRow } from './rows';
import { insertRows } from '../db/insertRows';

export function normaliseMeter(m: MeterFields): MeterFields {
  return { ...m, meterNo: m.meterNo.trim().toUpperCase(), startRegisters: m.tou ? m.startRegisters : null };
}

/** The account that has this meter number installed, if any. */
function installedAt(db: ReadableDB, meterNo: string): string | undefined {
  // One probe of the partial unique index first: the join runs only for a number in use.
  if (!db.value(sql`SELECT 1 FROM meters WHERE meter_no = ${meterNo} AND removed_date IS NULL`)) return undefined;
  return db.value<string>(sql`
    SELECT c.account_no FROM meters m JOIN metering_points p ON p.id = m.point_id JOIN customers c ON c.id = p.customer_id
    WHERE m.meter_no = ${meterNo} AND m.removed_date IS NULL`);
}

/** Which of these meter numbers are installed, each with its account (a few hundred per lookup). */
export function installedMeters(db: ReadableDB, meterNos: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < meterNos.length; i += 500) {
    for (const r of db.all<{ meter_no: string; account_no: string }>(sql`
      SELECT m.meter_no, c.account_no FROM meters m JOIN metering_points p ON p.id = m.point_id JOIN customers c ON c.id = p.customer_id
      WHERE m.removed_date IS NULL AND m.meter_no IN ${sql.list(meterNos.slice(i, i + 500))}`)) {
      out.set(r.meter_no, r.account_no);
    }
  }
  return out;
}

function checkMeter(db: ReadableDB, meter: MeterFields, prefix = 'meter.'): void {
  const problems: FieldProblem[] = checkMeterFields(meter, prefix);
  const taken = meter.meterNo ? installedAt(db, meter.meterNo) : undefined;
  if (taken) problems.push({ field: `${prefix}meterNo`, key: 'customers.err.meterTaken', params: { meterNo: meter.meterNo, accountNo: taken } });
  if (problems.length) throw new FieldsError(problems);
}

function meterPayload(db: ReadableDB, meterId: string, customerId: string): Record<string, unknown> {
  const m = meterRow(db, meterId);
  return {
    id: m.id,
    customerId,
    pointId: m.point_id,
    meterNo: m.meter_no,
    digits: m.digits,
    multiplier: m.multiplier,
    tou: m.tou === 1,
    installDate: m.install_date,
    startReading: m.start_reading,
    startRegisters: m.start_registers ? JSON.parse(m.start_registers) : null,
    removedDate: m.removed_date,
    finalReading: m.final_reading,
    finalRegisters: m.final_registers ? JSON.parse(m.final_registers) : null,
    removedReason: m.removed_reason,
    replacedBy: m.replaced_by,
  };
}

/** A just-installed meter as it travels (the same shape as meterPayload, without reading it back). */
function newMeterPayload(id: string, customerId: string, pointId: string, m: MeterFields): Record<string, unknown> {
  return { id, customerId, pointId, ...m, removedDate: null, finalReading: null, finalRegisters: null, removedReason: '', replacedBy: null };
}

const INSERT_METERS = sql`
  INSERT INTO meters (id, station_id, point_id, meter_no, digits, multiplier, tou, install_date, start_reading, start_registers, created_at, updated_at)`;

/** A meter row's values in INSERT_METERS order (meter_no 4th). */
function meterValues(unit: Unit, id: string, pointId: string, m: MeterFields): SqlArg[] {
  return [id, unit.stationId(), pointId, m.meterNo, m.digits, m.multiplier, m.tou, m.installDate, m.startReading, m.startRegisters ? JSON.stringify(m.startRegisters) : null, unit.at, unit.at];
}

function insertMeter(unit: Unit, pointId: string, m: MeterFields): string {
  const id = uuidv7(unit.at);
  insertRows(unit, INSERT_METERS, [meterValues(unit, id, pointId, m)]);
  return id;
}

/** A new point and the meter on it, as they travel to head office. */
function newPointChanges(customerId: string, pointId: string, label: string, meterId: string, meter: MeterFields): [point: OutboxEntry, meter: OutboxEntry] {
  return [
    { entity: 'metering_point', entityId: pointId, op: 'insert', payload: { id: pointId, customerId, label, active: true } },
    { entity: 'meter', entityId: meterId, op: 'insert', payload: newMeterPayload(meterId, customerId, pointId, meter) },
  ];
}

/** Used by createCustomer and installMeter: a new point with its first meter. Returns the meter id. */
export function insertMeterOnNewPoint(unit: Unit, customer: { id: string; accountNo: string }, label: string, meter: MeterFields, bulk?: BulkOptions): { pointId: string; meterId: string } {
  checkMeter(unit, meter);
  const pointId = uuidv7(unit.at);
  unit.run(sql`INSERT INTO metering_points (id, station_id, customer_id, label, active, created_at)
               VALUES (${pointId}, ${unit.stationId()}, ${customer.id}, ${label}, 1, ${unit.at})`);
  const meterId = insertMeter(unit, pointId, meter);
  const [pointChange, meterChange] = newPointChanges(customer.id, pointId, label, meterId, meter);
  unit.outbox(pointChange);
  if (bulk) unit.outbox(meterChange);
  else {
    unit.record({
      ...meterChange,
      action: 'meter.install',
      summary: { accountNo: customer.accountNo, customerId: customer.id, meterNo: meter.meterNo, point: label, multiplier: meter.multiplier, startReading: formatCenti(meter.startReading), date: meter.installDate },
    });
  }
  return { pointId, meterId };
}

/**
 * Points with their first meters for customers filed in bulk (checked by the caller): rows in
 * statements of many, each point and meter to the outbox. Ids follow the given order (a
 * customer's points keep theirs); meter rows go in by number, so the number indexes are walked
 * once rather than probed at random.
 */
export function insertPointsWithMeters(unit: Unit, points: readonly { customerId: string; label: string; meter: MeterFields }[]): void {
  const stationId = unit.stationId();
  const pointRows: SqlArg[][] = [];
  const meterRows: SqlArg[][] = [];
  const changes: OutboxEntry[] = [];
  for (const p of points) {
    const pointId = uuidv7(unit.at);
    const meterId = uuidv7(unit.at);
    pointRows.push([pointId, stationId, p.customerId, p.label, 1, unit.at]);
    meterRows.push(meterValues(unit, meterId, pointId, p.meter));
    changes.push(...newPointChanges(p.customerId, pointId, p.label, meterId, p.meter));
  }
  meterRows.sort((a, b) => ((a[3] as string) < (b[3] as string) ? -1 : (a[3] as string) > (b[3] as string) ? 1 : 0));
  insertRows(unit, sql`INSERT INTO metering_points (id, station_id, customer_id, label, active, created_at)`, pointRows);
  insertRows(unit, INSERT_METERS, meterRows);
  unit.outboxAll(changes);
}

/** 装表 on a new metering point of an open account. */
export function installMeter(unit: Unit, customerId: string, label: string, input: MeterFields): { pointId: string; meterId: string } {
  const customer = customerRow(unit, customerId);
  if (customer.status === 'closed') throw new AppError('conflict', 'customers.err.closed', { accountNo: customer.account_no });
  const meter = normaliseMeter(input);
  if (isDate(meter.installDate) && meter.installDate < customer.opened_date) {
    throw new FieldsError([{ field: 'meter.installDate', key: 'customers.err.dateBeforeOpened', params: { date: meter.installDate, openedDate: customer.opened_date } }]);
  }
  return insertMeterOnNewPoint(unit, { id: customerId, accountNo: customer.account_no }, label.trim(), meter);
}

function installedMeter(unit: Unit, meterId: string): { meter: MeterRow; customerId: string; accountNo: string } {
  const meter = meterRow(unit, meterId);
  const owner = unit.get<{ id: string; account_no: string }>(sql`
    SELECT c.id, c.account_no FROM metering_points p JOIN customers c ON c.id = p.customer_id WHERE p.id = ${meter.point_id}`);
  if (!owner) throw new Error(`meter ${meterId} has no customer`);
  if (meter.removed_date) throw new AppError('conflict', 'customers.err.meterRemoved', { meterNo: meter.meter_no, date: meter.removed_date });
  return { meter, customerId: owner.id, accountNo: owner.account_no };
}

/** Final reading (止码) of a meter coming off: within its register, on or after its install date. */
function checkFinal(meter: MeterRow, date: string, finalReading: number, finalRegisters: Record<string, number> | null, dateField: string): void {
  const problems: FieldProblem[] = [];
  const max = 10 ** meter.digits * 100;
  if (!Number.isSafeInteger(finalReading) || finalReading < 0 || finalReading >= max) {
    problems.push({ field: 'finalReading', key: 'customers.err.reading', params: { digits: meter.digits } });
  }
  for (const [register, value] of Object.entries(finalRegisters ?? {})) {
    if (!Number.isSafeInteger(value) || value < 0 || value >= max) problems.push({ field: `finalRegisters.${register}`, key: 'customers.err.reading', params: { digits: meter.digits } });
  }
  if (!isDate(date)) problems.push({ field: dateField, key: 'customers.err.date', params: { value: date } });
  else if (date < meter.install_date) problems.push({ field: dateField, key: 'customers.err.dateBeforeInstall', params: { date, installDate: meter.install_date } });
  if (problems.length) throw new FieldsError(problems);
}

export interface Replacement {
  meterId: string;
  finalReading: number;
  finalRegisters: Record<string, number> | null;
  reason: string;
  /** The new meter; its install date is the replacement date. */
  meter: MeterFields;
}

/**
 * 换表: the old meter comes off with its final reading (止码) and the new one goes on the same
 * point with its start reading (起码), both on the new meter's install date.
 */
export function replaceMeter(unit: Unit, input: Replacement): { meterId: string } {
  const { meter: old, customerId, accountNo } = installedMeter(unit, input.meterId);
  const next = normaliseMeter(input.meter);
  checkFinal(old, next.installDate, input.finalReading, old.tou ? input.finalRegisters : null, 'meter.installDate');
  const date = next.installDate;
  // The old meter comes off first, so the same number may go back on (a repaired meter).
  unit.run(sql`
    UPDATE meters SET removed_date = ${date}, final_reading = ${input.finalReading},
      final_registers = ${old.tou && input.finalRegisters ? JSON.stringify(input.finalRegisters) : null},
      removed_reason = ${input.reason.trim()}, updated_at = ${unit.at}
    WHERE id = ${old.id}`);
  checkMeter(unit, next);
  const newId = insertMeter(unit, old.point_id, next);
  unit.run(sql`UPDATE meters SET replaced_by = ${newId} WHERE id = ${old.id}`);
  unit.outbox({ entity: 'meter', entityId: old.id, op: 'update', payload: meterPayload(unit, old.id, customerId) });
  unit.record({
    action: 'meter.replace',
    entity: 'meter',
    entityId: newId,
    op: 'insert',
    summary: {
      accountNo,
      customerId,
      date,
      oldMeterNo: old.meter_no,
      finalReading: formatCenti(input.finalReading),
      newMeterNo: next.meterNo,
      startReading: formatCenti(next.startReading),
      multiplier: [old.multiplier, next.multiplier],
      reason: input.reason.trim(),
    },
    payload: meterPayload(unit, newId, customerId),
  });
  return { meterId: newId };
}

/** 拆表: the meter comes off with its final reading; its point is no longer read. */
export function removeMeter(unit: Unit, input: { meterId: string; date: string; finalReading: number; finalRegisters: Record<string, number> | null; reason: string }): void {
  const { meter, customerId, accountNo } = installedMeter(unit, input.meterId);
  checkFinal(meter, input.date, input.finalReading, meter.tou ? input.finalRegisters : null, 'date');
  unit.run(sql`
    UPDATE meters SET removed_date = ${input.date}, final_reading = ${input.finalReading},
      final_registers = ${meter.tou && input.finalRegisters ? JSON.stringify(input.finalRegisters) : null},
      removed_reason = ${input.reason.trim()}, updated_at = ${unit.at}
    WHERE id = ${meter.id}`);
  unit.run(sql`UPDATE metering_points SET active = 0 WHERE id = ${meter.point_id}`);
  unit.outbox({ entity: 'metering_point', entityId: meter.point_id, op: 'update', payload: { id: meter.point_id, customerId, active: false } });
  unit.record({
    action: 'meter.remove',
    entity: 'meter',
    entityId: meter.id,
    op: 'update',
    summary: { accountNo, customerId, meterNo: meter.meter_no, date: input.date, finalReading: formatCenti(input.finalReading), reason: input.reason.trim() },
    payload: meterPayload(unit, meter.id, customerId),
  });
}
