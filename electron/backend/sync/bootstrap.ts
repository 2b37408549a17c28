/**
 * Restoring a replaced station PC from head office's copy (站点重建): `griddesk sync bootstrap`.
 * Into an empty database only. The file is checked against head office's key given on the
 * command line (which is installed, as at enrolment). Facts (rows that name their station table)
 * are put back as they were stored, children with them; recorded changes of the entities in
 * RESTORE_ROWS (customer files, meters, books, staff, …) are put back from the restore rows the
 * batches carried (their `children`), the latest last. The outbox continues after `throughSeq`,
 * which is also what is acknowledged; and the station gets a new key in a new epoch, so head office
 * refuses anything signed by the old PC's key from then on. docs/sync.md "Bootstrap".
 *
 * Passwords (密码): staff password hashes never leave the station, so restored staff cannot log in
 * until the administrator named here (who gets the password given here) sets each one an initial
 * password (`staff.resetPassword`), which they change at first login.
 */
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { ACCOUNT_COUNTER, insertSearchKeys, notePlaces } from '../customers/customers';
import { customerSearchKeys } from '../../../shared/customers/searchKeys';
import { hashPassword, passwordAcceptable } from '../staff/passwords';
import { uuidv7 } from '../db/ids';
import { RESTORE_ROWS } from './entities';
import { stationKey } from './keys';
import { fileRefusal, installHqKey } from './station';
import { readSignedFile, toPublicKey, keyIdOf } from './signedFile';

/** Tables a bootstrap never writes: sync's own state, logs, the outbox. */
const NOT_RESTORED = /^(sync_|outbox$|audit_log$|schema_migrations$|sqlite_|counters$)/;

/** A restored staff member's password until the administrator sets one: no password matches it. */
const NO_PASSWORD = { hash: Buffer.alloc(0), salt: Buffer.alloc(0), params: JSON.stringify({ alg: 'none', reason: 'restored from head office: set a new password' }) };

export interface BootstrapAdmin {
  staffNo: string;
  name?: string;
  password: string;
}

export interface BootstrapResult {
  stationId: string;
  stationCode: string;
  /** Rows put back (facts, their children, restore rows). */
  rows: number;
  /** Journal rows head office sent that this station has no restore rows for, by entity. */
  skipped: number;
  notRestored: Record<string, number>;
  /** Restored staff who must be given a new password by the administrator. */
  staffToReset: number;
  admin: { staffNo: string; created: boolean };
  epoch: number;
  keyId: string;
}

export async function bootstrapStation(backend: Backend, actor: Actor, file: Buffer, hqKeyText: string, admin: BootstrapAdmin): Promise<BootstrapResult> {
  if (backend.station()) throw new AppError('conflict', 'sync.notBootstrap');
  if (!admin.staffNo?.trim()) throw new AppError('validation', 'sync.bootstrapAdmin');
  if (!passwordAcceptable(admin.password)) throw new AppError('validation', 'error.passwordRule');
  let keyText = hqKeyText.trim();
  try {
    if (keyText.startsWith('{')) keyText = (JSON.parse(keyText) as { publicKey: string }).publicKey;
  } catch {
    throw new AppError('validation', 'sync.badHqKey');
  }
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
  const adminHash = await hashPassword(admin.password);
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
  const value = (v: unknown) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : (v as never));
  /** Inserts one stored row; `replace` for a record's latest picture, else kept if already there. */
  const insert = (table: string, row: Record<string, unknown>, mode: 'ignore' | 'replace'): number => {
    const cols = tableColumns(table);
    if (!cols) return 0;
    const full = table === 'staff' ? { password_hash: NO_PASSWORD.hash, password_salt: NO_PASSWORD.salt, password_params: NO_PASSWORD.params, must_change_password: 1, failed_attempts: 0, updated_at: row.created_at, ...row } : row;
    const names = Object.keys(full).filter((k) => cols.has(k));
    db.prepare(`INSERT OR ${mode === 'replace' ? 'REPLACE' : 'IGNORE'} INTO "${table}" (${names.map((n) => `"${n}"`).join(',')}) VALUES (${names.map(() => '?').join(',')})`).run(
      ...names.map((n) => (Buffer.isBuffer(full[n]) ? full[n] : value(full[n]))),
    );
    let n = 1;
    const children = row.children as Record<string, Record<string, unknown>[]> | undefined;
    if (children) for (const [t, list] of Object.entries(children)) for (const c of list) n += insert(t, c, 'ignore');
    return n;
  };
  let rows = 0;
  let skipped = 0;
  const notRestored: Record<string, number> = {};
  const at = backend.now();
  let adminCreated = false;
  let result = { staffToReset: 0, adminCreated: false };
  // Head office's rows arrive in its order, not the station's foreign-key order: the keys are
  // checked once, at the end, and any row left dangling rolls the whole restore back.
  db.pragma('foreign_keys = OFF');
  db.exec('BEGIN IMMEDIATE');
  try {
    for await (const r of verified.rows()) {
      const table = typeof r.table === 'string' ? r.table : null;
      const row = r.row as Record<string, unknown> | undefined;
      const children = r.children && typeof r.children === 'object' ? (r.children as Record<string, Record<string, unknown>[]>) : null;
      const entity = String(r.entity);
      if (table && row) {
        const n = insert(table, { ...row, ...(children ? { children } : {}) }, 'ignore');
        if (n) {
          rows += n;
          continue;
        }
      } else if (children && Object.hasOwn(RESTORE_ROWS, entity)) {
        const spec = RESTORE_ROWS[entity]!;
        const main = children[spec.table]?.[0];
        if (main && tableColumns(spec.table)) {
          rows += insert(spec.table, main, spec.mutable ? 'replace' : 'ignore');
          for (const child of spec.children ?? []) {
            const list = children[child.table] ?? [];
            // A record's set of child rows (a staff member's roles, a book's points) is replaced by
            // the newer picture; insert-only children (ledger entries) are only added.
            if (child.replace) db.prepare(`DELETE FROM "${child.table}" WHERE "${child.column}" = ?`).run(main[spec.key] as string);
            for (const c of list) rows += insert(child.table, c, child.replace ? 'replace' : 'ignore');
          }
          continue;
        }
      }
      skipped++;
      notRestored[entity] = (notRestored[entity] ?? 0) + 1;
    }
    const station = db.prepare(`SELECT id, code FROM station`).get() as { id: string; code: string } | undefined;
    if (!station) {
      db.prepare(`INSERT INTO station (id, code, name, created_at) VALUES (?, ?, ?, ?)`).run(String(m.stationId), String(m.stationCode), String(m.stationName ?? m.stationCode), at);
    }
    const stationId = station?.id ?? String(m.stationId);
    const code = station?.code ?? String(m.stationCode);
    // Numbers already handed out (户号, 票据号, 账单号) are never handed out again: the counters
    // start after the highest number among the restored rows.
    const counters: [string, number][] = [
      ['receipt', (db.prepare(`SELECT coalesce(max(receipt_seq), 0) FROM payments`).pluck().get() as number) ?? 0],
      ['bill', (db.prepare(`SELECT coalesce(max(CAST(substr(bill_no, length(?) + 4) AS INTEGER)), 0) FROM bill_rows WHERE bill_no LIKE ? || '-B-%'`).pluck().get(code, code) as number) ?? 0],
      [ACCOUNT_COUNTER, (db.prepare(`SELECT coalesce(max(CAST(substr(account_no, length(?) + 1) AS INTEGER)), 0) FROM customers WHERE account_no GLOB ? || '[0-9]*'`).pluck().get(code, code.toUpperCase()) as number) ?? 0],
    ];
    for (const [name, v] of counters) if (v > 0) db.prepare(`INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)`).run(name, v);
    // The customer search keys and the village list are derived from the customer files.
    backend.store.write((tx) => {
      const customers = db.prepare(`SELECT id, name, phone, phone2, township, village FROM customers`).all() as { id: string; name: string; phone: string; phone2: string; township: string; village: string }[];
      tx.run(sql`DELETE FROM customer_search_keys`); // derived: made again from the files
      insertSearchKeys(tx, customers.flatMap((c) => customerSearchKeys(c).map((k) => [k, c.id] as [string, string])));
      notePlaces(tx, customers);
    });
    // Restored staff cannot log in (no hash travelled); the administrator named here can.
    const existing = db.prepare(`SELECT id FROM staff WHERE staff_no = ?`).get(admin.staffNo.trim()) as { id: string } | undefined;
    let adminId: string;
    if (existing) {
      const isAdmin = db.prepare(`SELECT 1 FROM staff_roles WHERE staff_id = ? AND role = 'admin'`).get(existing.id);
      if (!isAdmin) throw new AppError('validation', 'sync.bootstrapNotAdmin', { staffNo: admin.staffNo });
      adminId = existing.id;
      db.prepare(`UPDATE staff SET password_hash = ?, password_salt = ?, password_params = ?, must_change_password = 0, active = 1, failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?`).run(
        adminHash.hash,
        adminHash.salt,
        adminHash.params,
        at,
        adminId,
      );
    } else {
      adminId = uuidv7(at);
      adminCreated = true;
      db.prepare(
        `INSERT INTO staff (id, station_id, staff_no, name, password_hash, password_salt, password_params, must_change_password, active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?)`,
      ).run(adminId, stationId, admin.staffNo.trim(), admin.name?.trim() || admin.staffNo.trim(), adminHash.hash, adminHash.salt, adminHash.params, at, at);
      db.prepare(`INSERT INTO staff_roles (staff_id, role) VALUES (?, 'admin')`).run(adminId);
    }
    const staffToReset = (db.prepare(`SELECT count(*) FROM staff WHERE password_params LIKE '{"alg":"none"%'`).pluck().get() as number) ?? 0;
    // The outbox goes on after what head office holds; that much is acknowledged already.
    db.prepare(`UPDATE sync_state SET acked_seq = ?, epoch = ?, acked_at = ? WHERE singleton = 1`).run(throughSeq, oldEpoch + 1, at);
    db.prepare(`DELETE FROM sqlite_sequence WHERE name = 'outbox'`).run();
    if (throughSeq > 0) db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)`).run(throughSeq);
    // A new administrator goes to head office like any new staff member (after throughSeq).
    if (adminCreated) {
      db.prepare(`INSERT INTO outbox (station_id, entity, entity_id, op, payload, schema_version, at) VALUES (?, 'staff', ?, 'insert', ?, ?, ?)`).run(
        stationId,
        adminId,
        JSON.stringify({ id: adminId, staffNo: admin.staffNo.trim(), name: admin.name?.trim() || admin.staffNo.trim(), roles: ['admin'], active: true }),
        backend.schemaVersion,
        at,
      );
    }
    db.prepare(`INSERT INTO audit_log (at, staff_id, actor, action, entity, entity_id, summary) VALUES (?, NULL, ?, 'sync.bootstrap', 'station', ?, ?)`).run(
      at,
      actor.label,
      stationId,
      JSON.stringify({ rows, skipped, notRestored, throughSeq, epoch: oldEpoch + 1, file: verified.fileSha256, admin: admin.staffNo, staffToReset }),
    );
    const dangling = db.prepare(`SELECT "table", count(*) AS n FROM pragma_foreign_key_check GROUP BY "table"`).all() as { table: string; n: number }[];
    if (dangling.length) throw new AppError('validation', 'sync.bootstrapIncomplete', { tables: dangling.map((d) => `${d.table} ${d.n}`).join(', ') });
    db.exec('COMMIT');
    result = { staffToReset, adminCreated };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  } finally {
    db.pragma('foreign_keys = ON');
  }
  installHqKey(backend, actor, keyText, typeof m.hqId === 'string' ? m.hqId : undefined);
  const key = await stationKey(backend, actor);
  const station = backend.store.read.get<{ id: string; code: string }>(sql`SELECT id, code FROM station`)!;
  return {
    stationId: station.id,
    stationCode: station.code,
    rows,
    skipped,
    notRestored,
    staffToReset: result.staffToReset,
    admin: { staffNo: admin.staffNo.trim(), created: result.adminCreated },
    epoch: key.epoch,
    keyId: key.keyId,
  };
}
