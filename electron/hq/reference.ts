import { readFileSync } from 'node:fs';
import { checkReferenceFile } from '../../shared/billing';
import { renderMessage } from '../../shared/i18n/coded';
import { checkNoticeRow, checkPolicyRow, checkStaffRow } from '../../shared/sync/reference';
import type { HqPack, HqReferenceItem } from '../../shared/hq/types';
import { writeSignedFile } from '../backend/sync/signedFile';
import type { HqContext } from './context';
import { HqError } from './errors';

// Reference data down (基础数据下发): an administrator loads tariff versions, appraisal score sheets,
// policies, staff changes and notices; a published pack is a signed file with a monotonic version
// holding every item loaded so far (cumulative: a station that missed a pack loses nothing by
// applying the next), for all stations or some. Which station applied which version comes back in
// the manifests of its batches (station_reference).

export const REFERENCE_TYPES = ['tariff', 'scoreSheet', 'policy', 'staff', 'notice', 'calendar', 'workOrder'] as const;
export type ReferenceType = (typeof REFERENCE_TYPES)[number];

export async function loadReferenceItem(hq: HqContext, type: string, name: string, data: unknown, actor: string): Promise<number> {
  if (!(REFERENCE_TYPES as readonly string[]).includes(type)) throw new HqError('reference_item', `type must be one of ${REFERENCE_TYPES.join(', ')}`);
  if (typeof data !== 'object' || data === null) throw new HqError('reference_item', 'the data must be a JSON object or list');
  if (type === 'tariff') {
    // The same check the station's `tariffs import` runs: what head office sends, stations can load.
    const check = checkReferenceFile(data);
    // The problems are coded (shared/referenceFile.ts); HqError's detail is one text, English as before.
    if (!check.ok) throw new HqError('reference_item', check.problems.slice(0, 5).map((p) => renderMessage('en', p)).join('; '));
  }
  // Policy, staff and notice rows get the station's own checks now: packs are cumulative, so a bad
  // item loaded here would make every later pack refused at every station.
  const stationCheck = type === 'policy' ? checkPolicyRow(data) : type === 'staff' ? checkStaffRow(data) : type === 'notice' ? checkNoticeRow(data) : null;
  if (stationCheck && !stationCheck.ok) {
    const { rule, field, detail } = stationCheck.problem;
    throw new HqError('reference_item', `${type}: ${rule === 'password' ? 'passwords never travel' : rule} field ${field}${detail ? `: ${detail}` : ''}`);
  }
  return hq.db.tx(async (q) => {
    const rows = await q.query<{ id: number }>('INSERT INTO reference_items (type, name, data, loaded_by) VALUES ($1, $2, $3, $4) RETURNING id', [type, name, JSON.stringify(data), actor]);
    await hq.audit(q, actor, 'reference.load', { type, name, id: rows[0]!.id });
    return Number(rows[0]!.id);
  });
}

export async function loadReferenceFile(hq: HqContext, type: string, file: string, actor: string): Promise<number> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new HqError('reference_item', `${file}: ${(e as Error).message}`);
  }
  return loadReferenceItem(hq, type, file.split('/').pop() ?? file, data, actor);
}

export async function listReference(hq: HqContext): Promise<{ items: HqReferenceItem[]; packs: HqPack[] }> {
  const items = await hq.db.query<Record<string, unknown>>('SELECT id, type, name, loaded_at, loaded_by FROM reference_items ORDER BY id');
  const packs = await hq.db.query<Record<string, unknown>>(
    `SELECT p.version, p.stations, cardinality(p.item_ids) AS items, p.published_at, p.published_by,
            coalesce((SELECT array_agg(s.code ORDER BY s.code) FROM station_reference r JOIN stations s ON s.station_id = r.station_id WHERE r.version = p.version), '{}') AS applied_by
       FROM reference_packs p ORDER BY p.version DESC`,
  );
  return {
    items: items.map((r) => ({ id: Number(r.id), type: String(r.type), name: String(r.name), loadedAt: new Date(r.loaded_at as string).toISOString(), loadedBy: String(r.loaded_by) })),
    packs: packs.map((r) => ({
      version: Number(r.version),
      stations: (r.stations as string[] | null) ?? null,
      items: Number(r.items),
      publishedAt: new Date(r.published_at as string).toISOString(),
      publishedBy: String(r.published_by),
      appliedBy: (r.applied_by as string[]) ?? [],
    })),
  };
}

/** Publishes a pack of every item loaded so far, for all stations (codes omitted) or some. */
export async function publishPack(hq: HqContext, actor: string, stationCodes?: string[]): Promise<{ version: number; file: string; items: number; sha256: string }> {
  let stationIds: string[] | null = null;
  if (stationCodes?.length) {
    const rows = await hq.db.query<{ station_id: string; code: string }>('SELECT station_id, code FROM stations WHERE code = ANY($1::text[])', [stationCodes]);
    const missing = stationCodes.filter((c) => !rows.some((r) => r.code === c));
    if (missing.length) throw new HqError('not_found', missing.join(', '));
    stationIds = rows.map((r) => r.station_id).sort();
  }
  // The version is taken and recorded in one transaction (a unique key refuses a concurrent twin).
  return hq.db.tx(async (q) => {
    const items = await q.query<{ id: number; type: string; data: unknown }>('SELECT id, type, data FROM reference_items ORDER BY id');
    if (!items.length) throw new HqError('reference_item', 'nothing loaded yet');
    const version = Number((await q.query<{ v: number }>('SELECT coalesce(max(version), 0) + 1 AS v FROM reference_packs'))[0]!.v);
    const file = hq.file('packs', `reference-${String(version).padStart(6, '0')}.gdsync`);
    const written = await writeSignedFile(
      file,
      {
        kind: 'reference',
        manifest: { version, hqId: hq.hqId, stations: stationIds },
        payloadLines: items.map((i) => ({ type: i.type, data: (typeof i.data === 'string' ? JSON.parse(i.data) : i.data) as Record<string, unknown> })),
      },
      hq.key.privateKey,
      hq.key.keyId,
    );
    await q.query('INSERT INTO reference_packs (version, stations, item_ids, sha256, file_name, published_by) VALUES ($1, $2, $3, $4, $5, $6)', [
      version,
      stationIds,
      items.map((i) => Number(i.id)),
      written.fileSha256,
      file.split('/').pop(),
      actor,
    ]);
    await hq.audit(q, actor, 'reference.publish', { version, stations: stationIds, items: items.length });
    return { version, file, items: items.length, sha256: written.fileSha256 };
  });
}

/** The newest pack for a station above `after`, as file bytes; null when there is none. */
export async function packFor(hq: HqContext, stationId: string | null, after: number): Promise<{ version: number; bytes: Buffer } | null> {
  const row = (await hq.db.query<{ version: number; file_name: string }>(
    `SELECT version, file_name FROM reference_packs WHERE version > $1 AND (stations IS NULL OR $2::text = ANY(stations)) ORDER BY version DESC LIMIT 1`,
    [after, stationId],
  ))[0];
  if (!row) return null;
  return { version: Number(row.version), bytes: readFileSync(hq.file('packs', row.file_name)) };
}
