// Test fixture for billing: customers are filed through the customers desk's module
// (createCustomer); books, periods, readings and reviews are written with SQL matching migration
// 0003, so a test says a month's consumption in one line without keying a book. Billing tests,
// the e2e tests and the bench use it through this one file; the path through the reading desk's
// own entry and review is tested in electron/backend/station-month.test.ts and the demo.
import type { CustomerClass } from '../../../../shared/customers/classes';
import type { Centi } from '../../../../shared/money';
import { SYSTEM_ACTOR, type Unit } from '../../audit/record';
import type { Backend } from '../../context';
import { createCustomer, reserveAccountNumbers } from '../../customers/customers';
import { pointsOf } from '../../customers/rows';
import { uuidv7 } from '../../db/ids';
import { sql } from '../../db/sql';
import type { Store, WritableDB } from '../../db/store';

export interface CustomerSpec {
  name: string;
  customerClass: CustomerClass;
  tariffCode: string | null;
  bookId: string;
  seq: number;
  multiPerson?: boolean;
  capacityKva?: number | null;
  openedDate?: string;
  multiplier?: number;
  tou?: boolean;
  township?: string;
  village?: string;
  addressDetail?: string;
  label?: string;
}

export interface SeededCustomer {
  customerId: string;
  accountNo: string;
  pointId: string;
  meterId: string;
  meterNo: string;
}

export interface ReadingSpec {
  /** Consumption in hundredths of a kWh (after the multiplier). */
  kwh: Centi;
  /** Time-of-use consumption per register, hundredths of a kWh. */
  tou?: Partial<Record<'criticalPeak' | 'peak' | 'flat' | 'valley' | 'deepValley', Centi>>;
  kind?: 'actual' | 'estimated';
  /** A reading flagged by the checks: billable only after a reviewer accepts it. */
  needsReview?: boolean;
  date?: string;
}

export class StationFixture {
  readonly stationId: string;
  readonly stationCode: string;
  readonly store: Store;
  private meters = 0;

  constructor(
    readonly backend: Backend,
    /** Staff recorded as reader and reviewer. */
    readonly staffId: string,
  ) {
    this.store = backend.store;
    const station = this.store.read.get<{ id: string; code: string }>(sql`SELECT id, code FROM station`);
    if (!station) throw new Error('fixture: the station is not set up');
    this.stationId = station.id;
    this.stationCode = station.code;
    this.meters = this.store.read.value<number>(sql`SELECT count(*) FROM meters`) ?? 0;
  }

  book(bookNo: string, name: string, readingDay = 5): string {
    const id = uuidv7();
    this.store.write((tx) =>
      tx.run(sql`INSERT INTO books (id, station_id, book_no, name, reader_id, reading_day, created_at, updated_at)
                 VALUES (${id}, ${this.stationId}, ${bookNo}, ${name}, ${this.staffId}, ${readingDay}, 1, 1)`),
    );
    return id;
  }

  /** Files a customer with one meter (customers desk) and puts the point in a book. */
  customer(spec: CustomerSpec): SeededCustomer {
    return this.backend.write(SYSTEM_ACTOR, (unit) => this.file(unit, spec));
  }

  /** Many customers in one transaction, filed in bulk (one audit entry for the batch). */
  customers(specs: CustomerSpec[]): SeededCustomer[] {
    return this.backend.write(SYSTEM_ACTOR, (unit) => {
      reserveAccountNumbers(unit, specs.length);
      return specs.map((spec) => this.file(unit, spec, true));
    });
  }

  private file(unit: Unit, spec: CustomerSpec, bulk = false): SeededCustomer {
    this.meters += 1;
    const meterNo = `FX${String(this.meters).padStart(8, '0')}`;
    const opened = spec.openedDate ?? '2020-01-01';
    const { id, accountNo } = createCustomer(
      unit,
      {
        name: spec.name,
        phone: '',
        phone2: '',
        idCard: '',
        township: spec.township ?? '青山镇',
        village: spec.village ?? '东村',
        addressDetail: spec.addressDetail ?? `${spec.seq}号`,
        transformerArea: 'T01',
        customerClass: spec.customerClass,
        tariffCode: spec.tariffCode,
        householdSize: null,
        multiPerson: spec.multiPerson ?? false,
        capacityKva: spec.capacityKva ?? (spec.customerClass === 'large_industry' ? 400 : null),
        openedDate: opened,
        notes: '',
        points: [
          {
            label: spec.label ?? '',
            meter: { meterNo, digits: 8, multiplier: spec.multiplier ?? 1, tou: spec.tou ?? false, installDate: opened, startReading: 0, startRegisters: null },
          },
        ],
      },
      bulk ? { importBatch: null } : undefined,
    );
    const point = pointsOf(unit, id)[0];
    const meterId = point?.meters[0]?.id;
    if (!point || !meterId) throw new Error('fixture: the customer has no meter');
    unit.run(sql`INSERT INTO book_points (point_id, book_id, seq) VALUES (${point.id}, ${spec.bookId}, ${spec.seq})`);
    return { customerId: id, accountNo, pointId: point.id, meterId, meterNo };
  }

  /** Opens a reading period: one reading_due row per point in a book, from the last reading in force. */
  openPeriod(period: string): void {
    this.store.write((tx) => {
      tx.run(sql`INSERT INTO reading_periods (period, opened_at, opened_by) VALUES (${period}, 1, ${this.staffId})`);
      tx.run(sql`
        INSERT INTO reading_due (period, point_id, book_id, seq, meter_id, previous_reading, previous_date)
        SELECT ${period}, bp.point_id, bp.book_id, bp.seq, m.id,
               coalesce((SELECT r.value FROM current_readings r WHERE r.point_id = bp.point_id AND r.value IS NOT NULL AND r.period < ${period}
                         ORDER BY r.period DESC LIMIT 1), m.start_reading),
               (SELECT r.reading_date FROM current_readings r WHERE r.point_id = bp.point_id AND r.period < ${period} ORDER BY r.period DESC LIMIT 1)
        FROM book_points bp JOIN meters m ON m.point_id = bp.point_id AND m.removed_date IS NULL`);
    });
  }

  /** Enters a reading for the period; the register value follows from the previous reading and the multiplier. */
  read(period: string, pointId: string, spec: ReadingSpec, tx?: WritableDB, supersedes: string | null = null): string {
    const write = (db: WritableDB): string => {
      const due = db.get<{ previous_reading: number; meter_id: string; multiplier: number }>(sql`
        SELECT d.previous_reading, d.meter_id, m.multiplier FROM reading_due d JOIN meters m ON m.id = d.meter_id
        WHERE d.period = ${period} AND d.point_id = ${pointId}`);
      if (!due) throw new Error(`fixture: point ${pointId} is not due in ${period}`);
      if (spec.kwh % due.multiplier !== 0) throw new Error(`fixture: ${spec.kwh} is not a multiple of the multiplier ${due.multiplier}`);
      const id = uuidv7();
      const value = due.previous_reading + spec.kwh / due.multiplier;
      db.run(sql`
        INSERT INTO readings (id, station_id, period, point_id, meter_id, reading_date, kind, value, previous_value, consumption,
                              tou_consumption, needs_review, supersedes, source, entered_by, entered_at)
        VALUES (${id}, ${this.stationId}, ${period}, ${pointId}, ${due.meter_id}, ${spec.date ?? `${period}-05`}, ${spec.kind ?? 'actual'},
                ${value}, ${due.previous_reading}, ${spec.kwh}, ${spec.tou ? JSON.stringify(spec.tou) : null}, ${spec.needsReview ? 1 : 0},
                ${supersedes}, 'keyboard', ${this.staffId}, 1)`);
      return id;
    };
    return tx ? write(tx) : this.store.write(write);
  }

  /** A reviewer's decision on a flagged reading. */
  review(readingId: string, decision: 'accept' | 'correct' | 'site_visit' = 'accept'): void {
    this.store.write((tx) =>
      tx.run(sql`INSERT INTO reading_reviews (id, reading_id, decision, reviewed_by, reviewed_at) VALUES (${uuidv7()}, ${readingId}, ${decision}, ${this.staffId}, 2)`),
    );
  }

  /** A corrected reading (补正) that supersedes the one in force. */
  correct(period: string, pointId: string, readingId: string, spec: ReadingSpec): string {
    return this.read(period, pointId, spec, undefined, readingId);
  }
}
