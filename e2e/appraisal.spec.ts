import { sql } from '../electron/backend/db/sql';
import { enterReading } from '../electron/backend/readings/entry';
import { loadCallStaff } from '../electron/backend/staff/staff';
import { api, expect, login, logout, openMenu, test } from './fixtures';
import { pdfText } from './pdf';
import { addMeters, addStaff, book, households, openPeriod, PERIOD, SYSTEM_ACTOR, TODAY, staffId, withStation } from './readings-seed';

// Staff appraisal as the office works it: the head computes the month from the readings, deducts
// points with a reason, the reader sees why (down to the corrected readings) and acknowledges, the
// head signs and prints. Staff, meters and the month's readings are seeded; the score sheet is
// loaded with the CLI as the administrator would; everything checked is done through the UI.

test.describe.configure({ timeout: 240_000 });

const PASSWORD = 'apprais123';
const REASON = '抄错一户止码，客户投诉';

async function seed(db: string) {
  await withStation(db, async (backend) => {
    await addStaff(backend, [
      { staffNo: 'M001', name: '王抄表', roles: ['meter_reader'], password: PASSWORD },
      { staffNo: 'M002', name: '赵抄表', roles: ['meter_reader'], password: PASSWORD },
      { staffNo: 'H001', name: '李所长', roles: ['station_head'], password: PASSWORD },
    ]);
    // They have worked here for years (their logins are new): the mid-month rule leaves them in.
    backend.store.write((tx) => {
      for (const no of ['M001', 'M002', 'H001']) tx.run(sql`INSERT INTO appraisal_staff_start (id, staff_id, start_date, set_at) VALUES (${`s-${no}`}, ${staffId(backend, no)}, '2020-01-01', 0)`);
    });
    const points = addMeters(backend, households(5, 'A'));
    book(backend, points, 'M001', '东村一本');
    await openPeriod(backend, SYSTEM_ACTOR, PERIOD);
    const reader = loadCallStaff(backend.store.read, staffId(backend, 'M001'))!;
    const head = loadCallStaff(backend.store.read, staffId(backend, 'H001'))!;
    const ids = backend.write({ staffId: reader.id, label: 'M001 王抄表' }, (unit) =>
      points.map((p, i) => {
        const out = enterReading(unit, { staff: reader }, { period: PERIOD, pointId: p.pointId, kind: 'actual', value: String(100 + i * 10), readingDate: TODAY, reason: '', confirmedRollover: false, supersedes: null, source: 'keyboard' }, TODAY);
        if (out.outcome !== 'saved') throw new Error(`seed reading: ${out.outcome}`);
        return out.reading.id;
      }),
    );
    // The head corrects the third reading: 120 was misread, 102 is right.
    backend.write({ staffId: head.id, label: 'H001 李所长' }, (unit) => {
      const out = enterReading(unit, { staff: head }, { period: PERIOD, pointId: points[2]!.pointId, kind: 'actual', value: '102', readingDate: TODAY, reason: '复核：多抄一位', confirmedRollover: false, supersedes: ids[2]!, source: 'keyboard' }, TODAY);
      if (out.outcome !== 'saved') throw new Error(`seed correction: ${out.outcome}`);
    });
  });
}

test('the head deducts 2 points with a reason; the reader sees it and the corrected reading behind the error rate and acknowledges; the head signs and prints both signatures; a signed sheet changes only by a new version', async ({ page, station }) => {
  await seed(station.db);
  const loaded = station.cli(['appraisal', 'sheets', 'import', 'docs/appraisal/kpi-100.json', '--lang', 'en']);
  expect(loaded.stderr).toBe('');
  expect(loaded.stdout).toContain('loaded    KPI100');

  // The head computes the month and deducts 2 points from the reader, with the reason.
  await login(page, station, 'H001', PASSWORD);
  await openMenu(page, '绩效考核');
  await page.getByRole('button', { name: '计算本月考核' }).click();
  await expect(page.getByRole('status')).toContainText('新草稿 3 份');
  const summary = page.getByRole('table', { name: '考核汇总表' });
  await summary.getByRole('row').filter({ hasText: 'M001' }).getByRole('link', { name: '查看' }).click();
  await expect(page.getByRole('heading', { name: /月度绩效考核表 M001 王抄表/ })).toBeVisible();
  await page.getByLabel('分数').fill('-2');
  await page.getByLabel('原因', { exact: true }).fill(REASON);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter'); // a double press sends one entry
  await expect(page.getByRole('status')).toContainText(`已录入 -2 分：${REASON}`);
  await expect(page.getByRole('table', { name: '加减分与评定' }).getByRole('row')).toHaveCount(2);
  await logout(page);

  // The reader opens their own sheet from the menu: the deduction, its reason, and the rows behind the error rate.
  await login(page, station, 'M001', PASSWORD);
  await expect(page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '绩效考核', exact: true })).toHaveCount(0);
  await openMenu(page, '我的考核');
  await page.getByRole('table', { name: '我的考核' }).getByRole('link', { name: '查看' }).click();
  const entries = page.getByRole('table', { name: '加减分与评定' });
  await expect(entries).toContainText('-2');
  await expect(entries).toContainText(REASON);
  const items = page.getByRole('table', { name: '考核内容' });
  await expect(items).toContainText('20%（1/5）'); // 1 of 5 readings corrected
  await items.getByRole('button', { name: '抄表差错率 明细' }).click();
  const rows = page.getByRole('table', { name: /抄表差错率 的明细/ });
  await expect(rows.getByRole('row')).toHaveCount(2);
  await expect(rows).toContainText('GD01A00003');
  await expect(rows).toContainText('120');
  await expect(rows).toContainText('102');
  await expect(rows).toContainText('复核：多抄一位');
  await page.getByRole('button', { name: '确认无误' }).click();
  await expect(page.getByRole('status')).toContainText('您已确认本月考核表');

  // Another reader's sheet: not by URL, not by the API.
  await page.goto(`${station.url}#/appraisal/sheet/${PERIOD}/M002`);
  await expect(page.getByRole('alert')).toContainText('只能查看本人的考核表');
  await expect(page.getByRole('table', { name: '考核内容' })).toHaveCount(0);
  const peek = await api(page.request, station, 'appraisal.get', { period: PERIOD, staffNo: 'M002' });
  expect(peek.status).toBe(403);
  await page.goto(`${station.url}#/appraisal`);
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('table', { name: '考核汇总表' })).toHaveCount(0);
  await logout(page);

  // The head signs and prints: the PDF shows the items, the reason and both signatures.
  await login(page, station, 'H001', PASSWORD);
  await expect(page.getByRole('heading', { name: /欢迎/ })).toBeVisible();
  await page.goto(`${station.url}#/appraisal/sheet/${PERIOD}/M001`);
  await expect(page.getByText(/M001 王抄表 确认无误/)).toBeVisible();
  await page.getByRole('button', { name: '所长签字' }).click();
  await expect(page.getByRole('status')).toContainText('已签字');
  await expect(page.getByLabel('分数')).toHaveCount(0); // no more points on a signed sheet
  const refused = await api(page.request, station, 'appraisal.adjust', { period: PERIOD, staffNo: 'M001', itemId: null, pointsCenti: 100, reason: '补加' });
  expect(refused.status).toBe(409);
  await page.getByRole('link', { name: '打印考核表' }).click();
  await expect(page.locator('.print-doc')).toBeVisible();
  const { text } = await pdfText(await page.pdf({ preferCSSPageSize: true, printBackground: true }));
  expect(text).toContain('月度绩效考核表');
  expect(text).toContain('实抄率');
  expect(text).toContain('抄表差错率');
  expect(text).toContain(REASON);
  expect(text).toMatch(/被考核人签字\s*M001 王抄表 确认无误/);
  expect(text).toMatch(/所长签字\s*H001 李所长/);

  // A change after signing is a new version with its reason; both are shown.
  await page.goto(`${station.url}#/appraisal/sheet/${PERIOD}/M001`);
  await page.getByLabel('修改原因').fill('投诉经核实不属实');
  await page.getByRole('button', { name: '修改已签字的考核表（生成新版本）' }).click();
  await expect(page.getByRole('status')).toContainText('已生成第 2 版');
  const history = page.getByRole('list', { name: '全部版本' });
  await expect(history).toContainText('第 2 版 · 修订');
  await expect(history).toContainText('投诉经核实不属实');
  await expect(history).toContainText('第 1 版 · 草稿 · 总分');
  await expect(history).toContainText('已签字：H001 李所长');
});
