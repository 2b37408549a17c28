import { renderMessage } from '../i18n/coded';
import { issueMessage } from '../referenceFile';
import { describe, expect, it } from 'vitest';
import { parseCenti } from '../money';
import {
  NATIONAL_POWER_FACTOR_TABLES,
  formatBasisPoints,
  formatPowerFactor,
  monthlyPowerFactor,
  powerFactorAdjustment,
  powerFactorAdjustmentBp,
  powerFactorTableSchema,
  type PowerFactorStandard,
  type PowerFactorTable,
} from './powerFactor';

const kwh = (text: string) => parseCenti(text);

describe('monthly average power factor (月平均功率因数), two decimals half up', () => {
  it.each([
    ['a 3-4-5 month: 60 kWh, 80 kvarh', '60', '80', '0.60'],
    ['no reactive use at all', '1234.56', '0', '1.00'],
    ['only reactive use', '0', '500', '0.00'],
    // The published kvarh/kWh ratio table: ratio ≤ 0.1003 is 1.00, from 0.1004 it is 0.99.
    ['ratio 0.1003 (still 1.00 on the office table)', '10000', '1003', '1.00'],
    ['ratio 0.1004 (0.99 on the office table)', '10000', '1004', '0.99'],
    ['ratio 1.1536 (0.66 on the office table)', '10000', '11536', '0.66'],
    ['ratio 1.1537 (0.65 on the office table)', '10000', '11537', '0.65'],
    ['readings with decimals', '1000.5', '484.25', '0.90'],
  ])('%s → %s', (_case, active, reactive, pf) => {
    const result = monthlyPowerFactor(kwh(active), kwh(reactive));
    expect(result).not.toBeNull();
    expect(formatPowerFactor(result!)).toBe(pf);
  });

  it('has nothing to assess when the month has no consumption at all', () => {
    expect(monthlyPowerFactor(0, 0)).toBeNull();
  });

  // Near-halves where a floating-point sqrt rounds the wrong way; the BigInt check settles them.
  it.each([
    ['301,107.94 kWh / 311,510.13 kvarh', 30110794, 31151013, 69],
    ['1,301,589.36 kWh / 648,709.43 kvarh', 130158936, 64870943, 89],
    ['659,950.84 kWh / 310,221.79 kvarh', 65995084, 31022179, 90],
    ['691,846.29 kWh / 419,661.82 kvarh', 69184629, 41966182, 85],
    ['242,880.60 kWh / 230,736.19 kvarh', 24288060, 23073619, 72],
  ])('a large customer at %s is exactly %i hundredths', (_case, active, reactive, pf) => {
    expect(monthlyPowerFactor(active, reactive)).toBe(pf);
    // A plain float computation gets this one wrong, which is why the check exists.
    expect(Math.round((100 * active) / Math.sqrt(active * active + reactive * reactive))).toBe(pf + 1);
  });

  it('refuses negative or fractional readings', () => {
    expect(() => monthlyPowerFactor(-1, 5)).toThrow(/not negative/);
    expect(() => monthlyPowerFactor(1.5, 5)).toThrow(/whole number/);
  });
});

describe('adjustment percentage (功率因数调整电费表)', () => {
  it('PF 0.60 against 0.90 is 10% + 5% + 10% = 25%', () => {
    expect(powerFactorAdjustmentBp(60, NATIONAL_POWER_FACTOR_TABLES['0.90'])).toBe(2500);
  });

  const tables: [PowerFactorStandard, [pf: number, bp: number][]][] = [
    [
      '0.90',
      [
        [100, -75], [95, -75], [94, -60], [93, -45], [91, -15], [90, 0],
        [89, 50], [80, 500], [70, 1000], [69, 1100], [65, 1500], [64, 1700], [60, 2500], [30, 8500],
      ],
    ],
    [
      '0.85',
      [
        [100, -110], [94, -110], [93, -95], [91, -65], [90, -50], [86, -10], [85, 0],
        [84, 50], [65, 1000], [64, 1100], [60, 1500], [59, 1700], [30, 7500],
      ],
    ],
    [
      '0.80',
      [
        [100, -130], [92, -130], [91, -115], [90, -100], [81, -10], [80, 0],
        [79, 50], [60, 1000], [59, 1100], [55, 1500], [54, 1700], [30, 6500],
      ],
    ],
  ];
  describe.each(tables)('against standard %s', (standard, rows) => {
    it.each(rows)('PF %i hundredths → %i basis points', (pf, bp) => {
      expect(powerFactorAdjustmentBp(pf, NATIONAL_POWER_FACTOR_TABLES[standard])).toBe(bp);
    });
  });

  it('takes a head-office table in place of the national one (credits switched off here)', () => {
    const noCredits: PowerFactorTable = { ...NATIONAL_POWER_FACTOR_TABLES['0.90'], credits: [] };
    expect(powerFactorAdjustmentBp(96, noCredits)).toBe(0);
    expect(powerFactorAdjustmentBp(60, noCredits)).toBe(2500);
  });

  it('formats percentages for the notice', () => {
    expect(formatBasisPoints(2500)).toBe('25.00');
    expect(formatBasisPoints(-75)).toBe('-0.75');
    expect(formatBasisPoints(15)).toBe('0.15');
  });
});

describe('adjustment amount = (basic + energy charges) × percentage, rounded once', () => {
  it.each([
    ['¥41,701.70 at PF 0.60 (+25%): 10,425.425 rounds up to ¥10,425.43', 4170170, 60, 1042543],
    ['¥72,538.00 at PF 0.96 (−0.75%): −544.035 rounds away from zero to −¥544.04', 7253800, 96, -54404],
    ['¥1,000.00 exactly at the standard', 100000, 90, 0],
    ['¥1,000.00 at PF 0.89 (+0.5%)', 100000, 89, 500],
  ])('%s', (_case, baseFen, pf, amountFen) => {
    expect(powerFactorAdjustment(baseFen, pf, NATIONAL_POWER_FACTOR_TABLES['0.90']).amountFen).toBe(amountFen);
  });
});

describe('head-office power-factor table (policy)', () => {
  it('accepts the national tables', () => {
    for (const table of Object.values(NATIONAL_POWER_FACTOR_TABLES)) {
      expect(powerFactorTableSchema.safeParse(table).success).toBe(true);
    }
  });

  it('refuses credits that shrink and bands that go up', () => {
    const result = powerFactorTableSchema.safeParse({
      standard: 90,
      credits: [15, 10],
      penaltyBands: [{ downTo: 70, bpPerStep: 50 }, { downTo: 75, bpPerStep: 100 }],
      penaltyBeyondBpPerStep: 200,
    });
    expect(result.success).toBe(false);
    const said = (locale: 'zh-CN' | 'en') => result.error?.issues.map((i) => renderMessage(locale, issueMessage(i)));
    expect(said('en')).toEqual(['a credit must not be smaller than the one for a lower power factor', 'must be below 0.70']);
    expect(said('zh-CN')).toEqual(['奖励不能小于功率因数更低一档的奖励', '须低于 0.70']);
  });
});
