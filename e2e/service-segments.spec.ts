import { readFileSync } from 'node:fs';
import { addDays, addMonths } from '../shared/time';
import { addCustomer, issueBill } from '../electron/backend/collection/fixture';
import { postPayment } from '../electron/backend/collection/payments';
import { addStep, createOrder } from '../electron/backend/service/orders';
import { recordVisit } from '../electron/backend/service/visits';
import { expect, expectNoSidewaysScroll, login, openMenu, test } from './fixtures';
import { addStaff, PERIOD, staffId, TODAY, withStation } from './readings-seed';

// Customer segments (客户画像) as the office works them: the station head computes the month's
// segments on screen, finds the arrears-risk customer on the reminder list, exports the SMS file
// for head office's gateway and tags the customer as elderly living alone; the clerk then finds
// the customer at the counter and sees the tags at a glance. Customers and bills are seeded; the
// late payment goes through the collection desk's real posting (a cash payment 70 days after the
// due date), and everything checked is done through the UI.

test.describe.configure({ timeout: 240_000 });

const PASSWORD = 'segments123';

interface Seeded {
  risk: string;
  once: string;
  onTime: string;
}

async function seed(db: string): Promise<Seeded> {
  return withStation(db, async (backend) => {
    await addStaff(backend, [
      { staffNo: 'H001', name: '李所长', roles: ['station_head'], password: PASSWORD },
      { staffNo: 'C001', name: '周营业', roles: ['clerk'], password: PASSWORD },
    ]);
    const month = (n: number) => addMonths(PERIOD, n);
    // 刘大爷: late in two of the last six months: three months back paid in part 70 days after its
    // due date, two months back still unpaid 40 days past due. Last month's bill is not due yet.
    const risk = addCustomer(backend, { name: '刘大爷', phone: '13900001111', village: '柳树村' });
    issueBill(backend, { customerId: risk.id, period: month(-3), amountFen: 8640, dueDate: addDays(TODAY, -70) });
    issueBill(backend, { customerId: risk.id, period: month(-2), amountFen: 12000, dueDate: addDays(TODAY, -40) });
    issueBill(backend, { customerId: risk.id, period: month(-1), amountFen: 9000, dueDate: addDays(TODAY, 4) });
    const clerk = { id: staffId(backend, 'C001'), staffNo: 'C001', name: '周营业' };
    const station = backend.requireStation();
    backend.write({ staffId: clerk.id, label: 'C001 周营业' }, (unit) =>
      postPayment(unit, station.code, { customerId: risk.id, amountFen: 5000, channel: 'cash', tenderedFen: 5000, idempotencyKey: 'e2e-segments-late-1' }, clerk),
    );
    // 陈二: late once only (not an arrears risk); 张三: nothing past due.
    const once = addCustomer(backend, { name: '陈二', phone: '13900002222', village: '柳树村' });
    issueBill(backend, { customerId: once.id, period: month(-2), amountFen: 6000, dueDate: addDays(TODAY, -40) });
    issueBill(backend, { customerId: once.id, period: month(-1), amountFen: 7000, dueDate: addDays(TODAY, 4) });
    const onTime = addCustomer(backend, { name: '张三', phone: '13900003333', village: '柳树村' });
    issueBill(backend, { customerId: onTime.id, period: month(-1), amountFen: 5000, dueDate: addDays(TODAY, 4) });
    return { risk: risk.accountNo, once: once.accountNo, onTime: onTime.accountNo };
  });
}

test('an arrears-risk customer appears on the month\'s reminder list after the head computes segments, and the counter shows their tags', async ({ browser, page, station }) => {
  const c = await seed(station.db);
  await page.setViewportSize({ width: 1024, height: 768 });

  // The head's home page says this month's segments are not computed yet, and leads to them.
  await login(page, station, 'H001', PASSWORD);
  const card = page.getByRole('region', { name: '客户服务' });
  await expect(card).toContainText(`${PERIOD} 客户画像尚未计算`);
  await card.getByRole('link', { name: '去计算' }).click();
  await expect(page.getByRole('heading', { name: '客户画像与服务清单' })).toBeVisible();
  await expect(page.getByText('本月画像尚未计算').first()).toBeVisible();
  await page.getByRole('button', { name: '计算本月画像' }).click();
  await expect(page.getByRole('status')).toHaveText(`已计算 ${PERIOD}：新增 1，移出 0`);
  await expect(page.getByText(new RegExp(`${PERIOD} 画像：.* 由 H001 李所长 计算（规则版本 default-1）`))).toBeVisible();

  const counts = page.getByRole('table', { name: '各类客户' });
  await expect(page.getByRole('table', { name: '催缴提醒' }).getByRole('row')).toHaveCount(2);
  await expectNoSidewaysScroll(page);
  await expect(counts.getByRole('row', { name: /欠费风险/ })).toContainText('1');
  await expect(counts.getByRole('row', { name: /欠费风险/ })).toContainText('催缴提醒');

  // The reminder list: 刘大爷 with his ledger balance (86.40 + 120.00 + 90.00 billed, 50.00 paid, of
  // which 6.05 settled the older month's penalty: 86.40 × 1‰ × 70 days), not the others.
  const reminders = page.getByRole('table', { name: '催缴提醒' });
  await expect(reminders.getByRole('row')).toHaveCount(2);
  const row = reminders.getByRole('row', { name: new RegExp(c.risk) });
  await expect(row).toContainText('刘大爷');
  await expect(row).toContainText('13900001111');
  await expect(row).toContainText('欠费风险');
  await expect(row).toContainText('¥252.45');
  await expect(reminders).not.toContainText(c.once);
  await expect(reminders).not.toContainText(c.onTime);

  // The SMS file for head office's gateway: one line for 刘大爷.
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出短信文件' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`催缴提醒名单-${PERIOD}.csv`);
  const lines = readFileSync((await file.path())!, 'utf8').trim().split('\r\n');
  expect(lines[0]).toBe('phone,account_no,message');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(`13900001111,${c.risk},`);
  expect(lines[1]).toContain('刘大爷');

  // The list on A4 for the clerks who ring round: the same customer, a column for their notes.
  await page.getByRole('link', { name: '打印提醒名单' }).click();
  const printed = page.getByRole('table', { name: `${PERIOD} 催缴提醒名单` });
  await expect(printed.getByRole('row')).toHaveCount(2);
  await expect(printed.getByRole('row').nth(1)).toContainText(`1${c.risk}刘大爷`);
  await expect(printed.getByRole('row').nth(1)).toContainText('¥252.45');
  await expect(page.getByText('共 1 户，当前欠费合计 ¥252.45')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('heading', { name: '客户画像与服务清单' })).toBeVisible();

  // The head opens his tags from the list and tags him as elderly living alone, with the reason.
  await row.click();
  const tags = page.getByRole('region', { name: '客户标签' });
  await expect(tags.getByRole('list', { name: '现有标签' })).toContainText('欠费风险');
  const change = tags.getByRole('form', { name: '加标签或去标签' });
  await change.getByLabel('人工标签').selectOption('elderly_alone');
  // A tag without a reason is refused, and nothing is written.
  await change.getByRole('button', { name: '加标签' }).click();
  await expect(tags.getByRole('alert')).toContainText('加标签或去标签都要写明原因');
  await change.getByLabel('原因').click();
  await page.keyboard.type('子女在外务工，独自居住');
  await page.keyboard.press('Enter');
  await expect(tags.getByRole('status')).toHaveText(`已给 ${c.risk} 加上“独居老人”`);
  await expect(tags.getByRole('list', { name: '现有标签' })).toContainText('独居老人');
  await expect(tags).toContainText('停电须所长批准');
  // He is now also on the list of customers who must not be disconnected without the head.
  await page.getByRole('group', { name: '本月服务清单' }).getByRole('button', { name: '停电须批准' }).click();
  await expect(page.getByRole('table', { name: '停电须批准' }).getByRole('row', { name: new RegExp(c.risk) })).toContainText('独居老人');
  await expect(page.getByRole('table', { name: '各类客户' }).getByRole('row', { name: /独居老人/ })).toContainText('1');

  // The clerk at the counter finds him by account number: his tags show at a glance.
  const context = await browser.newContext();
  const counter = await context.newPage();
  await login(counter, station, 'C001', PASSWORD);
  await openMenu(counter, '柜台收费');
  const search = counter.getByRole('combobox', { name: '查找客户' });
  await search.click();
  await counter.keyboard.type(c.risk);
  await expect(counter.getByRole('listbox', { name: '查询结果' }).getByRole('option').first()).toContainText(c.risk);
  await counter.keyboard.press('Enter');
  const balance = counter.getByRole('region', { name: '应缴明细' });
  await expect(balance.getByRole('heading', { name: `${c.risk} 刘大爷` })).toBeVisible();
  const glance = balance.getByLabel('客户标签');
  await expect(glance).toContainText('欠费风险');
  await expect(glance).toContainText('独居老人');
  await expect(glance).toContainText('停电须所长批准');

  // 陈二, late once, carries no tag.
  await search.click();
  await counter.keyboard.type(c.once);
  await expect(counter.getByRole('listbox', { name: '查询结果' }).getByRole('option').first()).toContainText(c.once);
  await counter.keyboard.press('Enter');
  await expect(balance.getByRole('heading', { name: `${c.once} 陈二` })).toBeVisible();
  await expect(balance.getByLabel('客户标签')).toHaveText('无标签');
  await context.close();
});

test('the head reads the month\'s service report: orders by kind, source and staff with compliance, the satisfaction trend with charts, and exports it', async ({ page, station }) => {
  await withStation(station.db, async (backend) => {
    await addStaff(backend, [
      { staffNo: 'H001', name: '李所长', roles: ['station_head'], password: PASSWORD },
      { staffNo: 'C001', name: '周营业', roles: ['clerk'], password: PASSWORD },
      { staffNo: 'M001', name: '王抄表', roles: ['meter_reader'], password: PASSWORD },
    ]);
    const customer = addCustomer(backend, { name: '刘大爷', phone: '13900001111' });
    const clerk = { staffId: staffId(backend, 'C001'), label: 'C001 周营业' };
    const head = { staffId: staffId(backend, 'H001'), label: 'H001 李所长' };
    const reader = { staffId: staffId(backend, 'M001'), label: 'M001 王抄表' };
    // A repair called in 30 minutes ago: assigned, the reader arrives and restores power in time;
    // the return visit finds the customer satisfied.
    const repair = backend.write(clerk, (unit) => createOrder(unit, { kind: 'repair', source: 'phone', accountNo: customer.accountNo, content: '家里整屋停电', receivedAt: Date.now() - 30 * 60_000 }));
    backend.write(head, (unit) => addStep(unit, repair.orderNo, { kind: 'assign', assigneeStaffNo: 'M001' }, { staffId: head.staffId, manager: true }));
    backend.write(reader, (unit) => addStep(unit, repair.orderNo, { kind: 'arrive', note: '已到现场' }, { staffId: reader.staffId, manager: false }));
    backend.write(reader, (unit) => addStep(unit, repair.orderNo, { kind: 'restore', note: '更换熔断器' }, { staffId: reader.staffId, manager: false }));
    const closed = backend.write(reader, (unit) => addStep(unit, repair.orderNo, { kind: 'close', note: '更换熔断器，已恢复供电' }, { staffId: reader.staffId, manager: false }));
    backend.write(clerk, (unit) => recordVisit(unit, { visitId: closed.visitId!, reached: true, satisfaction: 5, comments: '来得很快' }));
    // A consultation at the counter answered by the reader; the return call does not reach anyone.
    const ask = backend.write(clerk, (unit) => createOrder(unit, { kind: 'consultation', source: 'counter', accountNo: customer.accountNo, content: '阶梯电价怎么算' }));
    backend.write(head, (unit) => addStep(unit, ask.orderNo, { kind: 'assign', assigneeStaffNo: 'M001' }, { staffId: head.staffId, manager: true }));
    const answered = backend.write(reader, (unit) => addStep(unit, ask.orderNo, { kind: 'close', note: '已当面解释阶梯电价' }, { staffId: reader.staffId, manager: false }));
    backend.write(clerk, (unit) => recordVisit(unit, { visitId: answered.visitId!, reached: false }));
    // A complaint at the counter, not assigned yet.
    backend.write(clerk, (unit) => createOrder(unit, { kind: 'complaint', source: 'counter', accountNo: customer.accountNo, content: '营业厅排队太久' }));
  });

  await page.setViewportSize({ width: 1024, height: 768 });
  await login(page, station, 'H001', PASSWORD);
  await openMenu(page, '服务报表');
  await expect(page.getByRole('heading', { name: '服务报表', level: 1 })).toBeVisible();
  const byKind = page.getByRole('table', { name: '按类型' });
  const repairRow = byKind.getByRole('row', { name: /故障报修/ });
  await expect(repairRow.getByRole('cell')).toHaveText(['故障报修', '1', '1', '1', '100.0%', '0']);
  await expect(byKind.getByRole('row', { name: /咨询/ }).getByRole('cell')).toHaveText(['咨询', '1', '1', '1', '100.0%', '0']);
  await expect(byKind.getByRole('row', { name: /^投诉/ }).getByRole('cell')).toHaveText(['投诉', '1', '0', '0', '—', '0']);
  await expect(byKind.getByRole('row', { name: /合计/ })).toContainText('3');
  const bySource = page.getByRole('table', { name: '按来源' });
  await expect(bySource.getByRole('row', { name: /柜台/ })).toContainText('2');
  await expect(bySource.getByRole('row', { name: /电话/ })).toContainText('1');
  await expect(page.getByRole('table', { name: '按人员' }).getByRole('row', { name: /M001/ }).getByRole('cell')).toHaveText(['M001', '王抄表', '2', '2', '100.0%', '0']);
  await expect(page.getByRole('table', { name: '满意度趋势' }).getByRole('row', { name: new RegExp(PERIOD) }).getByRole('cell')).toHaveText([PERIOD, '1', '1', '100.0%', '1']);
  // Both charts are drawn (SVG).
  await expect(page.getByRole('img', { name: '各类工单数与时限达标率' }).locator('svg')).toBeVisible();
  await expect(page.getByRole('img', { name: '满意率趋势' }).locator('svg')).toBeVisible();
  await expectNoSidewaysScroll(page);

  // An earlier range without orders shows zeros, not last month's figures.
  const to = page.getByLabel('截止月份');
  await to.fill(addMonths(PERIOD, -1));
  await to.press('Enter');
  await expect(repairRow.getByRole('cell')).toHaveText(['故障报修', '0', '0', '0', '—', '0']);
  await to.fill(PERIOD);
  await to.press('Enter');
  await expect(repairRow.getByRole('cell').nth(1)).toHaveText('1');

  // The workbook: the same figures, one sheet each, for the range shown (the last six months, ending with this one).
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出报表（xlsx）' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`客户服务报表-${addMonths(PERIOD, -5)}-${PERIOD}.xlsx`);
  const XLSX = await import('xlsx');
  const book = XLSX.read(readFileSync((await file.path())!));
  expect(book.SheetNames).toEqual(['按类型', '按来源', '按人员', '满意度趋势']);
  const kinds = XLSX.utils.sheet_to_json<unknown[]>(book.Sheets['按类型']!, { header: 1 });
  expect(kinds).toContainEqual(['故障报修', 1, 1, 1, 100, 0]);
});
