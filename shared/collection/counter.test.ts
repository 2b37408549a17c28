import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../money';
import { allocatePayment, type OpenBill } from './allocation';
import { PAYMENT_CHANNELS, changeToGive, isPaymentChannel, totalDue } from './counter';
import { DEFAULT_PENALTY_POLICY } from './penalty';

// A resident with January and February unpaid, at the counter on 2026-03-20:
// January 86.40 due 02-15 → 33 days × 1‰ = 2.85 (2.8512); February 120.00 due 03-15 → 5 days = 0.60 → 1.00.
const january: OpenBill = { billId: 'jan', billNo: 'S01-000050', period: '2026-01', customerClass: 'residential', dueDate: '2026-02-15', principalFen: yuanToFen('86.40') };
const february: OpenBill = { billId: 'feb', billNo: 'S01-000150', period: '2026-02', customerClass: 'residential', dueDate: '2026-03-15', principalFen: yuanToFen('120.00') };
const today = '2026-03-20';

describe('the counter balance (应缴合计)', () => {
  it('lists each month oldest first with its penalty and the total', () => {
    const balance = totalDue([february, january], today, DEFAULT_PENALTY_POLICY);
    expect(balance.bills.map((b) => [b.period, b.principalFen, b.penaltyFen, b.totalFen])).toEqual([
      ['2026-01', 8640, 285, 8925],
      ['2026-02', 12000, 100, 12100],
    ]);
    expect(balance).toMatchObject({ principalFen: 20640, penaltyFen: 385, arrearsFen: 21025, prepaidOffsetFen: 0, totalDueFen: 21025 });
  });

  it.each([
    ['50.00 prepaid is set against the arrears', '50.00', '50.00', '160.25', '0.00'],
    ['300.00 prepaid covers everything and 89.75 stays prepaid', '300.00', '210.25', '0.00', '89.75'],
  ])('%s', (_case, prepaid, offset, due, left) => {
    const balance = totalDue([january, february], today, DEFAULT_PENALTY_POLICY, yuanToFen(prepaid));
    expect(balance).toMatchObject({ prepaidOffsetFen: yuanToFen(offset), totalDueFen: yuanToFen(due), prepaidLeftFen: yuanToFen(left) });
  });

  it('two unpaid months paid in cash: 210.25 due, 300.00 handed over, 89.75 change, both months settled', () => {
    const balance = totalDue([january, february], today);
    const change = changeToGive(yuanToFen('300.00'), balance.totalDueFen);
    expect(change).toBe(yuanToFen('89.75'));
    const posted = allocatePayment(balance.totalDueFen, [january, february], today);
    expect(posted.remaining.every((r) => r.settled)).toBe(true);
    expect(posted.prepaidFen).toBe(0);
    expect(posted.penaltyFen).toBe(385);
  });

  it('nothing owed, nothing due', () => {
    expect(totalDue([], today, DEFAULT_PENALTY_POLICY, 1000)).toMatchObject({ arrearsFen: 0, totalDueFen: 0, prepaidLeftFen: 1000 });
  });
});

describe('change for cash (找零)', () => {
  it.each([
    ['exact money, no change', '210.25', '210.25', '0.00'],
    ['300.00 for 210.25 gives 89.75', '300.00', '210.25', '89.75'],
    ['100.00 towards a partial payment of 100.00 gives none', '100.00', '100.00', '0.00'],
  ])('%s', (_case, tendered, posted, change) => {
    expect(changeToGive(yuanToFen(tendered), yuanToFen(posted))).toBe(yuanToFen(change));
  });

  it('refuses cash short of the amount posted', () => {
    expect(() => changeToGive(yuanToFen('200.00'), yuanToFen('210.25'))).toThrow(/less than the amount posted/);
  });
});

describe('payment channels', () => {
  it('records cash, card, QR, transfer and prepaid deduction', () => {
    expect(PAYMENT_CHANNELS).toEqual(['cash', 'card', 'qr', 'transfer', 'prepaid']);
    expect(isPaymentChannel('qr')).toBe(true);
    expect(isPaymentChannel('cheque')).toBe(false);
  });
});
