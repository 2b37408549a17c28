import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { expect, login, openMenu, test, type Station } from './fixtures';
import { pdfText } from './pdf';

// Issue 16 items 10–13 as the office meets them: each person's home page, the keys a screen
// offers (F1 / ?), the station head's day across clerks printed on A4, and Save as PDF in the
// browser. Staff, customers and bills come from e2e/collection-seed.ts, the reader's book from
// e2e/home-seed.ts; the day's payments are taken with the CLI as the clerks named.

test.describe.configure({ timeout: 240_000 });

function run(script: string, station: Station): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, script), station.db], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function cli(station: Station, args: string[]) {
  const r = station.cli(args);
  if (r.status !== 0) throw new Error(`griddesk ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** Two clerks take money today: 王芳 (C001) cash 210.03 for 张三 and card 150.00 for 王五; 赵敏 (C002) QR 50.00 for 李四. */
function takeTodaysPayments(station: Station, customers: Record<string, string>) {
  cli(station, ['pay', customers['张三'] ?? '', '--amount', '210.03', '--channel', 'cash', '--tendered', '300', '--staff', 'C001']);
  cli(station, ['pay', customers['王五'] ?? '', '--amount', '150.00', '--channel', 'card', '--staff', 'C001']);
  cli(station, ['pay', customers['李四'] ?? '', '--amount', '50.00', '--channel', 'qr', '--staff', 'C002']);
  // 赵敏 closes her day (no cash: balanced); 王芳 asks to reverse her card payment (waits for the head).
  cli(station, ['close-day', '--staff', 'C002', '--counted', '0']);
  cli(station, ['reverse', 'GD01-R-00000002', '--reason', '刷卡重复']);
}

async function as(browser: Browser, station: Station, staffNo: string, password: string) {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  await login(page, station, staffNo, password);
  await expect(page.getByRole('heading', { name: /欢迎/ })).toBeVisible();
  return { page, close: () => context.close() };
}

const card = (page: Page, title: string | RegExp) => page.getByRole('listitem', { name: title });
const figure = (page: Page, cardTitle: string | RegExp, label: string) =>
  card(page, cardTitle).locator('div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${label}$`) }) }).locator('dd');

test('each person opens on their own cards: the clerk her takings today, the head the approvals waiting, the reader the books due this week with progress', async ({ browser, station }) => {
  const { customers } = run('collection-seed.ts', station) as { customers: Record<string, string> };
  const reader = run('home-seed.ts', station) as { bookNo: string; bookName: string };
  takeTodaysPayments(station, customers);

  const clerk = await as(browser, station, 'C001', 'clerk1234');
  await expect(card(clerk.page, '今日收费')).toBeVisible();
  await expect(figure(clerk.page, '今日收费', '笔数')).toHaveText('2');
  await expect(figure(clerk.page, '今日收费', '实收')).toHaveText('¥360.03');
  await expect(figure(clerk.page, '今日收费', '其中现金')).toHaveText('¥210.03');
  await expect(figure(clerk.page, '今日收费', '日结')).toHaveText('未日结');
  await expect(card(clerk.page, '待所长审批')).toHaveCount(0);
  await expect(card(clerk.page, /本周抄表/)).toHaveCount(0);
  // The card opens the screen it speaks of.
  await card(clerk.page, '今日收费').getByRole('link', { name: '今日收费' }).click();
  await expect(clerk.page.getByRole('heading', { name: '日结', exact: true })).toBeVisible();
  await clerk.close();

  const head = await as(browser, station, 'H001', 'head12345');
  await expect(card(head.page, '待所长审批')).toBeVisible();
  await expect(figure(head.page, '待所长审批', '冲正申请')).toHaveText('1');
  await expect(figure(head.page, '待所长审批', '日结差额待签字')).toHaveText('0');
  await expect(card(head.page, '今日收费')).toHaveCount(0);
  await expect(card(head.page, '数据上报')).toBeVisible();
  await figure(head.page, '待所长审批', '冲正申请').getByRole('link').click();
  await expect(head.page.getByRole('heading', { name: /冲正/ }).first()).toBeVisible();
  await head.close();

  const meterReader = await as(browser, station, 'R001', 'reader1234');
  const books = card(meterReader.page, /本周抄表/);
  await expect(books).toBeVisible();
  await expect(figure(meterReader.page, /本周抄表/, '本周到期未抄完')).toHaveText('1');
  const item = books.getByRole('listitem').filter({ hasText: reader.bookName });
  await expect(item).toContainText('1 / 3');
  await expect(item.getByRole('progressbar')).toHaveAttribute('value', '1');
  await expect(card(meterReader.page, '今日收费')).toHaveCount(0);
  await expect(card(meterReader.page, '待所长审批')).toHaveCount(0);
  await meterReader.close();
});

test('the station head opens 收费日结 on the whole station: both clerks, by payment method, the closing; the A4 print and the browser’s Save as PDF show the totals', async ({ browser, station }) => {
  const { customers } = run('collection-seed.ts', station) as { customers: Record<string, string> };
  takeTodaysPayments(station, customers);
  const head = await as(browser, station, 'H001', 'head12345');
  const { page } = head;
  await openMenu(page, '收费日结');
  const report = page.getByRole('region', { name: '全所收费日报' });
  await expect(report).toBeVisible();
  const byClerk = report.getByRole('table', { name: '按营业员' });
  await expect(byClerk.getByRole('row').filter({ hasText: 'C001 王芳' })).toContainText('¥360.03');
  await expect(byClerk.getByRole('row').filter({ hasText: 'C002 赵敏' })).toContainText('¥50.00');
  await expect(byClerk.getByRole('row').filter({ hasText: 'C002 赵敏' })).toContainText('现金相符');
  await expect(byClerk.getByRole('row').filter({ hasText: 'C001 王芳' })).toContainText('未日结');
  await expect(byClerk.locator('tr.total-row')).toContainText('¥410.03');
  const byChannel = report.getByRole('table', { name: '按收款方式' });
  await expect(byChannel.getByRole('row').filter({ hasText: /^现金/ })).toContainText('¥210.03');
  await expect(byChannel.locator('tr.total-row')).toContainText('¥410.03');
  await expect(report).toContainText('2 名营业员 · 已日结 1 · 未日结 1');

  // One clerk's own day is still a click away.
  await byClerk.getByRole('button', { name: 'C002 赵敏' }).click();
  await expect(page.getByRole('region', { name: '当日汇总' })).toContainText('C002 赵敏');
  await page.getByLabel('营业员').selectOption({ label: '全所（所有营业员）' });
  await expect(report).toBeVisible();

  // A4 print of the station day.
  await report.getByRole('link', { name: '打印全所日报' }).click();
  await expect(page.getByRole('heading', { name: /全所收费日报/ })).toBeVisible();
  const printed = await pdfText(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  expect(printed.text).toContain('全所收费日报');
  expect(printed.text).toContain('王芳');
  expect(printed.text).toContain('赵敏');
  expect(printed.text).toContain('¥410.03');
  expect(printed.pages).toHaveLength(1);

  // Browser mode: 保存为PDF downloads the same document, named after it.
  const download = page.waitForEvent('download', { timeout: 120_000 });
  await page.getByRole('button', { name: '保存为PDF' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^全所收费日报 GD01 \d{4}-\d{2}-\d{2}\.pdf$/);
  const saved = await pdfText(readFileSync(await file.path()));
  expect(saved.text).toContain('全所收费日报');
  expect(saved.text).toContain('王芳');
  expect(saved.text).toContain('¥410.03');
  await expect(page.getByRole('status')).toContainText('已保存');
  await head.close();
});

test('F1 or ? lists the keys of the screen, the menu shows the Alt keys, and Esc on the receipt goes back to the counter', async ({ page, station }) => {
  const { customers } = run('collection-seed.ts', station) as { customers: Record<string, string> };
  await page.addInitScript(() => {
    window.print = () => undefined;
  });
  await login(page, station, 'C001', 'clerk1234');
  const menu = page.getByRole('navigation', { name: '主菜单' });
  const counterEntry = menu.getByRole('link', { name: '柜台收费' });
  await expect(counterEntry).toContainText('Alt+C');
  await expect(counterEntry).toHaveAttribute('aria-keyshortcuts', 'Alt+C');
  await openMenu(page, '柜台收费');

  // ? typed in the search box is a character, not help.
  const search = page.getByRole('combobox', { name: '查找客户' });
  await expect(search).toBeFocused();
  await page.keyboard.type('?');
  await expect(search).toHaveValue('?');
  await expect(page.getByRole('dialog', { name: '快捷键' })).toHaveCount(0);
  await search.fill('');

  // F1 from the field shows the counter's keys and the menu's.
  await page.keyboard.press('F1');
  const help = page.getByRole('dialog', { name: '快捷键' });
  await expect(help).toBeVisible();
  await expect(help.getByRole('region', { name: '柜台收费' })).toContainText('Esc / F3 / Alt+C');
  await expect(help.getByRole('region', { name: '柜台收费' })).toContainText('下一位客户');
  await expect(help.getByRole('region', { name: '任何页面' })).toContainText('Alt+C');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();
  await expect(search).toBeFocused();

  // ? away from a field shows the list too; in English it is in English.
  await page.getByRole('heading', { name: '柜台收费' }).click();
  await page.keyboard.press('?');
  await expect(help).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByLabel('语言').selectOption('en');
  await page.getByRole('heading', { name: 'Counter' }).click();
  await page.keyboard.press('F1');
  const helpEn = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(helpEn.getByRole('region', { name: 'Counter' })).toContainText('Next customer');
  await page.keyboard.press('Escape');
  await page.getByLabel('Language').selectOption('zh-CN');

  // Take a payment, print the receipt, Esc: back at a clean counter.
  await search.fill('zs');
  await expect(page.getByRole('listbox', { name: '查询结果' }).getByRole('option').first()).toContainText(customers['张三'] ?? '');
  await search.press('Enter');
  await expect(page.getByLabel('收到现金')).toBeFocused();
  await page.keyboard.type('300');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status', { name: '已入账' })).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /电费收据/ })).toBeVisible();
  await page.keyboard.press('F1');
  await expect(page.getByRole('dialog', { name: '快捷键' }).getByRole('region', { name: '收据' })).toContainText('回到柜台收费');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: '柜台收费' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: '查找客户' })).toBeFocused();
});
