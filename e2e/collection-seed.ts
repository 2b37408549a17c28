// Seeds a station for the collection end-to-end tests: clerks and a station head, customers filed
// through the customer files module, and issued bills of exact amounts dated relative to today
// (written by the collection desk's fixture, electron/backend/collection/fixture.ts).
// Usage: node --import tsx e2e/collection-seed.ts DB  → prints JSON { customers: { name: accountNo } }
import { addDays, shanghaiDate } from '../shared/time';
import { SYSTEM_ACTOR } from '../electron/backend/audit/record';
import { addCustomer, issueBill } from '../electron/backend/collection/fixture';
import { Backend } from '../electron/backend/context';
import { insertStaff, prepareStaff } from '../electron/backend/staff/staff';

const db = process.argv[2];
if (!db) throw new Error('usage: collection-seed.ts DB');
const backend = new Backend({ db });
for (const s of [
  { staffNo: 'C001', name: '王芳', roles: ['clerk' as const], password: 'clerk1234' },
  { staffNo: 'C002', name: '赵敏', roles: ['clerk' as const], password: 'clerk1234' },
  { staffNo: 'H001', name: '李所长', roles: ['station_head' as const], password: 'head12345' },
]) {
  const prepared = await prepareStaff({ ...s, mustChangePassword: false });
  backend.write(SYSTEM_ACTOR, (unit) => insertStaff(unit, prepared));
}
const today = shanghaiDate(Date.now());
const month = (offset: number) => {
  const [y, m] = today.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + offset;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};
const customers: Record<string, string> = {};
// 张三: two unpaid months; the older 42 days late (86.40 × 1‰ × 42 = 3.63), the newer not yet due.
const zhang = addCustomer(backend, { name: '张三', phone: '13800001234', bookNo: 'B01' });
issueBill(backend, { customerId: zhang.id, period: month(-2), amountFen: 8640, dueDate: addDays(today, -42) });
issueBill(backend, { customerId: zhang.id, period: month(-1), amountFen: 12000, dueDate: addDays(today, 4) });
customers['张三'] = zhang.accountNo;
// 李四 and 王五: one bill each, not yet due.
for (const [name, fen] of [['李四', 5000], ['王五', 15000]] as const) {
  const c = addCustomer(backend, { name, bookNo: 'B01' });
  issueBill(backend, { customerId: c.id, period: month(-1), amountFen: fen, dueDate: addDays(today, 4) });
  customers[name] = c.accountNo;
}
backend.close();
process.stdout.write(JSON.stringify({ today, customers }));
