import { copyFileSync, existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { loadMigrations } from '../backend/db/migrations';
import { peekManifest, readSignedFile, signedFileBytes, SyncFileError, type VerifiedFile } from '../backend/sync/signedFile';
import type { HqContext } from './context';
import type { Sql } from './db';
import { HqError } from './errors';
import { applyDirect, DirectPathOff } from './importCopy';

// Import of a station's batch file (上报批次入库), the same steps for `griddesk hq import`, the push
// endpoint and the upload screen:
//   1. before a row is read: the station is known, the file is signed by its registered (active)
//      key, the payload's length and hash match, the station's schema version is one we know;
//   2. in ONE transaction per batch, with the station's row locked: check the cursor, apply the
//      rows (INSERT … ON CONFLICT DO NOTHING under the unique (station_id, epoch, seq)), project
//      them, add to the monthly roll-up, move the cursor, record the batch and its signed ack;
//   3. then any held batch that now follows the cursor is applied, each in its own transaction.
// A replay answers the stored ack; a gap holds the batch; the same range with other content is
// rejected and flagged; refusals are logged (import_refusals) and write nothing else.

export type ImportSource = 'cli' | 'push' | 'upload';

export interface ImportResult {
  outcome: 'applied' | 'duplicate' | 'held' | 'rejected';
  code: string | null;
  reason: string;
  stationId: string;
  stationCode: string;
  epoch: number;
  fromSeq: number;
  toSeq: number;
  rows: number;
  sha256: string;
  ackedSeq: number;
  /** The signed ack file (kind 'ack') to hand back to the station. */
  ack: Buffer;
  /** Held batches applied after this one, in order. */
  released: { sha256: string; fromSeq: number; toSeq: number }[];
}

interface StationRow {
  station_id: string;
  code: string;
  epoch: number;
  acked_seq: number;
  last_batch_sha: string | null;
}

/** Rows per INSERT: large enough to amortise the round trip, small enough to bound memory. */
const CHUNK_ROWS = 4000;

let stationSchemaCache: number | undefined;
/** The newest station schema this program knows (its station migrations). */
export function knownStationSchema(): number {
  stationSchemaCache ??= loadMigrations().length;
  return stationSchemaCache;
}

async function logRefusal(hq: HqContext, stationId: string, code: string, reason: string, sha: string, source: ImportSource): Promise<void> {
  await hq.db.query('INSERT INTO import_refusals (station_id, code, reason, file_sha256, source) VALUES ($1, $2, $3, $4, $5)', [stationId, code, reason, sha, source]);
}

/** Imports one batch file (a path: the push endpoint spools its body to a temp file first). */
export async function importBatch(hq: HqContext, file: string, source: ImportSource, options: { expectStation?: string } = {}): Promise<ImportResult> {
  let claimed = '';
  let sha = '';
  const traceStart = performance.now();
  try {
    const size = statSync(file).size;
    if (size > hq.maxBatchBytes) throw new HqError('too_large', `${size} bytes > ${hq.maxBatchBytes}`);
    const peek = await peekManifest(file);
    if (!peek) throw new HqError('not_sync_file');
    claimed = typeof peek.stationId === 'string' ? peek.stationId : '';
    if (peek.kind !== 'batch') throw new HqError('kind', String(peek.kind ?? '?'));
    if (options.expectStation && options.expectStation !== claimed) throw new HqError('wrong_station', claimed);
    const station = (await hq.db.query<StationRow>('SELECT station_id, code, epoch, acked_seq, last_batch_sha FROM stations WHERE station_id = $1', [claimed]))[0];
    if (!station) throw new HqError('unknown_station', `${String(peek.stationCode ?? '')} ${claimed}`.trim());
    const keys = await hq.db.query<{ key_id: string; public_key: string; status: string; reason: string }>(
      'SELECT key_id, public_key, status, reason FROM station_keys WHERE station_id = $1',
      [claimed],
    );
    const signer = keys.find((k) => k.key_id === peek.keyId);
    if (signer && signer.status !== 'active') throw new HqError('revoked_key', `${signer.key_id} (${signer.reason || signer.status})`);
    const trusted = new Map(keys.filter((k) => k.status === 'active').map((k) => [k.key_id, k.public_key] as const));
    let verified: VerifiedFile;
    try {
      verified = await readSignedFile(file, trusted, { kind: 'batch', maxPayloadBytes: hq.maxBatchBytes, maxRawBytes: hq.maxBatchBytes * 16 });
    } catch (e) {
      if (e instanceof SyncFileError) throw new HqError(e.code, e.message);
      throw e;
    }
    sha = verified.fileSha256;
    const m = verified.manifest as Record<string, unknown>;
    const schema = Number(m.schemaVersion);
    if (!Number.isInteger(schema) || schema > knownStationSchema()) throw new HqError('schema_future', `${String(m.schemaVersion)} > ${knownStationSchema()}`);
    if (m.stationCode !== station.code) throw new HqError('station_mismatch', `${String(m.stationCode)} ≠ ${station.code}`);
    const epoch = Number(m.epoch);
    if (epoch < Number(station.epoch)) throw new HqError('old_epoch', `${epoch} < ${station.epoch}`);
    if (epoch > Number(station.epoch)) throw new HqError('revoked_key', `epoch ${epoch} not accepted yet: head office is at ${station.epoch}`);
    const fromSeq = Number(m.fromSeq);
    const toSeq = Number(m.toSeq);
    if (!Number.isSafeInteger(fromSeq) || !Number.isSafeInteger(toSeq) || fromSeq < 1 || toSeq < fromSeq || Number(verified.manifest.rowCount) > toSeq - fromSeq + 1) {
      throw new HqError('bad_range', `${String(m.fromSeq)}–${String(m.toSeq)}`);
    }
    // Keep the raw file, named by its hash (idempotent; kept even if the transaction fails).
    const kept = hq.file('batches', `${sha}.gdsync`);
    if (!existsSync(kept)) {
      const tmp = `${kept}.${process.pid}.tmp`;
      copyFileSync(file, tmp);
      renameSync(tmp, kept);
    }
    const traceAt = performance.now();
    const result = await applyVerified(hq, verified, station.station_id, kept);
    if (process.env.GRIDDESK_HQ_IMPORT_TRACE) console.error(`hq import: checks ${Math.round(traceAt - traceStart)} ms, transaction ${Math.round(performance.now() - traceAt)} ms`);
    if (result.outcome === 'applied') result.released = await releaseHeld(hq, station.station_id);
    return result;
  } catch (e) {
    const err = e instanceof HqError ? e : e instanceof SyncFileError ? new HqError(e.code, e.message) : null;
    if (!err) throw e;
    await logRefusal(hq, claimed, err.code, err.message, sha, source).catch(() => {});
    throw err;
  }
}

async function makeAck(hq: HqContext, fields: { stationId: string; epoch: number; fromSeq: number; toSeq: number; batchSha256: string; status: string; reason: string | null; ackedSeq: number }): Promise<Buffer> {
  // An ack speaks for its own batch: the station refuses an ackedSeq past the batch's end.
  const manifest = { ...fields, ackedSeq: Math.min(fields.ackedSeq, fields.toSeq) };
  const { bytes } = await signedFileBytes({ kind: 'ack', manifest }, hq.key.privateKey, hq.key.keyId);
  return bytes;
}

/** Steps 2 and 3 for a verified batch: one transaction. */
async function applyVerified(hq: HqContext, verified: VerifiedFile, stationId: string, keptFile: string): Promise<ImportResult> {
  const m = verified.manifest as Record<string, unknown>;
  const sha = verified.fileSha256;
  const epoch = Number(m.epoch);
  const fromSeq = Number(m.fromSeq);
  const toSeq = Number(m.toSeq);
  const rows = Number(verified.manifest.rowCount);
  const base = { stationId, stationCode: String(m.stationCode), epoch, fromSeq, toSeq, rows, sha256: sha, released: [] };
  return hq.db.tx(async (q) => {
    const station = (await q.query<StationRow>('SELECT station_id, code, epoch, acked_seq, last_batch_sha FROM stations WHERE station_id = $1 FOR UPDATE', [stationId]))[0]!;
    const acked = Number(station.acked_seq);
    const seen = (await q.query<{ status: string; ack: Buffer | Uint8Array | null; reason: string }>('SELECT status, ack, reason FROM batches WHERE station_id = $1 AND sha256 = $2', [stationId, sha]))[0];
    if (seen && seen.status !== 'held') {
      // A replay: the same answer, nothing changed.
      return { ...base, outcome: seen.status === 'applied' ? 'duplicate' : 'rejected', code: seen.status === 'applied' ? null : 'equivocation', reason: seen.reason, ackedSeq: acked, ack: Buffer.from(seen.ack ?? []) } as ImportResult;
    }
    const record = async (status: 'applied' | 'held' | 'rejected', reason: string, ack: Buffer) => {
      await q.query(
        `INSERT INTO batches (station_id, sha256, epoch, from_seq, to_seq, row_count, status, reason, previous_sha, reference_version, manifest, file_name, applied_at, ack)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $7 = 'applied' THEN now() END, $13)
         ON CONFLICT (station_id, sha256) DO UPDATE SET status = excluded.status, reason = excluded.reason, applied_at = excluded.applied_at, ack = excluded.ack`,
        [stationId, sha, epoch, fromSeq, toSeq, rows, status, reason, (m.previousBatchSha256 as string | null) ?? null, m.referenceVersion == null ? null : Number(m.referenceVersion), JSON.stringify(m), keptFile.split('/').pop(), ack],
      );
    };
    // A new epoch's first batch may start its numbering afresh at 1.
    const epochFresh = station.last_batch_sha == null && fromSeq === 1 && acked > 0 && !(await q.query('SELECT 1 FROM station_rows WHERE station_id = $1 AND epoch = $2 LIMIT 1', [stationId, epoch])).length;
    const cursor = epochFresh ? 0 : acked;
    if (fromSeq > cursor + 1) {
      const reason = `waiting for seq ${cursor + 1}–${fromSeq - 1}`;
      const ack = await makeAck(hq, { stationId, epoch, fromSeq, toSeq, batchSha256: sha, status: 'held', reason, ackedSeq: acked });
      await record('held', reason, ack);
      return { ...base, outcome: 'held', code: 'gap', reason, ackedSeq: acked, ack };
    }
    // Part or all of the range is applied already (a lost ack, a re-export): the rows must be the
    // ones applied; other content for the same seqs is equivocation, rejected and flagged.
    if (fromSeq <= cursor) {
      const differs = await firstDifference(q, stationId, epoch, verified, cursor);
      if (differs !== null) {
        const reason = `seq ${differs} differs from the row applied before (range ${fromSeq}–${toSeq})`;
        const ack = await makeAck(hq, { stationId, epoch, fromSeq, toSeq, batchSha256: sha, status: 'rejected', reason: `equivocation: ${reason}`, ackedSeq: acked });
        await record('rejected', `equivocation: ${reason}`, ack);
        await q.query('UPDATE stations SET flagged = $2 WHERE station_id = $1', [stationId, `equivocation ${fromSeq}–${toSeq} (${sha.slice(0, 12)})`]);
        await hq.audit(q, 'import', 'batch.rejected', { stationId, sha, code: 'equivocation', fromSeq, toSeq });
        return { ...base, outcome: 'rejected', code: 'equivocation', reason, ackedSeq: acked, ack };
      }
      if (toSeq <= cursor) {
        const ack = await makeAck(hq, { stationId, epoch, fromSeq, toSeq, batchSha256: sha, status: 'duplicate', reason: null, ackedSeq: acked });
        await record('applied', 'duplicate', ack);
        return { ...base, outcome: 'duplicate', code: null, reason: 'already applied', ackedSeq: acked, ack };
      }
    } else {
      const previous = (m.previousBatchSha256 as string | null) ?? null;
      if (previous && station.last_batch_sha && previous !== station.last_batch_sha) {
        const reason = `previous ${previous.slice(0, 12)} ≠ ${station.last_batch_sha.slice(0, 12)}`;
        const ack = await makeAck(hq, { stationId, epoch, fromSeq, toSeq, batchSha256: sha, status: 'rejected', reason: `chain: ${reason}`, ackedSeq: acked });
        await record('rejected', `chain: ${reason}`, ack);
        return { ...base, outcome: 'rejected', code: 'chain', reason, ackedSeq: acked, ack };
      }
    }
    // The projections group and sort a whole batch (records merged per id, the roll-up per
    // month): with the default 4 MB they spill to temporary files on a 100,000-customer month.
    if (hq.db.kind === 'pg' && !process.env.HQ_NO_WORK_MEM) await q.query(`SET LOCAL work_mem = '64MB'`);
    await applyBatchRows(q, stationId, epoch, verified, cursor, toSeq);
    const ack = await makeAck(hq, { stationId, epoch, fromSeq, toSeq, batchSha256: sha, status: 'applied', reason: null, ackedSeq: toSeq });
    await record('applied', '', ack);
    await q.query(
      `UPDATE stations SET acked_seq = $2, last_batch_sha = $3, last_batch_at = now(), schema_version = $4, app_version = $5,
              reference_version = coalesce($6, reference_version) WHERE station_id = $1`,
      [stationId, toSeq, sha, Number(m.schemaVersion), String(m.appVersion ?? ''), m.referenceVersion == null ? null : Number(m.referenceVersion)],
    );
    if (m.referenceVersion != null) await q.query('INSERT INTO station_reference (station_id, version) VALUES ($1, $2) ON CONFLICT DO NOTHING', [stationId, Number(m.referenceVersion)]);
    return { ...base, outcome: 'applied', code: null, reason: '', ackedSeq: toSeq, ack };
  });
}

/** A payload line as one field of COPY's text format: backslash, tab and CR escaped (JSON has no
 * raw newline; a raw tab or CR is legal JSON whitespace but would end COPY's field or line). */
function copyField(line: string): string {
  return (/[\\\t\r]/.test(line) ? line.replace(/[\\\t\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : '\\r')) : line) + '\n';
}

async function* copyLines(verified: VerifiedFile): AsyncGenerator<string> {
  for await (const line of verified.lines()) yield copyField(line);
}

/**
 * Puts the batch's rows (seq past `after`) into the journal: the payload's lines are streamed
 * with COPY into a temporary staging table (入库暂存表; unlogged, dropped at commit; PostgreSQL
 * parses the JSON), then `INSERT … SELECT … ON CONFLICT DO NOTHING` under the unique
 * (station_id, epoch, seq). Memory holds one COPY chunk whatever the batch, and JSON is parsed
 * once, in the server (was: parsed in Node, re-serialised, parsed again from 4,000-row arrays).
 */
async function applyRows(q: Sql, stationId: string, epoch: number, verified: VerifiedFile, after: number): Promise<void> {
  await q.exec('DROP TABLE IF EXISTS hq_import_stage; CREATE TEMP TABLE hq_import_stage (line jsonb) ON COMMIT DROP');
  try {
    await q.copyIn('COPY hq_import_stage (line) FROM STDIN', copyLines(verified));
    // A line that is not an object (or has no seq) gives a null seq and fails the journal's
    // NOT NULL: the batch is refused, nothing written.
    await q.query(
      `INSERT INTO station_rows (station_id, epoch, seq, entity, entity_id, op, row, tbl, children)
       SELECT $1, $2, (line->>'seq')::bigint, line->>'entity', line->>'id', line->>'op', coalesce(nullif(line->'row', 'null'::jsonb), '{}'::jsonb), line->>'table',
              CASE WHEN jsonb_typeof(line->'children') = 'object' THEN line->'children' END
         FROM hq_import_stage WHERE coalesce((line->>'seq')::bigint > $3, true)
       ON CONFLICT DO NOTHING`,
      [stationId, epoch, after],
    );
  } catch (e) {
    // Bad data found by PostgreSQL (not JSON, a seq that is not a number): the batch is refused.
    const code = (e as { code?: string }).code;
    if (typeof code === 'string' && (code.startsWith('22') || code === '23502')) {
      const where = /line (\d+)/.exec(String((e as { where?: string }).where ?? ''))?.[1];
      throw new HqError('row', `${where ? `payload row ${where}: ` : ''}${(e as Error).message}`);
    }
    throw e;
  }
}

/**
 * The batch's rows past `after` into the journal, the typed copies and the roll-up, in the
 * import's transaction. The direct path (importCopy.ts: one COPY straight into the journal, types
 * done in Node) is tried first under a savepoint; if it gives up (an unusual row, a key already
 * taken, anything the server refuses) the savepoint is rolled back and the staged path below
 * decides, exactly as it did alone: the same rows, the same refusals. GRIDDESK_HQ_IMPORT=staged
 * forces the staged path (tests compare the two; the bench measures both).
 */
/** How many batches took each path since start (tests check the direct one is the ordinary case). */
export const importPaths = { direct: 0, staged: 0 };

async function applyBatchRows(q: Sql, stationId: string, epoch: number, verified: VerifiedFile, after: number, toSeq: number): Promise<void> {
  const fromSeq = Math.max(Number(verified.manifest.fromSeq), after + 1);
  if (process.env.GRIDDESK_HQ_IMPORT !== 'staged') {
    await q.exec('SAVEPOINT hq_direct');
    try {
      await applyDirectAndProject(q, stationId, epoch, verified, after, fromSeq, toSeq);
      await q.exec('RELEASE SAVEPOINT hq_direct');
      importPaths.direct++;
      return;
    } catch (e) {
      // A file that changed or broke while it streamed is refused as it is, not retried.
      if (e instanceof SyncFileError || e instanceof HqError) throw e;
      await q.exec('ROLLBACK TO SAVEPOINT hq_direct');
      if (process.env.GRIDDESK_HQ_IMPORT_TRACE) console.error(`hq import: staged path (${(e as Error).message})`);
    }
  }
  await applyRows(q, stationId, epoch, verified, after);
  await project(q, stationId, epoch, fromSeq, toSeq);
  importPaths.staged++;
}

async function applyDirectAndProject(q: Sql, stationId: string, epoch: number, verified: VerifiedFile, after: number, fromSeq: number, toSeq: number): Promise<void> {
  const d = await applyDirect(q, stationId, epoch, verified, after);
  const t0 = performance.now();
  const step = process.env.GRIDDESK_HQ_IMPORT_TRACE ? (what: string, t: number) => console.error(`hq import:   ${what} ${Math.round(performance.now() - t)} ms`) : () => {};
  if (d.recordsStaged) await q.query(mergeRecords('SELECT entity, entity_id, seq, row FROM hq_import_records'), [stationId, epoch]);
  step('records merged', t0);
  if (d.customers) {
    await q.query(
      `UPDATE stations SET customers = (SELECT count(*) FROM hq_records WHERE station_id = $1 AND entity IN ('customer', 'customers') AND coalesce(row->>'status', 'active') <> 'closed')
        WHERE station_id = $1`,
      [stationId],
    );
  }
  if (d.months.size) {
    const months = [...d.months].map(([period, m]) => ({ period, ...m }));
    if (months.some((m) => Object.values(m).some((v) => typeof v === 'number' && !Number.isSafeInteger(v)))) throw new DirectPathOff('sum out of range');
    await q.query(
      `INSERT INTO station_month AS m (${MONTH_COLUMNS})
       SELECT $1, x.period, x.bills, x.kwh, x.billed, x.collected, x.settled, x.readings, x.actual, x.corrected, x.flagged, 0, 0
         FROM jsonb_to_recordset($2::jsonb) AS x(period text, bills bigint, kwh bigint, billed bigint, collected bigint, settled bigint, readings bigint, actual bigint, corrected bigint, flagged bigint)
       ${ADD_TO_MONTH}`,
      [stationId, JSON.stringify(months)],
    );
  }
  if (d.reversals.length) {
    // 冲正: the reversed payment's amount leaves the reversal day's month, and what it settled
    // leaves its bills' periods (read from hq_payments, which this batch may have just filled).
    await q.query(
      `INSERT INTO station_month AS m (${MONTH_COLUMNS})
       SELECT $1, period, 0, 0, 0, sum(collected), sum(settled), 0, 0, 0, 0, 0, 0
         FROM (SELECT substr(${f('business_date', 'businessDate')}, 1, 7) AS period,
                      -coalesce((SELECT p.amount_fen FROM hq_payments p WHERE p.station_id = r.station_id AND p.id = ${f('payment_id', 'paymentId')}), 0) AS collected, 0::bigint AS settled
                 FROM station_rows r WHERE r.station_id = $1 AND r.epoch = $2 AND r.seq = ANY($3::bigint[])
               UNION ALL
               SELECT l->>'period', 0, -(l->>'principal_fen')::bigint
                 FROM station_rows v
                 JOIN hq_payments p ON p.station_id = v.station_id AND p.id = ${f('payment_id', 'paymentId').replaceAll('row->>', 'v.row->>')}
                CROSS JOIN LATERAL jsonb_array_elements(p.settled) l
                WHERE v.station_id = $1 AND v.epoch = $2 AND v.seq = ANY($3::bigint[])) x
        WHERE period ~ '^[0-9]{4}-[0-9]{2}$'
        GROUP BY period
       ${ADD_TO_MONTH}`,
      [stationId, epoch, `{${d.reversals.join(',')}}`],
    );
  }
  if (d.appraisals) await projectAppraisals(q, [stationId, epoch, fromSeq, toSeq]);
  if (process.env.GRIDDESK_HQ_IMPORT_TRACE) console.error(`hq import: merge + roll-up ${Math.round(performance.now() - t0)} ms`);
}

/** The first seq (≤ `upTo`) whose row differs from the journal's, or null if all match. */
async function firstDifference(q: Sql, stationId: string, epoch: number, verified: VerifiedFile, upTo: number): Promise<number | null> {
  let chunk: string[] = [];
  const check = async (): Promise<number | null> => {
    if (!chunk.length) return null;
    const rows = await q.query<{ seq: number }>(
      `SELECT (e->>0)::bigint AS seq FROM jsonb_array_elements($3::jsonb) e
        WHERE NOT EXISTS (SELECT 1 FROM station_rows r WHERE r.station_id = $1 AND r.epoch = $2 AND r.seq = (e->>0)::bigint
                             AND r.entity = e->>1 AND r.entity_id = e->>2 AND r.op = e->>3 AND r.row = e->4
                             AND r.children IS NOT DISTINCT FROM (CASE WHEN jsonb_typeof(e->5) = 'object' THEN e->5 END))
        ORDER BY 1 LIMIT 1`,
      [stationId, epoch, `[${chunk.join(',')}]`],
    );
    chunk = [];
    return rows[0] ? Number(rows[0].seq) : null;
  };
  for await (const r of verified.rows()) {
    if (Number(r.seq) > upTo) continue;
    chunk.push(JSON.stringify([r.seq, r.entity, r.id, r.op, r.row ?? {}, r.children ?? null, r.table ?? null]));
    if (chunk.length >= CHUNK_ROWS) {
      const d = await check();
      if (d !== null) return d;
    }
  }
  return check();
}

// Station entity names: the station's outbox names (singular: 'bill', 'payment', 'reading',
// 'customer', …; docs/sync.md), and table names for files made by other tools.
const MUTABLE = `('customer', 'staff', 'book', 'meter', 'metering_point', 'customers', 'books', 'meters', 'metering_points')`;
const BILL = `('bill', 'bills')`;
const PAYMENT = `('payment', 'payments')`;
const READING = `('reading', 'readings')`;
/** A field that travels as a table column (snake_case) or in a payload (camelCase). */
const f = (snake: string, camel: string) => `coalesce(row->>'${snake}', row->>'${camel}')`;

/** The merge of mutable records into hq_records ($1 station, $2 epoch) from `source` (entity,
 * entity_id, seq, row): the journal's range (staged path) or the direct path's staging table. */
function mergeRecords(source: string): string {
  return `INSERT INTO hq_records AS h (station_id, entity, id, seq, epoch, row)
     SELECT $1, entity, entity_id, last_seq, $2,
            -- Most records change once in a batch: take the row as is; merge only the others.
            CASE WHEN cardinality(rows) = 1 THEN rows[1]
                 ELSE (SELECT coalesce(jsonb_object_agg(kv.key, kv.value ORDER BY u.o), '{}'::jsonb)
                         FROM unnest(rows) WITH ORDINALITY u(r, o) CROSS JOIN LATERAL jsonb_each(u.r) kv) END
       FROM (SELECT entity, entity_id, max(seq) AS last_seq, array_agg(row ORDER BY seq) AS rows
               FROM (${source}) s
              GROUP BY entity, entity_id) g
     ON CONFLICT (station_id, entity, id) DO UPDATE SET seq = excluded.seq, epoch = excluded.epoch, row = h.row || excluded.row
      WHERE (h.epoch, h.seq) < (excluded.epoch, excluded.seq)`;
}

/** Adds a batch's sums to the month's roll-up (station_month). */
const ADD_TO_MONTH = `ON CONFLICT (station_id, period) DO UPDATE SET
     bills = m.bills + excluded.bills, billed_kwh_centi = m.billed_kwh_centi + excluded.billed_kwh_centi, billed_fen = m.billed_fen + excluded.billed_fen,
     collected_fen = m.collected_fen + excluded.collected_fen, settled_fen = m.settled_fen + excluded.settled_fen, readings = m.readings + excluded.readings,
     actual_reads = m.actual_reads + excluded.actual_reads, corrected_reads = m.corrected_reads + excluded.corrected_reads,
     flagged_reads = m.flagged_reads + excluded.flagged_reads, appraisal_sum = m.appraisal_sum + excluded.appraisal_sum,
     appraisal_count = m.appraisal_count + excluded.appraisal_count`;
const MONTH_COLUMNS = `station_id, period, bills, billed_kwh_centi, billed_fen, collected_fen, settled_fen, readings, actual_reads, corrected_reads, flagged_reads, appraisal_sum, appraisal_count`;

/** Signed appraisals of the batch's range ($1 station, $2 epoch, $3–$4 seqs) and their months' averages. */
async function projectAppraisals(q: Sql, p: unknown[]): Promise<void> {
  // Appraisal scores (绩效考核): the appraisal desk's signed sheets (entity 'appraisal', one signed
  // version of one person's month, total in hundredths of a point). A revision signed later
  // replaces the earlier one for that person and month; the month's average is recounted from
  // the latest signed totals of the months this batch touched.
  const SIGNED = `station_id = $1 AND epoch = $2 AND seq BETWEEN $3 AND $4 AND entity = 'appraisal' AND op = 'insert' AND row->>'period' ~ '^[0-9]{4}-[0-9]{2}$' AND row->>'staffId' IS NOT NULL AND row ? 'totalCenti'`;
  await q.query(
    `INSERT INTO hq_appraisals AS a (station_id, period, staff_id, version_id, total_centi, epoch, seq)
     SELECT DISTINCT ON (row->>'period', row->>'staffId') $1, row->>'period', row->>'staffId', entity_id, (row->>'totalCenti')::bigint, $2, seq
       FROM station_rows WHERE ${SIGNED}
      ORDER BY row->>'period', row->>'staffId', seq DESC
     ON CONFLICT (station_id, period, staff_id) DO UPDATE SET version_id = excluded.version_id, total_centi = excluded.total_centi, epoch = excluded.epoch, seq = excluded.seq
      WHERE (a.epoch, a.seq) < (excluded.epoch, excluded.seq)`,
    p,
  );
  await q.query(
    `INSERT INTO station_month AS m (station_id, period, appraisal_sum, appraisal_count)
     SELECT $1, period, sum(total_centi) / 100.0, count(*) FROM hq_appraisals
      WHERE station_id = $1 AND period IN (SELECT row->>'period' FROM station_rows WHERE ${SIGNED})
      GROUP BY period
     ON CONFLICT (station_id, period) DO UPDATE SET appraisal_sum = excluded.appraisal_sum, appraisal_count = excluded.appraisal_count`,
    p,
  );
}

/** Typed copies and the monthly roll-up, from this batch's rows only (same transaction). */
async function project(q: Sql, stationId: string, epoch: number, fromSeq: number, toSeq: number): Promise<void> {
  const range = `station_id = $1 AND epoch = $2 AND seq BETWEEN $3 AND $4`;
  const p = [stationId, epoch, fromSeq, toSeq];
  await q.query(
    `INSERT INTO hq_bills (station_id, id, customer_id, period, kind, kwh_centi, total_fen)
     SELECT station_id, entity_id, ${f('customer_id', 'customerId')}, row->>'period', coalesce(row->>'kind', 'regular'), coalesce(${f('kwh', 'kwh')}::bigint, 0), coalesce(${f('total_fen', 'totalFen')}::bigint, 0)
       FROM station_rows WHERE ${range} AND entity IN ${BILL} AND op = 'insert' ON CONFLICT DO NOTHING`,
    p,
  );
  await q.query(
    `INSERT INTO hq_payments (station_id, id, customer_id, amount_fen, pay_date, channel, clerk_id, settled)
     SELECT station_id, entity_id, ${f('customer_id', 'customerId')}, ${f('amount_fen', 'amountFen')}::bigint, ${f('pay_date', 'payDate')}, row->>'channel', ${f('clerk_id', 'clerkId')},
            coalesce(jsonb_path_query_array(children, '$.settlements[*].children.settlement_lines[*]'), '[]'::jsonb)
       FROM station_rows WHERE ${range} AND entity IN ${PAYMENT} AND op = 'insert' ON CONFLICT DO NOTHING`,
    p,
  );
  await q.query(
    `INSERT INTO hq_readings (station_id, id, period, point_id, kind, needs_review, supersedes, read_by)
     SELECT station_id, entity_id, row->>'period', ${f('point_id', 'pointId')}, row->>'kind', coalesce(${f('needs_review', 'needsReview')}, '0') IN ('1', 'true'), row->>'supersedes', ${f('read_by', 'readBy')}
       FROM station_rows WHERE ${range} AND entity IN ${READING} AND op = 'insert' ON CONFLICT DO NOTHING`,
    p,
  );
  // Mutable records: an update may carry only what changed, so fields merge in seq order.
  await q.query(mergeRecords(`SELECT entity, entity_id, seq, row FROM station_rows WHERE ${range} AND entity IN ${MUTABLE}`), p);
  await q.query(
    `UPDATE stations SET customers = (SELECT count(*) FROM hq_records WHERE station_id = $1 AND entity IN ('customer', 'customers') AND coalesce(row->>'status', 'active') <> 'closed')
      WHERE station_id = $1 AND EXISTS (SELECT 1 FROM station_rows WHERE ${range} AND entity IN ('customer', 'customers'))`,
    p,
  );
  // One pass over the batch's rows: each fact adds to its month.
  await q.query(
    `INSERT INTO station_month AS m (${MONTH_COLUMNS})
     SELECT $1, period, sum(bills), sum(kwh), sum(billed), sum(collected), 0, sum(readings), sum(actual), sum(corrected), sum(flagged), sum(score), sum(scored)
       FROM (
         SELECT CASE WHEN entity IN ${PAYMENT} THEN substr(${f('pay_date', 'payDate')}, 1, 7)
                     WHEN entity = 'payment_reversal' THEN substr(${f('business_date', 'businessDate')}, 1, 7)
                     WHEN entity = 'bill_issue' THEN children->'ledger_entries'->0->>'period'
                     ELSE row->>'period' END AS period,
                (entity IN ${BILL} AND coalesce(row->>'kind', 'regular') = 'regular')::int AS bills,
                CASE WHEN entity IN ${BILL} AND coalesce(row->>'kind', 'regular') = 'regular' THEN coalesce(${f('kwh', 'kwh')}::bigint, 0) ELSE 0 END AS kwh,
                CASE WHEN entity = 'bill_issue' THEN coalesce((SELECT sum((l->>'amount_fen')::bigint) FROM jsonb_array_elements(children->'ledger_entries') l), 0)
                     WHEN entity = 'ledger_entries' AND row->>'entry_type' IN ('bill', 'bill_credit') THEN (row->>'amount_fen')::bigint
                     ELSE 0 END AS billed,
                CASE WHEN entity IN ${PAYMENT} THEN ${f('amount_fen', 'amountFen')}::bigint
                     WHEN entity = 'payment_reversal' THEN -coalesce((SELECT p.amount_fen FROM hq_payments p WHERE p.station_id = r.station_id AND p.id = ${f('payment_id', 'paymentId')}), 0)
                     ELSE 0 END AS collected,
                (entity IN ${READING} AND row->>'supersedes' IS NULL)::int AS readings,
                (entity IN ${READING} AND row->>'supersedes' IS NULL AND row->>'kind' = 'actual')::int AS actual,
                (entity IN ${READING} AND row->>'supersedes' IS NOT NULL)::int AS corrected,
                (entity IN ${READING} AND row->>'supersedes' IS NULL AND coalesce(${f('needs_review', 'needsReview')}, '0') IN ('1', 'true'))::int AS flagged,
                0 AS score, 0 AS scored
           FROM station_rows r
          WHERE ${range} AND op = 'insert'
            AND entity IN ('bill', 'bills', 'bill_issue', 'ledger_entries', 'payment', 'payments', 'payment_reversal', 'reading', 'readings')
       ) x
      WHERE period ~ '^[0-9]{4}-[0-9]{2}$'
      GROUP BY period
     ${ADD_TO_MONTH}`,
    p,
  );
  await projectAppraisals(q, p);
  // Principal settled onto each period's bills (销账), as the station's account counts it
  // (docs/collection.md "The account"): the payments' settlement lines, prepaid draws onto new
  // bills (预收转实收: a 'settlement' of kind 'prepaid', no payment), less what a reversed payment
  // had settled (冲正: its bills are open again).
  await q.query(
    `INSERT INTO station_month AS m (${MONTH_COLUMNS})
     SELECT $1, period, 0, 0, 0, 0, sum(principal), 0, 0, 0, 0, 0, 0
       FROM (SELECT l->>'period' AS period, (l->>'principal_fen')::bigint AS principal
               FROM station_rows r
              CROSS JOIN LATERAL jsonb_array_elements(coalesce(r.children->'settlements', '[]'::jsonb)) s
              CROSS JOIN LATERAL jsonb_array_elements(coalesce(s->'children'->'settlement_lines', '[]'::jsonb)) l
              WHERE ${range} AND r.entity IN ${PAYMENT} AND r.op = 'insert'
             UNION ALL
             SELECT l->>'period', coalesce(l->>'principalFen', l->>'principal_fen')::bigint
               FROM station_rows r CROSS JOIN LATERAL jsonb_array_elements(coalesce(r.row->'lines', '[]'::jsonb)) l
              WHERE ${range} AND r.entity = 'settlement' AND r.op = 'insert' AND r.row->>'kind' = 'prepaid'
             UNION ALL
             SELECT l->>'period', -(l->>'principal_fen')::bigint
               FROM station_rows v
               JOIN hq_payments p ON p.station_id = v.station_id AND p.id = ${f('payment_id', 'paymentId').replaceAll('row->>', 'v.row->>')}
              CROSS JOIN LATERAL jsonb_array_elements(p.settled) l
              WHERE v.station_id = $1 AND v.epoch = $2 AND v.seq BETWEEN $3 AND $4 AND v.entity = 'payment_reversal' AND v.op = 'insert') x
      WHERE period ~ '^[0-9]{4}-[0-9]{2}$'
      GROUP BY period
     ${ADD_TO_MONTH}`,
    p,
  );
  await q.query(
    `INSERT INTO station_month AS m (${MONTH_COLUMNS})
     SELECT $1, row->>'period', 0, 0, 0, 0, sum((row->>'principal_fen')::bigint), 0, 0, 0, 0, 0, 0
       FROM station_rows WHERE ${range} AND entity = 'settlement_lines' AND op = 'insert' AND row->>'period' ~ '^[0-9]{4}-[0-9]{2}$'
      GROUP BY row->>'period'
     ${ADD_TO_MONTH}`,
    p,
  );
}

/** Applies, each in its own transaction, held batches that now follow the cursor. */
async function releaseHeld(hq: HqContext, stationId: string): Promise<ImportResult['released']> {
  const released: ImportResult['released'] = [];
  for (;;) {
    const next = (await hq.db.query<{ sha256: string; file_name: string; from_seq: number; to_seq: number }>(
      `SELECT b.sha256, b.file_name, b.from_seq, b.to_seq FROM batches b JOIN stations s ON s.station_id = b.station_id
        WHERE b.station_id = $1 AND b.status = 'held' AND b.epoch = s.epoch AND b.from_seq <= s.acked_seq + 1 ORDER BY b.from_seq LIMIT 1`,
      [stationId],
    ))[0];
    if (!next) return released;
    const keys = await hq.db.query<{ key_id: string; public_key: string }>(`SELECT key_id, public_key FROM station_keys WHERE station_id = $1 AND status = 'active'`, [stationId]);
    const file = hq.file('batches', next.file_name);
    const verified = await readSignedFile(file, new Map(keys.map((k) => [k.key_id, k.public_key] as const)), { kind: 'batch' });
    const r = await applyVerified(hq, verified, stationId, file);
    if (r.outcome === 'held') return released;
    released.push({ sha256: next.sha256, fromSeq: Number(next.from_seq), toSeq: Number(next.to_seq) });
  }
}

/** The ack last answered for a batch (the station asks again after a lost answer). */
export async function storedAck(hq: HqContext, stationId: string, sha: string): Promise<Buffer | null> {
  const row = (await hq.db.query<{ ack: Buffer | Uint8Array | null }>('SELECT ack FROM batches WHERE station_id = $1 AND sha256 = $2', [stationId, sha]))[0];
  return row?.ack ? Buffer.from(row.ack) : null;
}

export function writeAckFile(path: string, ack: Buffer): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, ack);
  renameSync(tmp, path);
}
