import { describe, expect, it } from 'vitest';
import { parseCenti } from '../money';
import type { TierScheme } from './tariff';
import { proRateBounds, splitTiers, splitTiersCumulative, tierBoundsFor, tierYearMonths, tierYearStart } from './tiers';

const kwh = (text: string) => parseCenti(text);

describe('splitTiers: a month on monthly bounds', () => {
  it.each([
    ['July, 300 kWh on Guangdong summer bounds', '300', [260, 600], ['260', '40', '0']],
    ['exactly the tier-1 bound', '260', [260, 600], ['260', '0', '0']],
    ['one hundredth over tier 1', '260.01', [260, 600], ['260', '0.01', '0']],
    ['into tier 3', '650.5', [260, 600], ['260', '340', '50.5']],
    ['January, 450 kWh on winter bounds', '450', [200, 400], ['200', '200', '50']],
    ['no consumption', '0', [200, 400], ['0', '0', '0']],
  ] as const)('%s', (_case, q, bounds, expected) => {
    expect(splitTiers(kwh(q), bounds)).toEqual(expected.map(kwh));
  });

  it('refuses negative consumption (reading checks must catch it first)', () => {
    expect(() => splitTiers(-100, [260, 600])).toThrow(/not negative/);
  });
});

describe('splitTiersCumulative: annual bounds settled on the tier year’s usage', () => {
  it.each([
    ['2,100 kWh before, 100 this month, crossing the 2,160 bound', '2100', '100', ['60', '40', '0']],
    ['already in tier 2', '3000', '100', ['0', '100', '0']],
    ['crossing both bounds in one month', '2100', '2200', ['60', '2040', '100']],
    ['already past tier 2', '5000', '80.25', ['0', '0', '80.25']],
    ['first month of the year', '0', '150', ['150', '0', '0']],
  ] as const)('%s', (_case, before, q, expected) => {
    expect(splitTiersCumulative(kwh(before), kwh(q), [2160, 4200])).toEqual(expected.map(kwh));
  });
});

describe('tier year and pro-rating for a customer who starts mid-year', () => {
  it.each([
    ['2026-08', 1, '2026-01'],
    ['2026-01', 1, '2026-01'],
    ['2026-03', 7, '2025-07'],
    ['2026-07', 7, '2026-07'],
    ['2026-12', 7, '2026-07'],
  ])('period %s with tier years from month %i starts in %s', (period, startMonth, start) => {
    expect(tierYearStart(period, startMonth)).toBe(start);
  });

  it.each([
    ['no start date: a whole year', undefined, 12],
    ['started before this tier year', '2025-03-15', 12],
    ['started on 1 January', '2026-01-01', 12],
    ['started 10 July: July to December', '2026-07-10', 6],
    ['started 31 August', '2026-08-31', 5],
  ])('%s → %i months', (_case, start, months) => {
    expect(tierYearMonths('2026-08', 1, start)).toBe(months);
  });

  it('refuses a bill for a period before the customer started', () => {
    expect(() => tierYearMonths('2026-06', 1, '2026-07-10')).toThrow(/after the billed period/);
  });

  it.each([
    [6, [1080, 2100]],
    [7, [1260, 2450]],
    [5, [900, 1750]],
    [1, [180, 350]],
    [12, [2160, 4200]],
  ] as const)('%i months of [2160, 4200] → %j (whole kWh)', (months, expected) => {
    expect(proRateBounds([2160, 4200], months)).toEqual(expected);
  });

  it('rounds a pro-rated bound half up to the whole kWh', () => {
    // 2000 × 7 / 12 = 1166.67 → 1167; 3000 × 7 / 12 = 1750; 1001 × 6 / 12 = 500.5 → 501
    expect(proRateBounds([2000, 3000], 7)).toEqual([1167, 1750]);
    expect(proRateBounds([1001, 3000], 6)).toEqual([501, 1500]);
  });
});

describe('tierBoundsFor: season, household, tier year', () => {
  const guangdong: TierScheme = {
    basis: 'monthly',
    bounds: [
      { months: [5, 6, 7, 8, 9, 10], standard: [260, 600], multi: [360, 700] },
      { months: [1, 2, 3, 4, 11, 12], standard: [200, 400], multi: [300, 500] },
    ],
    increments: ['0', '0.05', '0.30'],
  };
  const annual: TierScheme = { basis: 'annual', bounds: [{ standard: [2160, 4200] }], increments: ['0', '0.05', '0.30'] };

  it.each([
    ['2026-07', false, [260, 600]],
    ['2026-07', true, [360, 700]],
    ['2026-11', false, [200, 400]],
    ['2026-04', true, [300, 500]],
  ] as const)('%s, multi-person %s → %j', (period, multiPerson, bounds) => {
    expect(tierBoundsFor(guangdong, { period, multiPerson }).bounds).toEqual(bounds);
  });

  it('pro-rates annual bounds for a customer starting in July', () => {
    expect(tierBoundsFor(annual, { period: '2026-09', customerStart: '2026-07-10' })).toEqual({
      basis: 'annual',
      bounds: [1080, 2100],
      household: 'standard',
      tierYearStart: '2026-01',
      months: 6,
    });
  });

  it('refuses a multi-person household when the tariff has no multi-person bounds', () => {
    expect(() => tierBoundsFor(annual, { period: '2026-09', multiPerson: true })).toThrow(/no multi-person bounds/);
  });
});
