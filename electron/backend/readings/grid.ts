// The meters due in a period, in book order, each with its reading in force: the entry grid,
// the printable reading sheet, the handheld export and `readings list` all read this.
import type { EntryRow } from '../../../shared/contract';
import { readingStatus, type TouRegister } from '../../../shared/readings';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { registerNamesOf } from './entry';
import { IN_FORCE, parseJson, READING_COLUMNS, READING_JOINS, toReadingView, type ReadingDbColumns, type Registers } from './rows';

interface SheetDbRow extends ReadingDbColumns {
  book_id: string;
  book_no: string;
  point_id: string;
  seq: number;
  previous_reading: number;
  previous_registers: string | null;
  previous_date: string | null;
  customer_id: string;
  account_no: string;
  customer_name: string;
  address: string;
  point_label: string;
  meter_id: string;
  meter_no: string;
  digits: number;
  multiplier: number;
  tou: number;
  start_reading: number;
  start_registers: string | null;
  old_meter_no: string | null;
  old_final: number | null;
  old_multiplier: number | null;
  corrections: number;
}

export type SheetRow = EntryRow & { bookId: string; bookNo: string };

/** Due meters of a period (one book, or all books ordered by book number), with their readings. */
export function dueSheet(db: ReadableDB, period: string, bookId?: string): SheetRow[] {
  const rows = db.all<SheetDbRow>(sql`
    SELECT d.book_id, b.book_no, d.point_id, d.seq, d.previous_reading, d.previous_registers, d.previous_date,
           c.id AS customer_id, c.account_no, c.name AS customer_name, c.township || c.village || c.address_detail AS address,
           pt.label AS point_label, m.id AS meter_id, m.meter_no, m.digits, m.multiplier, m.tou, m.start_reading, m.start_registers,
           om.meter_no AS old_meter_no, om.final_reading AS old_final, om.multiplier AS old_multiplier,
           (SELECT count(*) FROM readings x WHERE x.period = d.period AND x.point_id = d.point_id AND x.supersedes IS NOT NULL) AS corrections,
           ${READING_COLUMNS}
    FROM reading_due d
    JOIN books b ON b.id = d.book_id
    JOIN metering_points pt ON pt.id = d.point_id
    JOIN customers c ON c.id = pt.customer_id
    JOIN meters m ON m.id = coalesce((SELECT id FROM meters WHERE point_id = d.point_id AND removed_date IS NULL), d.meter_id)
    LEFT JOIN meters om ON om.id = d.previous_meter_id AND om.id <> m.id
    LEFT JOIN readings r ON r.period = d.period AND r.point_id = d.point_id AND ${IN_FORCE}
    ${READING_JOINS}
    WHERE d.period = ${period} ${bookId ? sql`AND d.book_id = ${bookId}` : sql``}
    ORDER BY b.book_no, d.seq`);
  return rows.map((row): SheetRow => {
    const reading = toReadingView(row);
    const registerNames: TouRegister[] = registerNamesOf(row);
    return {
      bookId: row.book_id,
      bookNo: row.book_no,
      pointId: row.point_id,
      seq: row.seq,
      customerId: row.customer_id,
      accountNo: row.account_no,
      customerName: row.customer_name,
      address: row.address,
      pointLabel: row.point_label,
      meterId: row.meter_id,
      meterNo: row.meter_no,
      digits: row.digits,
      multiplier: row.multiplier,
      tou: row.tou === 1,
      registerNames,
      previous: row.previous_reading,
      previousRegisters: parseJson<Registers>(row.previous_registers),
      previousDate: row.previous_date,
      replacement:
        row.old_meter_no !== null && row.old_final !== null
          ? { oldMeterNo: row.old_meter_no, oldFinal: row.old_final, oldMultiplier: row.old_multiplier ?? 1, newStart: row.start_reading }
          : null,
      reading,
      corrections: row.corrections,
      status: reading?.status ?? readingStatus(null, null),
    };
  });
}
