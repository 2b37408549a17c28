import type { Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { api, expect, login, openMenu, test, type Station } from './fixtures';
import { addMeters, addStaff, book, households, openPeriod, PERIOD, SYSTEM_ACTOR, withStation } from './readings-seed';

// Issue 16 ("front line"): what the office found at the counter and the reading grid that
// would put money or readings in the wrong place.

const PASSWORD = 'reading123';

function listReadings(station: Station, bookNo: string) {
  const out = station.cli(['readings', 'list', '--period', PERIOD, '--book', bookNo, '--json']);
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout).rows as { seq: number; meterNo: string; current: string | null; status: string }[];
}

const gridRow = (page: Page, seq: number) => page.getByRole('table', { name: '抄表录入' }).locator(`tr[data-row="${seq - 1}"]`);

test('20 readings keyed blind from a paper list at 80 ms a key, one refused: each saved reading is on its own meter', async ({ page, station }) => {
  test.setTimeout(120_000);
  const bookNo = await withStation(station.db, async (backend) => {
    await addStaff(backend, [{ staffNo: 'M001', name: '王抄表', roles: ['meter_reader'], password: PASSWORD }]);
    // Meter 9 stands at 50000: a figure of 40000 is neither a reading nor a plausible rollover.
    // Meters 1–8 start at 0.5: 起码 and 电量 must show two decimals (0.50, not 0.5; item 15).
    const points = addMeters(backend, [...households(8, 'P', { startReading: '0.5' }), ...households(1, 'Q', { startReading: '50000' }), ...households(11, 'R')]);
    const b = book(backend, points, 'M001', '纸单本');
    await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
    return b.bookNo;
  });
  await login(page, station, 'M001', PASSWORD);
  await openMenu(page, '抄表录入');
  await page.getByRole('link', { name: `录入 ${bookNo}` }).click();
  await expect(page.getByLabel('第 1 行止码')).toBeFocused();

  // The paper list: a distinct figure per meter, so a figure on the wrong meter shows.
  const paper = Array.from({ length: 20 }, (_, i) => (i === 8 ? '40000' : String(1000 + (i + 1) * 7)));
  // One stream of keys, 80 ms apart, Enter after each figure, never looking at the screen.
  await page.keyboard.type(`${paper.join('\n')}\n`, { delay: 80 });

  await expect(page.getByText('已录 19 / 应抄 20').first()).toBeVisible();
  // The refusal is marked on its row, counted, and holds exactly what was typed for it.
  await expect(gridRow(page, 9)).toHaveAttribute('data-attention', 'refused');
  await expect(gridRow(page, 9).getByRole('alert')).toContainText('止码 40000 小于起码 50000');
  await expect(page.getByLabel('第 9 行止码')).toHaveValue('40000');
  await expect(page.getByText('待处理 1 行')).toBeVisible();
  // Decimals are consistent: a fraction always shows two places.
  await expect(gridRow(page, 1).locator('td').nth(5)).toHaveText('0.50');
  await expect(gridRow(page, 1).locator('td').nth(7)).toHaveText('1006.50');
  await expect(gridRow(page, 10).locator('td').nth(7)).toHaveText('1070');
  // The cursor stayed with the reader: after the 20th figure it is on the last row.
  await expect(page.getByLabel('第 20 行止码')).toBeFocused();

  // Checked in the station's book, not on the page: every figure on the meter it was typed for.
  const saved = listReadings(station, bookNo);
  expect(saved).toHaveLength(20);
  for (const [i, r] of saved.entries()) {
    expect(r.seq).toBe(i + 1);
    expect(r.current, `row ${i + 1} (${r.meterNo})`).toBe(i === 8 ? null : paper[i]);
  }

  // The reader goes back to the refused row, keys the right figure, and only that row changes.
  await page.keyboard.press('Alt+N');
  await expect(page.getByLabel('第 9 行止码')).toBeFocused();
  await page.keyboard.type('50123\n', { delay: 80 });
  await expect(page.getByText('已录 20 / 应抄 20').first()).toBeVisible();
  await expect(page.getByText('待处理 1 行')).toHaveCount(0);
  const after = listReadings(station, bookNo);
  expect(after.map((r) => r.current)).toEqual(paper.map((v, i) => (i === 8 ? '50123' : v)));
});

// ——— The counter: a figure typed into 收到现金 by mistake is never posted by Enter ———

function seedCounter(station: Station): { customers: Record<string, string> } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'collection-seed.ts'), station.db], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`seed failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { customers: Record<string, string> };
}

async function openAtCounter(page: Page, query: string, accountNo: string) {
  const search = page.getByRole('combobox', { name: '查找客户' });
  await expect(search).toBeFocused();
  await page.keyboard.type(query);
  await expect(page.getByRole('listbox', { name: '查询结果' }).getByRole('option').first()).toContainText(accountNo);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: '应缴明细' }).getByRole('heading')).toContainText(accountNo);
  await expect(page.getByLabel('收到现金')).toBeFocused();
}

async function paymentsOf(page: Page, station: Station, accountNo: string) {
  const balance = await api(page.request, station, 'collection.balance', { accountNo });
  const customerId = (balance.body.value as { customer: { id: string } }).customer.id;
  const list = await api(page.request, station, 'collection.payments', { customerId });
  return (list.body.value as { rows: { receiptNo: string; amountFen: number }[] }).rows;
}

test('after a “cash short” error, the next customer’s phone tail typed into 收到现金 and Enter posts nothing; Esc, F3 and Alt+C give a clean counter', async ({ page, station }) => {
  test.setTimeout(180_000);
  const { customers } = seedCounter(station);
  const zhang = customers['张三'] ?? '';
  await login(page, station, 'C001', 'clerk1234');
  await openMenu(page, '柜台收费');
  await openAtCounter(page, 'zs', zhang);
  await expect(page.getByTestId('total-due')).toHaveText('¥210.03');

  // Cash short: refused, the cursor stays in 收到现金.
  await page.keyboard.type('200');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '收到现金 ¥200.00 少于本次缴费 ¥210.03' })).toBeVisible();
  // The clerk turns to the next customer and keys their phone tail, then Enter, then Enter again.
  await page.keyboard.type('8384', { delay: 80 });
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: '收到现金远超应收，请核对' });
  await expect(confirm).toContainText('本次缴费 ¥210.03，收到现金 ¥8,384.00，要找零 ¥8,173.97。');
  await expect(confirm).toContainText('超过 ¥2,000.00');
  await expect(confirm.getByRole('button', { name: '返回修改' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(page.getByLabel('收到现金')).toBeFocused();
  expect(await paymentsOf(page, station, zhang)).toEqual([]);
  await expect(page.getByRole('status', { name: '已入账' })).toHaveCount(0);

  // Esc: a clean counter, the cursor in the search box.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('combobox', { name: '查找客户' })).toBeFocused();
  await expect(page.getByRole('region', { name: '应缴明细' })).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);

  // F3 (search) after an error: the same.
  await openAtCounter(page, 'zs', zhang);
  await page.keyboard.type('100');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '少于本次缴费' })).toBeVisible();
  await page.keyboard.press('F3');
  await expect(page.getByRole('combobox', { name: '查找客户' })).toBeFocused();
  await expect(page.getByRole('region', { name: '应缴明细' })).toHaveCount(0);

  // Alt+C (the counter's menu key) on the counter itself: the same.
  await openAtCounter(page, 'zs', zhang);
  await page.keyboard.type('100');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: '少于本次缴费' })).toBeVisible();
  await page.keyboard.press('Alt+C');
  await expect(page.getByRole('combobox', { name: '查找客户' })).toBeFocused();
  await expect(page.getByRole('region', { name: '应缴明细' })).toHaveCount(0);

  // The back end refuses it too, without the clerk's confirmation.
  const balance = await api(page.request, station, 'collection.balance', { accountNo: zhang });
  const customerId = (balance.body.value as { customer: { id: string } }).customer.id;
  const direct = await api(page.request, station, 'collection.pay', { customerId, amountFen: 21003, channel: 'cash', tenderedFen: 838_400, idempotencyKey: 'e2e-large-0001' });
  expect(direct.status).toBe(422);
  expect(direct.body.error?.message).toContain('超过 ¥2,000.00');
  expect(await paymentsOf(page, station, zhang)).toEqual([]);

  // Real cash that large is taken with a deliberate confirmation: Tab to the confirm button, Enter.
  await openAtCounter(page, 'zs', zhang);
  await page.keyboard.type('5000');
  await page.keyboard.press('Enter');
  await expect(confirm.getByRole('button', { name: '返回修改' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm.getByRole('button', { name: '确认收到 ¥5,000.00，找零 ¥4,789.97' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: '已入账' })).toContainText('找零 ¥4,789.97');
  expect((await paymentsOf(page, station, zhang)).map((p) => p.amountFen)).toEqual([21003]);
});

// ——— Irreversible actions go through one in-app confirmation ———

test('the station head rejects a reversal in the in-app dialog: the reason is required, Enter in it does not reject, Esc cancels', async ({ page, station }) => {
  test.setTimeout(180_000);
  const { customers } = seedCounter(station);
  const zhang = customers['张三'] ?? '';
  const paid = station.cli(['pay', zhang, '--amount', '210.03', '--channel', 'cash', '--tendered', '300', '--staff', 'C001', '--json']);
  expect(paid.stderr).toBe('');
  const receiptNo = JSON.parse(paid.stdout).receiptNo as string;
  const asked = station.cli(['reverse', receiptNo, '--reason', '收错户号，客户要求退回', '--staff', 'C001']);
  expect(asked.status, asked.stderr).toBe(0);

  await login(page, station, 'H001', 'head12345');
  await openMenu(page, '冲正审批');
  const row = page.getByRole('table', { name: '冲正审批' }).getByRole('row', { name: new RegExp(receiptNo) });
  await row.getByRole('button', { name: '驳回' }).click();
  const dialog = page.getByRole('dialog', { name: `驳回收据 ${receiptNo} 的冲正申请？` });
  await expect(dialog).toContainText('¥210.03');
  await expect(dialog).toContainText('收错户号，客户要求退回');
  // The reason first: without it the reject button cannot be pressed, and Enter does nothing.
  const reason = dialog.getByLabel('驳回原因');
  await expect(reason).toBeFocused();
  const reject = dialog.getByRole('button', { name: '驳回', exact: true });
  await expect(reject).toBeDisabled();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeVisible();
  // Esc cancels; nothing is decided.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('待审批');

  await row.getByRole('button', { name: '驳回' }).click();
  await expect(reason).toBeFocused();
  await page.keyboard.type('款已收妥，户号无误');
  // Enter in the reason moves to the reject button; a second, deliberate Enter rejects.
  await page.keyboard.press('Enter');
  await expect(reject).toBeFocused();
  await expect(dialog).toBeVisible();
  // Tab stays inside the dialog.
  await page.keyboard.press('Tab');
  await expect(reason).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(reject).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText(`已驳回收据 ${receiptNo} 的冲正申请`);
  await page.getByLabel('全部').check();
  await expect(row).toContainText('已驳回');
  await expect(row).toContainText('款已收妥，户号无误');

  // The back end refuses a rejection without its reason.
  const second = station.cli(['reverse', receiptNo, '--reason', '再次申请冲正', '--staff', 'C001']);
  expect(second.status, second.stderr).toBe(0);
  const queue = await api(page.request, station, 'collection.reversals', { status: 'pending' });
  const requestId = (queue.body.value as { rows: { requestId: string }[] }).rows[0]?.requestId;
  const bare = await api(page.request, station, 'collection.decideReversal', { requestId, approve: false });
  expect(bare.status).toBe(422);
  expect(bare.body.error?.message).toBe('驳回冲正申请须填写驳回原因');
});

test('an unknown address shows an app page in the user’s language, with the menu, not the router’s developer page', async ({ page, station }) => {
  await login(page, station, 'A001', 'admin1234');
  await expect(page.getByRole('navigation', { name: '主菜单' })).toBeVisible();
  await page.goto(`${station.url}#/no-such-desk`);
  await expect(page.getByRole('heading', { name: '没有这个页面' })).toBeVisible();
  await expect(page.getByText('地址 /no-such-desk 不是本系统的页面')).toBeVisible();
  await expect(page.getByText(/Hey developer|Unexpected Application Error/)).toHaveCount(0);
  await expect(page.getByRole('navigation', { name: '主菜单' })).toBeVisible();
  await page.getByLabel('语言').selectOption('en');
  await expect(page.getByRole('heading', { name: 'No such page' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to the home page' }).click();
  await expect(page.getByRole('heading', { name: 'No such page' })).toHaveCount(0);
});
