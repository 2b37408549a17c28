import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../money';
import { allocatePayment, drawPrepaid, type OpenBill } from './allocation';
import { penaltyForBill } from './penalty';

// A commercial customer with February and March unpaid, both late on 2026-04-25:
// February 1,000.00 due 03-15 → 41 days × 2‰ = 82.00; March 500.00 due 04-15 → 10 days × 2‰ = 10.00.
const february: OpenBill = { billId: 'feb', billNo: 'S01-000102', period: '2026-02', customerClass: 'commercial', dueDate: '2026-03-15', principalFen: yuanToFen('1000.00') };
const march: OpenBill = { billId: 'mar', billNo: 'S01-000215', period: '2026-03', customerClass: 'commercial', dueDate: '2026-04-15', principalFen: yuanToFen('500.00') };
const payDate = '2026-04-25';

describe('applying a payment to open bills (销账)', () => {
  it.each([
    // case, paid, [feb penalty, feb principal, mar penalty, mar principal], prepaid
    ['exactly the total 1,592.00 settles both months', '1592.00', ['82.00', '1000.00', '10.00', '500.00'], '0.00'],
    ['1,700.00 settles both and 108.00 becomes prepaid balance', '1700.00', ['82.00', '1000.00', '10.00', '500.00'], '108.00'],
    ['600.00 pays February’s penalty then 518.00 of its principal; March untouched', '600.00', ['82.00', '518.00', '0.00', '0.00'], '0.00'],
    ['50.00 goes to February’s penalty only', '50.00', ['50.00', '0.00', '0.00', '0.00'], '0.00'],
    ['1,090.00 clears February and pays March’s penalty 8.00 of 10.00', '1090.00', ['82.00', '1000.00', '8.00', '0.00'], '0.00'],
  ] as const)('%s', (_case, paid, [febPenalty, febPrincipal, marPenalty, marPrincipal], prepaid) => {
    const result = allocatePayment(yuanToFen(paid), [march, february], payDate);
    const part = (id: string) => result.allocations.find((a) => a.billId === id) ?? { penaltyFen: 0, principalFen: 0 };
    expect(part('feb')).toMatchObject({ penaltyFen: yuanToFen(febPenalty), principalFen: yuanToFen(febPrincipal) });
    expect(part('mar')).toMatchObject({ penaltyFen: yuanToFen(marPenalty), principalFen: yuanToFen(marPrincipal) });
    expect(result.prepaidFen).toBe(yuanToFen(prepaid));
    expect(result.penaltyFen + result.principalFen + result.prepaidFen).toBe(yuanToFen(paid));
  });

  it('a partial payment settles the older month’s penalty then principal first, and says what is left', () => {
    const result = allocatePayment(yuanToFen('600.00'), [march, february], payDate);
    expect(result.allocations).toEqual([{ billId: 'feb', billNo: 'S01-000102', period: '2026-02', penaltyFen: 8200, principalFen: 51800 }]);
    expect(result.remaining).toEqual([
      { billId: 'feb', billNo: 'S01-000102', period: '2026-02', principalFen: 48200, penaltyFen: 0, settled: false, penaltyAccruedTo: payDate, penaltyAccruedFen: 8200, penaltyPaidFen: 8200 },
      { billId: 'mar', billNo: 'S01-000215', period: '2026-03', principalFen: 50000, penaltyFen: 1000, settled: false, penaltyAccruedTo: payDate, penaltyAccruedFen: 1000, penaltyPaidFen: 0 },
    ]);
  });

  it('the stored state carries on: February’s remaining 482.00 accrues only from the day after', () => {
    const first = allocatePayment(yuanToFen('600.00'), [february], payDate);
    const after = first.remaining[0]!;
    const next = penaltyForBill({ ...february, ...after }, '2026-05-05');
    // 482.00 × 2‰ × 10 days = 9.64
    expect(next).toMatchObject({ newAccruedFen: 964, dueFen: 964 });
  });

  it('orders by due date, then period, then bill number, whatever order the bills come in', () => {
    const a: OpenBill = { ...march, billId: 'x', billNo: 'S01-000300', period: '2026-03' };
    const b: OpenBill = { ...march, billId: 'y', billNo: 'S01-000299', period: '2026-03' };
    const c: OpenBill = { ...march, billId: 'z', billNo: 'S01-000001', period: '2026-04' };
    const result = allocatePayment(0, [c, a, b, february], payDate);
    expect(result.remaining.map((r) => r.billId)).toEqual(['feb', 'y', 'x', 'z']);
  });

  it('a payment with no open bills all becomes prepaid balance', () => {
    expect(allocatePayment(yuanToFen('300.00'), [], payDate)).toMatchObject({ allocations: [], prepaidFen: 30000, remaining: [] });
  });

  it('a payment on the due date pays no penalty', () => {
    const result = allocatePayment(yuanToFen('1000.00'), [february], '2026-03-15');
    expect(result).toMatchObject({ penaltyFen: 0, principalFen: 100000, prepaidFen: 0 });
    expect(result.remaining[0]?.settled).toBe(true);
  });

  it('refuses a negative or fractional amount', () => {
    expect(() => allocatePayment(-100, [february], payDate)).toThrow(/non-negative/);
    expect(() => allocatePayment(1.5, [february], payDate)).toThrow(/whole/);
  });
});

describe('prepaid balance paying a new bill (预收转实收)', () => {
  it.each([
    ['150.00 prepaid against a 120.00 bill draws 120.00', '150.00', '120.00', '120.00'],
    ['80.00 prepaid against a 120.00 bill draws all 80.00', '80.00', '120.00', '80.00'],
    ['no prepaid draws nothing', '0.00', '120.00', '0.00'],
  ])('%s', (_case, prepaid, billAmount, drawn) => {
    expect(drawPrepaid(yuanToFen(prepaid), yuanToFen(billAmount))).toBe(yuanToFen(drawn));
  });
});
