import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeBillingStation, type BillingTestStation } from '../billing/testing/station';
import type { TestClient } from '../testing';

// Collection on real bills: the billing desk's run, issue and correction, paid at the counter.
// Issuing draws prepaid balance (预收转实收); a correction below what was paid leaves the rest as
// prepaid for the next bill.

let s: BillingTestStation;
let counter: TestClient;
beforeEach(async () => {
  s = await makeBillingStation();
  counter = await s.staffClient('C001', ['clerk'], '赵营业');
});
afterEach(() => s.close());

const kwh = (n: number) => n * 100;
let keys = 0;

async function runAndIssue(period: string): Promise<void> {
  for (const channel of ['billing.run', 'billing.issue'] as const) {
    const job = await s.job(s.clerk.call(channel, { period }));
    if (job.status !== 'succeeded') throw new Error(`${channel} failed: ${job.error?.message}`);
  }
}

async function pay(customerId: string, amountFen: number) {
  keys += 1;
  return counter.call('collection.pay', { customerId, amountFen, channel: 'cash', tenderedFen: amountFen, idempotencyKey: `hooks-test-${keys}` });
}

describe('payments against billed months', () => {
  it('an overpayment is drawn onto the next bill the moment it is issued', async () => {
    const book = s.fixture.book('B01', '东村一本');
    const c = s.fixture.customer({ name: '张三', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    s.fixture.openPeriod('2026-09');
    s.fixture.read('2026-09', c.pointId, { kwh: kwh(100) });
    await runAndIssue('2026-09');
    const september = await counter.call('collection.balance', { customerId: c.customerId });
    expect(september.bills.map((b) => b.period)).toEqual(['2026-09']);
    const owed = september.totalDueFen;
    expect(owed).toBeGreaterThan(0);

    // Paid 200.00 yuan more than owed: September settled, the rest held as prepaid.
    await pay(c.customerId, owed + 20_000);
    const paid = await counter.call('collection.balance', { customerId: c.customerId });
    expect(paid).toMatchObject({ bills: [], prepaidFen: 20_000, totalDueFen: 0 });

    // October is issued: the prepaid balance settles it at once, the remainder stays prepaid.
    s.fixture.openPeriod('2026-10');
    s.fixture.read('2026-10', c.pointId, { kwh: kwh(100) });
    await runAndIssue('2026-10');
    const october = await counter.call('collection.balance', { customerId: c.customerId });
    expect(october.bills).toEqual([]);
    expect(october.prepaidFen).toBe(20_000 - owed);
    expect(october.ledgerBalanceFen).toBe(-(20_000 - owed));
  });

  it('a paid bill corrected downward leaves the difference as prepaid, not as a refund in cash', async () => {
    const book = s.fixture.book('B01', '东村一本');
    const c = s.fixture.customer({ name: '李四', customerClass: 'residential', tariffCode: 'RES-GD', bookId: book, seq: 1 });
    s.fixture.openPeriod('2026-10');
    const wrong = s.fixture.read('2026-10', c.pointId, { kwh: kwh(450) });
    await runAndIssue('2026-10');
    const bill = (await counter.call('collection.balance', { customerId: c.customerId })).bills[0];
    if (!bill) throw new Error('no bill');
    await pay(c.customerId, bill.principalFen);

    s.fixture.correct('2026-10', c.pointId, wrong, { kwh: kwh(150) });
    const preview = await s.clerk.call('corrections.preview', { billId: bill.billId });
    const { correction } = await s.clerk.call('corrections.request', { billId: bill.billId, reason: '止码抄错' });
    await s.head.call('corrections.approve', { correctionId: correction.id, note: '同意' });

    const after = await counter.call('collection.balance', { customerId: c.customerId });
    expect(after.bills).toEqual([]);
    expect(after.prepaidFen).toBe(bill.principalFen - preview.newTotalFen);
    expect(after.totalDueFen).toBe(0);
  });
});
