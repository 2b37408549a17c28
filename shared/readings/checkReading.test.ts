import { describe, expect, it } from 'vitest';
import { parseCenti } from '../money';
import type { HistoryPeriod } from './checks';
import { checkReading } from './checkReading';
import type { ReadingInput } from './checkReading';
import { describeFlag, needsReview } from './flags';
import { resolveReadingPolicy } from './policy';
import { ReadingInputError } from './register';

const kwh = (text: string) => parseCenti(text);

/** Three ordinary months of 100 kWh in 30 days each (3.33 kWh a day), most recent first. */
const ORDINARY: HistoryPeriod[] = [
  { period: '2026-04', consumption: kwh('100'), days: 30, estimated: false },
  { period: '2026-03', consumption: kwh('100'), days: 30, estimated: false },
  { period: '2026-02', consumption: kwh('100'), days: 30, estimated: false },
];

const zeroMonth = (period: string): HistoryPeriod => ({ period, consumption: 0, days: 30, estimated: false });
const LAST_ESTIMATED: HistoryPeriod[] = [{ ...ORDINARY[0]!, estimated: true }, ...ORDINARY.slice(1)];

interface Case extends Partial<ReadingInput> {
  /** 起码 and 止码 as typed. */
  from?: string;
  to?: string;
  /** Reading date (the previous one is 2026-04-25). */
  on?: string;
  estimated?: boolean;
  /** The multiplier the previous period was billed at. */
  was?: number;
}

/** A household on book day 25, read 2026-04-25 → 2026-05-25 (30 days), 5-digit register ×1. */
function reading(c: Case = {}): ReadingInput {
  const { from = '1000', to = '1100', on = '2026-05-25', estimated = false, was = 1, ...rest } = c;
  return {
    previous: { reading: kwh(from), date: '2026-04-25', multiplier: was },
    current: { reading: kwh(to), date: on, estimated },
    multiplier: 1,
    digits: 5,
    bookDay: 25,
    history: ORDINARY,
    ...rest,
  };
}

const codes = (r: { flags: { code: string }[]; errors: { code: string }[] }) => ({
  flags: r.flags.map((f) => f.code),
  errors: r.errors.map((f) => f.code),
});

describe('checkReading: office cases', () => {
  it.each<[string, ReadingInput, string | null, string[], string[]]>([
    // [case, input, consumption kWh (null = not yet known), warnings, errors]
    ['an ordinary month of 100 kWh passes clean', reading(), '100', [], []],
    ['a 10× spike against the recent average is high', reading({ to: '2000' }), '1000', ['high'], []],
    ['×0.2 of the recent average is low', reading({ to: '1020' }), '20', ['low'], []],
    ['exactly ×3 is not yet high (the threshold is "above")', reading({ to: '1300' }), '300', [], []],
    ['exactly ×0.3 is not yet low', reading({ to: '1030' }), '30', [], []],
    ['a new account with no history gets no high/low check, even at 5000 kWh', reading({ to: '6000', history: [] }), '5000', [], []],
    ['a short 10-day period is compared per day, so 35 kWh is not low', reading({ to: '1035', on: '2026-05-05', bookDay: null }), '35', [], []],
    ['a first zero period is a warning', reading({ to: '1000' }), '0', ['zero'], []],
    ['a second zero period in a row is still only a warning', reading({ to: '1000', history: [zeroMonth('2026-04'), ...ORDINARY] }), '0', ['zero'], []],
    [
      'the third zero period in a row sends a site visit',
      reading({ to: '1000', history: [zeroMonth('2026-04'), zeroMonth('2026-03'), ...ORDINARY] }),
      '0', ['zero_run_site_visit'], [],
    ],
    ['a first estimate (估抄) is not flagged', reading({ estimated: true }), '100', [], []],
    ['a second estimate in a row is prolonged estimation', reading({ estimated: true, history: LAST_ESTIMATED }), '100', ['prolonged_estimate'], []],
    ['read 6 days after the book day is outside the window', reading({ on: '2026-05-31' }), '100', ['outside_window'], []],
    ['read 3 days after the book day is inside the window', reading({ on: '2026-05-28' }), '100', [], []],
    ['a May reading dated 24 June is outside May\'s window (though near June\'s day)', reading({ on: '2026-06-24', period: '2026-05' }), '100', ['outside_window'], []],
    ['a multiplier change from ×20 to ×30 is flagged', reading({ was: 20, multiplier: 30, history: [] }), '3000', ['multiplier_changed'], []],
    ['the same drop on a meter at 50,000 → 40,000 is refused', reading({ from: '50000', to: '40000' }), null, [], ['negative']],
    ['a confirmation cannot turn a refused drop into a rollover', reading({ from: '50000', to: '40000', confirmedRollover: true }), null, [], ['negative']],
    ['100000.00 cannot be on a 5-digit register', reading({ to: '100000' }), null, [], ['reading_out_of_range']],
    ['a negative reading is a typing error', reading({ to: '-5' }), null, [], ['reading_out_of_range']],
    ['a reading dated on the previous reading date is refused', reading({ on: '2026-04-25', bookDay: null }), null, [], ['date_not_after_previous']],
    ['a confirmation with no drop changes nothing', reading({ confirmedRollover: true }), '100', [], []],
  ])('%s', (_case, input, consumption, flags, errors) => {
    const result = checkReading(input);
    expect(result.consumption).toBe(consumption === null ? null : kwh(consumption));
    expect(codes(result)).toEqual({ flags, errors });
    expect(result.needsConfirmation).toBeUndefined();
  });
});

describe('checkReading: rollover (满码翻转)', () => {
  it('offers a 5-digit meter at 99,950 reading 00,120 as a rollover of 170 kWh (×1)', () => {
    const result = checkReading(reading({ from: '99950', to: '120' }));
    expect(result.consumption).toBeNull();
    expect(result.errors).toEqual([]);
    expect(result.needsConfirmation).toEqual({
      kind: 'rollover',
      consumption: kwh('170'),
      wraps: [{ span: 'meter', previous: kwh('99950'), current: kwh('120'), digits: 5, advance: kwh('170') }],
    });
  });

  it('accepts the confirmed rollover at ×30 as 5100 kWh, kept as a warning for review', () => {
    const history = ORDINARY.map((h) => ({ ...h, consumption: kwh('5000') }));
    const result = checkReading(reading({ from: '99950', to: '120', multiplier: 30, was: 30, history, confirmedRollover: true }));
    expect(result.consumption).toBe(kwh('5100'));
    expect(codes(result)).toEqual({ flags: ['rollover'], errors: [] });
    expect(result.flags[0]).toMatchObject({ severity: 'warning', params: { span: 'meter', advance: kwh('170'), digits: 5 } });
    expect(needsReview(result.flags)).toBe(true);
  });

  it('still checks a confirmed rollover against history (a wrap that would be 10× usual is high)', () => {
    const result = checkReading(reading({ from: '99500', to: '500', confirmedRollover: true }));
    expect(result.consumption).toBe(kwh('1000'));
    expect(codes(result).flags).toEqual(['rollover', 'high']);
  });

  it('explains the refusal with the numbers', () => {
    const [error] = checkReading(reading({ from: '50000', to: '40000' })).errors;
    expect(error).toEqual({
      code: 'negative',
      severity: 'error',
      params: { span: 'meter', previous: kwh('50000'), current: kwh('40000'), drop: kwh('10000'), wrappedAdvance: kwh('90000'), maxAdvance: kwh('10000') },
    });
    expect(describeFlag(error!)).toBe(
      'Reading 40000 is below the previous reading 50000 (meter); as a rollover it would advance 90000, more than the plausible 10000. Check the reading.',
    );
  });

  it('takes the plausible share of the register range from policy', () => {
    const strict = resolveReadingPolicy({ rolloverMaxPercentOfRange: 0.1 }); // 100 kWh on 5 digits
    expect(codes(checkReading(reading({ from: '99950', to: '120' }), strict)).errors).toEqual(['negative']);
  });
});

describe('checkReading: quantities', () => {
  it('keeps decimals in readings exact: 12345.67 → 12400.02 at ×30 is 1630.50 kWh', () => {
    const history = ORDINARY.map((h) => ({ ...h, consumption: kwh('1600') }));
    const result = checkReading(reading({ from: '12345.67', to: '12400.02', multiplier: 30, was: 30, history }));
    expect(result.consumption).toBe(163050);
    expect(result.flags).toEqual([]);
  });

  it('bills a replacement (换表) period with both meters: 120 kWh on the old ×1 and 85.5 × 20 on the new', () => {
    const input = reading({
      from: '4500',
      to: '85.5',
      multiplier: 20,
      digits: 6,
      replacement: { oldFinal: kwh('4620'), oldMultiplier: 1, oldDigits: 5, newStart: 0 },
      history: ORDINARY.map((h) => ({ ...h, consumption: kwh('1500') })),
    });
    const result = checkReading(input);
    expect(result.consumption).toBe(kwh('1830'));
    // The new CT's ×20 is part of the replacement, not an unexplained multiplier change.
    expect(codes(result)).toEqual({ flags: [], errors: [] });
  });

  it('refuses an old meter whose final reading is below its previous one', () => {
    const result = checkReading(reading({ from: '4500', to: '10', replacement: { oldFinal: kwh('4000'), oldMultiplier: 1, oldDigits: 5, newStart: 0 } }));
    expect(result.errors).toMatchObject([{ code: 'negative', params: { span: 'old_meter' } }]);
  });

  it('flags the old meter multiplier if it differs from the one last billed', () => {
    const result = checkReading(reading({ replacement: { oldFinal: kwh('1050'), oldMultiplier: 5, oldDigits: 5, newStart: 0 }, to: '50' }));
    expect(result.flags).toMatchObject([{ code: 'multiplier_changed', params: { previous: 1, current: 5 } }]);
  });
});

describe('checkReading: high and low', () => {
  it('gives the numbers for a 10× spike', () => {
    const [flag] = checkReading(reading({ to: '2000' })).flags;
    expect(flag).toEqual({
      code: 'high',
      severity: 'warning',
      params: { consumption: kwh('1000'), days: 30, dailyUse: 3333, thresholdPercent: 300, recentDailyAverage: 333, recentRatioPercent: 1000, recentPeriods: 3 },
    });
    expect(describeFlag(flag!)).toBe(
      'Consumption 1000 kWh (33.33 kWh/day over 30 days) is high against recent average 3.33 kWh/day, 1000% (threshold 300%).',
    );
  });

  const SUMMER = { period: '2025-05', consumption: kwh('380'), days: 30, estimated: false };

  it('lets last year\'s same month explain a seasonal peak (both baselines must agree by default)', () => {
    expect(checkReading(reading({ to: '1400', sameMonthLastYear: SUMMER })).flags).toEqual([]);
  });

  it('flags the seasonal peak when head office asks for either baseline', () => {
    const any = resolveReadingPolicy({ highLowBasis: 'any' });
    const [flag] = checkReading(reading({ to: '1400', sameMonthLastYear: SUMMER }), any).flags;
    expect(flag).toMatchObject({ code: 'high', params: { recentRatioPercent: 400, lastYearRatioPercent: 105, lastYearPeriod: '2025-05' } });
  });

  it('ignores an estimated same month last year', () => {
    expect(codes(checkReading(reading({ to: '1400', sameMonthLastYear: { ...SUMMER, estimated: true } }))).flags).toEqual(['high']);
  });

  it('skips estimated periods in the recent average', () => {
    const history = [{ period: '2026-04', consumption: kwh('1000'), days: 30, estimated: true }, ...ORDINARY];
    expect(checkReading(reading({ history })).flags).toEqual([]);
  });

  it('with a history of zeros, use above 0.5 kWh a day is high and below it is not', () => {
    const vacant = ORDINARY.map((h) => ({ ...h, consumption: 0 }));
    const [flag] = checkReading(reading({ to: '1020', history: vacant })).flags;
    expect(flag).toMatchObject({ code: 'high', params: { recentDailyAverage: 0, zeroHistoryDailyFloor: 50 } });
    expect(flag!.params).not.toHaveProperty('recentRatioPercent');
    expect(checkReading(reading({ to: '1010', history: vacant })).flags).toEqual([]);
  });
});

describe('checkReading: time-of-use registers (分时)', () => {
  // Total 200 kWh; the registers are read at the same visit.
  const tou = (peak: string, flat: string, valley: string) => ({
    peak: { previous: kwh('300'), current: kwh(peak) },
    flat: { previous: kwh('400'), current: kwh(flat) },
    valley: { previous: kwh('300'), current: kwh(valley) },
  });

  it('flags registers summing 5 kWh off the total (tolerance: 1 kWh or 1% = 2 kWh)', () => {
    const result = checkReading(reading({ to: '1200', tou: tou('380', '470', '355'), history: [] }));
    expect(result.consumption).toBe(kwh('200'));
    expect(result.touConsumption).toEqual({ peak: kwh('80'), flat: kwh('70'), valley: kwh('55') });
    expect(result.flags).toEqual([
      { code: 'tou_sum_mismatch', severity: 'warning', params: { registersSum: kwh('205'), total: kwh('200'), difference: kwh('5'), tolerance: kwh('2') } },
    ]);
  });

  it('accepts registers 1 kWh off (the last digit of each register)', () => {
    expect(checkReading(reading({ to: '1200', tou: tou('380', '470', '351'), history: [] })).flags).toEqual([]);
  });

  it('asks to confirm a valley register that wrapped, and checks the sum with the wrap', () => {
    const input = reading({
      to: '1200',
      history: [],
      tou: { peak: { previous: kwh('300'), current: kwh('380') }, flat: { previous: kwh('400'), current: kwh('470') }, valley: { previous: kwh('99990'), current: kwh('40') } },
    });
    expect(checkReading(input).needsConfirmation?.wraps).toMatchObject([{ span: 'valley', advance: kwh('50') }]);
    const confirmed = checkReading({ ...input, confirmedRollover: true });
    expect(confirmed.touConsumption?.valley).toBe(kwh('50'));
    expect(codes(confirmed)).toEqual({ flags: ['rollover'], errors: [] });
  });
});

describe('checkReading: malformed input is a bug, not a flag', () => {
  it.each<[string, ReadingInput]>([
    ['a multiplier of 0', reading({ multiplier: 0 })],
    ['a reading in thousandths', reading({ current: { reading: 110050.5, date: '2026-05-25' } })],
    ['30 February', reading({ on: '2026-02-30' })],
    ['a book day of 32', reading({ bookDay: 32 })],
    ['a history period of 0 days', reading({ history: [{ ...zeroMonth('2026-04'), days: 0 }] })],
  ])('throws on %s', (_case, input) => {
    expect(() => checkReading(input)).toThrow(ReadingInputError);
  });
});
