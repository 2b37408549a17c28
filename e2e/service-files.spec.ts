import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from '../electron/backend/db/sql';
import { shanghaiDateTime } from '../shared/time';
import { expect, login, openMenu, test } from './fixtures';
import { addMeters, addStaff, households, TODAY, withStation } from './readings-seed';

// Head office's files on the head's screen (总部文件): a 95598 dispatch workbook with one row for
// an unknown customer (refused with its reason, the others filed and on the due list), a workbook
// lacking a column (nothing filed), and the working-day calendar. On a 1366×768 screen.

test.describe.configure({ timeout: 240_000 });

const PASSWORD = 'files123';
const MIN = 60_000;

async function seed(db: string): Promise<string[]> {
  return withStation(db, async (backend) => {
    await addStaff(backend, [{ staffNo: 'H001', name: '李所长', roles: ['station_head'], password: PASSWORD }]);
    addMeters(backend, households(3, 'F'));
    return backend.store.read.column<string>(sql`SELECT account_no FROM customers ORDER BY account_no`);
  });
}

async function workbook(dir: string, name: string, rows: string[][]): Promise<string> {
  const XLSX = await import('xlsx');
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '派单');
  const file = join(dir, name);
  writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
  return file;
}

test('the head takes a 95598 file: the unknown customer\'s row is refused with its reason, the others are filed and on the due list', async ({ page, station }) => {
  const accounts = await seed(station.db);
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-files-'));
  // 95598 took the calls 100 and 70 minutes ago (Beijing time, as head office writes it).
  const at = (minutesAgo: number) => shanghaiDateTime(Date.now() - minutesAgo * MIN).slice(0, 16);
  const header = ['工单编号', '供电所编码', '工单类型', '受理时间', '户号', '联系人', '联系电话', '诉求内容'];
  const good = await workbook(dir, '95598派单.xlsx', [
    header,
    ['95598-2001', 'GD01', '故障报修', at(100), accounts[0]!, '张三', '13900000001', '整屋停电'],
    ['95598-2002', 'GD01', '投诉', at(95), 'GD01X999999', '李四', '13900000002', '抄表员态度差'],
    ['95598-2003', 'GD01', '故障报修', at(70), accounts[1]!, '王五', '13900000003', '电表箱冒烟'],
  ]);
  const noContent = await workbook(dir, '缺列.xlsx', [header.slice(0, 7), ['95598-2009', 'GD01', '咨询', at(10), accounts[2]!, '赵六', '13900000009']]);

  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, station, 'H001', PASSWORD);
  await openMenu(page, '总部文件');
  await expect(page.getByRole('heading', { name: '导入95598派单' })).toBeVisible();

  // A workbook without the 诉求内容 column: refused whole, nothing filed.
  await page.getByLabel('派单文件（xlsx）').setInputFiles(noContent);
  await expect(page.getByRole('alert')).toContainText('派单文件缺少列：诉求内容');
  await expect(page.getByRole('table', { name: '已接收的派单' })).toHaveCount(0);

  await page.getByLabel('派单文件（xlsx）').setInputFiles(good);
  await expect(page.getByRole('status')).toContainText('95598派单.xlsx：已接收 2 张工单，拒收 1 行');
  const refused = page.getByRole('table', { name: '拒收的行' });
  await expect(refused.getByRole('row')).toHaveCount(2); // header and the one row
  const row = refused.getByRole('row').nth(1);
  await expect(row.getByRole('cell').nth(0)).toHaveText('3');
  await expect(row.getByRole('cell').nth(1)).toHaveText('95598-2002');
  await expect(row.getByRole('cell').nth(2)).toHaveText('户号');
  await expect(row.getByRole('cell').nth(3)).toHaveText('第 3 行：户号不存在，派单 95598-2002 已拒收');
  const taken = page.getByRole('table', { name: '已接收的派单' });
  await expect(taken.getByRole('link')).toHaveText(['GD01-WO-000001', 'GD01-WO-000002']);
  // Nothing else was written: two orders on file.
  expect(await withStation(station.db, (b) => b.store.read.value<number>(sql`SELECT count(*) FROM work_orders`))).toBe(2);

  // The due list shows the filed orders, timed from 95598's receipt: one overdue, one due soon.
  await page.getByRole('link', { name: '查看临期与超期工单' }).click();
  await expect(page.getByText('服务时限：内置默认 default-2023')).toBeVisible();
  const list = page.getByRole('table', { name: '工单' });
  await expect(list.getByRole('row')).toHaveCount(3);
  await expect(list.getByRole('row').nth(1)).toContainText('GD01-WO-000001');
  await expect(list.getByRole('row').nth(1)).toContainText('95598派单');
  await expect(list.getByRole('row').nth(1)).toContainText('已超时');
  await expect(list.getByRole('row').nth(2)).toContainText('GD01-WO-000002');
  await expect(list.getByRole('row').nth(2)).toContainText('即将超时');
});

test('the head loads head office\'s calendar from the screen; a file with a bad day loads nothing', async ({ page, station }) => {
  await seed(station.db);
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-calendar-'));
  const year = TODAY.slice(0, 4);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ days: [{ date: `${year}-10-01`, kind: 'holiday', name: '国庆节' }, { date: `${year}-10-32`, kind: 'holiday' }] }));
  const good = join(dir, 'calendar.json');
  writeFileSync(good, JSON.stringify({ days: [{ date: `${year}-10-01`, kind: 'holiday', name: '国庆节' }, { date: `${year}-10-10`, kind: 'workday', name: '国庆调休' }] }));

  await page.setViewportSize({ width: 1366, height: 768 });
  await login(page, station, 'H001', PASSWORD);
  await openMenu(page, '总部文件');
  const days = page.getByRole('table', { name: `${year} 年的节假日与调休` });
  await expect(days).toContainText('这一年没有载入日历');

  await page.getByLabel('日历文件（JSON）').setInputFiles(bad);
  await expect(page.getByRole('alert')).toContainText('工作日历第 2 天的“date”不对');
  await expect(days).toContainText('这一年没有载入日历');

  await page.getByLabel('日历文件（JSON）').setInputFiles(good);
  await expect(page.getByRole('status')).toContainText('calendar.json：已载入 2 天');
  await expect(days.getByRole('row')).toHaveCount(3);
  await expect(days.getByRole('row').nth(1)).toContainText('节假日');
  await expect(days.getByRole('row').nth(1)).toContainText('国庆节');
  await expect(days.getByRole('row').nth(2)).toContainText('调休上班');
  // The policy in force, key by key, is on the same screen.
  await expect(page.getByRole('table', { name: '在用的政策项' })).toContainText('limits.repair.arrival.minutes');
});
