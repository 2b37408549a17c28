// What the checks report. A flag is a stable code, a severity and numbers; the UI turns it into a
// sentence from the i18n dictionary (key e.g. `reading.flag.<code>`), so nothing here is a UI
// string. `describeFlag` is the English fallback for the CLI and tests only.
import { formatCenti } from '../money';

export const READING_FLAG_CODES = [
  'reading_out_of_range', // a register value below 0 or at/above 10^digits: a typing error
  'date_not_after_previous', // reading date on or before the previous reading's date
  'negative', // 止码 < 起码 and a rollover is not plausible: refused
  'rollover', // 满码翻转 confirmed by the user: accepted, kept for review
  'zero', // zero consumption
  'zero_run_site_visit', // zero for N periods in a row: send a site visit (现场核查)
  'high', // daily use far above the meter's own history
  'low', // daily use far below the meter's own history
  'tou_sum_mismatch', // 分时 registers do not add up to the total
  'prolonged_estimate', // 估抄 again after an estimated period
  'outside_window', // read too far from the book's reading day (抄表例日)
  'multiplier_changed', // 倍率 differs from the previous period's
] as const;
export type ReadingFlagCode = (typeof READING_FLAG_CODES)[number];

/** 'error' blocks saving; 'warning' needs a review decision (复核) before the period closes. */
export type ReadingSeverity = 'error' | 'warning';

export const FLAG_SEVERITY: Readonly<Record<ReadingFlagCode, ReadingSeverity>> = Object.freeze({
  reading_out_of_range: 'error',
  date_not_after_previous: 'error',
  negative: 'error',
  rollover: 'warning',
  zero: 'warning',
  zero_run_site_visit: 'warning',
  high: 'warning',
  low: 'warning',
  tou_sum_mismatch: 'warning',
  prolonged_estimate: 'warning',
  outside_window: 'warning',
  multiplier_changed: 'warning',
});

/** Message parameters. Quantities are Centi (hundredths of a kWh or of a register unit). */
export type FlagParams = Readonly<Record<string, number | string>>;

export interface ReadingFlag {
  code: ReadingFlagCode;
  severity: ReadingSeverity;
  params: FlagParams;
}

export function makeFlag(code: ReadingFlagCode, params: FlagParams = {}): ReadingFlag {
  return { code, severity: FLAG_SEVERITY[code], params };
}

/** A reviewer's answer to a warning: accept as read, correct the reading, or go and look. */
export const REVIEW_DECISIONS = ['accept', 'correct', 'site_visit'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** True when any warning is present: the reading must be reviewed before the period closes. */
export function needsReview(flags: readonly ReadingFlag[]): boolean {
  return flags.some((f) => f.severity === 'warning');
}

// --- English fallback -------------------------------------------------------------------------

function num(params: FlagParams, key: string): number | undefined {
  const v = params[key];
  return typeof v === 'number' ? v : undefined;
}

function qty(params: FlagParams, key: string): string {
  const v = num(params, key);
  return v === undefined ? '?' : formatCenti(v);
}

function text(params: FlagParams, key: string): string {
  const v = params[key];
  return v === undefined ? '?' : String(v);
}

function comparison(p: FlagParams): string {
  const parts: string[] = [];
  if (num(p, 'recentDailyAverage') !== undefined) {
    const ratio = num(p, 'recentRatioPercent');
    parts.push(
      `recent average ${qty(p, 'recentDailyAverage')} kWh/day` + (ratio === undefined ? '' : `, ${ratio}%`),
    );
  }
  if (num(p, 'lastYearDailyAverage') !== undefined) {
    const ratio = num(p, 'lastYearRatioPercent');
    parts.push(
      `same month last year ${qty(p, 'lastYearDailyAverage')} kWh/day` + (ratio === undefined ? '' : `, ${ratio}%`),
    );
  }
  return parts.join('; ');
}

/** One English sentence for a flag (CLI and tests; the UI uses the i18n dictionary). */
export function describeFlag(flag: ReadingFlag): string {
  const p = flag.params;
  switch (flag.code) {
    case 'reading_out_of_range':
      return `Reading ${qty(p, 'reading')} (${text(p, 'field')}) is not possible on a ${text(p, 'digits')}-digit register (0 to below ${qty(p, 'limit')}).`;
    case 'date_not_after_previous':
      return `Reading date ${text(p, 'currentDate')} is not after the previous reading date ${text(p, 'previousDate')}.`;
    case 'negative':
      return `Reading ${qty(p, 'current')} is below the previous reading ${qty(p, 'previous')} (${text(p, 'span')}); as a rollover it would advance ${qty(p, 'wrappedAdvance')}, more than the plausible ${qty(p, 'maxAdvance')}. Check the reading.`;
    case 'rollover':
      return `Register rollover confirmed (${text(p, 'span')}): ${qty(p, 'previous')} → ${qty(p, 'current')} on a ${text(p, 'digits')}-digit register, advance ${qty(p, 'advance')}.`;
    case 'zero':
      return `Zero consumption over ${text(p, 'days')} days.`;
    case 'zero_run_site_visit':
      return `Zero consumption for ${text(p, 'count')} periods in a row: send a site visit.`;
    case 'high':
    case 'low': {
      const c = comparison(p);
      return `Consumption ${qty(p, 'consumption')} kWh (${qty(p, 'dailyUse')} kWh/day over ${text(p, 'days')} days) is ${flag.code}${c ? ` against ${c}` : ''} (threshold ${text(p, 'thresholdPercent')}%).`;
    }
    case 'tou_sum_mismatch':
      return `Time-of-use registers add up to ${qty(p, 'registersSum')} kWh but the total is ${qty(p, 'total')} kWh (difference ${qty(p, 'difference')}, tolerance ${qty(p, 'tolerance')}).`;
    case 'prolonged_estimate':
      return `Estimated for ${text(p, 'count')} periods in a row: the meter must be read.`;
    case 'outside_window': {
      const offset = num(p, 'offsetDays') ?? 0;
      const when = offset > 0 ? `${offset} days after` : `${-offset} days before`;
      return `Read ${when} the book's reading day (${text(p, 'scheduledDate')}); allowed −${text(p, 'daysBefore')}/+${text(p, 'daysAfter')} days.`;
    }
    case 'multiplier_changed':
      return `Multiplier changed from ${text(p, 'previous')} to ${text(p, 'current')}.`;
  }
}
