import { describe, expect, it } from 'vitest';
import { formatCenti, formatYuan, parseCenti } from '../money';
import { computeBill, type Bill, type BillInput } from './bill';
import { parseTariffFile, type TariffVersion } from './tariff';

const kwh = (text: string) => parseCenti(text);

function tariff(raw: Record<string, unknown>): TariffVersion {
  const [t] = parseTariffFile({ name: 'test tariff', effectiveFrom: '2026-01-01', ...raw });
  return t!;
}

const GUANGDONG_BOUNDS = [
  { months: [5, 6, 7, 8, 9, 10], standard: [260, 600], multi: [360, 700] },
  { months: [1, 2, 3, 4, 11, 12], standard: [200, 400], multi: [300, 500] },
];

/** Guangdong residential: single price, monthly seasonal tiers. */
const RES_GD = tariff({
  code: 'RES-GD',
  name: '居民生活用电',
  class: 'residential',
  energy: { flat: '0.59886875' },
  tiers: { basis: 'monthly', bounds: GUANGDONG_BOUNDS, increments: ['0', '0.05', '0.30'] },
});

/** A province on annual tiers: 180 / 350 kWh a month × 12. */
const RES_ANNUAL = tariff({
  code: 'RES-ANNUAL',
  class: 'residential',
  energy: { flat: '0.5283' },
  tiers: { basis: 'annual', bounds: [{ standard: [2160, 4200] }], increments: ['0', '0.05', '0.30'] },
});

/** Residential time of use with tier increments on top (先分时、后阶梯). */
const RES_TOU_TIERS = tariff({
  code: 'RES-TOU',
  class: 'residential',
  energy: { peak: '0.72', flat: '0.55', valley: '0.31' },
  tiers: { basis: 'monthly', bounds: GUANGDONG_BOUNDS, increments: ['0', '0.05', '0.30'] },
});

/** Shanghai-style: a peak and a valley price per annual tier. */
const RES_PER_TIER = tariff({
  code: 'RES-SH-TOU',
  class: 'residential',
  tiers: {
    basis: 'annual',
    bounds: [{ standard: [3120, 4800] }],
    prices: [
      { peak: '0.617', valley: '0.307' },
      { peak: '0.677', valley: '0.337' },
      { peak: '0.977', valley: '0.487' },
    ],
  },
});

/** Large industry, two-part by capacity, time of use, power factor 0.90. */
const LI_CAPACITY = tariff({
  code: 'LI-10KV',
  class: 'large_industry',
  energy: { peak: '0.9876', flat: '0.6543', valley: '0.321' },
  capacityCharge: '23.3',
  powerFactorStandard: '0.90',
});

/** Large industry, two-part by maximum demand, single price. */
const LI_DEMAND = tariff({
  code: 'LI-DEMAND',
  class: 'large_industry',
  energy: { flat: '0.61' },
  demandCharge: '36',
  powerFactorStandard: '0.90',
});

/** General industrial & commercial with five periods (Zhejiang-style). */
const CI_FIVE = tariff({
  code: 'CI-ZJ',
  class: 'commercial',
  energy: { criticalPeak: '1.4124', peak: '1.2746', flat: '0.6889', valley: '0.3245', deepValley: '0.1622' },
});

/** General industrial & commercial with the usual three periods. */
const CI_THREE = tariff({ code: 'CI-3', class: 'commercial', energy: { peak: '1.05', flat: '0.65', valley: '0.30' } });

const AGRI = tariff({ code: 'AGR', class: 'agricultural', energy: { flat: '0.4' } });

/** [labelKey, kWh, unit price, yuan] per line — how a clerk checks a notice. */
function notice(bill: Bill): [string, string | null, string | null, string][] {
  return bill.lines.map((l) => [l.labelKey, l.quantity === null ? null : formatCenti(l.quantity), l.unitPrice, formatYuan(l.amountFen)]);
}

function bill(input: Omit<BillInput, 'consumption'> & { kwh: string }): Bill {
  const { kwh: total, ...rest } = input;
  return computeBill({ ...rest, consumption: kwh(total) });
}

describe('Guangdong residential, single price with monthly tiers', () => {
  it('a resident using 300 kWh in July pays 260 kWh at base and 40 kWh at base + 0.05', () => {
    const b = bill({ tariff: RES_GD, period: '2026-07', kwh: '300' });
    expect(b.lines).toEqual([
      { kind: 'energy', labelKey: 'tier1', tier: 1, period: null, quantity: 26000, unit: 'kWh', unitPrice: '0.59886875', amountFen: 15571 },
      { kind: 'energy', labelKey: 'tier2', tier: 2, period: null, quantity: 4000, unit: 'kWh', unitPrice: '0.64886875', amountFen: 2595 },
    ]);
    expect(b.totalFen).toBe(18166);
    expect(b.tiers).toMatchObject({ basis: 'monthly', bounds: [260, 600], household: 'standard', kwh: [26000, 4000, 0] });
    expect(b.touKwh).toBeNull();
    expect(b.powerFactor).toBeNull();
  });

  it.each([
    ['a multi-person household using 300 kWh in July stays in tier 1', '2026-07', '300', true, [['tier1', '300', '0.59886875', '¥179.66']], '¥179.66'],
    [
      'a household using 450 kWh in January reaches tier 3 on winter bounds',
      '2026-01',
      '450',
      false,
      [
        ['tier1', '200', '0.59886875', '¥119.77'],
        ['tier2', '200', '0.64886875', '¥129.77'],
        ['tier3', '50', '0.89886875', '¥44.94'],
      ],
      '¥294.48',
    ],
    [
      'a multi-person household using 450 kWh in January',
      '2026-01',
      '450',
      true,
      [
        ['tier1', '300', '0.59886875', '¥179.66'],
        ['tier2', '150', '0.64886875', '¥97.33'],
      ],
      '¥276.99',
    ],
    ['100 kWh at 0.59886875 is ¥59.89, rounded once', '2026-03', '100', false, [['tier1', '100', '0.59886875', '¥59.89']], '¥59.89'],
    ['12.34 kWh is ¥7.39 (7.390040375 rounded once)', '2026-03', '12.34', false, [['tier1', '12.34', '0.59886875', '¥7.39']], '¥7.39'],
    ['a month with no consumption still shows its tier-1 line', '2026-03', '0', false, [['tier1', '0', '0.59886875', '¥0.00']], '¥0.00'],
  ] as const)('%s', (_case, period, total, multiPerson, lines, totalYuan) => {
    const b = bill({ tariff: RES_GD, period, kwh: total, multiPerson });
    expect(notice(b)).toEqual(lines);
    expect(formatYuan(b.totalFen)).toBe(totalYuan);
  });

  it('totals the rounded lines, not the rounded exact sum (¥250.44, not ¥250.45)', () => {
    // 119.77375 + 129.77375 + 0.89886875 = 250.44636875 exactly; each line is rounded on its own.
    const b = bill({ tariff: RES_GD, period: '2026-01', kwh: '401' });
    expect(b.lines.map((l) => l.amountFen)).toEqual([11977, 12977, 90]);
    expect(b.totalFen).toBe(25044);
  });
});

describe('annual tiers settled on the tier year’s cumulative usage', () => {
  it('2,100 kWh used before and 100 kWh this month: 60 kWh in tier 1, 40 kWh in tier 2', () => {
    const b = bill({ tariff: RES_ANNUAL, period: '2026-11', kwh: '100', cumulativeBefore: kwh('2100') });
    expect(notice(b)).toEqual([
      ['tier1', '60', '0.5283', '¥31.70'],
      ['tier2', '40', '0.5783', '¥23.13'],
    ]);
    expect(b.totalFen).toBe(5483);
  });

  it('a customer connected on 10 July gets half-year bounds (1,080 / 2,100 kWh)', () => {
    const b = bill({ tariff: RES_ANNUAL, period: '2026-08', kwh: '150', cumulativeBefore: kwh('1000'), customerStart: '2026-07-10' });
    expect(b.tiers).toEqual({
      basis: 'annual',
      bounds: [1080, 2100],
      household: 'standard',
      tierYearStart: '2026-01',
      months: 6,
      kwh: [8000, 7000, 0],
    });
    expect(notice(b)).toEqual([
      ['tier1', '80', '0.5283', '¥42.26'],
      ['tier2', '70', '0.5783', '¥40.48'],
    ]);
    expect(b.totalFen).toBe(8274);
  });

  it('needs the usage earlier in the tier year', () => {
    expect(() => bill({ tariff: RES_ANNUAL, period: '2026-08', kwh: '150' })).toThrow(/usage earlier in the tier year .* is missing/);
  });
});

describe('time of use first, then tiers (先分时、后阶梯)', () => {
  it('700 kWh in July: each period at its price, then +0.05 on 340 kWh of tier 2 and +0.30 on 100 kWh of tier 3', () => {
    const b = bill({ tariff: RES_TOU_TIERS, period: '2026-07', kwh: '700', registers: { peak: kwh('250'), valley: kwh('200') } });
    expect(notice(b)).toEqual([
      ['peak', '250', '0.72', '¥180.00'],
      ['flat', '250', '0.55', '¥137.50'],
      ['valley', '200', '0.31', '¥62.00'],
      ['tier2_increment', '340', '0.05', '¥17.00'],
      ['tier3_increment', '100', '0.30', '¥30.00'],
    ]);
    expect(b.lines[3]).toMatchObject({ kind: 'tier_increment', tier: 2, period: null });
    expect(b.totalFen).toBe(42650);
  });

  it('has no increment lines while the household stays in tier 1', () => {
    const b = bill({ tariff: RES_TOU_TIERS, period: '2026-07', kwh: '200', registers: { peak: kwh('80'), valley: kwh('50') } });
    expect(notice(b).map(([key]) => key)).toEqual(['peak', 'flat', 'valley']);
  });

  it('takes flat as total − the other registers when the registers do not add up', () => {
    // The flat register says 260 kWh but the total is 700: flat is billed as 700 − 250 − 200.
    const b = bill({ tariff: RES_TOU_TIERS, period: '2026-07', kwh: '700', registers: { peak: kwh('250'), flat: kwh('260'), valley: kwh('200') } });
    expect(b.touKwh).toEqual({ peak: 25000, flat: 25000, valley: 20000 });
  });

  it('refuses registers that exceed the total, and a reading without registers', () => {
    expect(() => bill({ tariff: RES_TOU_TIERS, period: '2026-07', kwh: '300', registers: { peak: kwh('250'), valley: kwh('100') } })).toThrow(
      'the time-of-use registers other than flat add up to 350 kWh, more than the total consumption 300 kWh',
    );
    expect(() => bill({ tariff: RES_TOU_TIERS, period: '2026-07', kwh: '300' })).toThrow(/time-of-use: the reading must give the consumption of each period/);
  });
});

describe('a peak and a valley price per tier', () => {
  it('3,000 kWh used before, 300 kWh this month (180 peak): tier 1 and tier 2 each split peak/valley', () => {
    const b = bill({ tariff: RES_PER_TIER, period: '2026-10', kwh: '300', cumulativeBefore: kwh('3000'), registers: { peak: kwh('180') } });
    expect(b.touKwh).toEqual({ peak: 18000, valley: 12000 });
    expect(b.tiers?.kwh).toEqual([12000, 18000, 0]);
    expect(notice(b)).toEqual([
      ['tier1_peak', '72', '0.617', '¥44.42'],
      ['tier1_valley', '48', '0.307', '¥14.74'],
      ['tier2_peak', '108', '0.677', '¥73.12'],
      ['tier2_valley', '72', '0.337', '¥24.26'],
    ]);
    expect(b.lines[0]).toMatchObject({ kind: 'energy', tier: 1, period: 'peak' });
    expect(b.totalFen).toBe(15654);
  });

  it('splits uneven kWh so that tiers and registers both add up to the hundredth', () => {
    const b = bill({ tariff: RES_PER_TIER, period: '2026-10', kwh: '300', cumulativeBefore: kwh('3000'), registers: { peak: kwh('100.01') } });
    expect(notice(b)).toEqual([
      ['tier1_peak', '40', '0.617', '¥24.68'],
      ['tier1_valley', '80', '0.307', '¥24.56'],
      ['tier2_peak', '60.01', '0.677', '¥40.63'],
      ['tier2_valley', '119.99', '0.337', '¥40.44'],
    ]);
    expect(b.totalFen).toBe(13031);
  });

  it('refuses flat consumption on a peak/valley-only tariff', () => {
    expect(() =>
      bill({ tariff: RES_PER_TIER, period: '2026-10', kwh: '300', cumulativeBefore: 0, registers: { peak: kwh('100'), flat: kwh('50') } }),
    ).toThrow('tariff RES-SH-TOU has no flat price but the reading has flat consumption');
  });
});

describe('general industrial & commercial time of use', () => {
  it('prices all five periods, flat being total − the others', () => {
    const b = bill({
      tariff: CI_FIVE,
      period: '2026-08',
      kwh: '1000',
      registers: { criticalPeak: kwh('50'), peak: kwh('300'), valley: kwh('250'), deepValley: kwh('100') },
    });
    expect(notice(b)).toEqual([
      ['criticalPeak', '50', '1.4124', '¥70.62'],
      ['peak', '300', '1.2746', '¥382.38'],
      ['flat', '300', '0.6889', '¥206.67'],
      ['valley', '250', '0.3245', '¥81.13'],
      ['deepValley', '100', '0.1622', '¥16.22'],
    ]);
    expect(b.totalFen).toBe(75702);
  });

  it('folds critical-peak and deep-valley registers into peak and valley on a three-period tariff', () => {
    const b = bill({
      tariff: CI_THREE,
      period: '2026-08',
      kwh: '1000',
      registers: { criticalPeak: kwh('50'), peak: kwh('250'), valley: kwh('150'), deepValley: kwh('100') },
    });
    expect(b.touKwh).toEqual({ peak: 30000, flat: 45000, valley: 25000 });
  });
});

describe('large industry, two-part tariff with power-factor adjustment', () => {
  it('400 kVA, 50,000 kWh at PF 0.60: capacity + energy, then +25% (¥10,425.425 rounds up)', () => {
    const b = bill({
      tariff: LI_CAPACITY,
      period: '2026-08',
      kwh: '50000',
      registers: { peak: kwh('12000'), flat: kwh('25000'), valley: kwh('13000') },
      capacityKva: kwh('400'),
      kvarh: kwh('66666.67'),
    });
    expect(notice(b)).toEqual([
      ['capacity', '400', '23.30', '¥9,320.00'],
      ['peak', '12000', '0.9876', '¥11,851.20'],
      ['flat', '25000', '0.6543', '¥16,357.50'],
      ['valley', '13000', '0.321', '¥4,173.00'],
      ['power_factor', null, null, '¥10,425.43'],
    ]);
    expect(b.lines[0]).toMatchObject({ kind: 'capacity', unit: 'kVA' });
    expect(b.powerFactor).toEqual({
      value: '0.60',
      standard: '0.90',
      adjustmentBp: 2500,
      percent: '25.00',
      baseFen: 4170170,
      kwh: 5000000,
      kvarh: 6666667,
    });
    expect(b.lines[4]?.powerFactor).toEqual(b.powerFactor);
    expect(formatYuan(b.totalFen)).toBe('¥52,127.13');
  });

  it('320.5 kW maximum demand at PF 0.96: a 0.75% credit, rounded away from zero', () => {
    const b = bill({ tariff: LI_DEMAND, period: '2026-08', kwh: '100000', maxDemandKw: kwh('320.5'), kvarh: kwh('30000') });
    expect(notice(b)).toEqual([
      ['demand', '320.5', '36.00', '¥11,538.00'],
      ['energy', '100000', '0.61', '¥61,000.00'],
      ['power_factor', null, null, '-¥544.04'],
    ]);
    expect(b.powerFactor).toMatchObject({ value: '0.96', adjustmentBp: -75, percent: '-0.75' });
    expect(b.totalFen).toBe(7253800 - 54404);
  });

  it('uses a head-office policy table in place of the national one', () => {
    const noCredits = { standard: 90, credits: [], penaltyBands: [{ downTo: 70, bpPerStep: 50 }, { downTo: 65, bpPerStep: 100 }], penaltyBeyondBpPerStep: 200 };
    const b = bill({ tariff: LI_DEMAND, period: '2026-08', kwh: '100000', maxDemandKw: kwh('320.5'), kvarh: kwh('30000'), powerFactorTables: { '0.90': noCredits } });
    expect(b.powerFactor?.adjustmentBp).toBe(0);
    expect(b.totalFen).toBe(7253800);
  });

  it('an agricultural customer assessed at 0.80 and exactly at the standard shows a zero adjustment', () => {
    const b = bill({ tariff: AGRI, period: '2026-08', kwh: '1000', kvarh: kwh('750'), powerFactorStandard: '0.80' });
    expect(notice(b)).toEqual([
      ['energy', '1000', '0.40', '¥400.00'],
      ['power_factor', null, null, '¥0.00'],
    ]);
    expect(b.powerFactor?.value).toBe('0.80');
  });

  it('has no adjustment line in a month without any consumption', () => {
    const b = bill({ tariff: LI_DEMAND, period: '2026-08', kwh: '0', maxDemandKw: 0, kvarh: 0 });
    expect(b.powerFactor).toBeNull();
    expect(b.lines.map((l) => l.kind)).toEqual(['demand', 'energy']);
  });

  it.each([
    ['the reactive reading', { maxDemandKw: kwh('300') }, /reactive consumption \(kvarh\) for the power-factor assessment \(standard 0.90\) is missing/],
    ['the maximum demand', { kvarh: kwh('100') }, /maximum demand \(kW\) for the demand charge of tariff LI-DEMAND is missing/],
  ])('refuses a bill without %s', (_case, extra, message) => {
    expect(() => bill({ tariff: LI_DEMAND, period: '2026-08', kwh: '1000', ...extra })).toThrow(message);
  });
});

describe('period and input checks', () => {
  const JULY_VERSION = { ...RES_GD, effectiveFrom: '2026-07-15' };

  it('refuses a tariff version that takes effect after the period', () => {
    expect(() => bill({ tariff: JULY_VERSION, period: '2026-06', kwh: '100' })).toThrow('tariff RES-GD takes effect on 2026-07-15, after the period 2026-06');
    expect(bill({ tariff: JULY_VERSION, period: '2026-07', kwh: '100' }).totalFen).toBe(5989);
  });

  it.each([
    ['a malformed period', { period: '2026-7' }, /is not a billing period/],
    ['negative consumption', { consumption: -100 }, /consumption must be a whole number of hundredths, not negative/],
    ['consumption with thousandths', { consumption: 10.5 }, /whole number of hundredths/],
    ['a multi-person flag on a tariff without multi-person bounds', { tariff: RES_ANNUAL, multiPerson: true, cumulativeBefore: 0 }, /no multi-person bounds/],
  ])('refuses %s', (_case, change, message) => {
    expect(() => computeBill({ tariff: RES_GD, period: '2026-07', consumption: 10000, ...change })).toThrow(message);
  });
});
