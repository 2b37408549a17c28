import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../backend/context';
import { sql } from '../../backend/db/sql';
import { StationFixture } from '../../backend/billing/testing/fixture';
import { SAMPLE_TARIFFS } from '../../backend/billing/testing/station';
import { runGriddesk } from './testing';


let dir: string;
let db: string;

const griddesk = (...args: string[]) => runGriddesk([...args, '--db', db]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-cli-billing-'));
  db = join(dir, 'griddesk.db');
  expect((await griddesk('init', '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234')).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('griddesk tariffs and bills', () => {
  it('refuses a bad tariff file with every problem on its own line, loading nothing', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ tariffs: [{ code: 'RES-X', name: 'x', class: 'residential', effectiveFrom: '2026-01-01', energy: { flat: '0.123456789' } }, { code: 'AGR' }] }));
    const result = await griddesk('tariffs', 'import', bad);
    expect(result.code).toBe(1);
    // Chinese by default: every problem names the tariff and the field, in Chinese (the JSON field names stay as written in the file).
    expect(result.stderr).toContain('  第 1 个电价 RES-X（2026-01-01 起执行），字段 energy.flat：“0.123456789”有 9 位小数，电价最多 8 位小数\n');
    expect(result.stderr).toContain('  第 2 个电价 AGR，字段 name：缺少此项\n');
    expect(result.stderr).toContain('  第 2 个电价 AGR，字段 class：缺少此项（可填 "residential", "commercial", "large_industry", "agricultural"）\n');
    expect(result.stderr).toContain('未载入任何内容');
    expect(result.stderr).not.toMatch(/\b(is missing|decimal places|must)\b/);
    // English when asked for.
    const english = await griddesk('tariffs', 'import', bad, '--lang', 'en');
    expect(english.code).toBe(1);
    expect(english.stderr).toContain('  Tariff #1 RES-X effective 2026-01-01, energy.flat: "0.123456789" has 9 decimal places; a price may have at most 8\n');
    expect(english.stderr).toContain('  Tariff #2 AGR, name: is missing\n');
    expect(english.stderr).not.toMatch(/\p{Script=Han}/u);
    expect(JSON.parse((await griddesk('tariffs', 'list', '--json')).stdout).tariffs).toEqual([]);
  });

  it('loads the sample catalogue, then bills, issues, lists and shows a period', async () => {
    const load = await griddesk('tariffs', 'import', SAMPLE_TARIFFS, '--lang', 'en');
    expect(load.code).toBe(0);
    expect(load.stdout).toContain('Loaded 7 tariff version(s) and 1 policy version(s); 0 already loaded.');
    expect((await griddesk('tariffs', 'import', SAMPLE_TARIFFS, '--lang', 'en')).stdout).toContain('Loaded 0 tariff version(s) and 0 policy version(s); 7 already loaded.');
    const list = JSON.parse((await griddesk('tariffs', 'list', '--json')).stdout) as { tariffs: { code: string; inForce: boolean }[] };
    expect(list.tariffs.find((t) => t.code === 'RES-GD')?.inForce).toBe(true);

    const backend = new Backend({ db });
    const fixture = new StationFixture(backend, backend.store.read.value<string>(sql`SELECT id FROM staff`) ?? '');
    const book = fixture.book('B01', '东村一本');
    const a = fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    const b = fixture.customer({ name: '粮站', customerClass: 'agricultural', tariffCode: 'AGR', bookId: book, seq: 2 });
    fixture.openPeriod('2026-10');
    fixture.read('2026-10', a.pointId, { kwh: 30000 });
    fixture.read('2026-10', b.pointId, { kwh: 100000 });
    backend.close();

    expect((await griddesk('bill', '--period', '2026-13', '--lang', 'en')).stderr).toContain('--period 2026-13: a period is YYYY-MM');
    expect((await griddesk('bill', '--period', '2026-10', '--book', 'B99', '--lang', 'en')).stderr).toContain('--book B99: no such reading book');
    const run = await griddesk('bill', '--period', '2026-10', '--book', 'B01', '--lang', 'en');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2026-10 book B01: billed 2 customer(s), 1300 kWh, ¥666.26');
    const again = JSON.parse((await griddesk('bill', '--period', '2026-10', '--json')).stdout) as { billed: number; alreadyBilled: number };
    expect(again).toMatchObject({ billed: 0, alreadyBilled: 2 });
    expect((await griddesk('bills', 'issue', '--period', '2026-10', '--lang', 'en')).stdout).toMatch(/issued 2 bill\(s\), ¥666\.26, due \d{4}-\d{2}-\d{2}; 0 flagged/);

    const bills = JSON.parse((await griddesk('bills', 'list', '--period', '2026-10', '--json')).stdout) as ReturnType<typeof JSON.parse>[];
    expect(bills.map((x: { account: string; kwh: string; amountFen: number; amountYuan: string; status: string }) => [x.account, x.kwh, x.amountFen, x.amountYuan, x.status])).toEqual([
      [a.accountNo, '300', 18166, '181.66', 'issued'],
      [b.accountNo, '1000', 48460, '484.60', 'issued'],
    ]);
    expect(bills[0].lines).toEqual([
      expect.objectContaining({ item: '第1档', tier: 1, quantity: '260', unitPrice: '0.59886875', amountFen: 15571, amountYuan: '155.71' }),
      expect.objectContaining({ item: '第2档', tier: 2, quantity: '40', unitPrice: '0.64886875', amountFen: 2595, amountYuan: '25.95' }),
    ]);
    const shown = await griddesk('bills', 'show', bills[0].billNo);
    expect(shown.stdout).toContain('第2档  40 kWh × 0.64886875 = ¥25.95');
    expect(shown.stdout).toContain('本期电费 ¥181.66');
    expect((await griddesk('bills', 'show', 'GD01-B-NOPE')).code).toBe(1);
    expect((await griddesk('bills', 'notice', '--out', join(dir, 'x.pdf'))).code).toBe(2);
    const check = JSON.parse((await griddesk('check', '--json')).stdout) as { ok: boolean; checks: string[] };
    expect(check).toMatchObject({ ok: true });
    expect(check.checks).toContain('bill totals');
  });
});
