// End-to-end helpers for every desk that needs customers: staff who can work with them, and
// customers made through the real UI (as a clerk would) or the real API (when the test is about
// something else and only needs a customer to exist).
import type { APIRequestContext, Page } from '@playwright/test';
import { ADMIN, api, createStaffViaUi, expect, login, logout, openMenu, type Station } from './fixtures';

/** A staff member with a role, logged in with their own password (admin creates, they change it). */
export async function signInAsNewStaff(page: Page, station: Station, staff: { staffNo: string; name: string; role: string; password?: string }) {
  const initial = 'initial123';
  const own = staff.password ?? 'mypass1234';
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await createStaffViaUi(page, { staffNo: staff.staffNo, name: staff.name, roles: [staff.role], password: initial });
  await logout(page);
  await login(page, station, staff.staffNo, initial);
  await page.getByLabel('当前密码').fill(initial);
  await page.getByLabel('新密码', { exact: true }).fill(own);
  await page.getByLabel('再次输入新密码').fill(own);
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name: /欢迎/ })).toBeVisible();
}

/** A clerk (营业员) logged in: C001 王芳 by default. */
export function signInAsClerk(page: Page, station: Station, staffNo = 'C001', name = '王芳') {
  return signInAsNewStaff(page, station, { staffNo, name, role: '营业员' });
}

export interface UiCustomer {
  name: string;
  phone?: string;
  township?: string;
  village?: string;
  addressDetail?: string;
  transformerArea?: string;
  /** 用电类别 label as the form shows it (居民生活 by default). */
  customerClass?: string;
  meterNo?: string;
  multiplier?: string;
  startReading?: string;
  installDate?: string;
}

/** 新建客户 through the form, with a meter; returns the new 户号 (the page is then the customer's page). */
export async function createCustomerViaUi(page: Page, c: UiCustomer): Promise<string> {
  await openMenu(page, '客户档案');
  await page.getByRole('button', { name: '新建客户' }).click();
  const form = page.getByRole('form', { name: '新建客户' });
  await form.getByLabel('户名').fill(c.name);
  if (c.phone) await form.getByLabel('联系电话').fill(c.phone);
  await form.getByLabel('乡镇').fill(c.township ?? '青山镇');
  await form.getByLabel('村', { exact: true }).fill(c.village ?? '东村');
  await form.getByLabel('详细地址').fill(c.addressDetail ?? '3组12号');
  await form.getByLabel('台区').fill(c.transformerArea ?? '东村1号台区');
  if (c.customerClass) await form.getByLabel('用电类别').selectOption({ label: c.customerClass });
  if (c.installDate) await form.getByLabel('立户日期').fill(c.installDate);
  if (c.meterNo) {
    await form.getByLabel('表号').fill(c.meterNo);
    if (c.multiplier) await form.getByLabel('倍率').fill(c.multiplier);
    if (c.installDate) await form.getByLabel('装表日期').fill(c.installDate);
    await form.getByLabel('起码', { exact: true }).fill(c.startReading ?? '0');
  } else {
    await form.getByLabel('同时装表').uncheck();
  }
  await form.getByRole('button', { name: '保存' }).click();
  const notice = page.getByRole('status').filter({ hasText: '已建档' });
  await expect(notice).toBeVisible();
  const account = /已建档：(\S+)/.exec((await notice.textContent()) ?? '')?.[1];
  if (!account) throw new Error('no account number in the notice');
  return account;
}

/**
 * A customer made through the API with the session of `request` (e.g. page.request after a
 * clerk logged in). `input` overrides the defaults of a resident with one meter.
 */
export async function createCustomerViaApi(request: APIRequestContext, station: Station, input: Record<string, unknown> = {}) {
  const body = {
    name: '张三',
    phone: '13812345678',
    township: '青山镇',
    village: '东村',
    addressDetail: '3组12号',
    transformerArea: '东村1号台区',
    customerClass: 'residential',
    openedDate: '2026-01-05',
    points: [{ label: '', meter: { meterNo: `E2E-${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`, digits: 5, multiplier: 1, installDate: '2026-01-05', startReading: 0 } }],
    ...input,
  };
  const result = await api(request, station, 'customers.create', body);
  if (!result.body.ok) throw new Error(`customers.create failed: ${JSON.stringify(result.body.error)}`);
  return result.body.value as { customer: { id: string; accountNo: string; name: string }; points: { id: string; meters: { id: string; meterNo: string }[] }[] };
}

/** Finds a customer with the search box and opens the file (Enter on the best hit). */
export async function openCustomer(page: Page, query: string) {
  await openMenu(page, '客户档案');
  const box = page.getByRole('combobox', { name: '查找客户' });
  await box.fill(query);
  await expect(page.getByRole('listbox', { name: '查询结果' }).getByRole('option').first()).toBeVisible();
  await box.press('Enter');
}
