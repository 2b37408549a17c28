import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../backend/audit/record';
import { Backend } from '../../backend/context';
import { sql } from '../../backend/db/sql';
import { setupStation } from '../../backend/station/setup';
import { insertStaff, prepareStaff } from '../../backend/staff/staff';
import { runGriddesk } from './testing';

// The appraisal commands against a real station database (the PDF needs the built UI and
// Chromium: e2e/appraisal.spec.ts prints through the same route).

const dir = mkdtempSync(join(tmpdir(), 'griddesk-cli-appraisal-'));
const db = join(dir, 'griddesk.db');
const sheets = join(import.meta.dirname, '..', '..', '..', 'docs', 'appraisal');
const period = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

async function cli(...args: string[]) {
  const { code: status, stdout, stderr } = await runGriddesk([...args, '--db', db]);
  return { status, stdout, stderr };
}

beforeAll(async () => {
  const backend = new Backend({ db });
  await setupStation(backend, { stationCode: 'GD01', stationName: '青山供电所', adminNo: 'A001', adminName: '管理员', password: 'admin1234' });
  const base = await prepareStaff({ staffNo: 'X', name: 'X', roles: [], password: 'staff1234', mustChangePassword: false });
  backend.write(SYSTEM_ACTOR, (unit) => {
    insertStaff(unit, { ...base, id: 's-m1', staffNo: 'M001', name: '王抄表', roles: ['meter_reader'] });
    insertStaff(unit, { ...base, id: 's-h1', staffNo: 'H001', name: '李所长', roles: ['station_head'] });
    unit.run(sql`INSERT INTO appraisal_staff_start (id, staff_id, start_date, set_at) VALUES ('a', 's-m1', '2020-01-01', 0), ('b', 's-h1', '2020-01-01', 0)`);
  });
  backend.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('griddesk appraisal commands', () => {
  it('imports sheets (a bad one names item and field, nothing loaded), computes, adjusts, acknowledges, signs, exports', async () => {
    const badFile = join(dir, 'bad.json');
    const bad = JSON.parse(readFileSync(join(sheets, 'kpi-100.json'), 'utf8')) as { areas: { items: { scoring: Record<string, unknown> }[] }[] };
    bad.areas[0]!.items[3]!.scoring.steps = [{ min: 0, score: 20 }, { min: 50, max: 90, score: 5 }];
    (await import('node:fs')).writeFileSync(badFile, JSON.stringify(bad));
    const refused = await cli('appraisal', 'sheets', 'import', badFile);
    expect(refused.status).toBe(1);
    // In the app's language: Chinese by default, English under --lang en (issue 16 item 5).
    expect(refused.stderr).toContain('大项 reading，细项 R4，字段 scoring.steps[1].min：从 50 起的档与第 0 档（0 至 无上限）重叠');
    expect((await cli('appraisal', 'sheets', 'import', badFile, '--lang', 'en')).stderr).toContain('area reading, item R4, scoring.steps[1].min: the step from 50 overlaps step 0');
    expect((await cli('appraisal', 'sheets', 'list', '--lang', 'en')).stdout).toBe('No score sheet loaded.');
    expect((await cli('appraisal', 'sheets', 'list')).stdout).toBe('还没有载入考核方案。');

    expect((await cli('appraisal', 'sheets', 'import', join(sheets, 'kpi-100.json'))).status).toBe(0);
    expect((await cli('appraisal', 'sheets', 'import', join(sheets, 'area-310.json'))).status).toBe(0);
    expect((await cli('appraisal', 'sheets', 'list', '--lang', 'en')).stdout).toMatch(/AREA310\s+from 2025-01\s+310 points\s+8 areas/);

    const computed = await cli('appraisal', 'compute', '--period', period, '--sheet', 'KPI100');
    expect(computed.stdout).toContain('新草稿 2');
    expect((await cli('appraisal', 'adjust', '--of', 'M001', '--period', period, '--points=-2', '--reason', '抄错一户')).status).toBe(0);
    const over = await cli('appraisal', 'adjust', '--of', 'M001', '--period', period, '--points=-9', '--reason', '太多');
    expect(over.status).toBe(1);
    expect(over.stderr).toContain('-10 至 +10');
    // Only the staff member answers for themselves.
    expect((await cli('appraisal', 'acknowledge', '--period', period)).status).toBe(1);
    expect((await cli('appraisal', 'acknowledge', '--period', period, '--staff', 'M001')).status).toBe(0);
    // A reader sees only their own sheet.
    const peek = await cli('appraisal', 'show', '--of', 'H001', '--period', period, '--staff', 'M001');
    expect(peek.status).toBe(1);
    expect(peek.stderr).toContain('只能查看本人的考核表');

    const shown = JSON.parse((await cli('appraisal', 'show', '--staff', 'M001', '--period', period, '--json')).stdout) as { status: string; versions: { entries: { reason: string }[]; items: { itemId: string; scoreCenti: number | null }[] }[] };
    expect(shown.status).toBe('acknowledged');
    expect(shown.versions[0]?.entries.map((e) => e.reason)).toEqual(['抄错一户']);
    // No readings: not measured; no valid complaint (customer service): the complaints item keeps its points.
    expect(shown.versions[0]?.items.filter((i) => i.scoreCenti !== null).map((i) => i.itemId)).toEqual(['S1']);

    expect((await cli('appraisal', 'sign', '--of', 'M001', '--period', period, '--staff', 'H001')).stdout).toContain('已签署 M001 ' + period + ' 第 1 版');
    const again = await cli('appraisal', 'sign', '--of', 'M001', '--period', period, '--version', '1');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('不能重复签字');
    expect((await cli('appraisal', 'list', '--staff', 'M001', '--lang', 'en')).stdout).toContain('Signed');

    const out = join(dir, 'month.xlsx');
    expect((await cli('appraisal', 'export', '--period', period, '--out', out)).status).toBe(0);
    expect(readFileSync(out).subarray(0, 2).toString()).toBe('PK');
  });
});
