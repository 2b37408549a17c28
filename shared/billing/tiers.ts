// Residential tier split (居民阶梯电价) — DOMAIN.md "Residential tiered pricing".
//
// Quantities are integer hundredths of a kWh (Centi); published bounds are whole kWh, so they
// are multiplied by 100 before comparing. With bounds T1 < T2 and quantity Q:
//   tier1 = min(Q, T1); tier2 = max(0, min(Q, T2) − T1); tier3 = max(0, Q − T2).
// Annual bounds (年阶梯) are settled on the tier year's cumulative usage: the month's kWh fall
// into tiers by the usage before and after the month.

import { divRoundHalfUp, type Centi } from '../money';
import { isDate, isPeriod, periodMonth, periodOf, periodYear, type DateString, type Period } from '../time';
import type { CodedMessage } from '../i18n/coded';
import { BillingError, quantity } from './errors';
import type { TierBounds, TierScheme } from './tariff';

/** kWh (hundredths) in tier 1, 2 and 3. */
export type TierKwh = [tier1: Centi, tier2: Centi, tier3: Centi];

function assertQuantity(value: Centi, what: CodedMessage): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BillingError('notHundredthsKwh', { what, value });
  }
}

function assertBounds([t1, t2]: TierBounds): void {
  if (!Number.isSafeInteger(t1) || !Number.isSafeInteger(t2) || t1 < 0 || t1 > t2) {
    throw new BillingError('badTierBounds', { t1, t2 });
  }
}

/** Splits a month's (or any) quantity over the tiers: `splitTiers(30000, [260, 600])` → [26000, 4000, 0]. */
export function splitTiers(q: Centi, bounds: TierBounds): TierKwh {
  assertQuantity(q, quantity('consumption'));
  assertBounds(bounds);
  const t1 = bounds[0] * 100;
  const t2 = bounds[1] * 100;
  return [Math.min(q, t1), Math.max(0, Math.min(q, t2) - t1), Math.max(0, q - t2)];
}

/**
 * Annual tiers: the part of this bill's `q` that falls in each tier, given the tier year's usage
 * `before` this bill. E.g. before 2,100 kWh, q 100 kWh, bounds [2160, 4200] → 60 / 40 / 0 kWh.
 */
export function splitTiersCumulative(before: Centi, q: Centi, bounds: TierBounds): TierKwh {
  assertQuantity(before, quantity('priorUsage'));
  assertQuantity(q, quantity('consumption'));
  const after = splitTiers(before + q, bounds);
  const earlier = splitTiers(before, bounds);
  return [after[0] - earlier[0], after[1] - earlier[1], after[2] - earlier[2]];
}

function monthIndex(period: Period): number {
  return periodYear(period) * 12 + periodMonth(period) - 1;
}

function periodFromIndex(index: number): Period {
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** First period of the tier year containing `period` (tier years start in `startMonth`, 1 = January). */
export function tierYearStart(period: Period, startMonth = 1): Period {
  if (!isPeriod(period)) throw new BillingError('badPeriod', { period });
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) throw new BillingError('badTierYearStart', { month: startMonth });
  const index = monthIndex(period);
  const offset = (periodMonth(period) - startMonth + 12) % 12;
  return periodFromIndex(index - offset);
}

/**
 * How many months of the tier year containing `period` the customer is on annual tiers: 12,
 * unless they started after the tier year began (new connection 新装, or the day annual tiers
 * first applied to them). The start month counts whole, however late in it they started: their
 * first bill covers that month.
 */
export function tierYearMonths(period: Period, startMonth = 1, customerStart?: DateString): number {
  const yearStart = tierYearStart(period, startMonth);
  if (customerStart === undefined) return 12;
  if (!isDate(customerStart)) throw new BillingError('badCustomerStart', { date: customerStart });
  const started = periodOf(customerStart);
  if (started > period) throw new BillingError('startedAfterPeriod', { date: customerStart, period });
  if (started <= yearStart) return 12;
  return 12 - (monthIndex(started) - monthIndex(yearStart));
}

/**
 * Annual bounds pro-rated for part of a tier year: bound × months / 12, rounded half up to whole
 * kWh (bounds are published in whole kWh, and a clerk can check 2160 × 7 / 12 = 1260 by hand).
 */
export function proRateBounds(bounds: TierBounds, months: number): TierBounds {
  assertBounds(bounds);
  if (!Number.isInteger(months) || months < 1 || months > 12) throw new BillingError('badMonths', { months });
  const part = (t: number) => Number(divRoundHalfUp(BigInt(t) * BigInt(months), 12n));
  return [part(bounds[0]), part(bounds[1])];
}

export interface AppliedTierBounds {
  basis: 'monthly' | 'annual';
  /** Whole kWh, after choosing the season and household and pro-rating. */
  bounds: TierBounds;
  household: 'standard' | 'multi';
  /** Annual basis: first period of the tier year. */
  tierYearStart: Period | null;
  /** Annual basis: months of the tier year the bounds were pro-rated to (12 = not pro-rated). */
  months: number | null;
}

export interface TierContext {
  period: Period;
  /** 多人口家庭: use the tariff's multi-person bounds. */
  multiPerson?: boolean;
  /** Annual basis: when the customer's tier year started, if after the tier year's first month. */
  customerStart?: DateString;
}

/** The bounds that apply to one bill: the month's season, the household, the tier year. */
export function tierBoundsFor(scheme: TierScheme, { period, multiPerson = false, customerStart }: TierContext): AppliedTierBounds {
  if (!isPeriod(period)) throw new BillingError('badPeriod', { period });
  const household = multiPerson ? 'multi' : 'standard';
  const pick = (entry: TierScheme['bounds'][number]): TierBounds => {
    const bounds = multiPerson ? entry.multi : entry.standard;
    if (!bounds) throw new BillingError('noMultiPersonBounds');
    return bounds;
  };
  if (scheme.basis === 'monthly') {
    const month = periodMonth(period);
    const entry = scheme.bounds.find((b) => b.months?.includes(month));
    if (!entry) throw new BillingError('noBoundsForMonth', { month });
    return { basis: 'monthly', bounds: pick(entry), household, tierYearStart: null, months: null };
  }
  const entry = scheme.bounds[0];
  if (!entry) throw new BillingError('noBounds');
  const startMonth = scheme.yearStartMonth ?? 1;
  const months = tierYearMonths(period, startMonth, customerStart);
  const annual = pick(entry);
  return {
    basis: 'annual',
    bounds: months === 12 ? annual : proRateBounds(annual, months),
    household,
    tierYearStart: tierYearStart(period, startMonth),
    months,
  };
}
