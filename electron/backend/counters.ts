import { sql } from './db/sql';
import type { WritableDB } from './db/store';

/**
 * The next value of a named counter, taken inside the caller's transaction: if the transaction
 * rolls back, so does the number, so numbers are never reused and never skipped silently.
 */
export function nextNumber(tx: WritableDB, counter: string, start = 1): number {
  const row = tx.get<{ value: number }>(sql`
    INSERT INTO counters (name, value) VALUES (${counter}, ${start})
    ON CONFLICT (name) DO UPDATE SET value = value + 1
    RETURNING value`);
  if (!row) throw new Error(`counter ${counter} did not advance`);
  return row.value;
}
