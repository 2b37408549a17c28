import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { ADMIN, expect, login, logout, openMenu, runCli, startHost, test } from './fixtures';
import { createCustomerViaUi, signInAsClerk, signInAsNewStaff } from './customers-helpers';

test('a clerk files a customer with a meter, finds them by pinyin initials and phone tail, edits the address and sees it in the timeline', async ({ page, station }) => {
  await signInAsClerk(page, station);
  const account = await createCustomerViaUi(page, { name: '单田芳', phone: '13912348765', meterNo: 'DDS-2001', startReading: '1234.5', installDate: '2026-03-01' });
  expect(account).toBe('GD010000001');
  await createCustomerViaUi(page, { name: '孙涛', phone: '13700001111', meterNo: 'DDS-2002' });

  // By pinyin initials: 单 read as a surname (shan), so "stf", not "dtf".
  await openMenu(page, '客户档案');
  const box = page.getByRole('combobox', { name: '查找客户' });
  await box.fill('stf');
  const hits = page.getByRole('listbox', { name: '查询结果' });
  await expect(hits.getByRole('option')).toHaveCount(1);
  await expect(hits.getByRole('option').first()).toContainText('单田芳');
  await box.fill('8765');
  await expect(hits.getByRole('option')).toHaveCount(1);
  await expect(hits.getByRole('option').first()).toContainText(account);
  await box.press('Enter');
  await expect(page.getByRole('heading', { name: `${account} 单田芳` })).toBeVisible();
  const meters = page.getByRole('region', { name: '计量点与电能表' });
  await expect(meters).toContainText('DDS-2001');
  await expect(meters).toContainText('2026-03-01 装表，起码 1234.5');

  await page.getByRole('button', { name: '修改档案' }).click();
  const form = page.getByRole('form', { name: '修改档案：单田芳' });
  await form.getByLabel('详细地址').fill('5组8号');
  await form.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('status')).toContainText('档案已保存');
  await expect(page.getByRole('region', { name: '基本档案' })).toContainText('青山镇 东村 5组8号');
  const timeline = page.getByRole('region', { name: '变更记录' });
  const change = timeline.getByRole('listitem').first();
  await expect(change).toContainText('修改客户档案');
  await expect(change).toContainText('王芳');
  await expect(change).toContainText('详细地址：3组12号 → 5组8号');
});

test('a meter replacement shows both meters with their readings and dates', async ({ page, station }) => {
  await signInAsClerk(page, station);
  await createCustomerViaUi(page, { name: '曾小贤', phone: '13600002222', meterNo: 'OLD-3001', startReading: '100', installDate: '2026-01-10' });
  await page.getByRole('group', { name: '表号 OLD-3001' }).getByRole('button', { name: '换表' }).click();
  const dialog = page.getByRole('dialog', { name: '换表：OLD-3001' });
  await dialog.getByLabel('止码').fill('2345.67');
  await dialog.getByLabel('原因').fill('表计故障');
  await dialog.getByLabel('表号').fill('NEW-3002');
  await dialog.getByLabel('倍率').fill('1');
  await dialog.getByLabel('日期').fill('2026-06-15');
  await dialog.getByLabel('起码', { exact: true }).fill('0');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  const oldMeter = page.getByRole('group', { name: '表号 OLD-3001' });
  const newMeter = page.getByRole('group', { name: '表号 NEW-3002' });
  await expect(oldMeter).toContainText('已拆');
  await expect(oldMeter).toContainText('2026-01-10 装表，起码 100');
  await expect(oldMeter).toContainText('2026-06-15 拆表，止码 2345.67');
  await expect(oldMeter).toContainText('表计故障');
  await expect(newMeter).toContainText('在用');
  await expect(newMeter).toContainText('2026-06-15 装表，起码 0');
  await expect(page.getByRole('region', { name: '变更记录' }).getByRole('listitem').first()).toContainText('OLD-3001 止码 2345.67 → NEW-3002 起码 0（2026-06-15）');
});

const HEADER = ['户号', '户名', '联系电话', '乡镇', '村', '详细地址', '台区', '用电类别', '立户日期', '表号', '表位数', '倍率', '起码'];
function row(i: number): string[] {
  return ['', `导入户${i}`, `139${String(10_000_000 + i)}`, '白水乡', '南岭村', `${i}号`, '南岭村1号台区', '居民生活', '2026-02-01', `IMP-${1000 + i}`, '5', '1', '0'];
}

test('importing 50 rows with 3 bad ones lists exactly those rows and columns, files the 47 others, and is audited once', async ({ page, station }) => {
  const rows = [HEADER, ...Array.from({ length: 50 }, (_, i) => row(i + 1))];
  (rows[5] as string[])[2] = '1391234'; // Excel row 6: phone too short
  (rows[17] as string[])[7] = '工业'; // row 18: unknown class
  (rows[40] as string[])[8] = '2026-02-30'; // row 41: no such date
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-import-'));
  const file = join(dir, '客户导入.xlsx');
  const { writeWorkbook } = await import('../electron/backend/customers/workbook/write');
  writeFileSync(file, await writeWorkbook([{ name: '客户', rows }]));

  await signInAsClerk(page, station);
  await openMenu(page, '客户档案');
  await page.getByRole('button', { name: '导入客户' }).click();
  await page.getByLabel('Excel 文件（.xlsx）').setInputFiles(file);
  await page.getByRole('button', { name: '检查' }).click();
  await expect(page.getByRole('status').filter({ hasText: '共 50 行' })).toContainText('47 行可以导入（47 户），3 行有错误');
  const issues = page.getByRole('table', { name: '错误清单' }).getByRole('row');
  await expect(issues).toHaveCount(4); // header + 3
  await expect(issues.nth(1)).toContainText(/^6联系电话/);
  await expect(issues.nth(2)).toContainText(/^18用电类别/);
  await expect(issues.nth(3)).toContainText(/^41立户日期/);
  await page.getByRole('button', { name: '导入 47 行有效数据' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已导入' })).toContainText('已导入 47 户（47 块表）');
  rmSync(dir, { recursive: true, force: true });

  await openMenu(page, '客户档案');
  await page.getByLabel('村', { exact: true }).selectOption('南岭村');
  await expect(page.getByRole('table', { name: '客户列表' })).toContainText('共 47 户');
  await logout(page);

  // The station head sees one import by that clerk in the audit log.
  await signInAsNewStaff(page, station, { staffNo: 'H001', name: '李所长', role: '所长' });
  await openMenu(page, '操作日志');
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '导入客户' });
  const log = page.getByRole('table', { name: '操作日志' }).getByRole('row').filter({ hasText: '导入客户' });
  await expect(log).toHaveCount(1);
  await expect(log).toContainText('C001 王芳');
  await expect(log).toContainText('customers: 47');
});

test('export then import into a fresh station round-trips every field', async ({ page, station, browser }) => {
  await signInAsClerk(page, station);
  await createCustomerViaUi(page, { name: '欧阳修文', phone: '13511112222', meterNo: 'RT-0001', multiplier: '20', startReading: '88.8', installDate: '2025-12-01' });
  await createCustomerViaUi(page, { name: '柳溪茶厂', phone: '0571-88001234', township: '柳溪乡', village: '清水村', transformerArea: '清水村2号台区', customerClass: '一般工商业', meterNo: 'RT-0002' });
  await openMenu(page, '客户档案');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 Excel' }).click();
  const file = join(station.dir, 'export.xlsx');
  await (await download).saveAs(file);
  await expect(page.getByRole('status')).toContainText('已导出 2 户');

  // A second station, set up by its own administrator, imports the file through the UI.
  const db = join(station.dir, 'other.db');
  expect(runCli(db, ['init', '--station', 'GD01', '--name', '白水供电所', '--admin', ADMIN.staffNo, '--password', ADMIN.password]).status).toBe(0);
  const other = await startHost(db);
  const context = await browser.newContext();
  const page2 = await context.newPage();
  try {
    const second = { url: other.url, db, dir: station.dir, cli: (args: string[]) => runCli(db, args) };
    await signInAsClerk(page2, second);
    await openMenu(page2, '客户档案');
    await page2.getByRole('button', { name: '导入客户' }).click();
    await page2.getByLabel('Excel 文件（.xlsx）').setInputFiles(file);
    await page2.getByRole('button', { name: '检查' }).click();
    await expect(page2.getByRole('status').filter({ hasText: '共 2 行' })).toContainText('2 行可以导入（2 户），0 行有错误');
    await page2.getByRole('button', { name: '导入 2 行有效数据' }).click();
    await expect(page2.getByRole('status').filter({ hasText: '已导入' })).toContainText('已导入 2 户（2 块表）');
    // Every field of both stations' files is the same.
    const dump = (path: string) =>
      ['GD010000001', 'GD010000002'].map((account) => {
        const shown = JSON.parse(runCli(path, ['customers', 'show', account, '--json']).stdout) as { customer: Record<string, unknown>; points: { label: string; meters: Record<string, unknown>[] }[] };
        const { id: _i, createdAt: _c, updatedAt: _u, ...customer } = shown.customer;
        return { customer, points: shown.points.map((p) => ({ label: p.label, meters: p.meters.map(({ id: _m, pointId: _p, ...m }) => m) })) };
      });
    expect(dump(db)).toEqual(dump(station.db));
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
  } finally {
    await context.close();
    other.child.kill('SIGTERM');
  }
});

test('a meter reader finds customers but sees ID numbers masked and cannot edit', async ({ page, station, request }) => {
  await signInAsClerk(page, station);
  const { api } = await import('./fixtures');
  const made = await api(page.request, station, 'customers.create', {
    name: '仇建国', phone: '13800003333', idCard: '11010519491231002X', township: '青山镇', village: '东村', transformerArea: '东村1号台区', customerClass: 'residential', openedDate: '2026-01-05',
  });
  expect(made.body.ok).toBe(true);
  await logout(page);
  await signInAsNewStaff(page, station, { staffNo: 'M001', name: '张伟', role: '抄表员' });
  await openMenu(page, '客户档案');
  await page.getByRole('combobox', { name: '查找客户' }).fill('qjg');
  await page.getByRole('combobox', { name: '查找客户' }).press('Enter');
  await expect(page.getByRole('heading', { name: /仇建国/ })).toBeVisible();
  await expect(page.getByRole('region', { name: '基本档案' })).toContainText('1101**********002X（已隐去）');
  await expect(page.getByRole('button', { name: '修改档案' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: '新建客户' })).toHaveCount(0);
  void request;
});

test('the first-run screen builds a demo station to log in to', async ({ page, freshStation }) => {
  await page.goto(freshStation.url);
  const demo = page.getByRole('form', { name: '演示供电所' });
  await demo.getByLabel('客户数').fill('200');
  await demo.getByRole('button', { name: '生成演示供电所' }).click();
  await expect(page.getByText(/演示供电所已生成/)).toBeVisible({ timeout: 60_000 });
  await login(page, freshStation, 'C001', 'demo1234');
  await openMenu(page, '客户档案');
  await expect(page.getByRole('table', { name: '客户列表' })).toContainText('共 200 户');
  // The list scrolls through every customer: the last row comes into view at the end.
  await page.getByRole('rowgroup', { name: '客户列表' }).focus();
  await page.keyboard.press('End');
  await expect(page.getByRole('table', { name: '客户列表' })).toContainText('QS010000200');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: /^QS010000200 / })).toBeVisible();
});
