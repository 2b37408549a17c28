import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { formatYuan } from '../shared/money';
import { SYSTEM_ACTOR } from '../electron/backend/audit/record';
import { runBilling } from '../electron/backend/billing/run';
import { StationFixture } from '../electron/backend/billing/testing/fixture';
import { Backend } from '../electron/backend/context';
import { sql } from '../electron/backend/db/sql';
import { insertStaff, prepareStaff } from '../electron/backend/staff/staff';
import { ADMIN, expect, login, openMenu, test, type Station } from './fixtures';

// Nothing waits (issue 18): a whole station's billing run starts in one tab; in a second tab the
// counter clerk finds a customer and takes a payment while the run's bar is still moving. The
// receipt appears at once, and the run completes with the same totals as the same run made alone.

test.describe.configure({ timeout: 300_000 });

const SAMPLE_TARIFFS = join(import.meta.dirname, '..', 'docs', 'tariffs', 'sample-catalogue.json');
const CUSTOMERS = 20_000;
const PERIOD = '2026-10';

/** Staff, 20,000 residents in 60 books (enough that the run lasts seconds on a quiet machine too) with October read, and a copy of the station as it is before the run. */
async function seed(station: Station): Promise<{ accountNo: string; alone: string }> {
  const imported = station.cli(['tariffs', 'import', SAMPLE_TARIFFS]);
  if (imported.status !== 0) throw new Error(`tariffs import failed: ${imported.stderr}`);
  const backend = new Backend({ db: station.db, backupsDir: join(station.dir, 'seed-backups') });
  try {
    for (const s of [
      { staffNo: 'B001', name: '钱核算', roles: ['billing_clerk' as const], password: 'billing123' },
      { staffNo: 'C001', name: '王芳', roles: ['clerk' as const], password: 'clerk1234' },
    ]) {
      const prepared = await prepareStaff({ ...s, mustChangePassword: false });
      backend.write(SYSTEM_ACTOR, (unit) => insertStaff(unit, prepared));
    }
    const adminId = backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${ADMIN.staffNo}`) ?? '';
    const fixture = new StationFixture(backend, adminId);
    const books = Array.from({ length: 60 }, (_, b) => fixture.book(`B${String(b + 1).padStart(2, '0')}`, `第${b + 1}本`));
    const customers = fixture.customers(
      Array.from({ length: CUSTOMERS }, (_, i) => ({ name: `住户${i + 1}`, customerClass: 'residential' as const, tariffCode: 'RES-GD', bookId: books[i % 60]!, seq: Math.floor(i / 60) + 1 })),
    );
    fixture.openPeriod(PERIOD);
    backend.store.write((tx) => customers.forEach((c, i) => fixture.read(PERIOD, c.pointId, { kwh: (80 + (i % 300)) * 100 }, tx)));
    const alone = join(station.dir, 'alone.db');
    rmSync(alone, { force: true });
    backend.store.db.exec(`VACUUM INTO '${alone}'`);
    return { accountNo: customers[4321]!.accountNo, alone };
  } finally {
    backend.close();
  }
}

test('a payment at the counter goes through while a whole station’s billing run is still running in another tab', async ({ page, station, browser }) => {
  const { accountNo, alone } = await seed(station);

  // Tab 1: the billing clerk on the billing desk, the whole station chosen.
  await login(page, station, 'B001', 'billing123');
  await openMenu(page, '电费核算');
  await page.getByLabel('账期', { exact: true }).fill(PERIOD);
  await page.getByLabel('抄表本', { exact: true }).selectOption({ label: '全所' });

  // Tab 2: the counter clerk, at the counter.
  const counter = await (await browser.newContext()).newPage();
  await login(counter, station, 'C001', 'clerk1234');
  await openMenu(counter, '柜台收费');

  await page.getByRole('button', { name: '开始核算' }).click();
  const bar = page.locator('.job');
  await expect(bar).toHaveAttribute('data-status', 'running');

  // The clerk finds the customer by account number and takes 50 yuan by QR code.
  const search = counter.getByRole('combobox', { name: '查找客户' });
  await search.fill(accountNo);
  await expect(counter.getByRole('listbox', { name: '查询结果' }).getByRole('option').first()).toContainText(accountNo);
  await search.press('Enter');
  await expect(counter.getByRole('region', { name: '应缴明细' }).getByRole('heading')).toContainText(accountNo);
  await counter.getByLabel('收款方式').selectOption({ label: '扫码（微信/支付宝）' });
  await counter.getByLabel('本次缴费').fill('50');
  await counter.getByRole('button', { name: '入账' }).click();
  await expect(counter.getByRole('status', { name: '已入账' })).toContainText('已入账：收据 GD01-R-00000001，¥50.00');
  // The receipt came while the run was still going.
  await expect(bar).toHaveAttribute('data-status', 'running', { timeout: 1 });

  // The run completes with the totals of the same run made alone on a copy of the station.
  await expect(bar).toHaveAttribute('data-status', 'succeeded', { timeout: 240_000 });
  const copy = new Backend({ db: alone, backupsDir: join(station.dir, 'alone-backups') });
  let expected: { billed: number; totalFen: number };
  try {
    expected = await runBilling(copy, SYSTEM_ACTOR, { period: PERIOD });
  } finally {
    copy.close();
  }
  expect(expected.billed).toBe(CUSTOMERS);
  await expect(page.getByText(`本次核算 ${CUSTOMERS} 户，电费 ${formatYuan(expected.totalFen)}`)).toBeVisible();
  const reader = new Backend({ db: station.db, backupsDir: join(station.dir, 'seed-backups') });
  try {
    expect(reader.store.read.get(sql`SELECT bills, total_fen AS totalFen FROM billing_runs WHERE period = ${PERIOD}`)).toEqual({ bills: CUSTOMERS, totalFen: expected.totalFen });
    expect(reader.store.read.value(sql`SELECT count(*) FROM payments`)).toBe(1);
  } finally {
    reader.close();
  }
});
