import { afterEach, describe, expect, it } from 'vitest';
import type { CounterBalanceView } from '../../../shared/contract/collection';
import { makeTestStation, type TestClient, type TestStation } from '../testing';
import { addCustomer, issueBill } from './fixture';

// Issue 15 item 9: the receipt's "new balance" (新余额) once said 221.14 after a payment on a
// bill with a penalty, while `balance` said 227.02. The receipt printed the ledger balance,
// which leaves out penalties accrued but not yet settled; the customer owes what `balance`
// shows. Now the receipt's new balance is what the customer owes right after the payment
// (arrears with penalties to the pay date, less prepaid; negative: prepaid held), so it
// equals `balance` after every kind of payment.

// The test station's clock stands at 2026-11-26 10:00 (Asia/Shanghai).
let station: TestStation;
afterEach(() => station?.close());

/** What the balance screen says the customer owes (negative: prepaid held). */
const owed = (b: CounterBalanceView) => b.totalDueFen - (b.prepaidFen - b.prepaidOffsetFen);

type Channel = 'cash' | 'card' | 'qr' | 'transfer';

interface Case {
  name: string;
  /** Bills to issue first: amount and due date (September is 42 days late on 11-26). */
  bills: { period: string; amountFen: number; dueDate: string }[];
  /** Paid in advance before the bills (prepaid balance the payment then draws on). */
  prepaidFen?: number;
  /** The payment: an amount, or a function of what is due. */
  amount: number | ((due: CounterBalanceView) => number);
  channel: Channel;
  tenderedFen?: number;
}

const SEP_LATE = { period: '2026-09', amountFen: 22214, dueDate: '2026-10-15' }; // 222.14, 42 days late: penalty 9.33
const OCT_LATE = { period: '2026-10', amountFen: 12000, dueDate: '2026-11-10' }; // 120.00, 16 days late
const NOV = { period: '2026-11', amountFen: 8000, dueDate: '2026-12-10' }; // not due yet

const CASES: Case[] = [
  { name: 'cash, exact, with a penalty', bills: [SEP_LATE], amount: (d) => d.totalDueFen, channel: 'cash' },
  { name: 'cash, more tendered (change), with penalties', bills: [SEP_LATE, OCT_LATE], amount: (d) => d.totalDueFen, channel: 'cash', tenderedFen: 50000 },
  { name: 'a small part of a bill with a penalty (the field case: 1.00 paid)', bills: [SEP_LATE], amount: 100, channel: 'cash' },
  { name: 'part, less than the penalty', bills: [SEP_LATE, OCT_LATE], amount: 500, channel: 'qr' },
  { name: 'part, more than the penalties', bills: [SEP_LATE, OCT_LATE], amount: 25000, channel: 'card' },
  { name: 'card, exact, no penalty', bills: [NOV], amount: (d) => d.totalDueFen, channel: 'card' },
  { name: 'qr, exact, with penalties', bills: [SEP_LATE, OCT_LATE, NOV], amount: (d) => d.totalDueFen, channel: 'qr' },
  { name: 'transfer, overpayment (the rest becomes prepaid)', bills: [SEP_LATE], amount: (d) => d.totalDueFen + 10000, channel: 'transfer' },
  { name: 'paid in advance, no bill', bills: [], amount: 5000, channel: 'transfer' },
  { name: 'prepaid deduction: prepaid covers part, the rest paid', bills: [SEP_LATE, NOV], prepaidFen: 5000, amount: (d) => d.totalDueFen, channel: 'cash' },
  { name: 'prepaid deduction: prepaid covers more than is due, a top-up', bills: [NOV], prepaidFen: 10000, amount: 1000, channel: 'qr' },
  { name: 'prepaid deduction with a late bill, partial', bills: [SEP_LATE], prepaidFen: 3000, amount: 2000, channel: 'card' },
];

describe('the receipt’s new balance equals `balance` right after the payment', () => {
  it.each(CASES)('$name', async (c) => {
    station = makeTestStation();
    await station.setUp();
    const clerk: TestClient = await station.staffClient('C001', ['clerk'], '王芳');
    const customer = addCustomer(station.backend, { name: '张三' });
    if (c.prepaidFen) {
      await clerk.call('collection.pay', { customerId: customer.id, amountFen: c.prepaidFen, channel: 'transfer', idempotencyKey: `advance-${c.name}`.slice(0, 60) });
    }
    for (const bill of c.bills) issueBill(station.backend, { customerId: customer.id, ...bill });
    const before = await clerk.call('collection.balance', { customerId: customer.id });
    const amountFen = typeof c.amount === 'number' ? c.amount : c.amount(before);
    const posted = await clerk.call('collection.pay', {
      customerId: customer.id,
      amountFen,
      channel: c.channel,
      idempotencyKey: `pay-${c.name}`.slice(0, 60),
      ...(c.tenderedFen ? { tenderedFen: c.tenderedFen } : {}),
    });
    const after = await clerk.call('collection.balance', { customerId: customer.id });
    const receipt = await clerk.call('collection.receipt', { receiptNo: posted.receiptNo });
    // The receipt (as posted, and as printed later) says what `balance` says, before and after.
    expect({ before: posted.balanceBeforeFen, after: posted.balanceAfterFen }).toEqual({ before: owed(before), after: owed(after) });
    expect(receipt.balanceAfterFen).toBe(owed(after));
    expect(posted.balanceAfterFen).toBe(posted.balanceBeforeFen - amountFen);
  });

  it('the field case: a late bill of 222.14 with its penalty, 1.00 paid: the receipt says what `balance` says', async () => {
    station = makeTestStation();
    await station.setUp();
    const clerk = await station.staffClient('C001', ['clerk'], '王芳');
    const customer = addCustomer(station.backend, { name: '李四' });
    // A bill of 222.14, 26 days late: the penalty is not yet in the ledger (it is posted when settled).
    const bill = { period: '2026-10', amountFen: 22214, dueDate: '2026-10-31' };
    issueBill(station.backend, { customerId: customer.id, ...bill });
    const before = await clerk.call('collection.balance', { customerId: customer.id });
    expect(before.penaltyFen).toBeGreaterThan(0);
    const posted = await clerk.call('collection.pay', { customerId: customer.id, amountFen: 100, channel: 'cash', idempotencyKey: 'field-case-0001' });
    const after = await clerk.call('collection.balance', { customerId: customer.id });
    expect(after.totalDueFen).toBe(before.totalDueFen - 100);
    // Before the fix the receipt said 222.14 − 1.00 = 221.14: the ledger, without the unsettled penalty.
    expect(posted.balanceAfterFen).not.toBe(before.ledgerBalanceFen - 100);
    expect(posted.balanceAfterFen).toBe(after.totalDueFen);
  });
});
