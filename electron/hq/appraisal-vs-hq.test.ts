import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../backend/audit/record';
import { sql } from '../backend/db/sql';
import { addMeters } from '../backend/readings/fixtures';
import { bookWith, households, makeReadingStation, openPeriod, readAll, type ReadingStation } from '../backend/readings/test-station';
import { exportBatch, installHqKey, writeEnrolment } from '../backend/sync/station';
import { monthTable } from './dashboard';
import { importBatch } from './importer';
import { enrolStation } from './stations';
import { backends, openTestHq, requireRealServerInCi, type TestHq } from './testing';

// Head office's appraisal average (平均考核得分) against a real station's appraisal desk: the
// signed sheets travel in the station's batch (entity 'appraisal'); a score sheet loaded at the
// station (entity 'appraisal_sheet') is not a score; a revision signed later replaces the first
// signature. Head office's average equals the mean of the station's latest signed totals.

requireRealServerInCi();

const KPI100 = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'appraisal', 'kpi-100.json'), 'utf8');
let rs: ReadingStation | undefined;
let t: TestHq | undefined;
afterEach(async () => {
  rs?.station.close();
  rs = undefined;
  await t?.close();
  t = undefined;
});

describe.each(backends())('appraisal scores at head office on %s', (backend) => {
  it('the month\'s average is the signed sheets\' totals, each person once at their latest signature', async () => {
    t = await openTestHq(backend);
    rs = await makeReadingStation();
    const s = rs.station;
    const admin = s.client();
    await admin.call('auth.login', { staffNo: 'A001', password: 'admin1234' });
    s.backend.store.write((tx) => {
      for (const no of ['H001', 'M001', 'M002', 'B001']) tx.run(sql`INSERT INTO appraisal_staff_start (id, staff_id, start_date, set_at) VALUES (${`st-${no}`}, ${rs!.staffId(no)}, '2025-01-01', 0)`);
    });
    const points = addMeters(s.backend, households(4));
    await bookWith(rs, points, 'M001', 5);
    await openPeriod(rs, '2026-11');
    await readAll(rs.reader, '2026-11', points, ['100', '120', '90', '110'], '2026-11-05');
    await admin.call('appraisal.sheets.import', { text: KPI100 });
    await rs.head.call('appraisal.compute', { period: '2026-11' });
    await rs.head.call('appraisal.adjust', { period: '2026-11', staffNo: 'M002', itemId: null, pointsCenti: -350, reason: '11月漏抄一本' });
    for (const no of ['M001', 'M002']) expect(await rs.head.call('appraisal.sign', { period: '2026-11', staffNo: no, versionNo: 1 })).toMatchObject({ signed: true });
    // M001's signed sheet is revised (a bonus after a complaint was withdrawn) and signed again.
    expect(await rs.head.call('appraisal.revise', { period: '2026-11', staffNo: 'M001', reason: '表扬信一封' })).toEqual({ versionNo: 2 });
    await rs.head.call('appraisal.adjust', { period: '2026-11', staffNo: 'M001', itemId: null, pointsCenti: 500, reason: '客户表扬' });
    expect(await rs.head.call('appraisal.sign', { period: '2026-11', staffNo: 'M001', versionNo: 2 })).toMatchObject({ signed: true });

    // The station's own figures: each person's latest signed total (H001 and B001 not signed).
    const latest = await Promise.all(
      ['M001', 'M002'].map(async (no) => (await rs!.head.call('appraisal.get', { period: '2026-11', staffNo: no })).versions.find((v) => v.signature)!.totalCenti),
    );
    expect(latest[0]).not.toBe((await rs.head.call('appraisal.get', { period: '2026-11', staffNo: 'M001' })).versions.at(-1)!.totalCenti);
    expect(s.backend.store.read.value<number>(sql`SELECT count(*) FROM outbox WHERE entity = 'appraisal'`)).toBe(3);
    expect(s.backend.store.read.value<number>(sql`SELECT count(*) FROM outbox WHERE entity = 'appraisal_sheet'`)).toBeGreaterThan(0);

    installHqKey(s.backend, SYSTEM_ACTOR, JSON.stringify({ publicKey: t.hq.publicKeyBase64, hqId: t.hq.hqId }));
    await enrolStation(t.hq, (await writeEnrolment(s.backend, SYSTEM_ACTOR, join(s.dir, 'enrol.gdsync'))).file, 'test');
    const batch = await exportBatch(s.backend, SYSTEM_ACTOR, { outDir: join(s.dir, 'out') });
    expect((await importBatch(t.hq, batch.file, 'cli')).outcome).toBe('applied');

    const stationId = s.backend.requireStation().id;
    const nov = (await monthTable(t.hq, '2026-11')).find((r) => r.stationId === stationId)!;
    expect(nov.appraisalAvg).toBeCloseTo((latest[0]! + latest[1]!) / 2 / 100, 6);
    // Other months have no signed sheets: "not received", not zero.
    expect((await monthTable(t.hq, '2026-10')).find((r) => r.stationId === stationId)!.appraisalAvg).toBeNull();
  }, 180_000);
});
