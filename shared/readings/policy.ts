// Reading-check thresholds (抄表复核阈值). They are head-office policy (DESIGN.md "Reference data
// and ownership"; DOMAIN.md: "thresholds are policy"), so they live in reference data and reach
// the checks as a value; the defaults below are only what a fresh station starts with.
import { z } from 'zod';

export interface ReadingPolicy {
  /**
   * A drop in a register (止码 < 起码) is offered as a rollover (满码翻转) only when the advance
   * across the wrap is at most this percentage of the register range (10^digits). Beyond that a
   * wrap would mean an implausible month, so the drop is refused as a misreading.
   */
  rolloverMaxPercentOfRange: number;
  /** How many recent actual (实抄) periods make the "recent history" average. */
  historyPeriods: number;
  /** Daily use above this percentage of the expected daily use is 'high' (300 = ×3). */
  highPercent: number;
  /** Daily use below this percentage of the expected daily use is 'low' (30 = ×0.3). */
  lowPercent: number;
  /**
   * With both a recent average and the same month last year: 'all' flags only when every
   * baseline agrees (last year's season explains a summer or irrigation peak), 'any' when one does.
   */
  highLowBasis: 'all' | 'any';
  /**
   * When the history averages zero (a vacant house), use above this many hundredths of a kWh per
   * day is 'high' (ratios against zero mean nothing). 50 = 0.5 kWh/day ≈ 15 kWh a month.
   */
  zeroHistoryHighDailyCenti: number;
  /** Zero periods in a row (this one included) that send a site visit (现场核查). */
  zeroRunForSiteVisit: number;
  /** Estimated (估抄) periods in a row (this one included) that are flagged as prolonged. */
  consecutiveEstimates: number;
  /** TOU registers may differ from the total by the larger of this (hundredths of a kWh)… */
  touToleranceCenti: number;
  /** …and this percentage of the total. */
  touTolerancePercent: number;
  /** Days a reading may be taken before the book's reading day (抄表例日). */
  windowDaysBefore: number;
  /** Days a reading may be taken after the book's reading day. */
  windowDaysAfter: number;
}

export const DEFAULT_READING_POLICY: Readonly<ReadingPolicy> = Object.freeze({
  rolloverMaxPercentOfRange: 10,
  historyPeriods: 3,
  highPercent: 300,
  lowPercent: 30,
  highLowBasis: 'all',
  zeroHistoryHighDailyCenti: 50,
  zeroRunForSiteVisit: 3,
  consecutiveEstimates: 2,
  touToleranceCenti: 100,
  touTolerancePercent: 1,
  windowDaysBefore: 2,
  windowDaysAfter: 3,
});

// Percentages may carry up to 2 decimals (0.5 %), so the checks can work in whole basis points.
const percent = z
  .number()
  .finite()
  .nonnegative()
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'at most 2 decimal places');
const count = z.number().int().min(1).max(120);
// Beyond 14 days the nearest scheduled day is ambiguous in a 28-day month.
const windowDays = z.number().int().min(0).max(14);

export const readingPolicySchema = z
  .object({
    rolloverMaxPercentOfRange: percent.refine((v) => v > 0 && v <= 100, 'between 0 and 100'),
    historyPeriods: count,
    highPercent: percent.refine((v) => v > 100, 'above 100'),
    lowPercent: percent.refine((v) => v > 0 && v < 100, 'between 0 and 100'),
    highLowBasis: z.enum(['all', 'any']),
    zeroHistoryHighDailyCenti: z.number().int().nonnegative().max(1e9),
    zeroRunForSiteVisit: count.min(2),
    consecutiveEstimates: count.min(2),
    touToleranceCenti: z.number().int().nonnegative().max(1e9),
    touTolerancePercent: percent.refine((v) => v <= 100, 'at most 100'),
    windowDaysBefore: windowDays,
    windowDaysAfter: windowDays,
  })
  .strict() satisfies z.ZodType<ReadingPolicy>;

/**
 * The policy in force: head office's overrides (from reference data) over the defaults, checked.
 * Throws a ZodError naming the field when an override is out of range.
 */
export function resolveReadingPolicy(overrides: Partial<ReadingPolicy> = {}): ReadingPolicy {
  return readingPolicySchema.parse({ ...DEFAULT_READING_POLICY, ...overrides });
}

/** A policy percentage in basis points (1 % = 100), for exact integer comparisons. */
export function basisPoints(percentValue: number): bigint {
  return BigInt(Math.round(percentValue * 100));
}
