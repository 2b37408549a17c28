import { describe, expect, it } from 'vitest';
import { renderMessage, type CodedMessage } from '../i18n/coded';
import { checkTariffFile, isTimeOfUse, parseTariffFile, tariffInForce, tariffPeriods, TariffFileError, type TariffVersion } from './tariff';

const en = (problem: CodedMessage) => renderMessage('en', problem);
const zh = (problem: CodedMessage) => renderMessage('zh-CN', problem);

/** Guangdong residential, as in the issue: monthly seasonal bounds, multi-person bounds. */
function guangdong(): Record<string, any> {
  return {
    code: 'RES-GD',
    name: '居民生活用电',
    class: 'residential',
    effectiveFrom: '2026-01-01',
    energy: { flat: '0.59886875' },
    tiers: {
      basis: 'monthly',
      bounds: [
        { months: [5, 6, 7, 8, 9, 10], standard: [260, 600], multi: [360, 700] },
        { months: [1, 2, 3, 4, 11, 12], standard: [200, 400], multi: [300, 500] },
      ],
      increments: ['0', '0.05', '0.30'],
    },
  };
}

function largeIndustry(): Record<string, any> {
  return {
    code: 'LI-10KV',
    name: '大工业用电 1-10千伏',
    class: 'large_industry',
    effectiveFrom: '2026-01-01',
    energy: { peak: '0.9876', flat: '0.6543', valley: '0.321' },
    capacityCharge: '23.3',
    powerFactorStandard: '0.90',
  };
}

/** Shanghai-style: annual tiers with a peak and a valley price per tier. */
function perTierPeakValley(): Record<string, any> {
  return {
    code: 'RES-SH-TOU',
    name: '居民峰谷电价',
    class: 'residential',
    effectiveFrom: '2026-01-01',
    tiers: {
      basis: 'annual',
      bounds: [{ standard: [3120, 4800] }],
      prices: [
        { peak: '0.617', valley: '0.307' },
        { peak: '0.677', valley: '0.337' },
        { peak: '0.977', valley: '0.487' },
      ],
    },
  };
}

describe('reading a head-office tariff file', () => {
  it('accepts the Guangdong residential tariff from the issue', () => {
    const [tariff] = parseTariffFile(guangdong());
    expect(tariff?.code).toBe('RES-GD');
    expect(tariff?.energy?.flat).toBe('0.59886875');
    expect(tariffPeriods(tariff!)).toEqual(['flat']);
    expect(isTimeOfUse(tariff!)).toBe(false);
  });

  it('accepts a list of versions and the { "tariffs": [...] } form', () => {
    const july = { ...guangdong(), effectiveFrom: '2026-07-01', energy: { flat: '0.61' } };
    expect(parseTariffFile([guangdong(), july])).toHaveLength(2);
    expect(parseTariffFile({ tariffs: [guangdong(), largeIndustry(), perTierPeakValley()] }).map((t) => t.code)).toEqual([
      'RES-GD',
      'LI-10KV',
      'RES-SH-TOU',
    ]);
  });

  it('accepts two-part, five-period, annual and per-tier shapes', () => {
    const fivePeriods = {
      code: 'CI-ZJ',
      name: '一般工商业',
      class: 'commercial',
      effectiveFrom: '2026-01-01',
      energy: { criticalPeak: '1.4124', peak: '1.2746', flat: '0.6889', valley: '0.3245', deepValley: '0.1622' },
    };
    const annual = { ...guangdong(), code: 'RES-ANNUAL', tiers: { basis: 'annual', yearStartMonth: 7, bounds: [{ standard: [2160, 4200] }], increments: ['0', '0.05', '0.30'] } };
    const tariffs = parseTariffFile([largeIndustry(), fivePeriods, annual, perTierPeakValley()]);
    expect(tariffPeriods(tariffs[1]!)).toEqual(['criticalPeak', 'peak', 'flat', 'valley', 'deepValley']);
    expect(tariffPeriods(tariffs[3]!)).toEqual(['peak', 'valley']);
    expect(isTimeOfUse(tariffs[3]!)).toBe(true);
  });

  it('names the tariff and the field of every problem', () => {
    const broken = guangdong();
    broken.energy.flat = '0.598868751';
    broken.tiers.bounds[1].months = [1, 2, 3, 4, 11];
    const error = (() => {
      try {
        parseTariffFile(broken);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(TariffFileError);
    expect((error as TariffFileError).problems.map(en)).toEqual([
      'Tariff RES-GD effective 2026-01-01, energy.flat: "0.598868751" has 9 decimal places; a price may have at most 8',
      'Tariff RES-GD effective 2026-01-01, tiers.bounds: month 12 is not covered; every month 1–12 needs bounds',
    ]);
    expect((error as TariffFileError).message).toMatch(/^The tariff file has 2 problems:\n- Tariff RES-GD/);
  });

  it('says every problem in Chinese too, naming the tariff and the field (the app’s default language)', () => {
    const broken = guangdong();
    broken.energy.flat = '0.598868751';
    broken.tiers.bounds[1].months = [1, 2, 3, 4, 11];
    const result = checkTariffFile([broken, { code: 'AGR', energy: { flat: 0.5 } }]);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map(zh)).toEqual([
        '第 1 个电价 RES-GD（2026-01-01 起执行），字段 energy.flat：“0.598868751”有 9 位小数，电价最多 8 位小数',
        '第 1 个电价 RES-GD（2026-01-01 起执行），字段 tiers.bounds：12 月没有阶梯上限；1–12 月每月都须有',
        '第 2 个电价 AGR，字段 name：缺少此项',
        '第 2 个电价 AGR，字段 class：缺少此项（可填 "residential", "commercial", "large_industry", "agricultural"）',
        '第 2 个电价 AGR，字段 effectiveFrom：缺少此项',
        '第 2 个电价 AGR，字段 energy.flat：须写在引号里，如 "0.5"（不加引号的数字可能丢失小数位）',
      ]);
    }
  });

  type Breakage = [string, () => unknown, string[]];
  const gd = (change: (t: Record<string, any>) => void) => () => {
    const t = guangdong();
    change(t);
    return t;
  };
  const li = (change: (t: Record<string, any>) => void) => () => {
    const t = largeIndustry();
    change(t);
    return t;
  };
  const P = 'Tariff RES-GD effective 2026-01-01';

  it.each<Breakage>([
    [
      'a price with 9 decimal places',
      gd((t) => (t.energy.flat = '0.598868751')),
      [`${P}, energy.flat: "0.598868751" has 9 decimal places; a price may have at most 8`],
    ],
    [
      'a price written as a bare number',
      gd((t) => (t.energy.flat = 0.59886875)),
      [`${P}, energy.flat: must be written in quotes, e.g. "0.59886875" (a bare number may lose decimal places)`],
    ],
    ['a price that is not a number', gd((t) => (t.tiers.increments[1] = 'abc')), [`${P}, tiers.increments, entry 2: "abc" is not a decimal number`]],
    ['a negative increment', gd((t) => (t.tiers.increments[1] = '-0.05')), [`${P}, tiers.increments, entry 2: "-0.05" is negative; prices cannot be below zero`]],
    ['only two increments', gd((t) => (t.tiers.increments = ['0', '0.05'])), [`${P}, tiers.increments: must list exactly 3 values`]],
    ['December missing', gd((t) => (t.tiers.bounds[1].months = [1, 2, 3, 4, 11])), [`${P}, tiers.bounds: month 12 is not covered; every month 1–12 needs bounds`]],
    [
      'two months missing',
      gd((t) => (t.tiers.bounds[1].months = [2, 3, 4, 11])),
      [`${P}, tiers.bounds: months 1, 12 are not covered; every month 1–12 needs bounds`],
    ],
    [
      'July in both seasons',
      gd((t) => (t.tiers.bounds[1].months = [1, 2, 3, 4, 7, 11, 12])),
      [`${P}, tiers.bounds, entry 2, months: month 7 is already covered by entry 1; each month must appear exactly once`],
    ],
    ['month 13', gd((t) => t.tiers.bounds[1].months.push(13)), [`${P}, tiers.bounds, entry 2, months, entry 7: 13 is not a month (1–12)`]],
    [
      'tier bounds the wrong way round',
      gd((t) => (t.tiers.bounds[0].standard = [600, 260])),
      [`${P}, tiers.bounds, entry 1, standard: the tier-1 bound (600) must be below the tier-2 bound (260)`],
    ],
    [
      'a bound in fractions of a kWh',
      gd((t) => (t.tiers.bounds[0].multi = [360.5, 700])),
      [`${P}, tiers.bounds, entry 1, multi, entry 1: 360.5 is not a bound: write whole kWh above 0`],
    ],
    ['multi-person bounds in one season only', gd((t) => delete t.tiers.bounds[0].multi), [`${P}, tiers.bounds: give multi-person bounds in every entry or in none`]],
    [
      'annual tiers given by month',
      gd((t) => (t.tiers.basis = 'annual')),
      [`${P}, tiers.bounds: annual tiers take a single bounds entry without months (annual kWh for the whole tier year)`],
    ],
    ['a tier-year start on monthly tiers', gd((t) => (t.tiers.yearStartMonth = 7)), [`${P}, tiers.yearStartMonth: only applies to annual tiers`]],
    ['tiers without increments or prices', gd((t) => delete t.tiers.increments), [`${P}, tiers: give either increments (added to the energy prices) or prices per tier, not both`]],
    ['no energy prices', gd((t) => delete t.energy), [`${P}, energy: is missing; give energy prices (or tiers.prices for a price per tier)`]],
    ['an empty energy block', gd((t) => (t.energy = {})), [`${P}, energy: gives no price: write { "flat": "0.5" } or time-of-use prices`]],
    [
      'time of use without a valley price',
      gd((t) => (t.energy = { peak: '0.8', flat: '0.6' })),
      [`${P}, energy: a time-of-use tariff needs at least a peak and a valley price (a single-price tariff gives flat only)`],
    ],
    [
      'a misspelt period',
      gd((t) => (t.energy = { peak: '0.8', flat: '0.6', vally: '0.3' })),
      [
        `${P}, energy: has unknown field "vally" (check the spelling)`,
        `${P}, energy: a time-of-use tariff needs at least a peak and a valley price (a single-price tariff gives flat only)`,
      ],
    ],
    [
      'an unknown customer class',
      gd((t) => (t.class = 'industrial')),
      [`${P}, class: must be one of "residential", "commercial", "large_industry", "agricultural", not "industrial"`],
    ],
    ['an impossible date', gd((t) => (t.effectiveFrom = '2026-02-30')), ['Tariff RES-GD effective 2026-02-30, effectiveFrom: must be a date written YYYY-MM-DD']],
    ['no code', gd((t) => delete t.code), ['The tariff (no code), code: is missing']],
    [
      'both a capacity and a demand charge',
      li((t) => (t.demandCharge = '36')),
      ['Tariff LI-10KV effective 2026-01-01, demandCharge: give a capacity charge or a demand charge, not both (make two tariffs if customers may choose)'],
    ],
    [
      'a power-factor standard written as a number',
      li((t) => (t.powerFactorStandard = 0.9)),
      ['Tariff LI-10KV effective 2026-01-01, powerFactorStandard: must be one of "0.90", "0.85", "0.80", not 0.9'],
    ],
    [
      'per-tier prices with different periods',
      () => {
        const t = perTierPeakValley();
        t.tiers.prices[2] = { flat: '0.9' };
        return t;
      },
      ['Tariff RES-SH-TOU effective 2026-01-01, tiers.prices, entry 3: must price the same periods as tier 1 (peak, valley)'],
    ],
    [
      'per-tier prices and energy prices together',
      () => ({ ...perTierPeakValley(), energy: { flat: '0.6' } }),
      ['Tariff RES-SH-TOU effective 2026-01-01, energy: must be left out when tiers.prices gives the price of every tier'],
    ],
    [
      'the same version twice',
      () => [guangdong(), largeIndustry(), guangdong()],
      ['Tariff #3 RES-GD effective 2026-01-01: the same version is already given as tariff #1'],
    ],
    [
      'a list with an unnamed tariff',
      () => [guangdong(), { name: 'x', effectiveFrom: '2026-01-01', energy: { flat: '0.5' } }],
      ['Tariff #2, code: is missing', 'Tariff #2, class: is missing (one of "residential", "commercial", "large_industry", "agricultural")'],
    ],
    ['an empty list', () => ({ tariffs: [] }), ['The file holds no tariffs']],
    ['not a tariff at all', () => 'RES-GD', ['The file must hold a tariff { ... }, a list of tariffs, or { "tariffs": [ ... ] }']],
  ])('refuses %s', (_case, file, problems) => {
    const result = checkTariffFile(file());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map(en)).toEqual(problems);
  });
});

describe('which version is in force', () => {
  const versions = parseTariffFile([
    guangdong(),
    { ...guangdong(), effectiveFrom: '2026-07-01', energy: { flat: '0.61' } },
    largeIndustry(),
  ]) as TariffVersion[];

  it.each([
    ['2025-12-31', undefined],
    ['2026-01-01', '0.59886875'],
    ['2026-06-30', '0.59886875'],
    ['2026-07-01', '0.61'],
    ['2027-03-15', '0.61'],
  ])('on %s the RES-GD flat price is %s', (date, price) => {
    expect(tariffInForce(versions, 'RES-GD', date)?.energy?.flat).toBe(price);
  });
});
