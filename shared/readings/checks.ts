// The plausibility checks (抄表数据校验), one pure function each, after Oracle's VEE and SAP
// IS-U's plausibility rules (DOMAIN.md "Meter reading"). Each returns a flag or null; the
// thresholds come from the policy. Comparisons of daily use are cross-multiplied in BigInt, so a
// ratio is never a floating-point division.
import type { Centi } from '../money';
import { divRoundHalfUp } from '../money';
import type { DateString, Period } from '../time';
import { addMonths, daysBetween, daysInPeriod, periodOf } from '../time';
import { makeFlag } from './flags';
import type { ReadingFlag } from './flags';
import { basisPoints } from './policy';
import type { ReadingPolicy } from './policy';

/** One past period of this meter, as billed (most recent first in a history array). */
export interface HistoryPeriod {
  period: Period;
  /** Consumption in hundredths of a kWh, after the multiplier. */
  consumption: Centi;
  /** Days between that period's two readings. */
  days: number;
  /** 估抄: the period was estimated, not read. */
  estimated: boolean;
}

/** Time-of-use registers (分时): 尖峰 critical peak, 峰 peak, 平 flat, 谷 valley, 深谷 deep valley. */
export const TOU_REGISTERS = ['criticalPeak', 'peak', 'flat', 'valley', 'deepValley'] as const;
export type TouRegister = (typeof TOU_REGISTERS)[number];

// --- zero ---------------------------------------------------------------------------------------

/**
 * Zero consumption is a warning; the Nth zero period in a row (this one included, policy
 * `zeroRunForSiteVisit`, State Grid's rule is 3) is flagged for a site visit instead — one flag,
 * the stronger one. Estimated zero periods count too: nobody has seen the meter move either way.
 */
export function checkZero(consumption: Centi, days: number, history: readonly HistoryPeriod[], policy: ReadingPolicy): ReadingFlag | null {
  if (consumption !== 0) return null;
  let count = 1;
  for (const h of history) {
    if (h.consumption !== 0) break;
    count += 1;
  }
  if (count >= policy.zeroRunForSiteVisit) return makeFlag('zero_run_site_visit', { count, days });
  return makeFlag('zero', { days });
}

// --- high / low ---------------------------------------------------------------------------------

interface Baseline {
  consumption: Centi;
  days: number;
}

/**
 * The recent baseline: the `historyPeriods` most recent actual (实抄) periods in the history
 * given. Estimated periods are skipped (an estimate is made from the history, so comparing with
 * it would echo the estimate); the caller decides how far back the history goes.
 */
export function recentBaseline(history: readonly HistoryPeriod[], policy: ReadingPolicy): (Baseline & { periods: number }) | null {
  let consumption = 0;
  let days = 0;
  let periods = 0;
  for (const h of history) {
    if (periods >= policy.historyPeriods) break;
    if (h.estimated || h.days <= 0) continue;
    consumption += h.consumption;
    days += h.days;
    periods += 1;
  }
  return periods === 0 ? null : { consumption, days, periods };
}

function isHigh(c: bigint, d: bigint, b: Baseline, policy: ReadingPolicy): boolean {
  // Against a zero average any ratio is infinite: use the policy's daily floor instead.
  if (b.consumption === 0) return c > BigInt(policy.zeroHistoryHighDailyCenti) * d;
  // c/d > high% × S/D  ⇔  c·D·10000 > high(bp)·S·d
  return c * BigInt(b.days) * 10000n > basisPoints(policy.highPercent) * BigInt(b.consumption) * d;
}

function isLow(c: bigint, d: bigint, b: Baseline, policy: ReadingPolicy): boolean {
  if (b.consumption === 0) return false; // nothing is below zero
  return c * BigInt(b.days) * 10000n < basisPoints(policy.lowPercent) * BigInt(b.consumption) * d;
}

/**
 * High/low against the meter's own history, as daily use so that a 28-day and a 33-day period
 * compare fairly. Baselines: the recent actual periods, and the same month last year when given
 * (and read, not estimated). No baseline → no check. With both, `highLowBasis` says whether both
 * must agree ('all', the default: last year's season explains a summer or irrigation peak) or
 * either suffices ('any'). A zero consumption is never 'low': the zero check says it better.
 */
export function checkHighLow(
  consumption: Centi,
  days: number,
  history: readonly HistoryPeriod[],
  sameMonthLastYear: HistoryPeriod | null | undefined,
  policy: ReadingPolicy,
): ReadingFlag | null {
  if (days <= 0) return null;
  const recent = recentBaseline(history, policy);
  const lastYear = sameMonthLastYear && !sameMonthLastYear.estimated && sameMonthLastYear.days > 0 ? sameMonthLastYear : null;
  const baselines: Baseline[] = [recent, lastYear].filter((b): b is NonNullable<typeof b> => b !== null);
  if (baselines.length === 0) return null;

  const c = BigInt(consumption);
  const d = BigInt(days);
  const combine = (test: (b: Baseline) => boolean) =>
    policy.highLowBasis === 'all' ? baselines.every(test) : baselines.some(test);
  const high = combine((b) => isHigh(c, d, b, policy));
  const low = !high && consumption > 0 && combine((b) => isLow(c, d, b, policy));
  if (!high && !low) return null;

  const params: Record<string, number | string> = {
    consumption,
    days,
    dailyUse: Number(divRoundHalfUp(c, d)),
    thresholdPercent: high ? policy.highPercent : policy.lowPercent,
  };
  const describe = (b: Baseline, prefix: 'recent' | 'lastYear') => {
    params[`${prefix}DailyAverage`] = Number(divRoundHalfUp(BigInt(b.consumption), BigInt(b.days)));
    if (b.consumption > 0) {
      params[`${prefix}RatioPercent`] = Number(divRoundHalfUp(c * BigInt(b.days) * 100n, BigInt(b.consumption) * d));
    } else {
      params.zeroHistoryDailyFloor = policy.zeroHistoryHighDailyCenti;
    }
  };
  if (recent) {
    describe(recent, 'recent');
    params.recentPeriods = recent.periods;
  }
  if (lastYear) {
    describe(lastYear, 'lastYear');
    params.lastYearPeriod = lastYear.period;
  }
  return makeFlag(high ? 'high' : 'low', params);
}

// --- time-of-use --------------------------------------------------------------------------------

/**
 * 分时 registers against the total: the sum of the register consumptions (after the multiplier)
 * may differ from the total by the larger of `touToleranceCenti` and `touTolerancePercent` of the
 * total — the absolute part absorbs the last digit of each register on small meters, the
 * percentage the same on large ones.
 */
export function checkTouSum(registers: Partial<Record<TouRegister, Centi>>, total: Centi, policy: ReadingPolicy): ReadingFlag | null {
  let sum = 0;
  for (const r of TOU_REGISTERS) sum += registers[r] ?? 0;
  const difference = sum - total;
  const abs = BigInt(Math.abs(difference));
  // |diff| > max(abs tolerance, pct × total)  ⇔  |diff| > abs tol  and  |diff|·10000 > bp·|total|
  const beyondAbsolute = abs > BigInt(policy.touToleranceCenti);
  const beyondPercent = abs * 10000n > basisPoints(policy.touTolerancePercent) * BigInt(Math.abs(total));
  if (!beyondAbsolute || !beyondPercent) return null;
  const percentTolerance = Number((basisPoints(policy.touTolerancePercent) * BigInt(Math.abs(total))) / 10000n);
  return makeFlag('tou_sum_mismatch', {
    registersSum: sum,
    total,
    difference,
    tolerance: Math.max(policy.touToleranceCenti, percentTolerance),
  });
}

// --- estimation ---------------------------------------------------------------------------------

/** 估抄 again after an estimated period: flagged once `consecutiveEstimates` are in a row. */
export function checkEstimation(estimated: boolean, history: readonly HistoryPeriod[], policy: ReadingPolicy): ReadingFlag | null {
  if (!estimated) return null;
  let count = 1;
  for (const h of history) {
    if (!h.estimated) break;
    count += 1;
  }
  return count >= policy.consecutiveEstimates ? makeFlag('prolonged_estimate', { count }) : null;
}

// --- reading window -----------------------------------------------------------------------------

/** The book's reading day (抄表例日) in a month; day 31 in February is the 28th or 29th. */
export function scheduledReadingDate(period: Period, bookDay: number): DateString {
  const day = Math.min(bookDay, daysInPeriod(period));
  return `${period}-${String(day).padStart(2, '0')}`;
}

/**
 * Reading date against the book's window: from `windowDaysBefore` before to `windowDaysAfter`
 * after the scheduled day. With the reading period known, that is the book day of that period
 * (a reading for 2026-10 dated in November is far outside); without it, the nearest scheduled
 * day (previous, same or next month), so a book read on the 1st may be read on the last days
 * of the month before. On an exact tie the earlier day wins.
 */
export function checkReadingWindow(date: DateString, bookDay: number, policy: ReadingPolicy, period?: Period | null): ReadingFlag | null {
  const month = periodOf(date);
  let scheduledDate = scheduledReadingDate(period ?? addMonths(month, -1), bookDay);
  let offsetDays = daysBetween(scheduledDate, date);
  for (const k of period ? [] : [0, 1]) {
    const candidate = scheduledReadingDate(addMonths(month, k), bookDay);
    const offset = daysBetween(candidate, date);
    if (Math.abs(offset) < Math.abs(offsetDays)) {
      scheduledDate = candidate;
      offsetDays = offset;
    }
  }
  if (offsetDays >= -policy.windowDaysBefore && offsetDays <= policy.windowDaysAfter) return null;
  return makeFlag('outside_window', {
    bookDay,
    scheduledDate,
    offsetDays,
    daysBefore: policy.windowDaysBefore,
    daysAfter: policy.windowDaysAfter,
  });
}

// --- multiplier ---------------------------------------------------------------------------------

/** 倍率 different from the previous period's: a CT/PT change must be on record, so review it. */
export function checkMultiplierChange(previous: number | null | undefined, current: number): ReadingFlag | null {
  if (previous === null || previous === undefined || previous === current) return null;
  return makeFlag('multiplier_changed', { previous, current });
}
