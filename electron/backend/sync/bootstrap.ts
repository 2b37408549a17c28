/**
 * Restoring a replaced station PC from head office's copy (站点重建): `griddesk sync bootstrap`.
 * Into an empty database only. The file is checked against head office's key given on the
 * command line (which is installed, as at enrolment); rows that name their station table are put
 * back as they were stored (children with them); the outbox continues after `throughSeq`, which is
 * also what is acknowledged; and the station gets a new key in a new epoch, so head office refuses
 * anything signed by the old PC's key from then on. docs/sync.md "Bootstrap".
 */
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { stationKey } from './keys';
import { fileRefusal, installHqKey } from './station';
import { readSignedFile, toPublicKey, keyIdOf } from './signedFile';

/** Tables a bootstrap never writes: sync's own state, logs, the outbox. */
const NOT_RESTORED = /^(sync_|outbox$|audit_log$|schema_migrations$|sqlite_)/;

export async function bootstrapStation(
  backend: Backend,
  actor: Actor,
  file: Buffer,
  hqKeyText: string,
): Promise<{ stationId: string; stationCode: string; rows: number; skipped: number; epoch: number; keyId: string }> {
  if (backend.station()) throw new AppError('conflict', 'sync.notBootstrap');
  let keyText = hqKeyText.trim();
  if (keyText.startsWith('{')) keyText = (JSON.parse(keyText) as { publicKey: string }).publicKey;
  let hqKey;
  try {
    hqKey = toPublicKey(keyText);
  } catch {
    throw new AppError('validation', 'sync.badHqKey');
  }
  let verified;
  try {
    verified = await readSignedFile(file, new Map([[keyIdOf(hqKey), hqKey]]), { kind: 'bootstrap' });
  } catch (error) {
    throw fileRefusal(error);
  }
  const m = verified.manifest;
  const throughSeq = Number(m.throughSeq ?? 0);
  const oldEpoch = Number(m.epoch ?? 1);
  const db = backend.store.db;
  const columnsOf = new Map<string, Set<string>>();
  const tableColumns = (table: string): Set<string> | null => {
    if (NOT_RESTORED.test(table)) return null;
    let cols = columnsOf.get(table);
    if (!cols) {
      const info = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
      if (!info.length) return null;
      columnsOf.set(table, (cols = new Set(info)));
    }
    return cols;
  };
  const insert = (table: string, row: Record<string, unknown>): boolean => {
    const cols = tableColumns(table);
    if (!cols) return false;
    const names = Object.keys(row).filter((k) => cols.has(k));
    db.prepare(`INSERT OR IGNORE INTO "${table}" (${names.map((n) => `"${n}"`).join(',')}) VALUES (${names.map(() => '?').join(',')})`).run(
      ...names.map((n) => {
        const v = row[n];
        return v !== null && typeof v === 'object' ? JSON.stringify(v) : (v as never);
      }),
    );
    const children = row.children as Record<string, Record<string, unknown>[]> | undefined;
    if (children) for (const [t, list] of Object.entries(children)) for (const c of list) insert(t, c);
    return true;
  };
  let rows = 0;
  let skipped = 0;
  const at = backend.now();
  // Head office's rows arrive in its order, not the station's foreign-key order: the keys are
  // checked once, at the end, and any row left dangling rolls the whole restore back.
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN IMMEDIATE');
  try {
    for await (const r of verified.rows()) {
      const table = typeof r.table === 'string' ? r.table : null;
      const row = r.row as Record<string, unknown> | undefined;
      if (table && row && insert(table, { ...row, ...(r.children ? { children: r.children } : {}) })) rows++;
      else skipped++;
    }
    if (!db.prepare(`SELECT 1 FROM station`).get()) {
      db.prepare(`INSERT INTO station (id, code, name, created_at) VALUES (?, ?, ?, ?)`).run(String(m.stationId), String(m.stationCode), String(m.stationName ?? m.stationCode), at);
    }
    // The outbox goes on after what head office holds; that much is acknowledged already.
    db.prepare(`UPDATE sync_state SET acked_seq = ?, epoch = ?, acked_at = ? WHERE singleton = 1`).run(throughSeq, oldEpoch + 1, at);
    db.prepare(`DELETE FROM sqlite_sequence WHERE name = 'outbox'`).run();
    if (throughSeq > 0) db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)`).run(throughSeq);
    db.prepare(`INSERT INTO audit_log (at, staff_id, actor, action, entity, entity_id, summary) VALUES (?, NULL, ?, 'sync.bootstrap', 'station', ?, ?)`).run(
      at,
      actor.label,
      String(m.stationId),
      JSON.stringify({ rows, skipped, throughSeq, epoch: oldEpoch + 1, file: verified.fileSha256 }),
    );
    const dangling = db.prepare(`SELECT "table", count(*) AS n FROM pragma_foreign_key_check GROUP BY "table"`).all() as { table: string; n: number }[];
    if (dangling.length) throw new AppError('validation', 'sync.bootstrapIncomplete', { tables: dangling.map((d) => `${d.table} ${d.n}`).join(', ') });
    db.exec('COMMIT');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    db.pragma('foreign_keys = ON');
  }
  installHqKey(backend, actor, keyText, typeof m.hqId === 'string' ? m.hqId : undefined);
  const key = stationKey(backend, actor);
  const station = backend.store.read.get<{ id: string; code: string }>(sql`SELECT id, code FROM station`)!;
  return { stationId: station.id, stationCode: station.code, rows, skipped, epoch: key.epoch, keyId: key.keyId };
}
