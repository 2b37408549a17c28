import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../audit/record';
import { sql } from '../db/sql';
import { addMeters } from '../readings/fixtures';
import { bookWith, households, makeReadingStation, moreStaff, openPeriod, readAll, type ReadingStation } from '../readings/test-station';
import type { TestClient } from '../testing';
import { appraisedStaff, computeMonth, sign } from './appraisals';
import { computeKpis } from './kpis';
import { loadScoreSheet } from './sheets';

// The appraisal desk against a real station: sheets loaded by the administrator, the month
// computed from readings, the head's points, the reader's answer, the signature, a revision.
// The test clock stands at 2026-11-26 10:00 (Shanghai).

const docs = join(import.meta.dirname, '..', '..', '..', 'docs', 'appraisal');
const KPI100 = readFileSync(join(docs, 'kpi-100.json'), 'utf8');
const AREA310 = readFileSync(join(docs, 'area-310.json'), 'utf8');

let rs: ReadingStation;
afterEach(() => rs?.station.close());

async function station(): Promise<{ admin: TestClient; head2: TestClient; clerkReader: TestClient; pointIds: string[] }> {
  rs = await makeReadingStation();
  const admin = rs.station.client();
  await admin.call('auth.login', { staffNo: 'A001', password: 'admin1234' });
  const head2 = await moreStaff(rs, 'H002', ['station_head'], '孙副所长');
  const clerkReader = await moreStaff(rs, 'C001', ['clerk', 'meter_reader'], '周两岗');
  // Everyone started long ago, so the mid-month rule leaves them in.
  rs.station.backend.store.write((tx) => {
    for (const no of ['H001', 'H002', 'M001', 'M002', 'B001', 'C001']) {
      tx.run(sql`INSERT INTO appraisal_staff_start (id, staff_id, start_date, set_at) VALUES (${`st-${no}`}, ${rs.staffId(no)}, '2025-01-01', 0)`);
    }
  });
  const points = addMeters(rs.station.backend, households(4));
  await bookWith(rs, points, 'M001', 5);
  await openPeriod(rs, '2026-11');
  // M001 reads all four on the 5th; one figure is wrong and the head corrects it.
  const saved = await readAll(rs.reader, '2026-11', points, ['100', '120', '90', '110'], '2026-11-05');
  const first = saved[1];
  if (first?.outcome !== 'saved') throw new Error('reading not saved');
  await rs.head.call('readings.save', { period: '2026-11', pointId: points[1]!.pointId, value: '102', readingDate: '2026-11-05', reason: '复核：多抄一位', supersedes: first.reading.id });
  return { admin, head2, clerkReader, pointIds: points.map((p) => p.pointId) };
}

describe('score sheets (考核方案)', () => {
  it('the administrator loads the shipped sheets; the head may not; a bad file loads nothing and names item and field', async () => {
    const { admin } = await station();
    expect((await rs.head.fail('appraisal.sheets.import', { text: KPI100 })).code).toBe('forbidden');
    const bad = JSON.parse(KPI100) as { areas: { items: { points: number }[] }[] };
    bad.areas[0]!.items[0]!.points = 25;
    const refused = await admin.fail('appraisal.sheets.import', { text: JSON.stringify([JSON.parse(AREA310), bad]) });
    expect(refused.message).toBe('考核方案文件有 1 处问题，未导入任何内容：考核方案 KPI100（2025-01），字段 fullScore：适用于抄表员的细项合计 95 分，而不是 100 分');
    const english = rs.station.client('en');
    await english.call('auth.login', { staffNo: 'A001', password: 'admin1234' });
    expect((await english.call('appraisal.sheets.check', { text: JSON.stringify(bad) })).problems).toEqual(['sheet KPI100 2025-01, fullScore: the items for the role Meter reader add up to 95 points, not 100']);
    expect(rs.station.backend.store.read.value(sql`SELECT count(*) FROM appraisal_sheets`)).toBe(0);

    expect(await admin.call('appraisal.sheets.import', { text: KPI100, fileName: 'kpi-100.json' })).toMatchObject({ loaded: 1, unchanged: 0 });
    expect(await admin.call('appraisal.sheets.import', { text: AREA310 })).toMatchObject({ loaded: 1 });
    expect(await admin.call('appraisal.sheets.import', { text: KPI100 })).toMatchObject({ loaded: 0, unchanged: 1 });
    // The same version with other content is a conflict: a loaded version never changes.
    const edited = JSON.parse(KPI100) as { name: string };
    edited.name = '改过的';
    expect((await admin.fail('appraisal.sheets.import', { text: JSON.stringify(edited) })).message).toMatch(/已载入，且内容不同/);
    const list = await rs.head.call('appraisal.sheets.list', {});
    expect(list.rows.map((r) => [r.code, r.fullScore, r.inForce])).toEqual([['AREA310', 310, true], ['KPI100', 100, true]]);
    expect(rs.station.backend.store.read.value(sql`SELECT count(*) FROM outbox WHERE entity = 'appraisal_sheet'`)).toBe(2);
  });

  it('the loader head office\'s reference-data pack will call takes parsed JSON inside its own write', async () => {
    await station();
    const result = rs.station.backend.write(SYSTEM_ACTOR, (unit) => loadScoreSheet(unit, JSON.parse(AREA310), 'reference pack'));
    expect(result).toMatchObject({ loaded: 1, sheets: [{ code: 'AREA310', effectiveFrom: '2025-01', status: 'new' }] });
  });
});

describe('the month\'s appraisal (月度绩效考核)', () => {
  it('computes from the data, takes the head\'s −2 with a reason, the reader acknowledges, the head signs; signed is a fact', async () => {
    const { admin, head2 } = await station();
    await admin.call('appraisal.sheets.import', { text: KPI100 });
    expect((await rs.reader.fail('appraisal.compute', { period: '2026-11' })).code).toBe('forbidden');
    const computed = await rs.head.call('appraisal.compute', { period: '2026-11', sheetCode: 'KPI100' });
    expect(computed).toMatchObject({ drafted: 6, recomputed: 0, sheet: { code: 'KPI100' } });

    const sheet = await rs.reader.call('appraisal.get', { period: '2026-11', staffNo: 'M001' });
    const items = Object.fromEntries(sheet.versions[0]!.items.map((i) => [i.itemId, i]));
    expect(items.R1?.data).toMatchObject({ value: 100, numerator: 4, denominator: 4 });
    expect(items.R2?.data).toMatchObject({ value: 25, numerator: 1, denominator: 4 }); // 1 of 4 readings corrected
    expect(items.R2?.scoreCenti).toBe(0);
    expect(items.R3?.data).toMatchObject({ value: 100, numerator: 1, denominator: 1 }); // the book, read by the 8th
    expect(items.R4?.data?.value).toBeNull(); // no bills this month: not measured, not 0
    // No valid complaint this month (customer service measures it): the full 10 points.
    expect(items.S1?.data).toMatchObject({ code: 'service.complaints', value: 0 });
    expect(items.S1?.scoreCenti).toBe(1000);
    // 30 + 0 + 20 + 10 of 80 measured points → 75.00 of 100
    expect(sheet.versions[0]!.totalCenti).toBe(7500);

    // The rows behind the error rate: the corrected reading, its figures and who corrected it.
    const drill = await rs.reader.call('appraisal.drill', { period: '2026-11', staffNo: 'M001', kpi: 'reading.errorRate' });
    expect(drill.rows).toEqual([['GD01D000002', '住户D2', 'D-0002', '2026-11-05', 120, 102, '复核：多抄一位', '李所长', expect.any(Number)]]);

    // The head's points: within bounds, with a reason; a computed item takes none.
    expect((await rs.head.fail('appraisal.adjust', { period: '2026-11', staffNo: 'M001', itemId: null, pointsCenti: -200, reason: '  ' })).message).toBe('请写明原因');
    expect((await rs.head.fail('appraisal.adjust', { period: '2026-11', staffNo: 'M001', itemId: 'R1', pointsCenti: -200, reason: 'x' })).message).toContain('R1 实抄率 由数据计算');
    expect((await rs.head.fail('appraisal.adjust', { period: '2026-11', staffNo: 'M001', itemId: null, pointsCenti: -1100, reason: '太多' })).message).toContain('-10 至 +10');
    await rs.head.call('appraisal.adjust', { period: '2026-11', staffNo: 'M001', itemId: null, pointsCenti: -200, reason: '11月抄错一户，客户投诉' });
    expect((await rs.reader.fail('appraisal.adjust', { period: '2026-11', staffNo: 'M001', itemId: null, pointsCenti: 200, reason: '自己加分' })).code).toBe('forbidden');

    // Staff see only their own sheet, whatever they ask for.
    expect((await rs.otherReader.fail('appraisal.get', { period: '2026-11', staffNo: 'M001' })).code).toBe('forbidden');
    expect((await rs.otherReader.fail('appraisal.drill', { period: '2026-11', staffNo: 'M001', kpi: 'reading.errorRate' })).code).toBe('forbidden');
    expect((await rs.otherReader.fail('appraisal.trend', { staffNo: 'M001', to: '2026-11' })).code).toBe('forbidden');
    expect((await rs.otherReader.fail('appraisal.summary', { period: '2026-11' })).code).toBe('forbidden');
    expect((await rs.otherReader.call('appraisal.list', {})).rows.map((r) => r.period)).toEqual(['2026-11']);

    await rs.reader.call('appraisal.respond', { period: '2026-11', kind: 'acknowledge', note: '' });
    const before = await rs.head.call('appraisal.get', { period: '2026-11', staffNo: 'M001' });
    expect(before.status).toBe('acknowledged');
    expect(before.versions[0]!.totalCenti).toBe(7300);

    const signed = await rs.head.call('appraisal.sign', { period: '2026-11', staffNo: 'M001', versionNo: 1 });
    expect(signed).toEqual({ signed: true, versionNo: 1, changes: [] });
    // A second head signing the signed sheet is refused, naming who signed.
    const twice = await head2.fail('appraisal.sign', { period: '2026-11', staffNo: 'M001', versionNo: 1 });
    expect(twice.code).toBe('conflict');
    expect(twice.message).toContain('已由 H001 李所长');
    // Signed: no more points, no more answers; the outbox carries the sheet to head office.
    expect((await rs.head.fail('appraisal.adjust', { period: '2026-11', staffNo: 'M001', itemId: null, pointsCenti: 100, reason: '补加' })).code).toBe('conflict');
    expect((await rs.reader.fail('appraisal.respond', { period: '2026-11', kind: 'dispute', note: '不对' })).code).toBe('conflict');
    const out = JSON.parse(rs.station.backend.store.read.value<string>(sql`SELECT payload FROM outbox WHERE entity = 'appraisal'`) ?? '{}') as { staffNo: string; totalCenti: number; entries: { reason: string }[] };
    expect(out).toMatchObject({ staffNo: 'M001', totalCenti: 7300, entries: [{ reason: '11月抄错一户，客户投诉' }] });
    expect(() => rs.station.backend.store.write((tx) => tx.run(sql`UPDATE appraisal_signatures SET total_centi = 10000`))).toThrow(/fact/);

    // A later change is a new version with its reason; both are kept and shown.
    expect((await rs.head.fail('appraisal.revise', { period: '2026-11', staffNo: 'M001', reason: '' })).message).toBe('请写明原因');
    expect(await rs.head.call('appraisal.revise', { period: '2026-11', staffNo: 'M001', reason: '投诉经核实不属实，撤销扣分' })).toEqual({ versionNo: 2 });
    const revised = await rs.head.call('appraisal.get', { period: '2026-11', staffNo: 'M001' });
    expect(revised.versions.map((v) => [v.versionNo, v.kind, v.signature?.by ?? null])).toEqual([[2, 'revision', null], [1, 'draft', 'H001 李所长']]);
    expect(revised.versions[0]!.reason).toBe('投诉经核实不属实，撤销扣分');
    expect(revised.versions[0]!.entries).toHaveLength(1); // carried over, the head may offset it
    expect(revised.status).toBe('draft');
  });

  it('signing after the data changed shows what changed and recomputes first', async () => {
    const { admin, pointIds } = await station();
    await admin.call('appraisal.sheets.import', { text: KPI100 });
    await rs.head.call('appraisal.compute', { period: '2026-11' });
    // Another of M001's readings is corrected after the draft was computed.
    const reading = rs.station.backend.store.read.value<string>(sql`SELECT id FROM readings WHERE point_id = ${pointIds[2]!} AND supersedes IS NULL`)!;
    await rs.head.call('readings.save', { period: '2026-11', pointId: pointIds[2]!, value: '91', readingDate: '2026-11-05', reason: '复核', supersedes: reading });
    const first = await rs.head.call('appraisal.sign', { period: '2026-11', staffNo: 'M001', versionNo: 1 });
    expect(first.signed).toBe(false);
    expect(first.versionNo).toBe(2);
    expect(first.changes.map((c) => [c.code, c.before.numerator, c.after.numerator])).toEqual([['reading.errorRate', 1, 2], ['reading.errorCount', null, null]]);
    // Signing the old version now is refused; the new one signs.
    expect((await rs.head.fail('appraisal.sign', { period: '2026-11', staffNo: 'M001', versionNo: 1 })).code).toBe('conflict');
    expect(await rs.head.call('appraisal.sign', { period: '2026-11', staffNo: 'M001', versionNo: 2 })).toMatchObject({ signed: true });
  });

  it('takes the figures read beforehand (the demo builder reads them outside its write): the same drafts, and a signature checks against them', async () => {
    const { admin } = await station();
    await admin.call('appraisal.sheets.import', { text: KPI100 });
    const backend = rs.station.backend;
    const head = { staffId: rs.staffId('H001'), label: 'H001' };
    const staff = appraisedStaff(backend.store.read).map((s) => s.id);
    const kpis = computeKpis(backend.store.read, '2026-11', staff, '2026-11-26');
    const result = backend.write(head, (unit) => computeMonth(unit, '2026-11', 'KPI100', '2026-11-26', kpis));
    expect(result).toMatchObject({ drafted: staff.length, recomputed: 0 });
    // Computed in the transaction instead, the figures are the same: nothing to recompute.
    expect(backend.write(head, (unit) => computeMonth(unit, '2026-11', 'KPI100', '2026-11-26'))).toMatchObject({ drafted: 0, recomputed: 0, unchanged: staff.length });
    const m001 = rs.staffId('M001');
    expect(backend.write(head, (unit) => sign(unit, { period: '2026-11', staffId: m001, versionNo: 1 }, '2026-11-26', kpis.get(m001)))).toEqual({ signed: true, versionNo: 1 });
    // Figures that differ from the version's are a change: a new version, not a signature.
    const b001 = rs.staffId('B001');
    const other = new Map(kpis.get(m001));
    expect(backend.write(head, (unit) => sign(unit, { period: '2026-11', staffId: b001, versionNo: 1 }, '2026-11-26', other))).toMatchObject({ signed: false, versionNo: 2 });
  });

  it('no readings = not measured; two roles take the items of both; a dispute needs a note; the summary ranks and pays to the fen', async () => {
    const { admin, clerkReader } = await station();
    await admin.call('appraisal.sheets.import', { text: KPI100 });
    await rs.head.call('appraisal.compute', { period: '2026-11' });
    const m2 = await rs.otherReader.call('appraisal.get', { period: '2026-11', staffNo: 'M002' });
    expect(m2.versions[0]!.items.filter((i) => i.kpi?.startsWith('reading.')).map((i) => [i.itemId, i.data?.value ?? null, i.scoreCenti])).toEqual([['R1', null, null], ['R2', null, null], ['R3', null, null]]);
    const both = await clerkReader.call('appraisal.get', { period: '2026-11', staffNo: 'C001' });
    expect(both.versions[0]!.items.map((i) => i.itemId)).toEqual(['R1', 'R2', 'R3', 'R4', 'C1', 'C2', 'C3', 'C4', 'S1']);
    expect((await clerkReader.fail('appraisal.respond', { period: '2026-11', kind: 'dispute', note: ' ' })).message).toBe('提出异议请写明意见');
    await clerkReader.call('appraisal.respond', { period: '2026-11', kind: 'dispute', note: '收费笔数少算了' });
    const summary = await rs.head.call('appraisal.summary', { period: '2026-11' });
    expect(summary.rows.map((r) => r.staffNo).sort()).toEqual(['B001', 'C001', 'H001', 'H002', 'M001', 'M002']);
    expect(summary.rows.find((r) => r.staffNo === 'C001')?.status).toBe('disputed');
    expect(summary.rows.reduce((s, r) => s + r.payFen, 0)).toBe(1200000); // the pool, to the fen
    expect(summary.rows[0]!.rank).toBe(1);
    const xlsx = await rs.head.call('appraisal.export', { period: '2026-11' });
    expect(xlsx.fileName).toBe('绩效考核-2026-11.xlsx');
    expect(Buffer.from(xlsx.base64, 'base64').subarray(0, 2).toString()).toBe('PK');
  });

  it('joined after the 16th: not appraised that month, appraised the next', async () => {
    const { admin } = await station();
    await admin.call('appraisal.sheets.import', { text: KPI100 });
    await rs.head.call('appraisal.setStartDate', { staffNo: 'M002', date: '2026-11-20' });
    const computed = await rs.head.call('appraisal.compute', { period: '2026-11' });
    expect(computed.notAppraised).toEqual([{ staffNo: 'M002', name: '赵抄表', startDate: '2026-11-20' }]);
    expect(computed.drafted).toBe(5);
    expect((await rs.head.fail('appraisal.compute', { period: '2026-12' })).message).toBe('2026-12 还没有到，不能考核');
  });
});
