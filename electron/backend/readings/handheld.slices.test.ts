import XLSX from 'xlsx';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReadingImportPreview } from '../../../shared/contract';
import { sql } from '../db/sql';
import { addMeters } from './fixtures';
import { commitImport } from './handheld';
import { bookWith, households, makeReadingStation, openPeriod, readAll, type ReadingStation } from './test-station';

// The handheld import's commit in slices (issue 18): each reading is filed whole with its slice;
// a write between slices is respected, and a re-run of the file saves nothing twice.

const stations: ReadingStation[] = [];
afterEach(() => {
  for (const s of stations.splice(0)) s.station.close();
});

const file = (count: number) => {
  const rows: (string | number)[][] = [['表号', '止码', '抄表日期']];
  for (let i = 1; i <= count; i++) rows.push([`D-${String(i).padStart(4, '0')}`, 100 + i, '2026-11-25']);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), '抄表');
  return (XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer).toString('base64');
};

async function station(count: number) {
  const rs = await makeReadingStation();
  stations.push(rs);
  const points = addMeters(rs.station.backend, households(count));
  await bookWith(rs, points, 'M001');
  await openPeriod(rs, '2026-11');
  return { rs, points };
}

async function preview(rs: ReadingStation, base64: string) {
  const state = await rs.station.backend.jobs.finished((await rs.reader.call('readings.importPreview', { period: '2026-11', fileName: '抄表机.xlsx', base64 })).jobId);
  if (state.status !== 'succeeded') throw new Error(state.error?.message ?? 'failed');
  return state.result as ReadingImportPreview;
}

const reader = (rs: ReadingStation) => ({ staff: { id: rs.staffId('M001'), staffNo: 'M001', name: '王抄表', roles: ['meter_reader' as const] }, actor: { staffId: rs.staffId('M001'), label: 'M001 王抄表' } });
const stored = (rs: ReadingStation) =>
  rs.station.backend.store.read.all(sql`SELECT m.meter_no, r.value, r.consumption, r.kind FROM readings r JOIN meters m ON m.id = r.meter_id ORDER BY m.meter_no`);

describe('the handheld import commits in slices (抄表机导入, issue 18)', () => {
  it('saves in slices exactly what the one-transaction commit saves, audited once', async () => {
    const { rs } = await station(9);
    const { rs: other } = await station(9);
    const slices: number[] = [];
    const r = reader(rs);
    const result = await commitImport(rs.station.backend, r.staff as never, r.actor, (await preview(rs, file(9))).previewId, false, { sliceSize: 4, onSlice: (n) => void slices.push(n) });
    expect(slices).toEqual([4, 4, 1]);
    const o = reader(other);
    const baseline = await commitImport(other.station.backend, o.staff as never, o.actor, (await preview(other, file(9))).previewId, false, { sliced: false });
    expect(result).toEqual(baseline);
    expect(result).toEqual({ saved: 9, skipped: 0, rolloversConfirmed: 0 });
    expect(stored(rs)).toEqual(stored(other));
    expect(rs.station.backend.store.read.value(sql`SELECT count(*) FROM audit_log WHERE action = 'reading.import'`)).toBe(1);
    expect(rs.station.backend.store.read.value(sql`SELECT count(*) FROM outbox WHERE entity = 'reading'`)).toBe(9);
  });

  it('a reading entered at the keyboard between slices is kept, and that row of the file is skipped', async () => {
    const { rs, points } = await station(9);
    const r = reader(rs);
    let typed = false;
    const result = await commitImport(rs.station.backend, r.staff as never, r.actor, (await preview(rs, file(9))).previewId, false, {
      sliceSize: 4,
      onSlice: async () => {
        if (typed) return;
        typed = true;
        await readAll(rs.reader, '2026-11', [points[6]!], ['777'], '2026-11-24');
      },
    });
    expect(result).toEqual({ saved: 8, skipped: 1, rolloversConfirmed: 0 });
    expect(rs.station.backend.store.read.all(sql`SELECT value, source FROM readings WHERE point_id = ${points[6]!.pointId}`)).toEqual([{ value: 77700, source: 'keyboard' }]);
  });

  it('a stopped commit keeps the readings of its committed slices; the file imported again saves only the rest', async () => {
    const { rs } = await station(9);
    const r = reader(rs);
    await expect(commitImport(rs.station.backend, r.staff as never, r.actor, (await preview(rs, file(9))).previewId, false, { sliceSize: 4, stopAfterSlices: 1 })).rejects.toThrow('stopped (test)');
    expect(stored(rs)).toHaveLength(4);
    const again = await preview(rs, file(9));
    expect(again.errors).toBe(4); // read already in this period
    const result = await commitImport(rs.station.backend, r.staff as never, r.actor, again.previewId, false);
    expect(result).toEqual({ saved: 5, skipped: 0, rolloversConfirmed: 0 });
    expect(stored(rs)).toHaveLength(9);
  });
});
