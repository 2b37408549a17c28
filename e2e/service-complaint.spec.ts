import { sql } from '../electron/backend/db/sql';
import { expect, login, logout, openMenu, test } from './fixtures';
import { addMeters, addStaff, households, staffId, withStation } from './readings-seed';

// A walk-in complaint (柜台投诉) from the counter to the reader's appraisal, as the office works
// it: the clerk finds the customer at the counter and logs the complaint there; the head assigns
// it to the reader it names; the reader calls the customer and answers it (closed with the
// result, 投诉属实); the clerk's return visit finds the customer unsatisfied, so it re-opens; the
// head computes the month's appraisal drafts and the reader's sheet shows the valid complaint.
// Staff and customers are seeded, the score sheet is loaded with the CLI as the administrator
// would; everything checked is done through the UI. The survey test runs the same visit form
// in English.
//
// The first attempt at this test left no note of why it did not pass. What it needs that is easy
// to miss: the reader's sheet only exists when the appraisal counts the reader in the month
// (staff created today are left out by the mid-month rule of docs/appraisal.md unless their start
// date is set), and computing needs a score sheet in force; the seed sets both, as the appraisal
// e2e does. The counter had no way to log an order for the customer found there until 受理工单.

test.describe.configure({ timeout: 240_000 });

const PASSWORD = 'service123';
const COMPLAINT = '抄表员估抄，本月电量多出两百度';
const RESULT = '现场复抄，确认上月估抄，已更正电量并向客户致歉';

async function seed(db: string) {
  return withStation(db, async (backend) => {
    await addStaff(backend, [
      { staffNo: 'H001', name: '李所长', roles: ['station_head'], password: PASSWORD },
      { staffNo: 'M001', name: '王抄表', roles: ['meter_reader'], password: PASSWORD },
      { staffNo: 'C001', name: '周营业', roles: ['clerk'], password: PASSWORD },
    ]);
    // They have worked here for years (their logins are new): the appraisal's mid-month rule leaves them in.
    backend.store.write((tx) => {
      for (const no of ['M001', 'H001', 'C001']) tx.run(sql`INSERT INTO appraisal_staff_start (id, staff_id, start_date, set_at) VALUES (${`s-${no}`}, ${staffId(backend, no)}, '2020-01-01', 0)`);
    });
    addMeters(backend, households(3, 'T'));
    return backend.store.read.column<string>(sql`SELECT account_no FROM customers ORDER BY account_no`);
  });
}

test('a walk-in complaint is logged at the counter, assigned to the reader, answered as valid, return-visited as unsatisfied so it re-opens, and the reader\'s appraisal shows the valid complaint', async ({ page, station }) => {
  const accounts = await seed(station.db);
  const account = accounts[1]!;
  const loaded = station.cli(['appraisal', 'sheets', 'import', 'docs/appraisal/kpi-100.json']);
  expect(loaded.stderr).toBe('');

  // The clerk finds the customer at the counter and logs the complaint from there.
  await login(page, station, 'C001', PASSWORD);
  await openMenu(page, '柜台收费');
  const search = page.getByRole('combobox', { name: '查找客户' });
  await search.pressSequentially(account, { delay: 30 });
  await expect(page.getByRole('listbox', { name: '查询结果' }).getByRole('option').first()).toContainText(account);
  await search.press('Enter');
  const balance = page.getByRole('region', { name: '应缴明细' });
  await expect(balance.getByRole('heading')).toContainText(account);
  await balance.getByRole('link', { name: '受理工单' }).click();
  const form = page.getByRole('form', { name: '受理工单' });
  await expect(form.getByLabel('户号（非客户可空）')).toHaveValue(account);
  await expect(form.getByLabel('工单类型')).toHaveValue('complaint');
  await expect(form.getByLabel('来源')).toHaveValue('counter');
  await expect(form.getByLabel('诉求内容')).toBeFocused();
  await page.keyboard.type(COMPLAINT, { delay: 20 });
  await form.getByLabel('被投诉人工号').fill('M001');
  await form.getByLabel('被投诉人工号').press('Enter');
  await page.keyboard.press('Enter'); // a double press logs one order
  await expect(page.getByRole('status')).toContainText('已受理工单 GD01-WO-000001');
  await page.getByRole('button', { name: '全部' }).click();
  await expect(page.getByRole('table', { name: '工单' }).getByRole('row')).toHaveCount(2); // the header and one order
  await logout(page);

  // The head assigns it to the reader it names.
  await login(page, station, 'H001', PASSWORD);
  await openMenu(page, '工单');
  await page.getByRole('button', { name: '未办结' }).click();
  await page.getByRole('link', { name: 'GD01-WO-000001' }).click();
  await expect(page.getByText('被投诉人: M001 王抄表')).toBeVisible();
  const headStep = page.getByRole('form', { name: '记录' });
  await headStep.getByLabel('派给').selectOption('M001');
  await headStep.getByRole('button', { name: '记录' }).click();
  await expect(page.getByRole('status')).toContainText('已记录：派工');
  await logout(page);

  // The reader calls the customer, then answers: closed with the result, a valid complaint.
  await login(page, station, 'M001', PASSWORD);
  await openMenu(page, '工单');
  await page.getByRole('button', { name: '我的工单' }).click();
  await page.getByRole('link', { name: 'GD01-WO-000001' }).click();
  const step = page.getByRole('form', { name: '记录' });
  await step.getByLabel('记录').selectOption('contact');
  await step.getByLabel('说明 / 原因 / 结果').fill('已电话联系客户，约定明天上门复抄');
  await step.getByRole('button', { name: '记录' }).click();
  await expect(page.getByRole('status')).toContainText('已记录：联系客户');
  await step.getByLabel('记录').selectOption('close');
  await step.getByLabel('说明 / 原因 / 结果').fill(RESULT);
  await step.getByLabel('投诉属实（有效投诉）').check();
  await expect(step.getByLabel('责任人工号')).toBeVisible(); // empty: counted against the staff complained about
  await step.getByRole('button', { name: '记录' }).click();
  await expect(page.getByRole('status')).toContainText('已记录：办结');
  const steps = page.getByRole('table', { name: '处理过程' });
  await expect(steps).toContainText(RESULT);
  await expect(steps).toContainText('投诉属实，计入 M001 王抄表');
  await expect(page.getByRole('table', { name: '回访' })).toContainText('待回访');
  await logout(page);

  // The clerk makes the return visit from the list of visits waiting: reached, 2 of 5, unsatisfied.
  await login(page, station, 'C001', PASSWORD);
  await openMenu(page, '回访');
  const waiting = page.getByRole('table', { name: '待回访' });
  const row = waiting.getByRole('row').filter({ hasText: 'GD01-WO-000001' });
  await expect(row).toContainText('投诉');
  await row.getByRole('button', { name: '回访' }).click();
  const visit = page.getByRole('form', { name: '回访 GD01-WO-000001 投诉' });
  await expect(visit.getByLabel('已联系上客户')).toBeChecked();
  await visit.getByLabel('满意度（1–5）').selectOption('2');
  await expect(visit.getByLabel('不满意时')).toHaveValue('reopen');
  await visit.getByLabel('客户意见').pressSequentially('电量是改了，但抄表员态度不好', { delay: 20 });
  await visit.getByLabel('客户意见').press('Enter');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText('客户不满意：工单 GD01-WO-000001 已重新打开');
  await expect(waiting.getByRole('row').filter({ hasText: 'GD01-WO-000001' })).toHaveCount(0);
  await page.getByRole('button', { name: '全部回访' }).click();
  const all = page.getByRole('table', { name: '全部回访' });
  await expect(all.getByRole('row').filter({ hasText: 'GD01-WO-000001' })).toContainText('2 分 · 重新打开工单');
  await page.getByRole('link', { name: '查看工单' }).click();
  await expect(page.getByText('已重新打开 1 次')).toBeVisible();
  await expect(page.getByText(/处理中/).first()).toBeVisible();
  await expect(page.getByRole('table', { name: '处理过程' })).toContainText('回访不满意 (2/5): 电量是改了，但抄表员态度不好');
  await logout(page);

  // The head computes the month's drafts: the reader's sheet shows the valid complaint, 5 points off.
  await login(page, station, 'H001', PASSWORD);
  await openMenu(page, '绩效考核');
  await page.getByRole('button', { name: '计算本月考核' }).click();
  await expect(page.getByRole('status')).toContainText('新草稿');
  const summary = page.getByRole('table', { name: '考核汇总表' });
  await summary.getByRole('row').filter({ hasText: 'M001' }).getByRole('link', { name: '查看' }).click();
  await expect(page.getByRole('heading', { name: /月度绩效考核表 M001 王抄表/ })).toBeVisible();
  const items = page.getByRole('table', { name: '考核内容' });
  const complaints = items.getByRole('row').filter({ hasText: '有效投诉' });
  await expect(complaints.getByRole('button', { name: '有效投诉 明细' })).toHaveText('有效投诉：1');
  await expect(complaints.getByRole('cell').last()).toHaveText('5'); // 10 points, 5 off for the one valid complaint
  await complaints.getByRole('button', { name: '有效投诉 明细' }).click();
  const drill = page.getByRole('table', { name: /有效投诉 的明细/ });
  await expect(drill).toContainText('GD01-WO-000001');
  await expect(drill).toContainText(RESULT);
});

test('in English: the head starts the month\'s satisfaction survey; one customer is not reached, one is satisfied; a reached customer without a score is refused in English', async ({ page, station }) => {
  const accounts = await seed(station.db);
  await login(page, station, 'H001', PASSWORD);
  await expect(page.getByRole('heading', { name: /欢迎/ })).toBeVisible();
  await page.evaluate(() => localStorage.setItem('griddesk.locale', 'en'));
  await page.goto(`${station.url}#/service/visits`);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Return visits and satisfaction' })).toBeVisible();
  const survey = page.getByRole('form', { name: 'Satisfaction survey' });
  await survey.getByLabel('Customers to sample').fill('2');
  await survey.getByRole('button', { name: 'Start this month\'s survey' }).click();
  await expect(page.getByRole('status')).toContainText('customers to call');
  const waiting = page.getByRole('table', { name: 'To call' });
  await expect(waiting.locator('tbody tr')).toHaveCount(2);

  // The first: reached, but no score chosen: refused, nothing recorded; then not reached.
  const first = waiting.locator('tbody tr').filter({ hasText: accounts[0]! });
  await first.getByRole('button', { name: 'Call' }).click();
  const form = page.getByRole('form', { name: /^Return visit: / });
  await form.getByRole('button', { name: 'Save the visit' }).click();
  await expect(form.getByRole('alert')).toHaveText('The customer was reached: choose a satisfaction score of 1–5');
  await form.getByLabel('Not reached').check();
  await expect(form.getByLabel('Satisfaction (1–5)')).toHaveCount(0);
  await form.getByRole('button', { name: 'Save the visit' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Visit saved' })).toBeVisible();
  await expect(waiting.locator('tbody tr')).toHaveCount(1);

  // The second: reached, 5 of 5.
  await waiting.locator('tbody tr').filter({ hasText: accounts[1]! }).getByRole('button', { name: 'Call' }).click();
  await form.getByLabel('Satisfaction (1–5)').selectOption('5');
  await expect(form.getByLabel('If unsatisfied')).toHaveCount(0);
  await form.getByLabel('Customer comments').fill('Quick and polite');
  await form.getByLabel('Customer comments').press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Visit saved' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'To call' }).getByRole('cell', { name: 'No visits waiting' })).toBeVisible();

  await page.getByRole('button', { name: 'All visits' }).click();
  const all = page.getByRole('table', { name: 'All visits' });
  await expect(all.locator('tbody tr').filter({ hasText: accounts[0]! })).toContainText('Not reached');
  await expect(all.locator('tbody tr').filter({ hasText: accounts[1]! })).toContainText('Score 5');
  await expect(all.locator('tbody tr').filter({ hasText: accounts[1]! })).toContainText('Quick and polite');
});
