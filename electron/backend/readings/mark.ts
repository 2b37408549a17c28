import { changeCounter } from '../db/changes';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';

/**
 * A mark of what the station holds: every business write appends to the outbox (its
 * AUTOINCREMENT high-water mark only grows; max(seq) would drop when an ack prunes the outbox) and head office's reading policies arrive as new rows. When
 * the mark is the same before a long read and inside the transaction that writes its result,
 * nothing the result depends on changed in between, so it need not be read again.
 */
export function changeMark(db: ReadableDB): string {
  // The store's change counter (db/changes.ts), and the policies, which arrive without an outbox row.
  return `${changeCounter(db)}:${db.value<number>(sql`SELECT count(*) FROM reading_policies`) ?? 0}`;
}
