// Customer files for reading tests, e2e seeding and the bench, until the customers desk's module
// is on main: customers, metering points and meters inserted with SQL matching migration 0002.
// Kept in this one file so it is easy to swap for the customers module's functions.
import { parseCenti } from '../../../shared/money';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { WritableDB } from '../db/store';

export interface FixtureMeter {
  accountNo: string;
  name: string;
  township?: string;
  village?: string;
  address?: string;
  meterNo: string;
  digits?: number;
  multiplier?: number;
  /** TOU start registers as typed, e.g. { peak: '0', flat: '0', valley: '0' }. */
  touStart?: Record<string, string>;
  /** 新表起码 as typed. */
  startReading?: string;
  installDate?: string;
}

export interface FixturePoint {
  customerId: string;
  pointId: string;
  meterId: string;
}

export function insertCustomerWithMeter(tx: WritableDB, stationId: string, m: FixtureMeter, at = 1): FixturePoint {
  const customerId = uuidv7();
  const pointId = uuidv7();
  const meterId = uuidv7();
  const installDate = m.installDate ?? '2025-01-01';
  tx.run(sql`
    INSERT INTO customers (id, station_id, account_no, name, township, village, address_detail, transformer_area, customer_class,
                           status_date, opened_date, created_at, updated_at)
    VALUES (${customerId}, ${stationId}, ${m.accountNo}, ${m.name}, ${m.township ?? '青山镇'}, ${m.village ?? '东村'}, ${m.address ?? ''},
            'T01', 'residential', ${installDate}, ${installDate}, ${at}, ${at})`);
  tx.run(sql`INSERT INTO metering_points (id, station_id, customer_id, created_at) VALUES (${pointId}, ${stationId}, ${customerId}, ${at})`);
  const touStart = m.touStart ? JSON.stringify(Object.fromEntries(Object.entries(m.touStart).map(([k, v]) => [k, parseCenti(v)]))) : null;
  tx.run(sql`
    INSERT INTO meters (id, station_id, point_id, meter_no, digits, multiplier, tou, install_date, start_reading, start_registers,
                        created_at, updated_at)
    VALUES (${meterId}, ${stationId}, ${pointId}, ${m.meterNo}, ${m.digits ?? 5}, ${m.multiplier ?? 1}, ${m.touStart ? 1 : 0},
            ${installDate}, ${parseCenti(m.startReading ?? '0')}, ${touStart}, ${at}, ${at})`);
  return { customerId, pointId, meterId };
}

/** Adds customers, each with one metering point and one installed meter. */
export function addMeters(backend: Backend, meters: FixtureMeter[]): FixturePoint[] {
  const stationId = backend.requireStation().id;
  return backend.store.write((tx) => meters.map((m) => insertCustomerWithMeter(tx, stationId, m, backend.now())));
}

export interface FixtureReplacement {
  pointId: string;
  date: string;
  /** 旧表止码 as typed. */
  oldFinal: string;
  newMeterNo: string;
  newStart?: string;
  multiplier?: number;
  digits?: number;
}

/** 换表: removes the installed meter with its final reading and installs a new one. */
export function replaceMeter(backend: Backend, r: FixtureReplacement): string {
  const stationId = backend.requireStation().id;
  const at = backend.now();
  return backend.store.write((tx) => {
    const old = tx.get<{ id: string; digits: number; multiplier: number }>(
      sql`SELECT id, digits, multiplier FROM meters WHERE point_id = ${r.pointId} AND removed_date IS NULL`,
    );
    if (!old) throw new Error(`no installed meter at ${r.pointId}`);
    const id = uuidv7();
    tx.run(sql`UPDATE meters SET removed_date = ${r.date}, final_reading = ${parseCenti(r.oldFinal)}, updated_at = ${at} WHERE id = ${old.id}`);
    tx.run(sql`
      INSERT INTO meters (id, station_id, point_id, meter_no, digits, multiplier, install_date, start_reading, created_at, updated_at)
      VALUES (${id}, ${stationId}, ${r.pointId}, ${r.newMeterNo}, ${r.digits ?? old.digits}, ${r.multiplier ?? old.multiplier}, ${r.date},
              ${parseCenti(r.newStart ?? '0')}, ${at}, ${at})`);
    tx.run(sql`UPDATE meters SET replaced_by = ${id} WHERE id = ${old.id}`);
    return id;
  });
}
