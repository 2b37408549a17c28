import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGriddesk } from './testing';

// `griddesk day station`: the station head's day across clerks (collection.stationDay), with the
// same permission as the day screen (a clerk is refused), in --lang, and its --json shape checked.

let dir: string;
let db: string;
const cli = (...args: string[]) => runGriddesk(['--db', db, ...args]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-sday-'));
  db = join(dir, 'station.db');
  const demo = await cli('demo', '--customers', '20', '--months', '2', '--json');
  expect(demo.code, demo.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('griddesk day station', () => {
  it('adds every clerk\'s takings of the day and says which days are closed', async () => {
    for (const [clerk, amount] of [['C001', '12.34'], ['C002', '5.00'], ['C001', '0.66']] as const) {
      const paid = await cli('pay', 'QS010000001', '--amount', amount, '--channel', 'cash', '--staff', clerk);
      expect(paid.code, paid.stderr).toBe(0);
    }
    expect((await cli('close-day', '--staff', 'C002', '--counted', '5.00')).code).toBe(0);

    const day = JSON.parse((await cli('day', 'station', '--staff', 'H001', '--json')).stdout) as {
      clerks: { clerk: { staffNo: string }; paymentsFen: number; closing: { status: string } | null }[];
      paymentsFen: number;
      closedCount: number;
      pdf: null;
    };
    const c1 = day.clerks.find((c) => c.clerk.staffNo === 'C001');
    const c2 = day.clerks.find((c) => c.clerk.staffNo === 'C002');
    expect(c1?.paymentsFen).toBeGreaterThanOrEqual(1300);
    expect(c2?.closing?.status).toBe('balanced');
    expect(c1?.closing).toBeNull();
    expect(day.paymentsFen).toBe(day.clerks.reduce((a, c) => a + c.paymentsFen, 0));
    expect(day.closedCount).toBeGreaterThanOrEqual(1);
    expect(day.pdf).toBeNull();

    const en = await cli('day', 'station', '--staff', 'H001', '--lang', 'en');
    expect(en.code, en.stderr).toBe(0);
    expect(en.stdout).toMatch(/C002 .* balanced/i);
    expect(en.stdout).toMatch(/C001 .* not closed/);
    const zh = await cli('day', 'station', '--staff', 'H001');
    expect(zh.stdout).toContain('未日结');
    expect(zh.stdout).toContain('现金相符');
  });

  it('is the station head\'s: a clerk is refused with the way forward', async () => {
    const clerk = await cli('day', 'station', '--staff', 'C001', '--lang', 'en');
    expect(clerk.code).toBe(1);
    expect(clerk.stderr).toContain('collection.approve');
    expect(clerk.stderr).toContain('Next: act as a staff member who has this permission');
  });

  it('names a past day with --date, and refuses a malformed one', async () => {
    const old = JSON.parse((await cli('day', 'station', '--date', '2020-01-02', '--staff', 'H001', '--json')).stdout) as { businessDate: string; clerks: unknown[]; paymentCount: number };
    expect(old).toMatchObject({ businessDate: '2020-01-02', paymentCount: 0 });
    const none = await cli('day', 'station', '--date', '2020-01-02', '--staff', 'H001', '--lang', 'en');
    expect(none.stdout).toContain('Total: 0 payments');
    expect((await cli('day', 'station', '--date', '2020-13-45', '--staff', 'H001')).code).toBe(2);
  });
});
