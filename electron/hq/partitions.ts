import { createHash } from 'node:crypto';
import type { Sql } from './db';

// Fact tables are partitioned by LIST (station_id). A station's partitions are made when it is
// enrolled, in the enrolment's transaction; the DEFAULT partition is a safety net. Names come from
// a hash of the id (ids are UUIDs, names must be identifiers).
export const PARTITIONED_TABLES = ['station_rows', 'hq_bills', 'hq_payments', 'hq_readings', 'hq_records'] as const;

export function partitionName(table: string, stationId: string): string {
  return `${table}_s${createHash('sha256').update(stationId).digest('hex').slice(0, 16)}`;
}

export async function addStationPartitions(q: Sql, stationId: string): Promise<void> {
  const literal = `'${stationId.replaceAll("'", "''")}'`;
  for (const table of PARTITIONED_TABLES) {
    await q.exec(`CREATE TABLE IF NOT EXISTS ${partitionName(table, stationId)} PARTITION OF ${table} FOR VALUES IN (${literal})`);
  }
}
