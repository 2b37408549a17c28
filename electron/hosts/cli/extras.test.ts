import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../backend/context';
import { sql } from '../../backend/db/sql';
import { StationFixture } from '../../backend/billing/testing/fixture';
import { SAMPLE_TARIFFS } from '../../backend/billing/testing/station';
import { runGriddesk } from './testing';

// A large customer's reactive energy entered with `billing extras`, billed, and `bills show`
// printing the power-factor line with the factor, the standard and the percentage (issue 21).

let dir: string;
let db: string;
const griddesk = (...args: string[]) => runGriddesk([...args, '--db', db]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-cli-extras-'));
  db = join(dir, 'griddesk.db');
  expect((await griddesk('init', '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234')).code).toBe(0);
  expect((await griddesk('tariffs', 'import', SAMPLE_TARIFFS)).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('griddesk billing extras and the power factor', () => {
  it('enters kvarh, bills with the power-factor credit, and shows the factor and percentage', async () => {
    const backend = new Backend({ db });
    const fixture = new StationFixture(backend, backend.store.read.value<string>(sql`SELECT id FROM staff`) ?? '');
    const book = fixture.book('B01', '东村一本');
    const factory = fixture.customer({ name: '青山水泥厂', customerClass: 'large_industry', tariffCode: 'LI-10KV', bookId: book, seq: 1, capacityKva: 400, tou: true, multiplier: 100 });
    fixture.openPeriod('2026-09');
    fixture.read('2026-09', factory.pointId, { kwh: 5_000_000, tou: { peak: 1_500_000, valley: 2_000_000 } });
    backend.close();

    expect((await griddesk('billing', 'extras', factory.accountNo, '--period', '2026-09')).code).toBe(2);
    const bad = await griddesk('billing', 'extras', factory.accountNo, '--period', '2026-09', '--kvarh', '12,000', '--lang', 'en');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('kvarh');
    expect((await griddesk('billing', 'extras', factory.accountNo, '--period', '2026-09', '--kvarh', '12000')).code).toBe(0);

    const run = await griddesk('bill', '--period', '2026-09', '--lang', 'en');
    expect(run.stdout).toContain('billed 1 customer(s)');
    expect(run.stdout).toMatch(/to review: \S+ \S+ 青山水泥厂 negative_line/);
    const [bill] = JSON.parse((await griddesk('bills', 'list', '--period', '2026-09', '--json')).stdout) as { billNo: string }[];
    const detail = JSON.parse((await griddesk('bills', 'show', bill!.billNo, '--json')).stdout) as { details: { powerFactor: { value: string; standard: string; percent: string } } };
    const pf = detail.details.powerFactor;
    expect(pf.value).toBe('0.97');
    const shown = await griddesk('bills', 'show', bill!.billNo, '--lang', 'en');
    expect(shown.stdout).toContain(`power factor ${pf.value} (standard ${pf.standard}), adjustment ${pf.percent}%`);
    expect(shown.stdout).toContain('12000 kvarh / 50000 kWh');
  });
});
