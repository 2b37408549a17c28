import type { Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { Backend } from '../electron/backend/context';
import { sql } from '../electron/backend/db/sql';
import { StationFixture } from '../electron/backend/billing/testing/fixture';
import { ADMIN, createStaffViaUi, expect, login, logout, openMenu, test, type Station } from './fixtures';
import { pdfText } from './pdf';

// Tariffs and billing as the office does it: the billing clerk runs a book, reviews the
// exceptions, issues and prints; a resident's annual tiers; a correction the station head approves.
// Customers, books and readings come from the billing fixture (SQL matching migrations 0002/0003)
// until the customer and reading desks' screens are merged.

const SAMPLE_TARIFFS = join(import.meta.dirname, '..', 'docs', 'tariffs', 'sample-catalogue.json');
const CLERK = { staffNo: 'B001', name: '钱核算', password: 'billing123', final: 'billing456' };
const HEAD = { staffNo: 'H001', name: '李所长', password: 'head12345', final: 'head67890' };

/** Writes customers, books and readings into the station's database beside the running host. */
function seed<T>(station: Station, build: (fixture: StationFixture) => T): T {
  const backend = new Backend({ db: station.db, backupsDir: join(station.dir, 'seed-backups') });
  try {
    const adminId = backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${ADMIN.staffNo}`);
    if (!adminId) throw new Error('no administrator');
    return build(new StationFixture(backend, adminId));
  } finally {
    backend.close();
  }
}

function cli(station: Station, args: string[]) {
  const result = station.cli(args);
  if (result.status !== 0) throw new Error(`griddesk ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

/** The administrator loads the tariffs and creates the billing staff; each sets their own password. */
async function setUpBillingStaff(page: Page, station: Station, staff: (typeof CLERK)[]) {
  cli(station, ['tariffs', 'import', SAMPLE_TARIFFS]);
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  for (const s of staff) await createStaffViaUi(page, { staffNo: s.staffNo, name: s.name, roles: [s === HEAD ? '所长' : '核算员'], password: s.password });
  await logout(page);
  for (const s of staff) {
    await login(page, station, s.staffNo, s.password);
    await page.getByLabel('当前密码').fill(s.password);
    await page.getByLabel('新密码', { exact: true }).fill(s.final);
    await page.getByLabel('再次输入新密码').fill(s.final);
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('heading', { name: /欢迎/ })).toBeVisible();
    await logout(page);
  }
}

async function chooseBook(page: Page, period: string, bookLabel: string) {
  await page.getByLabel('账期', { exact: true }).fill(period);
  await page.getByLabel('抄表本', { exact: true }).selectOption({ label: bookLabel });
}

test('the billing clerk runs a book, reviews a flagged bill, issues all and prints the notices to PDF', async ({ page, station }) => {
  test.slow(); // several CLI runs and logins: slow on a busy machine
  const accounts = seed(station, (f) => {
    const book = f.book('B01', '东村一本');
    const zhang = f.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    const li = f.customer({ name: '李四', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 2 });
    const wang = f.customer({ name: '王五', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 3 });
    f.openPeriod('2026-10');
    f.read('2026-10', zhang.pointId, { kwh: 30000 }); // 300 kWh: 260 in tier 1, 40 in tier 2
    f.read('2026-10', li.pointId, { kwh: 12000 });
    f.read('2026-10', wang.pointId, { kwh: 0 }); // a zero bill: listed for review
    return { zhang: zhang.accountNo, li: li.accountNo, wang: wang.accountNo };
  });
  await setUpBillingStaff(page, station, [CLERK]);

  await login(page, station, CLERK.staffNo, CLERK.final);
  await openMenu(page, '电费核算');
  await chooseBook(page, '2026-10', 'B01 东村一本');
  await page.getByRole('button', { name: '开始核算' }).click();
  await expect(page.getByRole('progressbar', { name: '正在核算…' })).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByRole('status')).toContainText('本次核算 3 户');
  await expect(page.getByRole('status')).toContainText('其中 1 户有异常');

  const exceptions = page.getByRole('table', { name: '核算异常（发行前审核）' });
  const flagged = exceptions.getByRole('row').filter({ hasText: '王五' });
  await expect(flagged).toContainText('零电量');
  await flagged.getByLabel(`审核意见 ${accounts.wang}`).fill('空置房，已电话核实');
  await flagged.getByRole('button', { name: '审核通过' }).click();
  await expect(flagged).toContainText('已审核通过');

  // Issuing cannot be undone: the confirmation says how many bills and how much, its focus starts
  // on 取消 (an Enter meant for something else cancels), confirming takes Tab then Enter.
  await page.getByRole('button', { name: '发行全部' }).click();
  const confirmIssue = page.getByRole('dialog', { name: /^发行 .* 的账单？$/ });
  await expect(confirmIssue).toContainText('草稿账单 3 张，合计 ¥253.52。');
  await expect(confirmIssue).toContainText('发行不能撤回');
  await expect(confirmIssue.getByRole('button', { name: '取消' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirmIssue).toBeHidden();
  await expect(page.getByRole('status')).not.toContainText('已发行');
  await page.getByRole('button', { name: '发行全部' }).click();
  await page.keyboard.press('Tab');
  await expect(confirmIssue.getByRole('button', { name: '发行 3 张账单' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('已发行 3 张账单，合计 ¥253.52');
  await expect(page.getByRole('status')).toContainText('缴费截止');

  await page.getByLabel('纸张').selectOption('A5');
  await page.getByRole('button', { name: '打印通知单' }).click();
  await expect(page.getByRole('region', { name: `电费通知单 ${accounts.zhang}` })).toBeVisible();
  await expect(page.locator('[data-print-ready="true"]')).toHaveAttribute('data-count', '3');
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const { text, pages } = await pdfText(pdf);
  expect(pages).toHaveLength(3); // one A5 notice per customer, in book order
  expect(pages[0]).toContain('张三');
  expect(pages[1]).toContain('李四');
  expect(pages[2]).toContain('王五');
  for (const words of ['电费通知单', '青山供电所', '本期电费', '应缴金额', '缴费截止日期', '缴费方式', '起码', '止码', '倍率']) expect(text).toContain(words);
  // 张三: 260 kWh × 0.59886875 = ¥155.71 and 40 kWh × 0.64886875 = ¥25.95, total ¥181.66.
  expect(pages[0]).toMatch(/第1档[\s\S]*260 kWh[\s\S]*0\.59886875[\s\S]*¥155\.71/);
  expect(pages[0]).toMatch(/第2档[\s\S]*40 kWh[\s\S]*0\.64886875[\s\S]*¥25\.95/);
  expect(pages[0]).toContain('¥181.66');
  expect(pages[1]).toContain('¥71.86');
  expect(pages[2]).toContain('¥0.00');

  // The same notices from the command line, rendered headless from the same print route.
  const out = join(station.dir, 'B01-2026-10.pdf');
  expect(cli(station, ['bills', 'notice', '--book', 'B01', '--period', '2026-10', '--paper', 'A4', '--out', out])).toContain('已把 3 张电费通知单（A4）打印到');
  const fromCli = await pdfText(readFileSync(out));
  expect(fromCli.pages).toHaveLength(3);
  expect(fromCli.pages[0]).toContain('¥181.66');
  const single = join(station.dir, 'one.pdf');
  const [first] = JSON.parse(cli(station, ['bills', 'list', '--period', '2026-10', '--json'])) as { billNo: string }[];
  cli(station, ['bills', 'notice', first?.billNo ?? '', '--out', single]);
  expect((await pdfText(readFileSync(single))).pages).toHaveLength(1);
});

test('a resident on annual tiers crossing the tier-1 bound in March gets the month split, in the UI and in bills list --json', async ({ page, station }) => {
  test.slow(); // several CLI runs and logins: slow on a busy machine
  const account = seed(station, (f) => {
    const book = f.book('B02', '西村一本');
    const c = f.customer({ name: '赵六', customerClass: 'residential', tariffCode: 'RES-ANNUAL', bookId: book, seq: 1 });
    f.openPeriod('2026-01');
    f.read('2026-01', c.pointId, { kwh: 100000 });
    return { ...c, book };
  });
  // January and February are billed and issued from the command line: 1,000 kWh each.
  cli(station, ['tariffs', 'import', SAMPLE_TARIFFS]);
  cli(station, ['bill', '--period', '2026-01']);
  cli(station, ['bills', 'issue', '--period', '2026-01']);
  seed(station, (f) => {
    f.openPeriod('2026-02');
    f.read('2026-02', account.pointId, { kwh: 100000 });
  });
  cli(station, ['bill', '--period', '2026-02']);
  cli(station, ['bills', 'issue', '--period', '2026-02']);
  seed(station, (f) => {
    f.openPeriod('2026-03');
    f.read('2026-03', account.pointId, { kwh: 30000 });
  });
  await setUpBillingStaff(page, station, [CLERK]);

  await login(page, station, CLERK.staffNo, CLERK.final);
  await openMenu(page, '电费核算');
  await chooseBook(page, '2026-03', 'B02 西村一本');
  await page.getByRole('button', { name: '开始核算' }).click();
  await expect(page.getByRole('status')).toContainText('本次核算 1 户');

  await openMenu(page, '电费查询');
  await page.getByLabel('户号、户名或账单号').fill(account.accountNo);
  await page.getByLabel('账期').fill('2026-03');
  await page.getByRole('table', { name: '电费查询' }).getByRole('link').first().click();
  const lines = page.getByRole('table', { name: '电费明细' });
  // 2,000 kWh used before March; the tier-1 bound is 2,160: 160 kWh at 0.5283, 140 kWh at 0.5783.
  await expect(lines.getByRole('row').filter({ hasText: '第1档' })).toContainText(/160\s*kWh\s*0\.5283\s*¥84\.53/);
  await expect(lines.getByRole('row').filter({ hasText: '第2档' })).toContainText(/140\s*kWh\s*0\.5783\s*¥80\.96/);
  await expect(lines.getByRole('row').last()).toContainText('¥165.49');
  await expect(page.getByText('本年此前已用 2000 千瓦时')).toBeVisible();

  const listed = JSON.parse(cli(station, ['bills', 'list', '--period', '2026-03', '--json'])) as {
    account: string;
    kwh: string;
    amountFen: number;
    amountYuan: string;
    lines: { tier: number; quantity: string; unitPrice: string; amountFen: number; amountYuan: string }[];
  }[];
  expect(listed).toHaveLength(1);
  expect(listed[0]).toMatchObject({ account: account.accountNo, kwh: '300', amountFen: 16549, amountYuan: '165.49' });
  expect(listed[0]?.lines.map((l) => [l.tier, l.quantity, l.unitPrice, l.amountFen, l.amountYuan])).toEqual([
    [1, '160', '0.5283', 8453, '84.53'],
    [2, '140', '0.5783', 8096, '80.96'],
  ]);
});

test('a correction approved by the station head leaves the original, a credit and a new bill; the balance moves by the difference', async ({ page, station }) => {
  test.slow(); // several CLI runs and logins: slow on a busy machine
  const c = seed(station, (f) => {
    const book = f.book('B01', '东村一本');
    const customer = f.customer({ name: '孙七', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    f.openPeriod('2026-10');
    const reading = f.read('2026-10', customer.pointId, { kwh: 45000 }); // keyed 450 kWh instead of 150
    return { ...customer, reading };
  });
  cli(station, ['tariffs', 'import', SAMPLE_TARIFFS]);
  cli(station, ['bill', '--period', '2026-10']);
  cli(station, ['bills', 'issue', '--period', '2026-10']);
  const [original] = JSON.parse(cli(station, ['bills', 'list', '--period', '2026-10', '--json'])) as { billNo: string; amountFen: number }[];
  if (!original) throw new Error('no bill');
  // The reading is corrected after the customer's complaint (the reading desk's correction).
  seed(station, (f) => f.correct('2026-10', c.pointId, c.reading, { kwh: 15000 }));
  await setUpBillingStaff(page, station, [CLERK, HEAD]);

  await login(page, station, CLERK.staffNo, CLERK.final);
  await openMenu(page, '电费查询');
  await page.getByLabel('户号、户名或账单号').fill(original.billNo);
  await page.getByRole('link', { name: original.billNo }).click();
  await page.getByRole('link', { name: c.accountNo }).click();
  await expect(page.getByText('账户余额：¥279.00')).toBeVisible(); // 260 kWh ¥155.71 + 190 kWh ¥123.29
  await page.goBack();
  await page.getByRole('button', { name: '申请更正' }).click();
  const dialog = page.getByRole('dialog', { name: '申请更正' });
  await expect(dialog.getByRole('status')).toContainText('差额：-¥189.17');
  await dialog.getByLabel('更正原因').fill('止码抄错，客户投诉后复核');
  await dialog.getByRole('button', { name: '提交申请' }).click();
  await expect(page.getByRole('status')).toContainText('等待所长批准');
  await expect(page.getByRole('link', { name: '账单更正' })).toBeVisible();
  // The billing clerk sees the request but cannot approve it.
  await openMenu(page, '账单更正');
  await expect(page.getByRole('table', { name: '账单更正（冲正）' }).getByRole('row').filter({ hasText: original.billNo })).toBeVisible();
  await expect(page.getByRole('button', { name: '批准' })).toHaveCount(0);
  await logout(page);

  await login(page, station, HEAD.staffNo, HEAD.final);
  await openMenu(page, '账单更正');
  const row = page.getByRole('table', { name: '账单更正（冲正）' }).getByRole('row').filter({ hasText: original.billNo });
  await expect(row).toContainText('止码抄错');
  await row.getByRole('button', { name: '批准' }).click();
  const approve = page.getByRole('dialog', { name: `批准 ${original.billNo}` });
  await expect(approve.getByRole('status')).toContainText('-¥189.17');
  await approve.getByLabel('审批意见').fill('同意，按复核止码重开');
  await approve.getByRole('button', { name: '批准' }).click();
  await expect(page.getByRole('status')).toContainText('原账单冲红，新账单');

  // The original stays, marked corrected; the customer's account shows the charge, the credit and the new bill.
  await openMenu(page, '电费查询');
  await page.getByLabel('户号、户名或账单号').fill(c.accountNo);
  const bills = page.getByRole('table', { name: '电费查询' });
  await expect(bills.getByRole('row').filter({ hasText: original.billNo })).toContainText('已更正');
  await expect(bills.getByRole('row').filter({ hasText: '已发行' })).toContainText('¥89.83');
  await bills.getByRole('link', { name: original.billNo }).click();
  await expect(page.getByText(/已被更正账单 GD01-B-\d+ 替代/)).toBeVisible();
  await page.getByRole('link', { name: c.accountNo }).click();
  // ¥279.00 → ¥89.83: the balance moved by exactly new − old.
  await expect(page.getByText('账户余额：¥89.83')).toBeVisible();
  const ledger = page.getByRole('table', { name: '账户明细' });
  await expect(ledger.getByRole('row')).toHaveCount(4); // header + charge + credit + new charge
  await expect(ledger.getByRole('row').filter({ hasText: '冲红' })).toContainText('-¥279.00');
});

test('the administrator loads a tariff file on the tariff screen; the clerk sees the period totals with a chart and exports them', async ({ page, station }) => {
  test.slow(); // several CLI runs and logins: slow on a busy machine
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await openMenu(page, '电价目录');
  const bad = join(station.dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ code: 'RES-X', name: '测试', class: 'residential', effectiveFrom: '2026-01-01', energy: { flat: 0.5 } }));
  await page.getByLabel('电价文件（JSON）').setInputFiles(bad);
  await expect(page.getByRole('alert')).toContainText('energy.flat：须写在引号里');
  await page.getByLabel('电价文件（JSON）').setInputFiles(SAMPLE_TARIFFS);
  await expect(page.getByRole('status')).toContainText('新版本 8 个，已有相同版本 0 个');
  await page.getByRole('button', { name: '确认导入' }).click();
  await expect(page.getByRole('status')).toContainText('已导入 7 个电价版本、1 个政策版本');
  const catalogue = page.getByRole('table', { name: '电价目录' });
  await expect(catalogue.getByRole('row').filter({ hasText: 'RES-GD' })).toContainText('第3档加价 0.30');
  await expect(catalogue.getByRole('row').filter({ hasText: 'LI-10KV' })).toContainText('容量电价 23.3 元/千伏安·月');
  await expect(page.getByRole('table', { name: '电费政策' })).toContainText('15');
  await logout(page);

  seed(station, (f) => {
    const book = f.book('B01', '东村一本');
    const home = f.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    const farm = f.customer({ name: '粮站', customerClass: 'agricultural', tariffCode: 'AGR', bookId: book, seq: 2 });
    f.openPeriod('2026-10');
    f.read('2026-10', home.pointId, { kwh: 12000 });
    f.read('2026-10', farm.pointId, { kwh: 100000 });
  });
  cli(station, ['bill', '--period', '2026-10']);
  await setUpBillingStaff(page, station, [CLERK]);
  await login(page, station, CLERK.staffNo, CLERK.final);
  await openMenu(page, '电费统计');
  await page.getByLabel('账期').fill('2026-10');
  await expect(page.getByRole('table', { name: '按用电类别' }).getByRole('row').filter({ hasText: '农业生产' })).toContainText('¥484.60');
  const byBook = page.getByRole('table', { name: '按抄表本' });
  await expect(byBook).toContainText('B01 东村一本');
  await expect(page.getByRole('img', { name: /电费金额图/ })).toContainText('居民生活');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 Excel' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('电费统计-2026-10.xlsx');
  const workbook = XLSX.read(readFileSync((await file.path()) ?? ''), { type: 'buffer' });
  expect(XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets['汇总']!, { header: 1 })).toContainEqual(['residential', '居民生活', 1, 120, 71.86]);
  const bookDownload = page.waitForEvent('download');
  await byBook.getByRole('button', { name: '导出本册账单' }).click();
  const bookFile = await bookDownload;
  expect(bookFile.suggestedFilename()).toBe('电费统计-2026-10-B01.xlsx');
  const bookWorkbook = XLSX.read(readFileSync((await bookFile.path()) ?? ''), { type: 'buffer' });
  expect(XLSX.utils.sheet_to_json<Record<string, unknown>>(bookWorkbook.Sheets['账单']!).map((r) => r['电费'])).toEqual([71.86, 484.6]);
});
