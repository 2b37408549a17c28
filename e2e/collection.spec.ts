import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { addDays } from '../shared/time';
import { openCustomer as openCustomerFile } from './customers-helpers';
import { api, expect, login, openMenu, test, type Station } from './fixtures';
import { pdfText } from './pdf';

// Counter fee collection as the office works it: the clerk at the counter, the station head
// approving, the day closed to the fen. Customers and bills come from e2e/collection-seed.ts.

// These run whole office scenarios (two people, the CLI, PDFs): on a busy 2-core machine they
// need more than the default 90 s.
test.describe.configure({ timeout: 240_000 });

interface Seed {
  today: string;
  customers: Record<string, string>;
}

function seed(station: Station): Seed {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'collection-seed.ts'), station.db], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`seed failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Seed;
}

/** Printing goes to the OS print dialog; here it is counted instead, and the page is rendered to PDF. */
async function stubPrinter(page: Page) {
  await page.addInitScript(() => {
    window.print = () => {
      const w = window as unknown as { printed?: number };
      w.printed = (w.printed ?? 0) + 1;
    };
  });
}

/** Finds a customer in the customer files' search box and opens their balance with Enter. */
async function openCustomer(page: Page, query: string, accountNo: string = query) {
  const search = page.getByRole('combobox', { name: '查找客户' });
  await search.fill(query);
  await expect(page.getByRole('listbox', { name: '查询结果' }).getByRole('option').first()).toContainText(accountNo);
  await search.press('Enter');
  await expect(page.getByRole('region', { name: '应缴明细' }).getByRole('heading')).toContainText(accountNo);
}

async function asHead(browser: Browser, station: Station) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await login(page, station, 'H001', 'head12345');
  await expect(page.getByRole('heading', { name: /欢迎/ })).toBeVisible();
  return { page, close: () => context.close() };
}

test('a clerk finds a customer with two unpaid months by pinyin initials, sees the older month’s penalty, takes cash with change, and the receipt PDF shows both months, the penalty, the change and the new balance', async ({ page, station }) => {
  const data = seed(station);
  await stubPrinter(page);
  await login(page, station, 'C001', 'clerk1234');
  await openMenu(page, '柜台收费');
  // 张三 by the pinyin initials of the name: zs.
  await openCustomer(page, 'zs', data.customers['张三'] ?? '');

  const bills = page.getByRole('table', { name: '欠费账单' });
  const rows = bills.getByRole('row');
  await expect(rows).toHaveCount(3);
  const [older, newer] = [rows.nth(1), rows.nth(2)];
  await expect(older).toContainText('¥86.40');
  await expect(older).toContainText('¥3.63'); // 86.40 × 1‰ × 42 days
  await expect(older).toContainText('逾期 42 天');
  await expect(newer).toContainText('¥120.00');
  await expect(newer).not.toContainText('逾期');
  await expect(page.getByTestId('total-due')).toHaveText('¥210.03');

  // The cursor waits in "cash received": type, Enter posts, Enter prints.
  await expect(page.getByLabel('收到现金')).toBeFocused();
  await page.keyboard.type('300');
  await expect(page.getByTestId('change')).toHaveText('¥89.97');
  await page.keyboard.press('Enter');
  const posted = page.getByRole('status', { name: '已入账' });
  await expect(posted).toContainText('已入账：收据 GD01-R-00000001，¥210.03');
  await expect(posted).toContainText('找零 ¥89.97');
  await expect(posted).toContainText('缴费后余额 ¥0.00');
  await expect(page.getByRole('button', { name: '打印收据' })).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page.getByRole('heading', { name: '电费收据' })).toBeVisible();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed?: number }).printed)).toBe(1);
  const { text } = await pdfText(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  expect(text).toContain('GD01-R-00000001');
  expect(text).toContain('张三');
  expect(text).toMatch(/\d{4}-\d{2}\s+¥86\.40\s+¥3\.63/); // the older month: charge and penalty
  expect(text).toMatch(/\d{4}-\d{2}\s+¥120\.00\s+¥0\.00/); // the newer month
  expect(text).toContain('¥210.03');
  expect(text).toContain('贰佰壹拾元零叁分');
  expect(text).toMatch(/找零\s+¥89\.97/);
  expect(text).toMatch(/缴费后余额\s+¥0\.00/);
  expect(text).not.toContain('副本');
});

test('a double press of Enter on “post” records one payment; a retried request with the same key too', async ({ page, station }) => {
  const data = seed(station);
  await stubPrinter(page);
  await login(page, station, 'C001', 'clerk1234');
  await openMenu(page, '柜台收费');
  await openCustomer(page, data.customers['李四'] ?? '');
  await page.getByLabel('收款方式').selectOption({ label: '扫码（微信/支付宝）' });
  await expect(page.getByLabel('本次缴费')).toHaveValue('50.00');
  await page.getByRole('button', { name: '入账' }).focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  // The second Enter finds the post still running (ignored) or the receipt's print button (it prints).
  await expect(page.getByText('GD01-R-00000001').first()).toBeVisible();
  const li = ((await api(page.request, station, 'collection.balance', { accountNo: data.customers['李四'] })).body.value as { customer: { id: string } }).customer.id;
  const payments = (await api(page.request, station, 'collection.payments', { customerId: li })).body.value as { rows: { receiptNo: string }[] };
  expect(payments.rows.map((r) => r.receiptNo)).toEqual(['GD01-R-00000001']);

  const customerId = ((await api(page.request, station, 'collection.balance', { accountNo: data.customers['王五'] })).body.value as { customer: { id: string } }).customer.id;
  const input = { customerId, amountFen: 15000, channel: 'card', idempotencyKey: 'retried-request-1' };
  const [first, second] = [await api(page.request, station, 'collection.pay', input), await api(page.request, station, 'collection.pay', input)];
  expect((first.body.value as { receiptNo: string }).receiptNo).toBe('GD01-R-00000002');
  expect(second.body.value).toMatchObject({ receiptNo: 'GD01-R-00000002', duplicate: true });
  const check = station.cli(['check', '--json']);
  expect(JSON.parse(check.stdout)).toMatchObject({ ok: true });

  // The customer's file shows the payment too.
  await page.goto(station.url);
  await openCustomerFile(page, data.customers['李四'] ?? '');
  const section = page.getByRole('region', { name: '缴费记录' });
  await expect(section.getByRole('row', { name: /GD01-R-00000001/ })).toContainText('¥50.00');
  await expect(section).toContainText('应缴金额 ¥0.00');
});

test('a clerk’s reversal waits for the station head’s approval; the day’s report then shows it', async ({ page, station, browser }) => {
  const data = seed(station);
  await stubPrinter(page);
  await login(page, station, 'C001', 'clerk1234');
  await openMenu(page, '柜台收费');
  await openCustomer(page, data.customers['王五'] ?? '');
  await page.getByLabel('收款方式').selectOption({ label: '银行卡' });
  await page.getByLabel('交易流水号').fill('POS-778812');
  await page.getByLabel('交易流水号').press('Enter');
  await expect(page.getByRole('status', { name: '已入账' })).toContainText('收据 GD01-R-00000001，¥150.00');

  const recent = page.getByRole('table', { name: '最近缴费' });
  await recent.getByRole('row', { name: /GD01-R-00000001/ }).getByRole('button', { name: '申请冲正' }).click();
  const dialog = page.getByRole('dialog', { name: '冲正收据 GD01-R-00000001' });
  await dialog.getByLabel('原因').fill('刷错卡，客户要求退回');
  await dialog.getByRole('button', { name: '申请冲正' }).click();
  await expect(page.getByRole('status').last()).toContainText('等待所长审批');
  await expect(recent.getByRole('row', { name: /GD01-R-00000001/ })).toContainText('冲正待审批');
  await openMenu(page, '收费日结');
  await expect(page.getByRole('table', { name: '冲正明细' })).toHaveCount(0);

  const head = await asHead(browser, station);
  await openMenu(head.page, '冲正审批');
  const queue = head.page.getByRole('table', { name: '冲正审批' });
  const row = queue.getByRole('row', { name: /GD01-R-00000001/ });
  await expect(row).toContainText('刷错卡，客户要求退回');
  await expect(row).toContainText('C001 王芳');
  await row.getByRole('button', { name: '批准冲正' }).click();
  // Approving cannot be undone: the in-app confirmation names the receipt and the amount.
  const approve = head.page.getByRole('dialog', { name: '批准冲正收据 GD01-R-00000001？' });
  await expect(approve).toContainText('¥150.00');
  await expect(approve).toContainText('刷错卡，客户要求退回');
  await expect(approve.getByRole('button', { name: '取消' })).toBeFocused();
  await head.page.keyboard.press('Tab');
  await head.page.keyboard.press('Enter');
  await expect(head.page.getByRole('status')).toContainText('已批准冲正收据 GD01-R-00000001');
  await head.close();

  await page.reload();
  const reversals = page.getByRole('table', { name: '冲正明细' });
  await expect(reversals.getByRole('row', { name: /GD01-R-00000001/ })).toContainText('李所长');
  const card = page.getByRole('table', { name: '按收款方式' }).getByRole('row', { name: /银行卡/ });
  await expect(card).toContainText('¥150.00');
  await expect(card.getByRole('cell').last()).toHaveText('¥0.00');

  // Close the day and print the daily closing report: the reversal is on it.
  await page.getByLabel('清点现金', { exact: true }).fill('0');
  await page.getByRole('button', { name: '日结', exact: true }).click();
  await expect(page.getByRole('region', { name: '已日结' })).toContainText('现金相符');
  await page.getByRole('link', { name: '打印日结报表' }).click();
  await expect(page.getByRole('heading', { name: /日结报表/ })).toBeVisible();
  const { text } = await pdfText(await page.pdf({ preferCSSPageSize: true }));
  expect(text).toContain('冲正明细');
  expect(text).toMatch(/GD01-R-00000001.*刷错卡，客户要求退回.*H001\s+李所长/s);
  expect(text).toMatch(/银行卡\s+1\s+¥150\.00\s+1\s+¥150\.00\s+¥0\.00/);
});

test('closing with the cash 10.00 short records the difference and needs the station head’s sign-off; a later payment is not taken into that day', async ({ page, station, browser }) => {
  const data = seed(station);
  await login(page, station, 'C001', 'clerk1234');
  await openMenu(page, '柜台收费');
  await openCustomer(page, data.customers['张三'] ?? '');
  await page.keyboard.type('210.03');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: '已入账' })).toContainText('¥210.03');

  await openMenu(page, '收费日结');
  await page.getByLabel('备用金').fill('500');
  await page.getByLabel('清点现金', { exact: true }).fill('700.03');
  await expect(page.getByTestId('difference')).toHaveText('短款 ¥10.00');
  await page.getByRole('button', { name: '日结', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('现金短款 ¥10.00：请填写原因，并由所长签字');
  await page.getByLabel('差额原因').fill('找零多付 10 元');
  await page.getByRole('button', { name: '日结', exact: true }).click();
  const closed = page.getByRole('region', { name: '已日结' });
  await expect(closed).toContainText('待所长签字');
  await expect(closed).toContainText('差额 -¥10.00');

  // After closing, the clerk's next payment falls into the next day, never into the closed one.
  const tomorrow = addDays(data.today, 1);
  await openMenu(page, '柜台收费');
  await openCustomer(page, data.customers['李四'] ?? '');
  await expect(page.getByText(`您今天已日结，现在收的款计入 ${tomorrow}`)).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: '已入账' })).toContainText('收据 GD01-R-00000002');
  const balance = JSON.parse(station.cli(['balance', data.customers['李四'] ?? '', '--json']).stdout) as { recentPayments: { businessDate: string }[] };
  expect(balance.recentPayments[0]?.businessDate).toBe(tomorrow);
  await openMenu(page, '收费日结');
  await expect(page.getByRole('table', { name: '收费明细' }).getByRole('row')).toHaveCount(2); // header + the one payment of today
  const again = station.cli(['close-day', '--staff', 'C001', '--counted', '700.03', '--date', data.today]);
  expect(again.status).toBe(1);
  expect(again.stderr).toContain('已经日结');

  const head = await asHead(browser, station);
  await openMenu(head.page, '日结查询');
  await head.page.getByLabel('只看待所长签字的').check();
  const list = head.page.getByRole('table', { name: '日结查询' });
  await expect(list.getByRole('row', { name: /C001 王芳/ })).toContainText('待所长签字');
  await list.getByRole('row', { name: /C001 王芳/ }).getByRole('link', { name: '查看' }).click();
  await head.page.getByRole('button', { name: '所长签字' }).click();
  await expect(head.page.getByRole('region', { name: '已日结' })).toContainText('所长已签字');
  await expect(head.page.getByRole('region', { name: '已日结' })).toContainText('H001 李所长');
  await head.close();
});

test('the CLI prints a receipt to PDF; a second print says it is a copy', async ({ station }) => {
  const data = seed(station);
  const paid = station.cli(['pay', data.customers['王五'] ?? '', '--amount', '150', '--channel', 'transfer', '--reference', 'TR-20261126-01', '--staff', 'C001']);
  expect(paid.status).toBe(0);
  expect(paid.stdout).toContain('收据 GD01-R-00000001');
  const file = join(station.dir, 'receipt.pdf');
  const first = station.cli(['receipt', 'GD01-R-00000001', '--out', file, '--staff', 'C001']);
  expect(first.stderr).toBe('');
  const { text: original } = await pdfText(readFileSync(file));
  expect(original).toContain('GD01-R-00000001');
  expect(original).toContain('王五');
  expect(original).toContain('TR-20261126-01');
  expect(original).not.toContain('副本');
  expect(station.cli(['receipt', 'GD01-R-00000001', '--out', file, '--paper', 'a5']).status).toBe(0);
  expect((await pdfText(readFileSync(file))).text).toMatch(/副本（第\s*1\s*次补打）/);
});

test('the CLI prints the station head\'s day (全所日报) to A4 PDF, the same page as the day screen\'s print view', async ({ station }) => {
  const data = seed(station);
  expect(station.cli(['pay', data.customers['王五'] ?? '', '--amount', '150', '--channel', 'cash', '--staff', 'C001']).status).toBe(0);
  const file = join(station.dir, 'station-day.pdf');
  const clerk = station.cli(['day', 'station', '--out', file, '--staff', 'C001']);
  expect(clerk.status).toBe(1); // the station head's report
  const printed = station.cli(['day', 'station', '--out', file, '--staff', 'H001']);
  expect(printed.stderr).toBe('');
  expect(printed.stdout).toContain('已把全所日报（A4）打印到');
  const { text } = await pdfText(readFileSync(file));
  expect(text).toContain('150.00');
  expect(text).toContain('C001');
});

test('the CLI prints arrears reminders to PDF: the same A5 page as the arrears screen, with the customer and the amounts', async ({ station }) => {
  const data = seed(station);
  const account = data.customers['张三'] ?? '';
  const issued = station.cli(['arrears', 'remind', account, '--staff', 'H001', '--json']);
  expect(issued.status, issued.stderr).toBe(0);
  const { batchId, count } = JSON.parse(issued.stdout) as { batchId: string; count: number };
  expect(count).toBe(1);
  const file = join(station.dir, 'reminders.pdf');
  const printed = station.cli(['print', 'reminders', batchId, '--out', file, '--staff', 'H001']);
  expect(printed.stderr).toBe('');
  expect(printed.stdout).toContain('已把 1 份催费通知单打印到');
  const { text, pages } = await pdfText(readFileSync(file));
  expect(pages).toHaveLength(1);
  expect(text).toContain('催费通知单');
  expect(text).toContain('张三');
  expect(text).toContain(account);
  expect(text).toContain('86.40'); // the overdue principal
  expect(text).toContain('3.63'); // its penalty to today
  // An unknown batch is refused before any browser starts, in the language asked for.
  const unknown = station.cli(['print', 'reminders', 'no-such-batch', '--out', file, '--lang', 'en']);
  expect(unknown.status).toBe(1);
  expect(unknown.stderr).not.toMatch(/\p{Script=Han}/u);
});

