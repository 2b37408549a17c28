import { afterEach, describe, expect, it } from 'vitest';
import { makeTestStation, type TestClient, type TestStation } from '../testing';
import { arrearsCases, arrearsSlicing } from './arrears';
import { addCustomer, issueBill } from './fixture';

// The first station-wide arrears list (欠费清单) is read in slices (issue 18): between slices the
// counter is served. The list is handed out (and kept) only when complete.
// The test station's clock stands at 2026-11-26 10:00 (Asia/Shanghai).
const TODAY = '2026-11-26';

let station: TestStation;
const defaults = { ...arrearsSlicing };
afterEach(() => {
  Object.assign(arrearsSlicing, defaults);
  station?.close();
});

/** Twelve customers in two books: most owe September (overdue), some October too, two owe nothing overdue. */
async function stationWithArrears() {
  station = makeTestStation();
  await station.setUp();
  const clerk = await station.staffClient('C001', ['clerk'], '王芳');
  const customers = [];
  for (let i = 0; i < 12; i++) {
    const c = addCustomer(station.backend, { name: `欠费户${i}`, bookNo: i % 2 ? 'B01' : 'B02' });
    if (i < 10) issueBill(station.backend, { customerId: c.id, period: '2026-09', amountFen: 5000 + i * 100, dueDate: '2026-10-15' });
    if (i % 3 === 0) issueBill(station.backend, { customerId: c.id, period: '2026-10', amountFen: 3000, dueDate: '2026-11-20' });
    customers.push(c);
  }
  return { clerk, customers };
}

/** What the list says, row by row, in its order. */
const shape = (rows: readonly { customerId: string; principalFen: number; penaltyFen: number; daysOverdue: number; periods: string[]; eligible: boolean }[]) =>
  rows.map((r) => [r.customerId, r.principalFen, r.penaltyFen, r.daysOverdue, r.periods.join(','), r.eligible]);

const list = async (clerk: TestClient) => (await clerk.call('arrears.list', { limit: 1000 })).rows;

/** Small fixed slices: one ledger entry, two customers at a time. */
function smallSlices(onSlice?: (n: number) => void | Promise<void>) {
  let n = 0;
  Object.assign(arrearsSlicing, { ledgerRows: 1, customers: 2, targetMs: 0, onSlice: async () => {
      n += 1;
      await onSlice?.(n);
    } });
  return () => n;
}

describe('the first arrears list in slices', () => {
  it('says exactly what one query over the whole station says', async () => {
    const { clerk } = await stationWithArrears();
    const slices = smallSlices();
    const sliced = await list(clerk);
    expect(slices()).toBeGreaterThan(10); // one per ledger entry, then one per two customers
    const whole = arrearsCases(station.backend.store.read, TODAY, {});
    expect(whole.length).toBe(10);
    expect(shape(sliced)).toEqual(shape(whole));
  });

  it('a payment between slices succeeds and the list handed out already shows it', async () => {
    const { clerk, customers } = await stationWithArrears();
    const cashier = await station.staffClient('C002', ['clerk'], '李娜');
    const payer = customers[4]!;
    const newlyOwing = customers[11]!; // owed nothing when the list started
    let receipt: unknown;
    smallSlices(async (n) => {
      if (n === 3) {
        const due = (await cashier.call('collection.balance', { customerId: payer.id })).totalDueFen;
        receipt = await cashier.call('collection.pay', { customerId: payer.id, amountFen: due, channel: 'cash', idempotencyKey: 'between-slices-1' });
        issueBill(station.backend, { customerId: newlyOwing.id, period: '2026-09', amountFen: 4321, dueDate: '2026-10-15' });
      }
    });
    const sliced = await list(clerk);
    expect(receipt).toMatchObject({ receiptNo: expect.any(String) });
    const ids = sliced.map((r) => r.customerId);
    expect(ids).not.toContain(payer.id);
    expect(ids).toContain(newlyOwing.id);
    expect(shape(sliced)).toEqual(shape(arrearsCases(station.backend.store.read, TODAY, {})));
  });

  it('a list stopped part-way is not kept: the next request builds the whole list again', async () => {
    const { clerk } = await stationWithArrears();
    smallSlices((n) => {
      if (n === 6) throw new Error('stopped');
    });
    const stopped = await clerk.fail('arrears.list', { limit: 1000 });
    expect(stopped.code).toBe('internal');
    const slices = smallSlices();
    const again = await list(clerk);
    expect(slices()).toBeGreaterThan(10); // built again from the start, not a half list kept
    expect(shape(again)).toEqual(shape(arrearsCases(station.backend.store.read, TODAY, {})));
  });
});
