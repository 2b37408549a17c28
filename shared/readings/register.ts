// Register arithmetic (表码计算): advances, rollovers (满码翻转), multipliers (倍率) and meter
// replacement (换表). All values are integer hundredths (Centi) so nothing is ever rounded.
import type { Centi } from '../money';
import { RuleError, type CodedMessage, type CodedParam } from '../i18n/coded';
import { basisPoints } from './policy';
import type { ReadingPolicy } from './policy';

/**
 * Malformed input (not an integer, a bad date, a zero multiplier): a bug or a schema gap in the
 * caller, not something the reader typed. Readings that are merely implausible come back as flags.
 */
export class ReadingInputError extends RuleError {
  override name = 'ReadingInputError';
  constructor(
    readonly reason: ReadingInputReason,
    params?: Readonly<Record<string, CodedParam>>,
  ) {
    super(`reading.inputReason.${reason}`, params);
  }
}

/** Every reason a reading's input is refused as malformed: `reading.inputReason.<code>` in the dictionary. */
export const READING_INPUT_REASONS = [
  'notHundredths', 'notPositive', 'badDigits', 'tooLarge', 'rolloverNeedsDigits', 'consumptionTooLarge',
  'badDate', 'badBookDay', 'badPeriod', 'badHistoryPeriod', 'historyConsumption', 'historyDays', 'noSpan',
] as const;
export type ReadingInputReason = (typeof READING_INPUT_REASONS)[number];

/** The inputs a reason can name (`reading.input.<code>`). */
export const READING_INPUTS = [
  'previousReading', 'currentReading', 'previousDate', 'currentDate', 'multiplier', 'previousMultiplier', 'oldMultiplier',
  'digits', 'oldDigits', 'oldFinal', 'newStart', 'registerPrevious', 'registerCurrent',
] as const;
export type ReadingInputName = (typeof READING_INPUTS)[number];

/** An input as a reason's parameter; a time-of-use register's names its register (峰, 谷…). */
export function input(name: ReadingInputName, params?: Readonly<Record<string, CodedParam>>): CodedMessage {
  return params ? { key: `reading.input.${name}`, params } : { key: `reading.input.${name}` };
}

/** Largest register with a sane margin: 10^12 × 100 × a large multiplier stays a safe integer. */
export const MAX_DIGITS = 12;

export function assertCentiValue(value: number, what: CodedMessage): Centi {
  if (!Number.isSafeInteger(value)) throw new ReadingInputError('notHundredths', { what, value });
  return value;
}

export function assertMultiplier(value: number, what: CodedMessage = input('multiplier')): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new ReadingInputError('notPositive', { what, value });
  }
  return value;
}

export function assertDigits(value: number, what: CodedMessage = input('digits')): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_DIGITS) {
    throw new ReadingInputError('badDigits', { what, max: MAX_DIGITS, value });
  }
  return value;
}

/** 10^digits in hundredths: where the register wraps (a 5-digit register shows 0 to 99999.99). */
export function registerRange(digits: number): Centi {
  assertDigits(digits);
  return 10 ** digits * 100;
}

/** Whether a value can be shown on the register at all. */
export function isOnRegister(reading: Centi, digits: number): boolean {
  return reading >= 0 && reading < registerRange(digits);
}

/**
 * How far the register moved from 起码 to 止码, in register hundredths. With `rollover` the
 * register passed 10^digits once: (10^digits − previous) + current. Never guesses a rollover.
 */
export function registerAdvance(previous: Centi, current: Centi, digits: number, rollover = false): Centi {
  return rollover ? registerRange(digits) - previous + current : current - previous;
}

/** One meter's run within a period: from 起码 to 止码 at one 倍率. */
export interface MeterSpan {
  /** 起码 (or the new meter's start reading 新表起码). */
  previous: Centi;
  /** 止码 (or the old meter's final reading 旧表止码). */
  current: Centi;
  /** 倍率. */
  multiplier: number;
  /** 表位数; needed only when `rollover` is set. */
  digits?: number;
  /** The user confirmed that the register wrapped (满码翻转). */
  rollover?: boolean;
}

function times(advance: Centi, multiplier: number): Centi {
  const kwh = advance * assertMultiplier(multiplier);
  if (!Number.isSafeInteger(kwh)) throw new ReadingInputError('tooLarge', { advance, multiplier });
  return kwh;
}

/** Consumption of one span: (止码 − 起码) × 倍率. Negative when the register fell (no rollover). */
export function spanConsumption(span: MeterSpan): Centi {
  assertCentiValue(span.previous, input('previousReading'));
  assertCentiValue(span.current, input('currentReading'));
  if (span.rollover && span.digits === undefined) throw new ReadingInputError('rolloverNeedsDigits');
  return times(registerAdvance(span.previous, span.current, span.digits ?? 1, span.rollover ?? false), span.multiplier);
}

/**
 * 换表: both meters count in the period.
 * (old final − old previous) × old multiplier + (new current − new start) × new multiplier.
 */
export function consumptionWithReplacement(oldMeter: MeterSpan, newMeter: MeterSpan): Centi {
  const total = spanConsumption(oldMeter) + spanConsumption(newMeter);
  if (!Number.isSafeInteger(total)) throw new ReadingInputError('consumptionTooLarge');
  return total;
}

/** What a register's movement means before anything is billed. */
export type AdvanceAssessment =
  /** The register moved forward (or not at all). */
  | { kind: 'forward'; advance: Centi }
  /** It fell, and a wrap past 10^digits is plausible: ask the user to confirm. */
  | { kind: 'rollover'; advance: Centi; maxAdvance: Centi }
  /** It fell, and a wrap would be implausible: refuse (a misreading or a swapped meter). */
  | { kind: 'refused'; drop: Centi; wrappedAdvance: Centi; maxAdvance: Centi };

/**
 * The negative-consumption check. "Plausible" is a wrapped advance of at most
 * `rolloverMaxPercentOfRange` of the register range (10 % of 100000 on a 5-digit register). It
 * does not look at history: the confirmation is the guard, and once confirmed the high/low check
 * still compares the wrapped consumption with the meter's history.
 */
export function assessAdvance(previous: Centi, current: Centi, digits: number, policy: ReadingPolicy): AdvanceAssessment {
  if (current >= previous) return { kind: 'forward', advance: current - previous };
  const range = registerRange(digits);
  const wrappedAdvance = registerAdvance(previous, current, digits, true);
  // Floor of range × percent, in exact integers (a wrapped advance is whole hundredths too).
  const maxAdvance = Number((BigInt(range) * basisPoints(policy.rolloverMaxPercentOfRange)) / 10000n);
  if (wrappedAdvance <= maxAdvance) return { kind: 'rollover', advance: wrappedAdvance, maxAdvance };
  return { kind: 'refused', drop: previous - current, wrappedAdvance, maxAdvance };
}
