import { describe, expect, it } from 'vitest';
import { parseCenti } from '../money';
import { checkEstimation, checkReadingWindow, checkTouSum, checkZero, scheduledReadingDate } from './checks';
import type { HistoryPeriod } from './checks';
import { describeFlag, makeFlag, needsReview, READING_FLAG_CODES, REVIEW_DECISIONS } from './flags';
import type { ReadingFlag } from './flags';
import { DEFAULT_READING_POLICY, resolveReadingPolicy } from './policy';
import { assessAdvance, consumptionWithReplacement, ReadingInputError, registerRange, spanConsumption } from './register';

const kwh = (text: string) => parseCenti(text);
const P = DEFAULT_READING_POLICY;

describe('register arithmetic', () => {
  it('wraps a 5-digit register at 100000.00', () => {
    expect(registerRange(5)).toBe(kwh('100000'));
  });

  it.each<[string, string, string, number, string]>([
    // [case, previous, current, digits, outcome]
    ['forward', '1000', '1100', 5, 'forward'],
    ['standing still', '1000', '1000', 5, 'forward'],
    ['99,950 → 00,120 on 5 digits', '99950', '120', 5, 'rollover'],
    ['exactly 10% of the range across the wrap', '95000', '5000', 5, 'rollover'],
    ['just over 10% of the range', '95000', '5000.01', 5, 'refused'],
    ['50,000 → 40,000 on 5 digits', '50000', '40000', 5, 'refused'],
    ['9,950 → 0,020 on a 4-digit register', '9950', '20', 4, 'rollover'],
  ])('%s is %s', (_case, previous, current, digits, outcome) => {
    expect(assessAdvance(kwh(previous), kwh(current), digits, P).kind).toBe(outcome);
  });

  it('computes a replacement (换表) period from both meters', () => {
    // (4620 − 4500) × 1 + (85.50 − 0) × 20 = 120 + 1710
    expect(consumptionWithReplacement({ previous: kwh('4500'), current: kwh('4620'), multiplier: 1 }, { previous: 0, current: kwh('85.5'), multiplier: 20 })).toBe(kwh('1830'));
    // A new meter that does not start at zero.
    expect(consumptionWithReplacement({ previous: kwh('4500'), current: kwh('4620'), multiplier: 40 }, { previous: kwh('12.34'), current: kwh('15.34'), multiplier: 40 })).toBe(kwh('4920'));
  });

  it('applies a confirmed rollover on the old meter of a replacement', () => {
    expect(
      consumptionWithReplacement(
        { previous: kwh('9990'), current: kwh('5'), multiplier: 1, digits: 4, rollover: true },
        { previous: 0, current: kwh('10'), multiplier: 1 },
      ),
    ).toBe(kwh('25'));
  });

  it('refuses a rollover without digits, and a zero multiplier', () => {
    expect(() => spanConsumption({ previous: 5, current: 1, multiplier: 1, rollover: true })).toThrow(ReadingInputError);
    expect(() => spanConsumption({ previous: 1, current: 5, multiplier: 0 })).toThrow(ReadingInputError);
  });
});

describe('reading window (抄表例日)', () => {
  it.each<[string, number, string]>([
    ['2026-02', 31, '2026-02-28'],
    ['2028-02', 31, '2028-02-29'],
    ['2026-04', 31, '2026-04-30'],
    ['2026-03', 31, '2026-03-31'],
    ['2026-02', 15, '2026-02-15'],
  ])('in %s book day %i falls on %s', (period, day, expected) => {
    expect(scheduledReadingDate(period, day)).toBe(expected);
  });

  it.each<[string, string, number, number | null]>([
    // [case, reading date, book day, offset flagged (null = inside)]
    ['on the day', '2026-05-25', 25, null],
    ['3 days late', '2026-05-28', 25, null],
    ['6 days after the book day', '2026-05-31', 25, 6],
    ['2 days early', '2026-05-23', 25, null],
    ['3 days early', '2026-05-22', 25, -3],
    ['book day 31 read on 28 February', '2026-02-28', 31, null],
    ['book day 31 read on 3 March (3 days after 28 February)', '2026-03-03', 31, null],
    ['book day 31 read on 4 March', '2026-03-04', 31, 4],
    ['book day 31 read on 27 February (1 day early)', '2026-02-27', 31, null],
    ['book day 1 read on 30 January (2 days before 1 February)', '2026-01-30', 1, null],
    ['book day 1 read on 29 January', '2026-01-29', 1, -3],
    ['book day 30 read on 2 March (2 days after 28 February)', '2026-03-02', 30, null],
  ])('%s', (_case, date, bookDay, offset) => {
    const flag = checkReadingWindow(date, bookDay, P);
    if (offset === null) expect(flag).toBeNull();
    else expect(flag).toMatchObject({ code: 'outside_window', severity: 'warning', params: { offsetDays: offset, daysBefore: 2, daysAfter: 3 } });
  });

  it('names the scheduled day it measured from', () => {
    expect(checkReadingWindow('2026-03-04', 31, P)?.params.scheduledDate).toBe('2026-02-28');
  });

  it.each<[string, string, string, number, number | null]>([
    // [case, period, reading date, book day, offset flagged (null = inside)]
    ['the October book read on 5 October', '2026-10', '2026-10-05', 5, null],
    ['the October book read on 4 November (near November\'s day, but for October)', '2026-10', '2026-11-04', 5, 30],
    ['book day 1 of February read on 30 January', '2026-02', '2026-01-30', 1, null],
    ['book day 31 of February read on 3 March', '2026-02', '2026-03-03', 31, null],
    ['the October book read on 28 September (3 days before 1 October)', '2026-10', '2026-09-28', 1, -3],
  ])('with the period known: %s', (_case, period, date, bookDay, offset) => {
    const flag = checkReadingWindow(date, bookDay, P, period);
    if (offset === null) expect(flag).toBeNull();
    else expect(flag).toMatchObject({ code: 'outside_window', params: { offsetDays: offset } });
  });
});

describe('zero runs and estimates', () => {
  const zero = (period: string, estimated = false): HistoryPeriod => ({ period, consumption: 0, days: 30, estimated });
  const used = (period: string, estimated = false): HistoryPeriod => ({ period, consumption: kwh('80'), days: 30, estimated });

  it.each<[string, HistoryPeriod[], string, number]>([
    ['first zero', [used('2026-04')], 'zero', 1],
    ['second zero', [zero('2026-04'), used('2026-03')], 'zero', 2],
    ['third zero: site visit', [zero('2026-04'), zero('2026-03'), used('2026-02')], 'zero_run_site_visit', 3],
    ['fourth zero: site visit again', [zero('2026-04'), zero('2026-03'), zero('2026-02')], 'zero_run_site_visit', 4],
    ['an estimated zero counts in the run', [zero('2026-04', true), zero('2026-03')], 'zero_run_site_visit', 3],
  ])('%s', (_case, history, code, count) => {
    const flag = checkZero(0, 30, history, P);
    expect(flag?.code).toBe(code);
    if (code === 'zero_run_site_visit') expect(flag?.params.count).toBe(count);
  });

  it('takes the run length from policy', () => {
    expect(checkZero(0, 30, [zero('2026-04')], resolveReadingPolicy({ zeroRunForSiteVisit: 2 }))?.code).toBe('zero_run_site_visit');
  });

  it.each<[string, boolean, HistoryPeriod[], number | null]>([
    ['an actual reading', false, [used('2026-04', true)], null],
    ['a first estimate', true, [used('2026-04')], null],
    ['a second estimate in a row', true, [used('2026-04', true), used('2026-03')], 2],
    ['a third estimate in a row', true, [used('2026-04', true), used('2026-03', true)], 3],
  ])('estimation: %s', (_case, estimated, history, count) => {
    const flag = checkEstimation(estimated, history, P);
    expect(flag === null ? null : flag.params.count).toBe(count);
  });
});

describe('time-of-use sum', () => {
  it.each<[string, string, string, boolean]>([
    // [case, registers sum, total, flagged] — tolerance is max(1 kWh, 1% of total)
    ['5 kWh over on 200 kWh', '205', '200', true],
    ['2 kWh over on 200 kWh (1% exactly)', '202', '200', false],
    ['1 kWh under on 50 kWh (1 kWh exactly)', '49', '50', false],
    ['1.01 kWh under on 50 kWh', '48.99', '50', true],
    ['90 kWh under on 10,000 kWh', '9910', '10000', false],
    ['101 kWh under on 10,000 kWh', '9899', '10000', true],
  ])('%s', (_case, sum, total, flagged) => {
    const flag = checkTouSum({ peak: kwh(sum) }, kwh(total), P);
    expect(flag !== null).toBe(flagged);
  });
});

describe('policy', () => {
  it('defaults as documented', () => {
    expect(resolveReadingPolicy()).toEqual(DEFAULT_READING_POLICY);
    expect(DEFAULT_READING_POLICY).toMatchObject({ highPercent: 300, lowPercent: 30, historyPeriods: 3, zeroRunForSiteVisit: 3, consecutiveEstimates: 2 });
  });

  it('takes head office overrides and refuses nonsense', () => {
    expect(resolveReadingPolicy({ highPercent: 250, touTolerancePercent: 0.5 }).highPercent).toBe(250);
    expect(() => resolveReadingPolicy({ lowPercent: 120 })).toThrow();
    expect(() => resolveReadingPolicy({ highPercent: 80 })).toThrow();
    expect(() => resolveReadingPolicy({ touTolerancePercent: 0.125 })).toThrow();
    expect(() => resolveReadingPolicy({ windowDaysAfter: 20 })).toThrow();
    expect(() => resolveReadingPolicy({ bogus: 1 } as never)).toThrow();
  });
});

describe('flags', () => {
  it('has a severity and an English fallback for every code', () => {
    for (const code of READING_FLAG_CODES) {
      const flag = makeFlag(code, {});
      expect(['error', 'warning']).toContain(flag.severity);
      expect(describeFlag(flag).length).toBeGreaterThan(10);
    }
  });

  it('describes with the numbers', () => {
    expect(describeFlag(makeFlag('zero_run_site_visit', { count: 3, days: 30 }))).toBe('Zero consumption for 3 periods in a row: send a site visit.');
    expect(describeFlag(makeFlag('outside_window', { bookDay: 25, scheduledDate: '2026-05-25', offsetDays: 6, daysBefore: 2, daysAfter: 3 }))).toBe(
      "Read 6 days after the book's reading day (2026-05-25); allowed −2/+3 days.",
    );
    expect(describeFlag(makeFlag('tou_sum_mismatch', { registersSum: 20500, total: 20000, difference: 500, tolerance: 200 }))).toBe(
      'Time-of-use registers add up to 205 kWh but the total is 200 kWh (difference 5, tolerance 2).',
    );
  });

  it('needs review only when a warning is present', () => {
    const warning: ReadingFlag = makeFlag('zero', { days: 30 });
    expect(needsReview([])).toBe(false);
    expect(needsReview([makeFlag('negative')])).toBe(false);
    expect(needsReview([warning])).toBe(true);
    expect(REVIEW_DECISIONS).toEqual(['accept', 'correct', 'site_visit']);
  });
});
