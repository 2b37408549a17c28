import type { HqStationRow } from '../../shared/hq/types';
import { readFileSync } from 'node:fs';
import { readSignedFile, keyIdOf, fingerprint, toPublicKey, writeSignedFile, SyncFileError } from '../backend/sync/signedFile';
import type { HqContext } from './context';
import { HqError } from './errors';
import { addStationPartitions } from './partitions';

// Stations (供电所) known to head office: enrolment from a station's self-signed enrolment file,
// key revocation, key rotation, and bootstrap files for a replaced PC.

export interface EnrolmentInfo {
  stationId: string;
  stationCode: string;
  stationName: string;
  epoch: number;
  publicKey: string;
  keyId: string;
  fingerprint: string;
}

async function readEnrolment(file: string | Buffer): Promise<EnrolmentInfo> {
  try {
    const v = await readSignedFile(typeof file === 'string' ? readFileSync(file) : file, new Map(), { kind: 'enrolment', allowSelfSigned: true });
    const m = v.manifest as Record<string, unknown>;
    const publicKey = String(m.publicKey ?? '');
    const stationId = String(m.stationId ?? '');
    const stationCode = String(m.stationCode ?? '');
    if (!stationId || !stationCode || !publicKey) throw new HqError('manifest', 'stationId, stationCode and publicKey are required');
    return {
      stationId,
      stationCode,
      stationName: String(m.stationName ?? stationCode),
      epoch: Number(m.epoch ?? 1) || 1,
      publicKey,
      keyId: keyIdOf(toPublicKey(publicKey)),
      fingerprint: fingerprint(toPublicKey(publicKey)),
    };
  } catch (e) {
    if (e instanceof SyncFileError) throw new HqError(e.code, e.message);
    throw e;
  }
}

/** Registers a station from its enrolment file: station row, its key, its partitions. */
export async function enrolStation(hq: HqContext, file: string | Buffer, actor: string): Promise<EnrolmentInfo> {
  const info = await readEnrolment(file);
  await hq.db.tx(async (q) => {
    const existing = await q.query<{ station_id: string }>('SELECT station_id FROM stations WHERE station_id = $1', [info.stationId]);
    if (existing.length) throw new HqError('already_enrolled', `${info.stationCode} (${info.stationId})`, 409);
    const taken = await q.query('SELECT 1 FROM stations WHERE code = $1', [info.stationCode]);
    if (taken.length) throw new HqError('code_taken', info.stationCode, 409);
    await q.query('INSERT INTO stations (station_id, code, name, epoch) VALUES ($1, $2, $3, $4)', [info.stationId, info.stationCode, info.stationName, info.epoch]);
    await q.query(`INSERT INTO station_keys (station_id, key_id, public_key, epoch, status) VALUES ($1, $2, $3, $4, 'active')`, [info.stationId, info.keyId, info.publicKey, info.epoch]);
    await addStationPartitions(q, info.stationId);
    await hq.audit(q, actor, 'station.enrol', { stationId: info.stationId, code: info.stationCode, keyId: info.keyId });
  });
  return info;
}

/**
 * Accepts a station's new key (rotation): the enrolment file it wrote with the new key and a
 * higher epoch. The person running this has compared the fingerprint with the station by phone.
 * The old key is retired: batches signed with it are refused from now on.
 */
export async function rotateStationKey(hq: HqContext, file: string | Buffer, actor: string): Promise<EnrolmentInfo> {
  const info = await readEnrolment(file);
  await hq.db.tx(async (q) => {
    const rows = await q.query<{ epoch: number; code: string }>('SELECT epoch, code FROM stations WHERE station_id = $1 FOR UPDATE', [info.stationId]);
    const station = rows[0];
    if (!station) throw new HqError('unknown_station', info.stationId, 404);
    if (station.code !== info.stationCode) throw new HqError('station_mismatch', `${info.stationCode} ≠ ${station.code}`);
    const active = await q.query(`SELECT 1 FROM station_keys WHERE station_id = $1 AND status = 'active'`, [info.stationId]);
    // After a bootstrap no key is active and the file names the bootstrap's epoch; otherwise a
    // rotation must raise the epoch.
    if (info.epoch < Number(station.epoch) || (info.epoch === Number(station.epoch) && active.length)) {
      throw new HqError('old_epoch', `a rotation needs an epoch above ${station.epoch}`);
    }
    await q.query(`UPDATE station_keys SET status = 'retired', ended_at = now(), reason = 'rotation' WHERE station_id = $1 AND status = 'active'`, [info.stationId]);
    await q.query(
      `INSERT INTO station_keys (station_id, key_id, public_key, epoch, status) VALUES ($1, $2, $3, $4, 'active')
       ON CONFLICT (station_id, key_id) DO UPDATE SET status = 'active', epoch = excluded.epoch, ended_at = NULL, reason = ''`,
      [info.stationId, info.keyId, info.publicKey, info.epoch],
    );
    // The station keeps numbering its outbox: the cursor carries over into the new epoch.
    await q.query('UPDATE stations SET epoch = $2, last_batch_sha = NULL WHERE station_id = $1', [info.stationId, info.epoch]);
    await hq.audit(q, actor, 'station.rotate', { stationId: info.stationId, keyId: info.keyId, epoch: info.epoch });
  });
  return info;
}

export async function findStation(hq: HqContext, codeOrId: string): Promise<{ station_id: string; code: string; name: string; epoch: number; acked_seq: number }> {
  const rows = await hq.db.query<{ station_id: string; code: string; name: string; epoch: number; acked_seq: number }>(
    'SELECT station_id, code, name, epoch, acked_seq FROM stations WHERE code = $1 OR station_id = $1',
    [codeOrId],
  );
  if (!rows[0]) throw new HqError('not_found', codeOrId, 404);
  return rows[0];
}

/** Revokes a station's key (a stolen PC): nothing signed with it is accepted any more. */
export async function revokeKey(hq: HqContext, codeOrId: string, keyId: string | undefined, reason: string, actor: string): Promise<number> {
  const station = await findStation(hq, codeOrId);
  return hq.db.tx(async (q) => {
    const rows = await q.query(
      `UPDATE station_keys SET status = 'revoked', ended_at = now(), reason = $3
        WHERE station_id = $1 AND status <> 'revoked' AND ($2::text IS NULL OR key_id = $2) RETURNING key_id`,
      [station.station_id, keyId ?? null, reason || 'revoked'],
    );
    await hq.audit(q, actor, 'station.revoke', { stationId: station.station_id, keyId: keyId ?? 'all', reason });
    return rows.length;
  });
}

/** A station as the stations list shows it (the UI's type: shared/hq/types.ts). */
export type StationListRow = HqStationRow;

export async function listStations(hq: HqContext): Promise<StationListRow[]> {
  const rows = await hq.db.query<Record<string, unknown>>(`
    SELECT s.station_id, s.code, s.name, s.status, s.epoch, s.acked_seq, s.last_batch_at, s.flagged, s.reference_version, s.schema_version,
           extract(epoch FROM now() - s.last_batch_at)::float8 / 86400 AS lag_days,
           (SELECT count(*)::int FROM batches b WHERE b.station_id = s.station_id AND b.status = 'held') AS held,
           (SELECT count(*)::int FROM batches b WHERE b.station_id = s.station_id AND b.status = 'rejected') AS rejected,
           (SELECT count(*)::int FROM import_refusals r WHERE r.station_id = s.station_id) AS refusals,
           (SELECT coalesce(json_agg(json_build_object('keyId', k.key_id, 'status', k.status, 'epoch', k.epoch) ORDER BY k.added_at), '[]'::json)
              FROM station_keys k WHERE k.station_id = s.station_id) AS keys
      FROM stations s ORDER BY s.code`);
  return rows.map((r) => ({
    stationId: String(r.station_id),
    code: String(r.code),
    name: String(r.name),
    status: String(r.status),
    epoch: Number(r.epoch),
    ackedSeq: Number(r.acked_seq),
    lastBatchAt: r.last_batch_at ? new Date(r.last_batch_at as string).toISOString() : null,
    lagDays: r.lag_days == null ? null : Math.floor(Number(r.lag_days)),
    held: Number(r.held),
    rejected: Number(r.rejected),
    refusals: Number(r.refusals),
    flagged: (r.flagged as string | null) ?? null,
    referenceVersion: r.reference_version == null ? null : Number(r.reference_version),
    schemaVersion: r.schema_version == null ? null : Number(r.schema_version),
    keys: (typeof r.keys === 'string' ? JSON.parse(r.keys) : r.keys) as StationListRow['keys'],
  }));
}

/**
 * A bootstrap file for a replaced station PC: the station's rows as head office holds them (the
 * latest row of each record, facts as inserted), in seq order, through the cursor. Issuing it
 * starts a new epoch: the station's current keys are retired, so batches signed with the old key
 * are refused; the station restores from the file with a new key and enrols that key
 * (`rotateStationKey`, which accepts the epoch this file names).
 */
export async function issueBootstrap(hq: HqContext, codeOrId: string, out: string, actor: string): Promise<{ file: string; rows: number; throughSeq: number; epoch: number }> {
  const station = await findStation(hq, codeOrId);
  const newEpoch = Number(station.epoch) + 1;
  const throughSeq = Number(station.acked_seq);
  async function* rows() {
    const page = 5000;
    let after: [number, number] = [0, 0];
    for (;;) {
      const chunk = await hq.db.query<{ epoch: number; seq: number; entity: string; entity_id: string; op: string; row: unknown; tbl: string | null; children: unknown }>(
        `SELECT epoch, seq, entity, entity_id, op, row, tbl, children FROM station_rows r
          WHERE station_id = $1 AND (epoch, seq) > ($2, $3)
            AND NOT EXISTS (SELECT 1 FROM hq_records h WHERE h.station_id = r.station_id AND h.entity = r.entity AND h.id = r.entity_id AND (h.epoch, h.seq) > (r.epoch, r.seq))
          ORDER BY epoch, seq LIMIT ${page}`,
        [station.station_id, after[0], after[1]],
      );
      const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
      for (const r of chunk) {
        yield { entity: r.entity, id: r.entity_id, op: r.op, row: json(r.row), seq: Number(r.seq), ...(r.tbl ? { table: r.tbl } : {}), ...(r.children != null ? { children: json(r.children) } : {}) };
      }
      if (chunk.length < page) return;
      const last = chunk[chunk.length - 1]!;
      after = [Number(last.epoch), Number(last.seq)];
    }
  }
  const written = await writeSignedFile(
    out,
    // epoch: the one the old PC signed in; the station restores into epoch + 1 (docs/sync.md).
      { kind: 'bootstrap', manifest: { stationId: station.station_id, stationCode: station.code, stationName: station.name, throughSeq, epoch: Number(station.epoch), hqId: hq.hqId }, payloadStream: rows() },
    hq.key.privateKey,
    hq.key.keyId,
  );
  await hq.db.tx(async (q) => {
    await q.query(`UPDATE station_keys SET status = 'retired', ended_at = now(), reason = 'bootstrap' WHERE station_id = $1 AND status = 'active'`, [station.station_id]);
    await q.query('UPDATE stations SET epoch = $2, last_batch_sha = NULL WHERE station_id = $1', [station.station_id, newEpoch]);
    await hq.audit(q, actor, 'station.bootstrap', { stationId: station.station_id, throughSeq, epoch: newEpoch, file: written.fileSha256 });
  });
  return { file: out, rows: Number(written.manifest.rowCount), throughSeq, epoch: newEpoch };
}
