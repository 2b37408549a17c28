import { afterEach, describe, expect, it } from 'vitest';
import { postPayment } from '../collection/payments';
import { changeCounter, changesSince } from '../db/changes';
import { sql } from '../db/sql';
import { runBilling } from './run';
import { makeBillingStation, type BillingTestStation } from './testing/station';

// Issue 18, one change mark: the billing run notes the store's change counter when it reads, and
// before each slice asks what changed since (the outbox). An edit of a customer's record between
// computing (the run's preview of its bills) and writing is noticed; a payment is not a reason to
// recheck anything.

const ACTOR = { staffId: null, label: 'test' };
const stations: BillingTestStation[] = [];
afterEach(() => {
  for (const s of stations.splice(0)) s.close();
});

async function station() {
  const s = await makeBillingStation();
  stations.push(s);
  const book = s.fixture.book('B01', '东村一本');
  const list = Array.from({ length: 6 }, (_, i) => s.fixture.customer({ name: `户${i + 1}`, customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: i + 1 }));
  s.fixture.openPeriod('2026-10');
  // 400 kWh: past the first tier, so a multi-person household (多人口) pays less.
  list.forEach((c) => s.fixture.read('2026-10', c.pointId, { kwh: 400 * 100 }));
  const counter = await s.staffClient('C001', ['clerk'], '王芳');
  return { s, customers: list, counter };
}

describe('the store change counter (issue 18)', () => {
  it('moves with every business write, and says what changed since a mark', async () => {
    const { s, customers, counter } = await station();
    const mark = changeCounter(s.backend.store.read);
    const detail = await counter.call('customers.get', { customerId: customers[0]!.customerId });
    await counter.call('customers.update', { ...detail.customer, customerId: detail.customer.id, phone: '13900000000' });
    expect(changeCounter(s.backend.store.read)).toBeGreaterThan(mark);
    expect(changesSince(s.backend.store.read, mark)).toEqual([{ entity: 'customer', entity_id: customers[0]!.customerId }]);
  });

  it('a customer edited between the run reading its inputs and writing its bill is left for the next run; the next run bills the edit', async () => {
    const { s, customers, counter } = await station();
    let edited: (typeof customers)[number] | undefined;
    let done = false;
    const result = await runBilling(s.backend, ACTOR, { period: '2026-10' }, undefined, {
      sliceSize: 2,
      onSlice: async () => {
        // After the first slice: a household not billed yet (its bill computed from the inputs read
        // at the start, now or between the next slices) becomes 多人口.
        if (done) return;
        done = true;
        edited = customers.find((c) => !s.backend.store.read.value(sql`SELECT 1 FROM bill_rows WHERE customer_id = ${c.customerId} AND period = '2026-10'`));
        const detail = await counter.call('customers.get', { customerId: edited!.customerId });
        await counter.call('customers.update', { ...detail.customer, customerId: edited!.customerId, multiPerson: true, householdSize: 6 });
      },
    });
    expect(done).toBe(true);
    expect(result).toMatchObject({ billed: 5, changed: 1 });
    const billOf = (id: string) => s.backend.store.read.value<number>(sql`SELECT total_fen FROM bills_in_force WHERE customer_id = ${id} AND period = '2026-10'`);
    expect(billOf(edited!.customerId)).toBeUndefined();
    const again = await runBilling(s.backend, ACTOR, { period: '2026-10' });
    expect(again).toMatchObject({ billed: 1, alreadyBilled: 5 });
    // Billed on the record as edited: less than a neighbour with the same 400 kWh.
    const neighbour = customers.find((c) => c !== edited)!;
    expect(billOf(edited!.customerId)!).toBeLessThan(billOf(neighbour.customerId)!);
  });

  it('a payment posted between slices changes the counter but the run rechecks nothing and bills everyone', async () => {
    const { s, customers } = await station();
    const clerkId = s.backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'B001'`) ?? '';
    const code = s.backend.requireStation().code;
    let paid = 0;
    const result = await runBilling(s.backend, ACTOR, { period: '2026-10' }, undefined, {
      sliceSize: 2,
      onSlice: () => {
        s.backend.write({ staffId: clerkId, label: 'B001 钱核算' }, (unit) =>
          postPayment(unit, code, { customerId: customers[0]!.customerId, amountFen: 1000, channel: 'cash', idempotencyKey: `pay-${paid}` }, { id: clerkId, staffNo: 'B001', name: '钱核算' }),
        );
        paid += 1;
      },
    });
    expect(paid).toBe(4); // three slices and the run's last transaction
    expect(result).toMatchObject({ billed: 6, changed: 0 });
  });
});
