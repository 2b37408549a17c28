import { prevPeriod, type HqMonthRow, type HqSeriesPoint, type HqStationDetail } from '../../shared/hq/types';
import type { HqContext } from './context';
import { HqError } from './errors';
import { findStation, listStations } from './stations';

// The cross-station views (各所月度对比). Everything reads the per-station monthly roll-up
// (station_month, a few rows per station and month) and the stations table, so the answer time
// does not grow with the stations' sizes. Arrears (欠费) over 30 / 90 days at the end of month M:
// what is still unsettled of the bills of periods up to M−1 / M−3 (settlements known to date).

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

function rate(n: number, d: number): number | null {
  return d > 0 ? n / d : null;
}

function toMonthRow(r: Record<string, unknown>): HqMonthRow {
  const billed = Number(r.billed_fen ?? 0);
  const readings = Number(r.readings ?? 0);
  const scored = Number(r.appraisal_count ?? 0);
  return {
    stationId: String(r.station_id),
    code: String(r.code),
    name: String(r.name),
    customers: Number(r.customers ?? 0),
    bills: Number(r.bills ?? 0),
    kwhCenti: Number(r.billed_kwh_centi ?? 0),
    billedFen: billed,
    collectedFen: Number(r.collected_fen ?? 0),
    collectionRate: rate(Number(r.collected_fen ?? 0), billed),
    arrears30Fen: Math.max(0, Number(r.arrears30 ?? 0)),
    arrears90Fen: Math.max(0, Number(r.arrears90 ?? 0)),
    readings,
    actualReadRate: rate(Number(r.actual_reads ?? 0), readings),
    errorRate: rate(Number(r.corrected_reads ?? 0), readings),
    appraisalAvg: scored > 0 ? Number(r.appraisal_sum) / scored : null,
  };
}

const MONTH_SQL = `
  SELECT s.station_id, s.code, s.name, s.customers,
         m.bills, m.billed_kwh_centi, m.billed_fen, m.collected_fen, m.readings, m.actual_reads, m.corrected_reads, m.appraisal_sum, m.appraisal_count,
         a.arrears30, a.arrears90
    FROM stations s
    LEFT JOIN station_month m ON m.station_id = s.station_id AND m.period = $1
    LEFT JOIN (SELECT station_id,
                      sum(billed_fen - settled_fen) FILTER (WHERE period <= $2) AS arrears30,
                      sum(billed_fen - settled_fen) FILTER (WHERE period <= $3) AS arrears90
                 FROM station_month WHERE period <= $2 GROUP BY station_id) a ON a.station_id = s.station_id`;

/** One row per station for the month. */
export async function monthTable(hq: HqContext, period: string): Promise<HqMonthRow[]> {
  if (!PERIOD.test(period)) throw new HqError('invalid_input', `period ${period}: YYYY-MM`);
  const rows = await hq.db.query<Record<string, unknown>>(`${MONTH_SQL} ORDER BY s.code`, [period, prevPeriod(period, 1), prevPeriod(period, 3)]);
  return rows.map(toMonthRow);
}

/** Billed and collected across all stations (or one), month by month, for the charts. */
export async function series(hq: HqContext, stationId?: string, months = 12, through?: string): Promise<HqSeriesPoint[]> {
  const rows = await hq.db.query<Record<string, unknown>>(
    `SELECT period, sum(billed_fen) AS billed, sum(collected_fen) AS collected, sum(billed_kwh_centi) AS kwh
       FROM station_month WHERE ($1::text IS NULL OR station_id = $1) AND ($2::text IS NULL OR period <= $2)
      GROUP BY period ORDER BY period DESC LIMIT $3`,
    [stationId ?? null, through ?? null, months],
  );
  return rows.reverse().map((r) => ({ period: String(r.period), billedFen: Number(r.billed), collectedFen: Number(r.collected), kwhCenti: Number(r.kwh) }));
}

/** The newest month any station has data for (the dashboard opens on it). */
export async function latestPeriod(hq: HqContext): Promise<string | null> {
  const row = (await hq.db.query<{ p: string | null }>(`SELECT max(period) AS p FROM station_month WHERE bills > 0 OR collected_fen <> 0 OR readings > 0`))[0];
  return row?.p ?? null;
}

/** A station's months, books and staff (as last sent), batches and refusals. */
export async function stationDetail(hq: HqContext, codeOrId: string): Promise<HqStationDetail> {
  const s = await findStation(hq, codeOrId);
  const station = (await listStations(hq)).find((r) => r.stationId === s.station_id)!;
  const months = await hq.db.query<Record<string, unknown>>(
    `SELECT s.station_id, s.code, s.name, s.customers, m.*,
            (SELECT sum(billed_fen - settled_fen) FROM station_month x WHERE x.station_id = m.station_id AND x.period < m.period) AS arrears30,
            (SELECT sum(billed_fen - settled_fen) FROM station_month x WHERE x.station_id = m.station_id AND x.period <= to_char(to_date(m.period, 'YYYY-MM') - interval '3 months', 'YYYY-MM')) AS arrears90
       FROM station_month m JOIN stations s ON s.station_id = m.station_id WHERE m.station_id = $1 ORDER BY m.period DESC LIMIT 24`,
    [s.station_id],
  );
  const records = await hq.db.query<{ entity: string; row: Record<string, unknown> | string }>(
    `SELECT entity, row FROM hq_records WHERE station_id = $1 AND entity IN ('books', 'staff') ORDER BY entity, id`,
    [s.station_id],
  );
  const parsed = records.map((r) => ({ entity: r.entity, row: (typeof r.row === 'string' ? JSON.parse(r.row) : r.row) as Record<string, unknown> }));
  const staffById = new Map(parsed.filter((r) => r.entity === 'staff').map((r) => [String(r.row.id), String(r.row.name ?? '')]));
  const batches = await hq.db.query<Record<string, unknown>>(
    'SELECT sha256, from_seq, to_seq, row_count, status, reason, received_at FROM batches WHERE station_id = $1 ORDER BY received_at DESC, from_seq DESC LIMIT 50',
    [s.station_id],
  );
  const refusals = await hq.db.query<Record<string, unknown>>('SELECT at, code, reason, source FROM import_refusals WHERE station_id = $1 ORDER BY at DESC LIMIT 50', [s.station_id]);
  return {
    station,
    months: months.map(toMonthRow).map((r, i) => ({ ...r, period: String(months[i]!.period) })) as HqStationDetail['months'],
    books: parsed
      .filter((r) => r.entity === 'books')
      .map((r) => ({
        bookNo: String(r.row.book_no ?? ''),
        name: String(r.row.name ?? ''),
        reader: r.row.reader_id ? (staffById.get(String(r.row.reader_id)) ?? String(r.row.reader_id)) : null,
        readingDay: r.row.reading_day == null ? null : Number(r.row.reading_day),
        active: Number(r.row.active ?? 1) === 1,
      }))
      .sort((a, b) => a.bookNo.localeCompare(b.bookNo)),
    staff: parsed
      .filter((r) => r.entity === 'staff')
      .map((r) => ({ staffNo: String(r.row.staff_no ?? ''), name: String(r.row.name ?? ''), active: Number(r.row.active ?? 1) === 1 }))
      .sort((a, b) => a.staffNo.localeCompare(b.staffNo)),
    batches: batches.map((b) => ({
      sha256: String(b.sha256),
      fromSeq: Number(b.from_seq),
      toSeq: Number(b.to_seq),
      rows: Number(b.row_count),
      status: String(b.status),
      reason: String(b.reason),
      receivedAt: new Date(b.received_at as string).toISOString(),
    })),
    refusals: refusals.map((r) => ({ at: new Date(r.at as string).toISOString(), code: String(r.code), reason: String(r.reason), source: String(r.source) })),
  };
}
