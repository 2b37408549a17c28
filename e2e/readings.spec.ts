import type { Page } from '@playwright/test';
import XLSX from 'xlsx';
import { api, expect, login, openMenu, test, type Station } from './fixtures';
import { pdfText } from './pdf';
import { addMeters, addStaff, book, history, households, openPeriod, PERIOD, SYSTEM_ACTOR, TODAY, withStation } from './readings-seed';

// Meter reading as the office does it: the reader keys in a book, the billing clerk reviews what
// was flagged, the station head closes the month. Customer files, staff and past months are
// seeded into the station's database; everything checked is done through the UI.

const PASSWORD = 'reading123';
const STAFF = [
  { staffNo: 'M001', name: '王抄表', roles: ['meter_reader' as const], password: PASSWORD },
  { staffNo: 'M002', name: '赵抄表', roles: ['meter_reader' as const], password: PASSWORD },
  { staffNo: 'B001', name: '钱核算', roles: ['billing_clerk' as const], password: PASSWORD },
  { staffNo: 'H001', name: '李所长', roles: ['station_head' as const], password: PASSWORD },
];

async function openBook(page: Page, bookNo: string) {
  await openMenu(page, '抄表录入');
  await page.getByRole('link', { name: `录入 ${bookNo}` }).click();
  await expect(page.getByRole('table', { name: '抄表录入' })).toBeVisible();
}

const row = (page: Page, seq: number) => page.getByRole('table', { name: '抄表录入' }).locator(`tr[data-row="${seq - 1}"]`);

function listReadings(station: Station, bookNo: string) {
  const out = station.cli(['readings', 'list', '--period', PERIOD, '--book', bookNo, '--json']);
  expect(out.stderr).toBe('');
  return JSON.parse(out.stdout).rows as { seq: number; current: string | null; consumption: string | null; status: string; flags: string[] }[];
}

test('a meter reader keys in a 300-meter book with the keyboard alone; reloading mid-book loses nothing', async ({ page, station }) => {
  test.setTimeout(480_000);
  const bookNo = await withStation(station.db, async (backend) => {
    await addStaff(backend, STAFF);
    const points = addMeters(backend, households(300, 'D'));
    const b = book(backend, points, 'M001', '东村一本');
    await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
    return b.bookNo;
  });
  await login(page, station, 'M001', PASSWORD);
  await openBook(page, bookNo);
  await expect(page.getByText('已录 0 / 应抄 300').first()).toBeVisible();
  // The grid starts in row 1: type, Enter, type, Enter …
  await expect(page.getByLabel('第 1 行止码')).toBeFocused();
  // The first rows key by key; the rest one figure per call (the same input events, fewer round trips).
  for (let seq = 1; seq <= 150; seq++) {
    if (seq <= 5) await page.keyboard.type(String(100 + seq));
    else await page.keyboard.insertText(String(100 + seq));
    await page.keyboard.press('Enter');
  }
  await expect(page.getByText('已录 150 / 应抄 300').first()).toBeVisible();
  // Row 151 typed but not saved when the window goes away.
  await expect(page.getByLabel('第 151 行止码')).toBeFocused();
  await page.keyboard.type('251.5');
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: '已恢复 1 条上次未保存的输入' })).toBeVisible();
  await expect(page.getByLabel('第 151 行止码')).toHaveValue('251.5');
  await expect(page.getByLabel('第 151 行止码')).toBeFocused();
  await expect(page.getByText('已录 150 / 应抄 300').first()).toBeVisible();
  await page.keyboard.press('Enter');
  for (let seq = 152; seq <= 300; seq++) {
    await page.keyboard.insertText(String(100 + seq));
    await page.keyboard.press('Enter');
  }
  await expect(page.getByText('已录 300 / 应抄 300').first()).toBeVisible();
  await expect(row(page, 300)).toHaveAttribute('data-status', 'clean');
  const saved = listReadings(station, bookNo);
  expect(saved).toHaveLength(300);
  expect(saved.every((r) => r.status === 'clean')).toBe(true);
  expect(saved[150]).toMatchObject({ seq: 151, current: '251.5', consumption: '251.5' });
  expect(saved[299]).toMatchObject({ seq: 300, current: '400', consumption: '400' });
});

test('a reading below the previous one near 99999 is offered as a rollover; far from it, it is refused', async ({ page, station }) => {
  const bookNo = await withStation(station.db, async (backend) => {
    await addStaff(backend, STAFF);
    const points = addMeters(backend, [
      ...households(1, 'N', { startReading: '99950' }),
      ...households(1, 'F', { startReading: '50000' }),
    ]);
    const b = book(backend, points, 'M001', '满码测试本');
    await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
    return b.bookNo;
  });
  await login(page, station, 'M001', PASSWORD);
  await openBook(page, bookNo);
  await page.keyboard.type('120');
  await page.keyboard.press('Enter');
  await expect(row(page, 1).getByRole('alert')).toContainText('止码小于起码，疑似满码翻转，电量 170 kWh');
  // The rollover is offered on its row; the cursor stays on the next row (it is never taken
  // back), and Alt+N goes to the row waiting: its confirm button, where Enter confirms.
  await expect(page.getByLabel('第 2 行止码')).toBeFocused();
  await expect(page.getByText('待处理 1 行')).toBeVisible();
  await page.keyboard.press('Alt+N');
  const confirm = row(page, 1).getByRole('button', { name: '确认满码翻转' });
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(row(page, 1)).toHaveAttribute('data-status', 'awaiting_review');
  await expect(row(page, 1)).toContainText('满码翻转');
  await expect(row(page, 1).locator('td').nth(7)).toHaveText('170');
  await expect(page.getByText('待处理 1 行')).toHaveCount(0);

  await expect(page.getByLabel('第 2 行止码')).toBeFocused();
  await page.keyboard.type('40000');
  await page.keyboard.press('Enter');
  await expect(row(page, 2).getByRole('alert')).toHaveText('止码 40000 小于起码 50000；若按满码翻转将走字 90000，超过合理上限 10000，请核对读数');
  await expect(page.getByLabel('第 2 行止码')).toBeFocused();
  await expect(row(page, 2)).toHaveAttribute('data-status', 'not_entered');
  expect(listReadings(station, bookNo).map((r) => [r.current, r.consumption, r.flags])).toEqual([
    ['120', '170', ['rollover']],
    [null, null, []],
  ]);
});

test('a spike of 10× the history is flagged; the billing clerk accepts it; the station head closes the period', async ({ page, station }) => {
  const { bookNo, customerId } = await withStation(station.db, async (backend) => {
    await addStaff(backend, STAFF);
    const points = addMeters(backend, households(3, 'S'));
    const b = book(backend, points, 'M001', '南村本');
    await history(backend, points, 3, 100);
    return { bookNo: b.bookNo, customerId: points[0]!.customerId };
  });
  await login(page, station, 'M001', PASSWORD);
  await openBook(page, bookNo);
  for (const value of ['1300', '400', '395']) {
    await page.keyboard.type(value);
    await page.keyboard.press('Enter');
  }
  await expect(page.getByText('已录 3 / 应抄 3').first()).toBeVisible();
  await expect(row(page, 1)).toContainText('待复核 · 电量偏高');
  const flagged = page.getByRole('region', { name: '本本异常' });
  await expect(flagged).toContainText('电量 1000 kWh');
  await expect(flagged).toContainText('偏高');
  await page.getByRole('button', { name: '退出登录' }).click();

  await login(page, station, 'B001', PASSWORD);
  await openMenu(page, '抄表复核');
  const item = page.getByRole('article').filter({ hasText: 'S户1' });
  await expect(item).toContainText('电量 1000 kWh');
  await expect(item).toContainText(`近期电量：${PERIOD.slice(0, 4)}`);
  await item.getByLabel('复核意见').fill('新装电热水器，电话核实属实');
  await item.getByRole('button', { name: '接受' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已接受' })).toBeVisible();
  await expect(page.getByText('待处理 0 条')).toBeVisible();
  await page.getByRole('button', { name: '退出登录' }).click();

  await login(page, station, 'H001', PASSWORD);
  await openMenu(page, '抄表进度');
  await expect(page.getByRole('img', { name: new RegExp(`各抄表本进度：${bookNo} 3/3`) })).toBeVisible();
  // The menu marks where the head is, and only there (抄表录入's path is a prefix of this one).
  await expect(page.getByRole('navigation', { name: '主菜单' }).locator('[aria-current="page"]')).toHaveText(['抄表进度']);
  await page.getByRole('button', { name: `${PERIOD} 期关账` }).click();
  // 关账 cannot be undone: the in-app confirmation says so, its focus starts on 取消.
  const confirm = page.getByRole('dialog', { name: `${PERIOD} 期关账` });
  await expect(confirm).toContainText('关账后本期不再接受新读数');
  await expect(confirm.getByRole('button', { name: '取消' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: `${PERIOD} 期已关账` })).toBeVisible();
  await expect(page.getByText(`${PERIOD} 期（已关账）`)).toBeVisible();

  // The customer's page shows the month with the spike, accepted.
  await page.goto(`${station.url}#/customers/${customerId}`);
  const readings = page.getByRole('region', { name: '抄表记录' });
  await expect(readings).toContainText(`所在抄表本：${bookNo}`);
  const month = readings.getByRole('row').filter({ hasText: PERIOD });
  await expect(month).toContainText('1000');
  await expect(month).toContainText('已接受 · 电量偏高');
});

test('a meter reader cannot enter readings in a book assigned to someone else, in the UI or the API', async ({ page, station }) => {
  const { bookId, pointId } = await withStation(station.db, async (backend) => {
    await addStaff(backend, STAFF);
    const points = addMeters(backend, households(2, 'W'));
    const b = book(backend, points, 'M002', '西村本');
    await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
    return { bookId: b.id, pointId: points[0]!.pointId };
  });
  await login(page, station, 'M001', PASSWORD);
  await openMenu(page, '抄表录入');
  await expect(page.getByText('本期没有分配给您的抄表本。')).toBeVisible();
  // Straight to the other reader's book: shown, not editable.
  await page.goto(`${station.url}#/readings/entry/${PERIOD}/${bookId}`);
  await expect(page.getByRole('status').filter({ hasText: '这本抄表本分配给 赵抄表，您只能查看。' })).toBeVisible();
  await expect(page.getByLabel('第 1 行止码')).toHaveCount(0);
  const refused = await api(page.request, station, 'readings.save', { period: PERIOD, pointId, value: '10', readingDate: TODAY });
  expect(refused.status).toBe(403);
  expect(refused.body.error?.message).toContain('不是分配给您的，不能录入');
});

test('importing a handheld workbook lists exactly the row with a bad meter number and the one with a non-numeric reading', async ({ page, station }) => {
  await withStation(station.db, async (backend) => {
    await addStaff(backend, STAFF);
    const points = addMeters(backend, households(4, 'H'));
    book(backend, points, 'M001', '北村本');
    await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
  });
  const sheet = XLSX.utils.aoa_to_sheet([
    ['表号', '止码', '抄表日期', '抄表员'],
    ['H-0001', 120, TODAY, 'M001'],
    ['H-9999', 130, TODAY, 'M001'],
    ['H-0003', '12O', TODAY, 'M001'],
    ['H-0004', 150, TODAY, 'M001'],
  ]);
  const workbook = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(workbook, sheet, '抄表机');
  const buffer = XLSX.write(workbook, { type: 'buffer', bookType: 'xlsx' }) as Buffer;

  await login(page, station, 'M001', PASSWORD);
  await openMenu(page, '抄表录入');
  await page.getByRole('link', { name: '导入抄表机文件' }).click();
  await page.getByLabel('抄表机文件（xlsx）').setInputFiles({ name: '北村本.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer });
  await page.getByRole('button', { name: '检查文件' }).click();
  await expect(page.getByRole('status').filter({ hasText: '共 4 行' })).toHaveText('共 4 行：正常 2，有异常 0，待确认翻转 0，错误 2');
  const problems = page.getByRole('table', { name: '需要注意的行' }).locator('tbody tr');
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(0)).toContainText('3');
  await expect(problems.nth(0)).toContainText('表号：表号 H-9999 不在');
  await expect(problems.nth(1)).toContainText('4');
  await expect(problems.nth(1)).toContainText('止码：“12O”不是有效读数');
  expect(station.cli(['readings', 'list', '--period', PERIOD, '--json']).stdout).not.toContain('"current": "120"');
  await page.getByRole('button', { name: '导入 2 条有效读数' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已导入 2 条读数' })).toBeVisible();
});

test('the printable reading sheet lists the book in reading order with its previous readings', async ({ page, station }) => {
  const { bookId, bookNo } = await withStation(station.db, async (backend) => {
    await addStaff(backend, STAFF);
    const points = addMeters(backend, households(3, 'P', { startReading: '1234.5' }));
    const b = book(backend, points, 'M001', '打印本');
    await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
    return { bookId: b.id, bookNo: b.bookNo };
  });
  await login(page, station, 'M001', PASSWORD);
  await openMenu(page, '抄表录入');
  await page.getByRole('link', { name: '打印抄表清单' }).click();
  await expect(page).toHaveURL(new RegExp(`print/readings/sheet/${PERIOD}/${bookId}`));
  await expect(page.getByRole('heading', { name: `青山供电所 抄表清单 · ${PERIOD}` })).toBeVisible();
  const { text } = await pdfText(await page.pdf({ format: 'A4' }));
  expect(text).toContain(`抄表本 ${bookNo} 打印本`);
  expect(text).toContain('抄表员：王抄表');
  expect(text.indexOf('GD01P00001')).toBeLessThan(text.indexOf('GD01P00002'));
  expect(text.indexOf('GD01P00002')).toBeLessThan(text.indexOf('GD01P00003'));
  expect(text).toContain('1234.5');
  expect(text).toContain('共 3 块');
});
