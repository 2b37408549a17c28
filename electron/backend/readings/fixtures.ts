// Customer files for reading tests, e2e seeding and the bench, filed through the customers
// desk's module (createCustomer, replaceMeter): households described the way reading tests
// think of them — an account, a meter, its digits, multiplier and start reading.
import { parseCenti } from '../../../shared/money';
import { SYSTEM_ACTOR } from '../audit/record';
import type { Backend } from '../context';
import { createCustomer, type BulkOptions } from '../customers/customers';
import { newCustomerInput } from '../customers/fixtures';
import { replaceMeter as replaceCustomerMeter } from '../customers/meters';
import { sql } from '../db/sql';
import type { Unit } from '../audit/record';

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

/** Files one household with its meter in the caller's unit; `bulk` for many at once (audited once). */
export function fileHousehold(unit: Unit, m: FixtureMeter, bulk?: BulkOptions): FixturePoint {
  const installDate = m.installDate ?? '2025-01-01';
  const { id } = createCustomer(
    unit,
    newCustomerInput({
      accountNo: m.accountNo,
      name: m.name,
      township: m.township ?? '青山镇',
      village: m.village ?? '东村',
      addressDetail: m.address ?? '',
      openedDate: installDate,
      points: [
        {
          label: '',
          meter: {
            meterNo: m.meterNo,
            digits: m.digits ?? 5,
            multiplier: m.multiplier ?? 1,
            tou: m.touStart !== undefined,
            installDate,
            startReading: parseCenti(m.startReading ?? '0'),
            startRegisters: m.touStart ? Object.fromEntries(Object.entries(m.touStart).map(([k, v]) => [k, parseCenti(v)])) : null,
          },
        },
      ],
    }),
    bulk,
  );
  const point = unit.get<{ pointId: string; meterId: string }>(sql`
    SELECT p.id AS pointId, m.id AS meterId FROM metering_points p JOIN meters m ON m.point_id = p.id AND m.removed_date IS NULL
    WHERE p.customer_id = ${id}`);
  if (!point) throw new Error(`no meter filed for ${m.accountNo}`);
  return { customerId: id, ...point };
}

/** Adds customers, each with one metering point and one installed meter. */
export function addMeters(backend: Backend, meters: FixtureMeter[]): FixturePoint[] {
  return backend.write(SYSTEM_ACTOR, (unit) => meters.map((m) => fileHousehold(unit, m)));
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

/** 换表 through the customers desk: the installed meter comes off with its final reading, a new one goes on. */
export function replaceMeter(backend: Backend, r: FixtureReplacement): string {
  return backend.write(SYSTEM_ACTOR, (unit) => {
    const old = unit.get<{ id: string; digits: number; multiplier: number }>(
      sql`SELECT id, digits, multiplier FROM meters WHERE point_id = ${r.pointId} AND removed_date IS NULL`,
    );
    if (!old) throw new Error(`no installed meter at ${r.pointId}`);
    return replaceCustomerMeter(unit, {
      meterId: old.id,
      finalReading: parseCenti(r.oldFinal),
      finalRegisters: null,
      reason: '轮换',
      meter: {
        meterNo: r.newMeterNo,
        digits: r.digits ?? old.digits,
        multiplier: r.multiplier ?? old.multiplier,
        tou: false,
        installDate: r.date,
        startReading: parseCenti(r.newStart ?? '0'),
        startRegisters: null,
      },
    }).meterId;
  });
}
