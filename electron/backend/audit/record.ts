import { insertRows } from '../db/insertRows';
import { sql } from '../db/sql';
import type { WritableDB } from '../db/store';
import { isReferencedFact } from '../sync/entities';

/** Who is acting: a staff member, or the system itself (daily backup, migrations). */
export interface Actor {
  staffId: string | null;
  /** Shown in the audit log even if the staff record later changes: "1001 王芳", "system". */
  label: string;
}

export const SYSTEM_ACTOR: Actor = { staffId: null, label: 'system' };

export interface AuditEntry {
  /** Dictionary-backed action code: 'staff.create', 'payment.post', … */
  action: string;
  entity: string;
  entityId?: string | null;
  /** Short before/after summary, shown in the audit log. */
  summary: Record<string, unknown>;
}

export interface ChangeEntry extends AuditEntry {
  entityId: string;
  op: 'insert' | 'update';
  /** The row as it travels to head office. */
  payload: Record<string, unknown>;
}

/** A change that travels to head office without an audit row of its own (bulk work: an import
 * or a demo build audits once for the whole batch and sends each row through the outbox). */
export type OutboxEntry = Pick<ChangeEntry, 'entity' | 'entityId' | 'op' | 'payload'>;

/** An outbox row whose payload was made into JSON before the transaction that writes it. */
export type OutboxJsonEntry = Pick<ChangeEntry, 'entity' | 'entityId' | 'op'> & { json: string };

/**
 * One unit of business writing: the transaction plus the time, the actor and the two logs that
 * every business write appends to in the same transaction (DESIGN.md "The store").
 */
export interface Unit extends WritableDB {
  readonly at: number;
  readonly actor: Actor;
  /** Appends to the audit log only (logins, backups: things that do not travel). */
  audit(entry: AuditEntry): void;
  /** Appends to the audit log and the outbox (every change to station-owned data). */
  record(entry: ChangeEntry): void;
  /** Appends to the outbox only: each row of a bulk change whose batch is audited once. */
  outbox(entry: OutboxEntry): void;
  /** The same for many rows at once, in the order given (tens of thousands in a few statements). */
  outboxAll(entries: readonly OutboxEntry[]): void;
  /** The same with payloads already JSON: the work of serialising stays outside the transaction. */
  outboxJson(entries: readonly OutboxJsonEntry[]): void;
  /** The station's id (throws before first-run setup). */
  stationId(): string;
}

export function makeUnit(tx: WritableDB, at: number, actor: Actor, schemaVersion: number, stationId: () => string): Unit {
  const audit = (entry: AuditEntry) => {
    tx.run(sql`
      INSERT INTO audit_log (at, staff_id, actor, action, entity, entity_id, summary)
      VALUES (${at}, ${actor.staffId}, ${actor.label}, ${entry.action}, ${entry.entity}, ${entry.entityId ?? null},
              ${JSON.stringify(entry.summary)})`);
  };
  // An insert-only fact goes to the outbox as a reference (payload NULL): the exporter reads its
  // row when it writes the batch (sync/entities.ts). Callers pass the payload as before.
  const payloadOf = (entry: Pick<OutboxEntry, 'entity' | 'op'>, json: () => string): string | null =>
    isReferencedFact(entry.entity, entry.op) ? null : json();
  const outbox = (entry: OutboxEntry) => {
    tx.run(sql`
      INSERT INTO outbox (station_id, entity, entity_id, op, payload, schema_version, at)
      VALUES (${stationId()}, ${entry.entity}, ${entry.entityId}, ${entry.op}, ${payloadOf(entry, () => JSON.stringify(entry.payload))},
              ${schemaVersion}, ${at})`);
  };
  const insertOutbox = <E extends Pick<OutboxEntry, 'entity' | 'entityId' | 'op'>>(entries: readonly E[], json: (e: E) => string) => {
    const station = entries.length ? stationId() : '';
    insertRows(
      tx,
      sql`INSERT INTO outbox (station_id, entity, entity_id, op, payload, schema_version, at)`,
      entries.map((e) => [station, e.entity, e.entityId, e.op, payloadOf(e, () => json(e)), schemaVersion, at]),
    );
  };
  const outboxAll = (entries: readonly OutboxEntry[]) => insertOutbox(entries, (e) => JSON.stringify(e.payload));
  const outboxJson = (entries: readonly OutboxJsonEntry[]) => insertOutbox(entries, (e) => e.json);
  return {
    ...tx,
    at,
    actor,
    audit,
    stationId,
    record(entry) {
      audit(entry);
      outbox(entry);
    },
    outbox,
    outboxAll,
    outboxJson,
  };
}
