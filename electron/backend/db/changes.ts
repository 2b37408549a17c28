// The store's one change counter (issue 18): every business write appends to the outbox in its
// transaction, so the outbox's AUTOINCREMENT high-water mark (sqlite_sequence; max(seq) would drop
// when head office's ack prunes the outbox) moves with every change, in every process. A long job
// notes the counter when it reads; when the counter has moved by the time it writes, the outbox
// rows after its mark say what changed (entity and id), so it rechecks only when something it
// depends on changed — a payment at the counter does not make a billing run read the station again.
import { sql } from './sql';
import type { ReadableDB } from './store';

export function changeCounter(db: ReadableDB): number {
  return db.value<number>(sql`SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'outbox'), 0)`) ?? 0;
}

export interface Change {
  entity: string;
  entity_id: string;
}

/**
 * The changes after `mark` (each entity and id once), or null when they cannot be known: an ack
 * pruned outbox rows after the mark.
 */
export function changesSince(db: ReadableDB, mark: number): Change[] | null {
  if ((db.value<number>(sql`SELECT acked_seq FROM sync_state WHERE singleton = 1`) ?? 0) > mark) return null;
  return db.all<Change>(sql`SELECT DISTINCT entity, entity_id FROM outbox WHERE seq > ${mark}`);
}
