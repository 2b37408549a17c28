import { sql } from '../electron/backend/db/sql';
import { createOrder } from '../electron/backend/service/orders';
import { expect, login, test } from './fixtures';
import { addMeters, addStaff, households, staffId, withStation } from './readings-seed';

// Customer service as the office works it. Staff and customers are seeded; everything checked is
// done through the UI. There is no test clock in the web host: "time passes" by taking a phone
// order whose call came in earlier (受理时间), as a clerk logging a call after the fact does.

test.describe.configure({ timeout: 240_000 });

const PASSWORD = 'service123';

async function seed(db: string) {
  return withStation(db, async (backend) => {
    await addStaff(backend, [
      { staffNo: 'H001', name: '李所长', roles: ['station_head'], password: PASSWORD },
      { staffNo: 'M001', name: '王抄表', roles: ['meter_reader'], password: PASSWORD },
      { staffNo: 'C001', name: '周营业', roles: ['clerk'], password: PASSWORD },
    ]);
    addMeters(backend, households(3, 'S'));
    return backend.store.read.column<string>(sql`SELECT account_no FROM customers ORDER BY account_no`);
  });
}

test('a repair order passes its 90-minute limit and appears overdue on the head\'s home page', async ({ page, station }) => {
  const accounts = await seed(station.db);
  await withStation(station.db, (backend) => {
    const clerk = staffId(backend, 'C001');
    backend.write({ staffId: clerk, label: 'C001 周营业' }, (unit) => createOrder(unit, { kind: 'repair', source: 'phone', accountNo: accounts[0]!, content: '家里整屋停电', receivedAt: Date.now() - 100 * 60_000 }));
    backend.write({ staffId: clerk, label: 'C001 周营业' }, (unit) => createOrder(unit, { kind: 'repair', source: 'phone', accountNo: accounts[1]!, content: '电表箱冒烟', receivedAt: Date.now() - 70 * 60_000 }));
  });
  await login(page, station, 'H001', PASSWORD);
  const card = page.getByRole('region', { name: '客户服务' });
  await expect(card.getByRole('alert')).toHaveText('有 1 张工单已超时，请尽快处理');
  const urgent = card.getByRole('table', { name: '临期与超期工单' });
  await expect(urgent.getByRole('row')).toHaveCount(2);
  await expect(urgent.getByRole('row').nth(0)).toContainText('GD01-WO-000001');
  await expect(urgent.getByRole('row').nth(0)).toContainText('已超时');
  await expect(urgent.getByRole('row').nth(1)).toContainText('即将超时');

  // The head assigns the overdue one from the order page.
  await urgent.getByRole('link', { name: 'GD01-WO-000001' }).click();
  const form = page.getByRole('form', { name: '记录' });
  await form.getByLabel('派给').selectOption('M001');
  await form.getByRole('button', { name: '记录' }).click();
  await expect(page.getByRole('status')).toContainText('已记录：派工');
  await expect(page.getByRole('table', { name: '处理过程' })).toContainText('M001 王抄表');
});
