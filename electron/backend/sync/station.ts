/**
 * The station's half of sync with head office (数据上报与下发): export a batch of the outbox since
 * the last acknowledged seq, apply head office's acknowledgements, reference packs and bootstrap
 * files, push over HTTP, enrol and trust keys. docs/sync.md.
 */
import type { CodedParam } from '../../../shared/i18n/coded';
import { fileDetail } from '../../../shared/sync/fileDetails';
import { loadScoreSheet } from '../appraisal/sheets';
import type { DispatchRow } from '../../../shared/service';
import { loadCalendarDays } from '../service/calendar';
import { takeDispatches } from '../service/dispatch';
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { importReferenceFile } from '../billing/tariffs';
import { REFERENCED_FACTS, RESTORE_ROWS, type ChildSpec } from './entities';
import { stationKey, rotateKey } from './keys';
import { RowRefusal, applyNoticeRow, applyPolicyRow, applyStaffRow, listNotices, type NoticeView } from './reference';
import { shanghaiDate } from '../../../shared/time';
import {
  SyncFileError,
  fingerprint,
  keyIdOf,
  peekManifest,
  publicKeyToBase64,
  readSignedFile,
  toPublicKey,
  writeSignedFile,
  type Manifest,
  type VerifiedFile,
} from './signedFile';

/**
 * How the export reads (issue 19): a slice of outbox rows with their rows and children, then a
 * turn of the event loop, so a payment on the same thread (the desktop back end, where jobs run on
 * the counter's thread) waits for one slice at most. Slices are sized by their pace to about
 * `targetMs` (the first one small, for a slow machine), between `min` and `max` rows: 2,000-row
 * slices took ~200 ms each on the loaded 100,000-customer station. `gapMs` pauses between slices
 * (0: only the turn of the loop); tests may fix `fixed`.
 */
export const EXPORT_SLICING = { first: 250, min: 50, max: 2000, targetMs: 25, gapMs: 0, fixed: undefined as number | undefined };
/** The most outbox rows one slice reads (the first ones read fewer; see EXPORT_SLICING). */
export const EXPORT_SLICE = EXPORT_SLICING.max;

export interface ExportProgress {
  (done: number, total: number): Promise<void> | void;
}

export interface ExportResult {
  file: string;
  fileName: string;
  sha256: string;
  bytes: number;
  epoch: number;
  fromSeq: number;
  toSeq: number;
  count: number;
  counts: Record<string, number>;
  /** True when this exact file had been written before (a re-export of an unacknowledged range). */
  again: boolean;
}

interface SyncStateRow {
  acked_seq: number;
  epoch: number;
  hq_id: string | null;
  hq_key_id: string | null;
  hq_public_key: string | null;
  hq_installed_at: number | null;
  reference_version: number | null;
  acked_at: number | null;
}

function state(backend: Backend): SyncStateRow {
  return backend.store.read.get<SyncStateRow>(sql`
    SELECT acked_seq, epoch, hq_id, hq_key_id, hq_public_key, hq_installed_at, reference_version, acked_at FROM sync_state WHERE singleton = 1`)!;
}

function hqKeys(backend: Backend): Map<string, string> {
  const s = state(backend);
  if (!s.hq_key_id || !s.hq_public_key) throw new AppError('validation', 'sync.noHqKey');
  return new Map([[s.hq_key_id, s.hq_public_key]]);
}

/** Refusals of a signed file, in the clerk's words (dictionary `sync.file.<code>`). */
export function fileRefusal(error: unknown): AppError {
  if (error instanceof SyncFileError) return new AppError('validation', `sync.file.${error.code}`, { detail: error.detail });
  if (error instanceof AppError) return error;
  throw error;
}

async function verify(source: string | Buffer, keys: Map<string, string>, kind: 'ack' | 'reference' | 'bootstrap'): Promise<VerifiedFile> {
  try {
    return await readSignedFile(source, keys, { kind });
  } catch (error) {
    throw fileRefusal(error);
  }
}

// ---------------------------------------------------------------------------------------------
// Export

function batchName(code: string, epoch: number, fromSeq: number, toSeq: number): string {
  return `${code}-e${epoch}-${String(fromSeq).padStart(10, '0')}-${String(toSeq).padStart(10, '0')}.gdsync`;
}

/** A read-only connection of its own: the export's reads never wait on, or hold, the counter's writes. */
function openReader(backend: Backend): Database.Database {
  const db = new Database(backend.store.file, { readonly: true, fileMustExist: true, ...(backend.driver.nativeBinding ? { nativeBinding: backend.driver.nativeBinding } : {}) });
  db.pragma('query_only = ON');
  return db;
}

type Row = Record<string, unknown>;

/** Reads rows of `table` whose `column` is one of `keys`, in chunks of SQLite's variable limit. */
function rowsByKey(db: Database.Database, table: string, column: string, keys: readonly unknown[], where?: string, orderBy?: string): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < keys.length; i += 500) {
    const part = keys.slice(i, i + 500);
    const text = `SELECT * FROM ${table} WHERE ${column} IN (${part.map(() => '?').join(',')})${where ? ` AND ${where}` : ''}${orderBy ? ` ORDER BY ${column}, ${orderBy}` : ''}`;
    out.push(...(db.prepare(text).all(...part) as Row[]));
  }
  return out;
}

function groupBy(rows: Row[], column: string): Map<unknown, Row[]> {
  const map = new Map<unknown, Row[]>();
  for (const r of rows) {
    const k = r[column];
    let list = map.get(k);
    if (!list) map.set(k, (list = []));
    list.push(r);
  }
  return map;
}

/** Children of the given parents, nested: `{ table: [row…] }` per parent key. */
function readChildren(db: Database.Database, specs: readonly ChildSpec[], parentKeys: readonly unknown[]): Map<unknown, Record<string, Row[]>> {
  const byParent = new Map<unknown, Record<string, Row[]>>();
  for (const spec of specs) {
    const rows = rowsByKey(db, spec.table, spec.column, parentKeys, spec.where, spec.orderBy);
    if (spec.children?.length && spec.key) {
      const nested = readChildren(db, spec.children, rows.map((r) => r[spec.key!]));
      for (const r of rows) {
        const kids = nested.get(r[spec.key]);
        if (kids) Object.assign(r, { children: kids });
      }
    }
    for (const [k, list] of groupBy(rows, spec.column)) {
      let entry = byParent.get(k);
      if (!entry) byParent.set(k, (entry = {}));
      entry[spec.table] = list;
    }
  }
  return byParent;
}

interface OutboxRow {
  seq: number;
  entity: string;
  entity_id: string;
  op: string;
  payload: string | null;
}

/**
 * The batch's payload lines for outbox seq in (after, through], in seq order, read in slices on
 * `db`. References are serialised from their tables now; recorded changes as recorded. Key
 * order is fixed (seq, entity, id, op, table, row, children), so a range is the same bytes every
 * time.
 */
export async function* batchLines(
  db: Database.Database,
  after: number,
  through: number,
  counts: Record<string, number>,
  onSlice?: (doneSeq: number, doneRows: number) => Promise<void> | void,
): AsyncGenerator<string> {
  const slice = db.prepare(`SELECT seq, entity, entity_id, op, payload FROM outbox WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`);
  let from = after;
  let done = 0;
  let size = EXPORT_SLICING.fixed ?? EXPORT_SLICING.first;
  for (;;) {
    const began = performance.now();
    const rows = slice.all(from, through, size) as OutboxRow[];
    if (!rows.length) break;
    const refs = new Map<string, string[]>();
    for (const r of rows) {
      if (r.payload === null) {
        let ids = refs.get(r.entity);
        if (!ids) refs.set(r.entity, (ids = []));
        ids.push(r.entity_id);
      }
    }
    // Restore rows of recorded changes (entities.ts RESTORE_ROWS): the record as stored now.
    const restoreIds = new Map<string, string[]>();
    for (const r of rows) {
      if (r.payload !== null && Object.hasOwn(RESTORE_ROWS, r.entity)) {
        let ids = restoreIds.get(r.entity);
        if (!ids) restoreIds.set(r.entity, (ids = []));
        ids.push(r.entity_id);
      }
    }
    const restore = new Map<string, string>();
    for (const [entity, ids] of restoreIds) {
      const spec = RESTORE_ROWS[entity]!;
      const unique = [...new Set(ids)];
      const main = rowsByKey(db, spec.table, spec.key, unique);
      const kids = spec.children?.length ? readChildren(db, spec.children, unique) : null;
      for (const row of main) {
        for (const c of spec.omit ?? []) delete row[c];
        restore.set(`${entity}\u0000${String(row[spec.key])}`, JSON.stringify({ [spec.table]: [row], ...(kids?.get(row[spec.key]) ?? {}) }));
      }
    }
    const facts = new Map<string, { row: Row; children?: Record<string, Row[]> }>();
    for (const [entity, ids] of refs) {
      const spec = REFERENCED_FACTS[entity];
      if (!spec) throw new Error(`outbox row of ${entity} has no payload and no reader`);
      const main = rowsByKey(db, spec.table, spec.key, ids);
      const kids = spec.children?.length ? readChildren(db, spec.children, ids) : null;
      for (const row of main) {
        const k = String(row[spec.key]);
        facts.set(`${entity}\u0000${k}`, kids ? { row, children: kids.get(row[spec.key]) ?? {} } : { row });
      }
    }
    const lines: string[] = [];
    for (const r of rows) {
      counts[r.entity] = (counts[r.entity] ?? 0) + 1;
      const head = `{"seq":${r.seq},"entity":${JSON.stringify(r.entity)},"id":${JSON.stringify(r.entity_id)},"op":${JSON.stringify(r.op)}`;
      if (r.payload !== null) {
        const kept = restore.get(`${r.entity}\u0000${r.entity_id}`);
        lines.push(`${head},"row":${r.payload}${kept ? `,"children":${kept}` : ''}}`);
        continue;
      }
      const fact = facts.get(`${r.entity}\u0000${r.entity_id}`);
      if (!fact) throw new Error(`outbox seq ${r.seq}: ${r.entity} ${r.entity_id} is not in its table`);
      const spec = REFERENCED_FACTS[r.entity]!;
      lines.push(`${head},"table":${JSON.stringify(spec.table)},"row":${JSON.stringify(fact.row)}${fact.children ? `,"children":${JSON.stringify(fact.children)}` : ''}}`);
    }
    const ms = performance.now() - began;
    if (EXPORT_SLICING.fixed === undefined) {
      const paced = Math.round((rows.length * EXPORT_SLICING.targetMs) / Math.max(ms, 1));
      size = Math.max(EXPORT_SLICING.min, Math.min(EXPORT_SLICING.max, Math.round(rows.length * 1.5), paced));
    }
    for (const l of lines) yield l;
    from = rows[rows.length - 1]!.seq;
    done += rows.length;
    await onSlice?.(from, done);
    // The counter's turn, whoever reads the lines (the codec awaits nothing while gzip keeps up).
    if (EXPORT_SLICING.gapMs > 0) await new Promise((resolve) => setTimeout(resolve, EXPORT_SLICING.gapMs));
    else await new Promise((resolve) => setImmediate(resolve));
  }
}

export function outgoingDir(backend: Backend): string {
  return join(resolve(backend.paths.db, '..'), 'sync', 'outgoing');
}

/**
 * Writes one batch covering the outbox since the last acknowledged seq, to `outDir` (default:
 * sync/outgoing beside the database). The range is fixed when the export starts (the outbox's
 * highest seq then): a payment committed during the export has a higher seq, so it goes in the
 * next batch — never lost, never in both.
 */
export async function exportBatch(backend: Backend, actor: Actor, options: { outDir?: string; progress?: ExportProgress } = {}): Promise<ExportResult> {
  const station = backend.requireStation();
  const key = await stationKey(backend, actor);
  const outDir = resolve(options.outDir ?? outgoingDir(backend));
  mkdirSync(outDir, { recursive: true });
  const reader = openReader(backend);
  try {
    // One read transaction for the whole export: the range, the manifest's fields and every row
    // (facts and the restore rows of recorded changes) come from one snapshot, so the batch is one
    // consistent picture and the same range again is the same bytes. In WAL mode a reader holds
    // no lock the counter's writes wait for.
    reader.exec('BEGIN');
    const s = reader.prepare(`SELECT acked_seq, epoch, reference_version FROM sync_state WHERE singleton = 1`).get() as { acked_seq: number; epoch: number; reference_version: number | null };
    const toSeq = (reader.prepare(`SELECT coalesce(max(seq), 0) FROM outbox`).pluck().get() as number) ?? 0;
    const fromSeq = s.acked_seq + 1;
    if (toSeq < fromSeq) throw new AppError('validation', 'sync.nothingToExport');
    const count = reader.prepare(`SELECT count(*) FROM outbox WHERE seq >= ? AND seq <= ?`).pluck().get(fromSeq, toSeq) as number;
    const previous =
      (reader
        .prepare(
          `SELECT batch_sha256 FROM sync_acks WHERE outcome = 'recorded' AND epoch = ? AND to_seq = ? AND status IN ('applied', 'duplicate') AND batch_sha256 IS NOT NULL ORDER BY id DESC LIMIT 1`,
        )
        .pluck()
        .get(s.epoch, fromSeq - 1) as string | undefined) ??
      (reader.prepare(`SELECT sha256 FROM sync_batches WHERE epoch = ? AND to_seq = ? ORDER BY rowid DESC LIMIT 1`).pluck().get(s.epoch, fromSeq - 1) as string | undefined) ??
      null;
    const fileName = batchName(station.code, s.epoch, fromSeq, toSeq);
    const file = join(outDir, fileName);
    // Leftovers of an export that was killed mid-write (never under a final name).
    for (const f of readdirSync(outDir)) if (f.startsWith(`.${fileName}.`) && f.endsWith('.tmp')) rmSync(join(outDir, f), { force: true });
    const counts: Record<string, number> = {};
    await options.progress?.(0, count);
    const written = await writeSignedFile(
      file,
      {
        kind: 'batch',
        manifest: {
          schemaVersion: backend.schemaVersion,
          appVersion: backend.appVersion,
          stationId: station.id,
          stationCode: station.code,
          epoch: s.epoch,
          fromSeq,
          toSeq,
          count,
          previousBatchSha256: previous,
          referenceVersion: s.reference_version,
        },
        payloadStream: batchLines(reader, fromSeq - 1, toSeq, counts, async (_seq, rows) => {
          await options.progress?.(rows, count);
        }),
      },
      key.privateKey,
      key.keyId,
    );
    if (written.manifest.rowCount !== count) throw new Error(`export wrote ${written.manifest.rowCount} rows of ${count}`);
    const again = backend.store.read.value<number>(sql`SELECT 1 FROM sync_batches WHERE sha256 = ${written.fileSha256}`) === 1;
    if (!again) {
      backend.write(actor, (unit) => {
        unit.run(sql`
          INSERT INTO sync_batches (sha256, epoch, from_seq, to_seq, row_count, bytes, key_id, previous_sha256, file_name, counts, made_at, made_by)
          VALUES (${written.fileSha256}, ${s.epoch}, ${fromSeq}, ${toSeq}, ${count}, ${written.bytes}, ${key.keyId}, ${previous}, ${fileName},
                  ${JSON.stringify(counts)}, ${unit.at}, ${actor.staffId})`);
        unit.audit({ action: 'sync.export', entity: 'sync_batch', entityId: written.fileSha256, summary: { epoch: s.epoch, fromSeq, toSeq, count, file: fileName } });
      });
    }
    return { file, fileName, sha256: written.fileSha256, bytes: written.bytes, epoch: s.epoch, fromSeq, toSeq, count, counts, again };
  } finally {
    if (reader.inTransaction) reader.exec('ROLLBACK');
    reader.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Acknowledgements

export interface AckResult {
  status: string;
  reason: string;
  ackedSeq: number;
  pruned: number;
  fromSeq: number;
  toSeq: number;
}

function recordRefusal(backend: Backend, actor: Actor, fileSha256: string, m: Partial<Manifest> | null, reason: string): void {
  backend.write(actor, (unit) => {
    unit.run(sql`
      INSERT INTO sync_acks (file_sha256, batch_sha256, epoch, from_seq, to_seq, status, reason, acked_seq, outcome, received_at, received_by)
      VALUES (${fileSha256}, ${typeof m?.batchSha256 === 'string' ? m.batchSha256 : null}, ${num(m?.epoch)}, ${num(m?.fromSeq)}, ${num(m?.toSeq)},
              'refused', ${reason}, ${num(m?.ackedSeq)}, 'refused', ${unit.at}, ${actor.staffId})`);
    unit.audit({ action: 'sync.ackRefused', entity: 'sync_ack', entityId: fileSha256, summary: { reason } });
  });
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

/**
 * Applies head office's acknowledgement: checks its signature (head office's key, installed at
 * enrolment), the station, the epoch, that the range was exported from here; then records the
 * acknowledged seq and prunes the outbox up to it, in one transaction. A refusal changes no sync
 * state (it is only noted in the list of answers, with its reason).
 */
export async function applyAck(backend: Backend, actor: Actor, source: string | Buffer): Promise<AckResult> {
  const station = backend.requireStation();
  const bytes = typeof source === 'string' ? readFileSync(source) : source;
  const { createHash } = await import('node:crypto');
  const fileSha = createHash('sha256').update(bytes).digest('hex');
  let verified: VerifiedFile;
  try {
    verified = await verify(bytes, hqKeys(backend), 'ack');
  } catch (error) {
    const refusal = error instanceof AppError ? error : fileRefusal(error);
    if (refusal.key !== 'sync.noHqKey') recordRefusal(backend, actor, fileSha, await peekManifest(bytes), refusal.messageIn('zh-CN'));
    throw refusal;
  }
  const m = verified.manifest;
  const refuseWith = (key: Parameters<typeof refusalError>[0], params: Record<string, CodedParam> = {}) => {
    const err = refusalError(key, params);
    recordRefusal(backend, actor, fileSha, m, err.messageIn('zh-CN'));
    return err;
  };
  if (m.stationId !== station.id) throw refuseWith('sync.ackOtherStation', { station: String(m.stationId) });
  const s = state(backend);
  const epoch = num(m.epoch);
  const fromSeq = num(m.fromSeq);
  const toSeq = num(m.toSeq);
  const ackedSeq = num(m.ackedSeq);
  const status = String(m.status);
  if (epoch === null || fromSeq === null || toSeq === null || ackedSeq === null || !['applied', 'duplicate', 'held', 'rejected'].includes(status)) {
    throw refuseWith('sync.file.manifest', { detail: fileDetail('ackFields') });
  }
  if (epoch !== s.epoch) throw refuseWith('sync.ackOtherEpoch', { epoch, current: s.epoch });
  const batch = backend.store.read.get<{ sha256: string; from_seq: number; to_seq: number }>(sql`
    SELECT sha256, from_seq, to_seq FROM sync_batches WHERE sha256 = ${String(m.batchSha256)} AND epoch = ${epoch}`);
  if (!batch || batch.from_seq !== fromSeq || batch.to_seq !== toSeq) throw refuseWith('sync.ackNotExported', { from: fromSeq, to: toSeq });
  if (ackedSeq > toSeq) throw refuseWith('sync.ackBeyondBatch', { acked: ackedSeq, to: toSeq });
  const reason = typeof m.reason === 'string' ? m.reason : '';
  let pruned = 0;
  backend.write(actor, (unit) => {
    const current = unit.value<number>(sql`SELECT acked_seq FROM sync_state WHERE singleton = 1`) ?? 0;
    const next = Math.max(current, status === 'applied' || status === 'duplicate' || status === 'held' ? ackedSeq : current);
    if (next > current) {
      unit.run(sql`UPDATE sync_state SET acked_seq = ${next}, acked_at = ${unit.at} WHERE singleton = 1`);
      pruned = unit.run(sql`DELETE FROM outbox WHERE seq <= ${next}`).changes;
    }
    unit.run(sql`
      INSERT INTO sync_acks (file_sha256, batch_sha256, epoch, from_seq, to_seq, status, reason, acked_seq, outcome, received_at, received_by)
      VALUES (${fileSha}, ${batch.sha256}, ${epoch}, ${fromSeq}, ${toSeq}, ${status}, ${reason}, ${ackedSeq}, 'recorded', ${unit.at}, ${actor.staffId})`);
    unit.audit({ action: 'sync.ack', entity: 'sync_ack', entityId: fileSha, summary: { status, fromSeq, toSeq, ackedSeq, pruned, reason } });
  });
  return { status, reason, ackedSeq: Math.max(s.acked_seq, ackedSeq), pruned, fromSeq, toSeq };
}

function refusalError(key: 'sync.ackOtherStation' | 'sync.ackOtherEpoch' | 'sync.ackNotExported' | 'sync.ackBeyondBatch' | 'sync.file.manifest', params: Record<string, CodedParam>): AppError {
  return new AppError('validation', key, params);
}

// ---------------------------------------------------------------------------------------------
// Keys, enrolment, trust

export function installHqKey(backend: Backend, actor: Actor, keyText: string, hqId?: string): { keyId: string; fingerprint: string; already: boolean } {
  let text = keyText.trim();
  let id = hqId;
  if (text.startsWith('{')) {
    const j = JSON.parse(text) as { publicKey?: string; hqId?: string };
    if (!j.publicKey) throw new AppError('validation', 'sync.badHqKey');
    text = j.publicKey;
    id ??= j.hqId;
  }
  let pub;
  try {
    pub = toPublicKey(text);
  } catch {
    throw new AppError('validation', 'sync.badHqKey');
  }
  const keyId = keyIdOf(pub);
  const s = state(backend);
  if (s.hq_key_id) {
    if (s.hq_key_id === keyId) return { keyId, fingerprint: fingerprint(pub), already: true };
    throw new AppError('conflict', 'sync.hqKeyInstalled', { keyId: s.hq_key_id });
  }
  backend.write(actor, (unit) => {
    unit.run(sql`UPDATE sync_state SET hq_key_id = ${keyId}, hq_public_key = ${publicKeyToBase64(pub)}, hq_id = ${id ?? null}, hq_installed_at = ${unit.at} WHERE singleton = 1`);
    unit.audit({ action: 'sync.trustHq', entity: 'sync_state', entityId: keyId, summary: { keyId, fingerprint: fingerprint(pub), hqId: id ?? null } });
  });
  return { keyId, fingerprint: fingerprint(pub), already: false };
}

export async function writeEnrolment(backend: Backend, actor: Actor, out: string): Promise<{ file: string; keyId: string; fingerprint: string; epoch: number; fromSeq: number }> {
  const station = backend.requireStation();
  const key = await stationKey(backend, actor);
  const s = state(backend);
  const fp = fingerprint(key.publicKey);
  await writeSignedFile(
    resolve(out),
    {
      kind: 'enrolment',
      manifest: {
        stationId: station.id,
        stationCode: station.code,
        stationName: station.name,
        epoch: key.epoch,
        fromSeq: s.acked_seq + 1,
        publicKey: key.publicKeyBase64,
        fingerprint: fp,
        schemaVersion: backend.schemaVersion,
        appVersion: backend.appVersion,
      },
    },
    key.privateKey,
    key.keyId,
  );
  backend.write(actor, (unit) => unit.audit({ action: 'sync.enrol', entity: 'sync_key', entityId: key.keyId, summary: { epoch: key.epoch, fingerprint: fp } }));
  return { file: resolve(out), keyId: key.keyId, fingerprint: fp, epoch: key.epoch, fromSeq: s.acked_seq + 1 };
}

export async function rotateStationKey(backend: Backend, actor: Actor): Promise<{ keyId: string; epoch: number; fingerprint: string }> {
  const key = await rotateKey(backend, actor);
  return { keyId: key.keyId, epoch: key.epoch, fingerprint: fingerprint(key.publicKey) };
}

// ---------------------------------------------------------------------------------------------
// Reference data

export interface ApplyResult {
  version: number;
  already: boolean;
  tariffs: number;
  /** Appraisal score sheets (考核方案) loaded through the appraisal desk's loader. */
  scoreSheets: number;
  held: Record<string, number>;
  /**
   * What the sync desk applied itself, by what happened: `policy` (new policy versions),
   * `staffCreated`, `staffUpdated`, `staffDeactivated`, `notice` (new notices). A row that was
   * already in force (head office's packs are cumulative) counts nowhere.
   */
  loaded: Record<string, number>;
}

/**
 * Applies a reference pack (参考数据包) in one transaction: tariffs through the tariff import
 * (the same versions `tariffs import` loads), score sheets through the appraisal desk's loader
 * (the same check as `appraisal sheets import`); policies, staff changes, notices,
 * calendars and work orders are kept in `sync_reference_held` until their desks' loaders take
 * them (docs/sync.md). The same pack again is a no-op; an older one, or another head office's, is
 * refused.
 */
export async function applyReference(backend: Backend, actor: Actor, source: string | Buffer): Promise<ApplyResult> {
  backend.requireStation();
  const verified = await verify(source, hqKeys(backend), 'reference');
  const m = verified.manifest;
  const version = num(m.version);
  if (version === null || version < 1) throw new AppError('validation', 'sync.file.manifest', { detail: fileDetail('noVersion') });
  const s = state(backend);
  if (s.hq_id && m.hqId !== s.hq_id) throw new AppError('validation', 'sync.refOtherHq', { hqId: String(m.hqId) });
  const same = backend.store.read.get<{ file_sha256: string }>(sql`SELECT file_sha256 FROM sync_reference_packs WHERE version = ${version}`);
  if (same) {
    if (same.file_sha256 === verified.fileSha256) return { version, already: true, tariffs: 0, scoreSheets: 0, held: {}, loaded: {} };
    throw new AppError('validation', 'sync.refVersionReused', { version });
  }
  if (s.reference_version !== null && version < s.reference_version) throw new AppError('validation', 'sync.refOlder', { version, current: s.reference_version });
  const rows = await verified.allRows(200_000);
  const held: Record<string, number> = {};
  const loaded: Record<string, number> = {};
  const count = (what: string | null) => {
    if (what) loaded[what] = (loaded[what] ?? 0) + 1;
  };
  let tariffs = 0;
  let scoreSheets = 0;
  backend.write(actor, (unit) => {
    unit.run(sql`
      INSERT INTO sync_reference_packs (version, hq_id, file_sha256, counts, applied_at, applied_by)
      VALUES (${version}, ${String(m.hqId ?? '')}, ${verified.fileSha256}, '{}', ${unit.at}, ${actor.staffId})`);
    rows.forEach((r, n) => {
      const type = String(r.type);
      if (type === 'policy' || type === 'staff' || type === 'notice') {
        // Applied by the sync desk itself (reference.ts); a bad row refuses the whole pack, naming the row.
        try {
          if (type === 'policy') count(applyPolicyRow(unit, r.data, n + 1));
          else if (type === 'staff') count(applyStaffRow(backend, unit, r.data, n + 1));
          else count(applyNoticeRow(unit, r.data, n + 1, version));
        } catch (error) {
          throw error instanceof AppError && !error.key.startsWith('sync.refRow.') ? new RowRefusal(n + 1, type, error) : error;
        }
      } else if (type === 'tariff') {
        const result = importReferenceFile(unit, JSON.stringify(r.data), `reference pack v${version}`);
        tariffs += result.imported;
      } else if (type === 'scoreSheet') {
        scoreSheets += loadScoreSheet(unit, r.data ?? null, `reference pack v${version}`).loaded;
      } else if (type === 'calendar') {
        // The working-day calendar (工作日历) goes to the customer-service desk's table (docs/service.md "Calendar").
        held[type] = (held[type] ?? 0) + loadCalendarDays(unit, r.data ?? null, `reference pack v${version}`);
      } else if (type === 'workOrder') {
        // A 95598 dispatch (派单) becomes an order; a row for another station, naming an unknown
        // customer or taken before is refused on its own: kept in sync_reference_held as sent
        // (counted as workOrderRefused) with the reason in the audit log, the rest of the pack applies.
        const taken = takeDispatches(unit, [{ row: n + 1, data: (r.data ?? {}) as DispatchRow }], `reference pack v${version}`);
        if (taken.refused.length) {
          unit.run(sql`INSERT INTO sync_reference_held (version, n, type, data) VALUES (${version}, ${n}, ${type}, ${JSON.stringify(r.data ?? null)})`);
          held.workOrderRefused = (held.workOrderRefused ?? 0) + 1;
        } else {
          held[type] = (held[type] ?? 0) + 1;
        }
      } else {
        throw new AppError('validation', 'sync.refUnknownType', { type, row: n + 1 });
      }
    });
    unit.run(sql`UPDATE sync_state SET reference_version = ${version}, hq_id = coalesce(hq_id, ${String(m.hqId ?? '') || null}) WHERE singleton = 1`);
    unit.audit({ action: 'sync.reference', entity: 'sync_reference_pack', entityId: String(version), summary: { version, tariffs, scoreSheets, held, loaded } });
  });
  return { version, already: false, tariffs, scoreSheets, held, loaded };
}

// ---------------------------------------------------------------------------------------------
// Push over HTTP

export interface PushResult {
  export: ExportResult;
  ack: AckResult;
}

/**
 * Exports (or re-exports, the same bytes) and POSTs the batch to head office's `/sync/batch`,
 * then applies the ack it answers. Safe to retry: head office answers a batch it already applied
 * with the same ack, and an ack already recorded changes nothing.
 */
export async function pushBatch(
  backend: Backend,
  actor: Actor,
  url: string,
  options: { outDir?: string; progress?: ExportProgress; timeoutMs?: number; exportWith?: typeof exportBatch } = {},
): Promise<PushResult> {
  // The export part may run on a job thread (sync/exportJob.ts); the HTTP call and the ack here.
  const exported = await (options.exportWith ?? exportBatch)(backend, actor, options);
  const body = readFileSync(exported.file);
  const endpoint = new URL('sync/batch', url.endsWith('/') ? url : `${url}/`).toString();
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body,
      signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
    });
  } catch (error) {
    throw new AppError('not_available', 'sync.noConnection', { url: endpoint, detail: (error as Error).cause ? String((error as Error & { cause: unknown }).cause) : (error as Error).message });
  }
  const answer = Buffer.from(await response.arrayBuffer());
  if (!response.ok && !answer.subarray(0, 8).equals(Buffer.from('GDSYNC1\n'))) {
    throw new AppError('validation', 'sync.pushHttp', { status: response.status, detail: answer.subarray(0, 300).toString('utf8') });
  }
  const ack = await applyAck(backend, actor, answer);
  return { export: exported, ack };
}

/**
 * Asks head office for a reference pack newer than the one in force (`GET /sync/reference?after=V`)
 * and applies it; head office answers 204 when there is none.
 */
export async function pullReference(backend: Backend, actor: Actor, url: string, options: { timeoutMs?: number } = {}): Promise<ApplyResult | null> {
  const after = state(backend).reference_version ?? 0;
  const endpoint = new URL(`sync/reference?after=${after}`, url.endsWith('/') ? url : `${url}/`).toString();
  let response: Response;
  try {
    response = await fetch(endpoint, { signal: AbortSignal.timeout(options.timeoutMs ?? 120_000) });
  } catch (error) {
    throw new AppError('not_available', 'sync.noConnection', { url: endpoint, detail: (error as Error).message });
  }
  if (response.status === 204) return null;
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new AppError('validation', 'sync.pushHttp', { status: response.status, detail: body.subarray(0, 300).toString('utf8') });
  return applyReference(backend, actor, body);
}

// ---------------------------------------------------------------------------------------------
// Status for the screen

export interface SyncStatus {
  epoch: number;
  keyId: string | null;
  fingerprint: string | null;
  hqKeyId: string | null;
  hqId: string | null;
  ackedSeq: number;
  ackedAt: number | null;
  referenceVersion: number | null;
  referenceAppliedAt: number | null;
  waiting: { entity: string; count: number }[];
  waitingTotal: number;
  outboxRows: number;
  lastExport: { fileName: string; fromSeq: number; toSeq: number; count: number; bytes: number; at: number; sha256: string } | null;
  answers: { status: string; reason: string; fromSeq: number | null; toSeq: number | null; ackedSeq: number | null; at: number; outcome: string }[];
  heldReference: { type: string; count: number }[];
  keyProtection: string | null;
  notices: NoticeView[];
}

export function syncStatus(backend: Backend): SyncStatus {
  const db = backend.store.read;
  const s = state(backend);
  const key = db.get<{ key_id: string; public_key: string; protection: string }>(sql`SELECT key_id, public_key, protection FROM sync_keys WHERE epoch = ${s.epoch} AND retired_at IS NULL`);
  const today = shanghaiDate(backend.now());
  const unread = listNotices(db, today);
  const read = listNotices(db, today, true).filter((n) => n.readAt !== null).slice(0, 10);
  const waiting = db.all<{ entity: string; count: number }>(sql`SELECT entity, count(*) AS count FROM outbox WHERE seq > ${s.acked_seq} GROUP BY entity ORDER BY count DESC, entity`);
  const last = db.get<{ file_name: string; from_seq: number; to_seq: number; row_count: number; bytes: number; made_at: number; sha256: string }>(sql`
    SELECT file_name, from_seq, to_seq, row_count, bytes, made_at, sha256 FROM sync_batches ORDER BY rowid DESC LIMIT 1`);
  const answers = db.all<{ status: string; reason: string; from_seq: number | null; to_seq: number | null; acked_seq: number | null; received_at: number; outcome: string }>(sql`
    SELECT status, reason, from_seq, to_seq, acked_seq, received_at, outcome FROM sync_acks ORDER BY id DESC LIMIT 20`);
  return {
    epoch: s.epoch,
    keyId: key?.key_id ?? null,
    fingerprint: key ? fingerprint(key.public_key) : null,
    hqKeyId: s.hq_key_id,
    hqId: s.hq_id,
    ackedSeq: s.acked_seq,
    ackedAt: s.acked_at,
    referenceVersion: s.reference_version,
    referenceAppliedAt: s.reference_version === null ? null : (db.value<number>(sql`SELECT applied_at FROM sync_reference_packs WHERE version = ${s.reference_version}`) ?? null),
    waiting,
    waitingTotal: waiting.reduce((a, w) => a + w.count, 0),
    outboxRows: db.value<number>(sql`SELECT count(*) FROM outbox`) ?? 0,
    lastExport: last ? { fileName: last.file_name, fromSeq: last.from_seq, toSeq: last.to_seq, count: last.row_count, bytes: last.bytes, at: last.made_at, sha256: last.sha256 } : null,
    answers: answers.map((a) => ({ status: a.status, reason: a.reason, fromSeq: a.from_seq, toSeq: a.to_seq, ackedSeq: a.acked_seq, at: a.received_at, outcome: a.outcome })),
    heldReference: db.all<{ type: string; count: number }>(sql`SELECT type, count(*) AS count FROM sync_reference_held GROUP BY type ORDER BY type`),
    keyProtection: key?.protection ?? null,
    notices: [...unread, ...read],
  };
}
