import { ADMIN, api, createStaffViaUi, expect, login, logout, openMenu, test } from './fixtures';

async function setOwnPassword(page: import('@playwright/test').Page, current: string, next: string) {
  await expect(page.getByText('管理员已重置您的密码')).toBeVisible();
  await page.getByLabel('当前密码').fill(current);
  await page.getByLabel('新密码', { exact: true }).fill(next);
  await page.getByLabel('再次输入新密码').fill(next);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: /欢迎/ })).toBeVisible();
}

test('first run: set up the station, create a clerk and a meter reader; the clerk cannot manage staff', async ({ page, freshStation, request }) => {
  await page.goto(freshStation.url);
  await expect(page.getByRole('heading', { name: '新建供电所' })).toBeVisible();
  await page.getByLabel('供电所编码').fill('QS01');
  await page.getByLabel('供电所名称').fill('青山供电所');
  await page.getByLabel('管理员工号').fill('A001');
  await page.getByLabel('管理员姓名').fill('周管理');
  await page.getByLabel('密码', { exact: true }).fill('admin1234');
  await page.getByLabel('再次输入密码').fill('admin1234');
  await page.getByRole('button', { name: '创建供电所' }).click();
  await expect(page.getByText('供电所已创建，请登录。')).toBeVisible();

  await login(page, freshStation, 'A001', 'admin1234');
  await expect(page.getByRole('heading', { name: '欢迎，周管理' })).toBeVisible();
  await createStaffViaUi(page, { staffNo: 'C001', name: '王芳', roles: ['营业员'], password: 'clerk1234' });
  await createStaffViaUi(page, { staffNo: 'M001', name: '李强', roles: ['抄表员'], password: 'reader1234' });
  const table = page.getByRole('table', { name: '员工管理' });
  await expect(table.getByRole('row', { name: /C001 王芳 营业员/ })).toBeVisible();
  await expect(table.getByRole('row', { name: /M001 李强 抄表员/ })).toBeVisible();
  await logout(page);

  await login(page, freshStation, 'C001', 'clerk1234');
  await setOwnPassword(page, 'clerk1234', 'counter5678');
  await expect(page.getByRole('link', { name: '员工管理' })).toHaveCount(0);
  // The back end refuses it too, not only the menu.
  const refused = await api(page.request, freshStation, 'staff.create', { staffNo: 'X001', name: '冒名', roles: ['admin'], password: 'abc12345' });
  expect(refused.status).toBe(403);
  expect(refused.body.error?.code).toBe('forbidden');
  expect(refused.body.error?.message).toContain('无权');
  // A call with no session at all is told to log in.
  const anonymous = await api(request, freshStation, 'staff.list');
  expect(anonymous.body.error?.code).toBe('not_logged_in');
});

test('five wrong passwords lock the account; the right one is then refused with the time it unlocks', async ({ page, station }) => {
  for (let attempt = 1; attempt <= 4; attempt++) {
    await login(page, station, ADMIN.staffNo, 'wrong-pass-1');
    await expect(page.getByRole('alert')).toContainText(`还可尝试 ${5 - attempt} 次`);
  }
  await login(page, station, ADMIN.staffNo, 'wrong-pass-1');
  await expect(page.getByRole('alert')).toContainText('账号已锁定');
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('账号已锁定，请于');
  await expect(alert).toHaveText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 之后再试/);
  await expect(page.getByRole('heading', { name: /欢迎/ })).toHaveCount(0);
});

test('the station head sees the staff creations in the audit log, with who and when', async ({ page, station }) => {
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await createStaffViaUi(page, { staffNo: 'H001', name: '李所长', roles: ['所长'], password: 'head12345' });
  await createStaffViaUi(page, { staffNo: 'C002', name: '赵敏', roles: ['营业员'], password: 'clerk1234' });
  await logout(page);

  await login(page, station, 'H001', 'head12345');
  await setOwnPassword(page, 'head12345', 'head67890');
  await openMenu(page, '操作日志');
  await page.getByLabel('操作', { exact: true }).selectOption({ label: '新增员工' });
  const log = page.getByRole('table', { name: '操作日志' });
  const created = log.getByRole('row').filter({ hasText: '新增员工' });
  await expect(created.filter({ hasText: 'staffNo: C002' })).toHaveCount(1);
  await expect(created.filter({ hasText: 'staffNo: H001' })).toHaveCount(1);
  const row = created.filter({ hasText: 'staffNo: C002' });
  await expect(row).toContainText(`${ADMIN.staffNo} ${ADMIN.name}`);
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  // Filter by who did it: the administrator.
  await page.getByLabel('操作人').selectOption({ label: `${ADMIN.staffNo} ${ADMIN.name}` });
  await expect(created).toHaveCount(2); // H001 and C002; the administrator was made by the set-up itself
});

test('the administrator runs a backup and watches the progress bar finish', async ({ page, station }) => {
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await openMenu(page, '数据备份');
  await page.getByRole('button', { name: '立即备份' }).click();
  const bar = page.getByRole('progressbar', { name: '正在备份…' });
  await expect(bar).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByText('已完成')).toBeVisible();
  await expect(page.getByRole('status')).toContainText(/备份完成：griddesk-GD01-manual-\d{8}-\d{6}\.db/);
  await expect(page.getByRole('table', { name: '已有备份' }).getByRole('row').filter({ hasText: '手动' })).toHaveCount(1);
  // The file is a whole, checkable GridDesk database.
  const file = (await page.getByRole('table', { name: '已有备份' }).getByRole('row').filter({ hasText: '手动' }).locator('td.mono').textContent()) ?? '';
  const check = station.cli(['check', '--db', `${station.dir}/backups/${file}`, '--json']);
  expect(check.stderr).toBe('');
  expect(JSON.parse(check.stdout).integrity).toBe('ok');
});

test('a head locked out by wrong approver passwords at a clerk’s screen is told by whom; the administrator unlocks', async ({ page, station }) => {
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await createStaffViaUi(page, { staffNo: 'H001', name: '李所长', roles: ['所长'], password: 'head12345' });
  await createStaffViaUi(page, { staffNo: 'C002', name: '赵敏', roles: ['营业员'], password: 'clerk1234' });
  await logout(page);
  await login(page, station, 'C002', 'clerk1234');
  await setOwnPassword(page, 'clerk1234', 'clerk67890');
  // The clerk's screen asks for the head's password to reverse on the spot; five wrong ones
  // (sent with the clerk's session, as the counter screen sends them).
  for (let attempt = 1; attempt <= 5; attempt++) {
    const response = await api(page.request, station, 'collection.requestReversal', { receiptNo: 'GD01-R-00000001', reason: '收错户', approver: { staffNo: 'H001', password: 'wrong-pass-1' } });
    expect(response.body.ok).toBe(false);
  }
  await logout(page);

  // The head is told who locked the login and that the administrator can unlock it.
  await login(page, station, 'H001', 'head12345');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('C002 赵敏');
  await expect(alert).toContainText('系统管理员');

  // The administrator sees the cause on the staff screen and unlocks.
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await openMenu(page, '员工管理');
  const row = page.getByRole('table', { name: '员工管理' }).getByRole('row').filter({ hasText: 'H001' });
  await expect(row).toContainText('由 C002 赵敏 触发（collection.requestReversal）');
  await row.getByRole('button', { name: '解锁' }).click();
  await expect(row.getByRole('button', { name: '解锁' })).toHaveCount(0);
  await logout(page);
  await login(page, station, 'H001', 'head12345');
  await setOwnPassword(page, 'head12345', 'head67890');
});
