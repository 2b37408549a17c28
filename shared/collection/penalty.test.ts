import { describe, expect, it } from 'vitest';
import { yuanToFen } from '../money';
import {
  DEFAULT_PENALTY_POLICY,
  daysLate,
  penaltyForBill,
  penaltyPolicySchema,
  type PenaltyBill,
  type PenaltyPolicy,
} from './penalty';
import type { CustomerClass } from './types';

function bill(customerClass: CustomerClass, owed: string, period: string, dueDate: string, extra: Partial<PenaltyBill> = {}): PenaltyBill {
  return { billId: 'b1', period, customerClass, dueDate, principalFen: yuanToFen(owed), ...extra };
}

describe('late-payment penalty (电费违约金)', () => {
  it.each([
    // case, class, owed, period, due date, paid on, days late, penalty due (yuan)
    ['a resident owing 200.00 pays 3 days late: 0.60 → charged the 1.00 minimum', 'residential', '200.00', '2026-02', '2026-03-15', '2026-03-18', 3, '1.00'],
    ['a commercial customer 10 days late on 1,000.00 pays 20.00', 'commercial', '1000.00', '2026-02', '2026-03-15', '2026-03-25', 10, '20.00'],
    ['a resident 20 days late on 1,000.00 pays 20.00 (1‰ a day)', 'residential', '1000.00', '2026-02', '2026-03-15', '2026-04-04', 20, '20.00'],
    ['large industry 10 days late on 10,000.00 pays 200.00 (2‰)', 'large_industry', '10000.00', '2026-02', '2026-03-15', '2026-03-25', 10, '200.00'],
    ['agricultural 5 days late on 800.00 pays 8.00 (2‰)', 'agricultural', '800.00', '2026-02', '2026-03-15', '2026-03-20', 5, '8.00'],
    ['a prior-year commercial bill (2025-12) 10 days late in 2026 pays 3‰: 30.00', 'commercial', '1000.00', '2025-12', '2026-01-20', '2026-01-30', 10, '30.00'],
    ['a prior-year residential bill stays at 1‰: 10.00', 'residential', '1000.00', '2025-12', '2026-01-20', '2026-01-30', 10, '10.00'],
    ['paid on the due date: no penalty', 'commercial', '1000.00', '2026-02', '2026-03-15', '2026-03-15', 0, '0.00'],
    ['paid before the due date: no penalty, no minimum', 'residential', '200.00', '2026-02', '2026-03-15', '2026-03-10', 0, '0.00'],
    ['a resident 1 day late on 1,505.00: 1.505 rounds half up to 1.51', 'residential', '1505.00', '2026-02', '2026-03-15', '2026-03-16', 1, '1.51'],
    ['a resident 1 day late on 0.50 still pays the 1.00 minimum', 'residential', '0.50', '2026-02', '2026-03-15', '2026-03-16', 1, '1.00'],
  ] as const)('%s', (_case, customerClass, owed, period, due, paid, days, penalty) => {
    const result = penaltyForBill(bill(customerClass, owed, period, due), paid);
    expect(result.daysLate).toBe(days);
    expect(result.dueFen).toBe(yuanToFen(penalty));
  });

  it('the 200-yuan case shows 0.60 accrued and the minimum raising it to 1.00', () => {
    const result = penaltyForBill(bill('residential', '200.00', '2026-02', '2026-03-15'), '2026-03-18');
    expect(result).toMatchObject({
      startDate: '2026-03-16',
      accruedFen: 60,
      minimumApplied: true,
      chargedFen: 100,
      dueFen: 100,
      accruedTo: '2026-03-18',
      spans: [{ from: '2026-03-16', to: '2026-03-18', days: 3, dailyBp: 10 }],
    });
  });

  it('a minimum 1.00 is not applied to zero-day lateness', () => {
    const result = penaltyForBill(bill('residential', '200.00', '2026-02', '2026-03-15'), '2026-03-15');
    expect(result).toMatchObject({ daysLate: 0, accruedFen: 0, minimumApplied: false, chargedFen: 0, dueFen: 0, spans: [] });
  });

  describe('a commercial 2025-11 bill due 2025-12-20, paid 2026-01-10 (late across New Year)', () => {
    const crossing = bill('commercial', '1000.00', '2025-11', '2025-12-20');
    it('by day (default): 11 days of 2025 at 2‰ + 10 days of 2026 at 3‰ = 22.00 + 30.00', () => {
      const result = penaltyForBill(crossing, '2026-01-10');
      expect(result.daysLate).toBe(21);
      expect(result.spans).toEqual([
        { from: '2025-12-21', to: '2025-12-31', days: 11, dailyBp: 20 },
        { from: '2026-01-01', to: '2026-01-10', days: 10, dailyBp: 30 },
      ]);
      expect(result.dueFen).toBe(yuanToFen('52.00'));
    });
    it('by payment date: every late day at 3‰ = 63.00', () => {
      const policy: PenaltyPolicy = { ...DEFAULT_PENALTY_POLICY, priorYearRule: 'by_payment_date' };
      expect(penaltyForBill(crossing, '2026-01-10', policy).dueFen).toBe(yuanToFen('63.00'));
    });
    it('paid still in 2025: all current-year at 2‰', () => {
      expect(penaltyForBill(crossing, '2025-12-31').dueFen).toBe(yuanToFen('22.00'));
    });
  });

  describe('policy: grace days and contract start dates', () => {
    it('with 5 days of grace, 3 days after the due date is still free', () => {
      const policy = { ...DEFAULT_PENALTY_POLICY, graceDays: 5 };
      const b = bill('commercial', '1000.00', '2026-02', '2026-03-15');
      expect(penaltyForBill(b, '2026-03-18', policy).dueFen).toBe(0);
      expect(penaltyForBill(b, '2026-03-21', policy)).toMatchObject({ daysLate: 1, dueFen: 200 });
    });
    it('a supply contract starting the penalty on the 25th counts from the 25th', () => {
      const b = bill('commercial', '1000.00', '2026-02', '2026-03-15', { penaltyFrom: '2026-03-25' });
      expect(daysLate(b, '2026-03-24')).toBe(0);
      expect(penaltyForBill(b, '2026-03-26')).toMatchObject({ daysLate: 2, dueFen: 400 });
    });
    it('a 2024-style revision with other rates and no minimum is just another policy', () => {
      const policy: PenaltyPolicy = { ...DEFAULT_PENALTY_POLICY, residentialDailyBp: 5, minimumFen: 0 };
      expect(penaltyForBill(bill('residential', '200.00', '2026-02', '2026-03-15'), '2026-03-18', policy).dueFen).toBe(30);
    });
    it('rates are whole basis points; a float rate is refused', () => {
      expect(penaltyPolicySchema.parse(DEFAULT_PENALTY_POLICY)).toEqual(DEFAULT_PENALTY_POLICY);
      expect(penaltyPolicySchema.safeParse({ ...DEFAULT_PENALTY_POLICY, residentialDailyBp: 0.001 }).success).toBe(false);
      expect(() => penaltyForBill(bill('residential', '1.00', '2026-02', '2026-03-15'), '2026-03-18', { ...DEFAULT_PENALTY_POLICY, residentialDailyBp: 0.5 })).toThrow(
        /whole/,
      );
    });
  });

  describe('partial payments and waivers', () => {
    it('after paying 20.00 penalty and 500.00 on day 10, the other 500.00 accrues 10.00 more by day 20', () => {
      const b = bill('commercial', '500.00', '2026-02', '2026-03-15', {
        penaltyAccruedTo: '2026-03-25',
        penaltyAccruedFen: 2000,
        penaltyPaidFen: 2000,
      });
      expect(penaltyForBill(b, '2026-04-04')).toMatchObject({ newAccruedFen: 1000, accruedFen: 3000, chargedFen: 3000, dueFen: 1000 });
    });
    it('a resident who paid the 1.00 minimum is not charged it twice: 0.60 + 0.70 accrued → 0.30 more', () => {
      const b = bill('residential', '100.00', '2026-02', '2026-03-15', {
        penaltyAccruedTo: '2026-03-18',
        penaltyAccruedFen: 60,
        penaltyPaidFen: 100,
      });
      expect(penaltyForBill(b, '2026-03-25')).toMatchObject({ accruedFen: 130, chargedFen: 130, dueFen: 30 });
      // Back the next day: still under the minimum in total, so nothing more.
      expect(penaltyForBill({ ...b, principalFen: 1000 }, '2026-03-19')).toMatchObject({ accruedFen: 61, chargedFen: 100, dueFen: 0 });
    });
    it('part of the penalty paid, principal untouched: the rest plus the new days stay due', () => {
      const b = bill('commercial', '1000.00', '2026-02', '2026-03-15', {
        penaltyAccruedTo: '2026-03-25',
        penaltyAccruedFen: 2000,
        penaltyPaidFen: 500,
      });
      expect(penaltyForBill(b, '2026-03-30').dueFen).toBe(2500);
    });
    it('a whole penalty waived by the station head leaves nothing due', () => {
      const b = bill('commercial', '1000.00', '2026-02', '2026-03-15', { penaltyWaived: true });
      expect(penaltyForBill(b, '2026-03-25')).toMatchObject({ chargedFen: 2000, waivedFen: 2000, dueFen: 0 });
    });
    it('5.00 of a 20.00 penalty waived leaves 15.00', () => {
      const b = bill('commercial', '1000.00', '2026-02', '2026-03-15', { penaltyWaivedFen: 500 });
      expect(penaltyForBill(b, '2026-03-25')).toMatchObject({ waivedFen: 500, dueFen: 1500 });
    });
    it('a bill whose principal is paid but penalty is not keeps the penalty, accruing no more', () => {
      const b = bill('commercial', '0.00', '2026-02', '2026-03-15', {
        penaltyAccruedTo: '2026-03-25',
        penaltyAccruedFen: 2000,
        penaltyPaidFen: 0,
      });
      expect(penaltyForBill(b, '2026-04-25')).toMatchObject({ newAccruedFen: 0, dueFen: 2000 });
    });
  });

  it.each([
    ['a malformed pay date', bill('residential', '1.00', '2026-02', '2026-03-15'), '2026-3-18', /date/],
    ['a negative principal', bill('residential', '-1.00', '2026-02', '2026-03-15'), '2026-03-18', /non-negative/],
    ['a malformed period', bill('residential', '1.00', '2026-13', '2026-03-15'), '2026-03-18', /period/],
    ['an accrual date without its amount', bill('residential', '1.00', '2026-02', '2026-03-15', { penaltyAccruedTo: '2026-03-16' }), '2026-03-18', /together/],
  ])('refuses %s', (_case, b, payDate, message) => {
    expect(() => penaltyForBill(b, payDate)).toThrow(message);
  });
});
