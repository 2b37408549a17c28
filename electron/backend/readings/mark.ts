import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';

/**
 * A mark of what the station holds: every business write appends to the outbox (its
 * AUTOINCREMENT high-water mark only grows; max(seq) would drop when an ack prunes the outbox) and head office's reading policies arrive as new rows. When
 * the mark is the same before a long read and inside the transaction that writes its result,
 * nothing the result depends on changed in between, so it need not be read again.
 */
export function changeMark(db: ReadableDB): string {
  const mark = db.get<{ seq: number; policies: number }>(sql`
    SELECT (SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)) AS seq, (SELECT count(*) FROM reading_policies) AS policies`);
  return `${mark?.seq ?? 0}:${mark?.policies ?? 0}`;
}
