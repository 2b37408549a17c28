// checkReading: every applicable plausibility check on one reading (抄表复核), in one pure call.
// The reading screen, the handheld import and the billing run all call this, so a reading is
// judged the same way wherever it enters.
import type { CodedMessage } from '../i18n/coded';
import type { Centi } from '../money';
import type { DateString } from '../time';
import { daysBetween, isDate, isPeriod } from '../time';
import { checkEstimation, checkHighLow, checkMultiplierChange, checkReadingWindow, checkTouSum, checkZero, TOU_REGISTERS } from './checks';
import type { HistoryPeriod, TouRegister } from './checks';
import { makeFlag, READING_FLAG_CODES } from './flags';
import type { ReadingFlag } from './flags';
import { DEFAULT_READING_POLICY } from './policy';
import type { ReadingPolicy } from './policy';
import {
  assertCentiValue,
  assertDigits,
  assertMultiplier,
  assessAdvance,
  consumptionWithReplacement,
  input as inputName,
  ReadingInputError,
  registerRange,
  spanConsumption,
} from './register';
import type { MeterSpan } from './register';

/** One TOU register's 起码 and 止码 (register hundredths, before the multiplier). */
export interface TouRegisterReading {
  previous: Centi;
  current: Centi;
}

/** 分时 readings: peak/flat/valley always, critical peak and deep valley where the tariff has them. */
export interface TouReadings {
  criticalPeak?: TouRegisterReading;
  peak: TouRegisterReading;
  flat: TouRegisterReading;
  valley: TouRegisterReading;
  deepValley?: TouRegisterReading;
}

/** 换表 in the period. The meter's `previous` reading is the old meter's 起码. */
export interface MeterReplacement {
  /** 旧表止码: the old meter's final reading. */
  oldFinal: Centi;
  /** The old meter's 倍率 (required: never assume it equals the new one). */
  oldMultiplier: number;
  /** The old meter's 表位数. */
  oldDigits: number;
  /** 新表起码: the new meter's start reading. */
  newStart: Centi;
}

export interface ReadingInput {
  /** 起码: the previous period's reading, its date and the multiplier it was billed at. */
  previous: { reading: Centi; date: DateString; multiplier?: number | null };
  /** 止码: this reading; `estimated` for 估抄. */
  current: { reading: Centi; date: DateString; estimated?: boolean };
  /** 倍率 in force now (the new meter's after a replacement). */
  multiplier: number;
  /** 表位数 now (the new meter's after a replacement). */
  digits: number;
  /** 分时 registers, when the meter has them. */
  tou?: TouReadings | null;
  /** Past periods of this meter, most recent first (history[0] is the previous period). */
  history?: readonly HistoryPeriod[];
  /** The same month last year, when there is one. */
  sameMonthLastYear?: HistoryPeriod | null;
  replacement?: MeterReplacement | null;
  /** The book's reading day of the month (抄表例日, 1–31). No day → no window check. */
  bookDay?: number | null;
  /** The reading period (YYYY-MM): the window is then around the book day of that month. */
  period?: string | null;
  /** The user confirmed the rollover offered by a previous call. */
  confirmedRollover?: boolean;
}

/** Which register a rollover or a drop is on. */
export type SpanName = 'meter' | 'old_meter' | 'new_meter' | TouRegister;

export interface RolloverWrap {
  span: SpanName;
  previous: Centi;
  current: Centi;
  digits: number;
  /** Register advance across the wrap: (10^digits − previous) + current. */
  advance: Centi;
}

/** A rollover that is plausible but must be confirmed before the reading can be saved. */
export interface RolloverConfirmation {
  kind: 'rollover';
  /** The period's consumption if the user confirms. */
  consumption: Centi;
  wraps: RolloverWrap[];
}

export interface ReadingCheckResult {
  /** Consumption in hundredths of a kWh; null while there are errors or a pending confirmation. */
  consumption: Centi | null;
  /** Per TOU register, after the multiplier (only when the meter has TOU and no replacement). */
  touConsumption?: Partial<Record<TouRegister, Centi>>;
  /** Warnings: need a review decision before the period closes. */
  flags: ReadingFlag[];
  /** Errors: the reading cannot be saved as it is. */
  errors: ReadingFlag[];
  needsConfirmation?: RolloverConfirmation;
}

interface Span {
  name: SpanName;
  previous: Centi;
  current: Centi;
  multiplier: number;
  digits: number;
}
type TouSpan = Span & { name: TouRegister };

function assertDate(value: string, what: CodedMessage): void {
  if (!isDate(value)) throw new ReadingInputError('badDate', { what, value });
}

function validate(input: ReadingInput): void {
  assertCentiValue(input.previous.reading, inputName('previousReading'));
  assertCentiValue(input.current.reading, inputName('currentReading'));
  assertDate(input.previous.date, inputName('previousDate'));
  assertDate(input.current.date, inputName('currentDate'));
  assertMultiplier(input.multiplier);
  assertDigits(input.digits);
  if (input.previous.multiplier != null) assertMultiplier(input.previous.multiplier, inputName('previousMultiplier'));
  if (input.bookDay != null && (!Number.isInteger(input.bookDay) || input.bookDay < 1 || input.bookDay > 31)) {
    throw new ReadingInputError('badBookDay', { value: input.bookDay });
  }
  if (input.period != null && !isPeriod(input.period)) throw new ReadingInputError('badPeriod', { value: input.period });
  const r = input.replacement;
  if (r) {
    assertCentiValue(r.oldFinal, inputName('oldFinal'));
    assertCentiValue(r.newStart, inputName('newStart'));
    assertMultiplier(r.oldMultiplier, inputName('oldMultiplier'));
    assertDigits(r.oldDigits, inputName('oldDigits'));
  }
  if (input.tou) {
    for (const name of TOU_REGISTERS) {
      const reg = input.tou[name];
      if (!reg) continue;
      assertCentiValue(reg.previous, inputName('registerPrevious', { register: { key: `billing.touWord.${name}` } }));
      assertCentiValue(reg.current, inputName('registerCurrent', { register: { key: `billing.touWord.${name}` } }));
    }
  }
  const periods = [...(input.history ?? []), ...(input.sameMonthLastYear ? [input.sameMonthLastYear] : [])];
  for (const h of periods) {
    if (!isPeriod(h.period)) throw new ReadingInputError('badHistoryPeriod', { value: h.period });
    if (!Number.isSafeInteger(h.consumption) || h.consumption < 0) {
      throw new ReadingInputError('historyConsumption', { period: h.period });
    }
    if (!Number.isInteger(h.days) || h.days <= 0) {
      throw new ReadingInputError('historyDays', { period: h.period });
    }
  }
}

/** The register spans of the period: one meter, or the old and the new meter of a 换表. */
function spansOf(input: ReadingInput): Span[] {
  const r = input.replacement;
  if (!r) {
    const { multiplier, digits } = input;
    return [{ name: 'meter', previous: input.previous.reading, current: input.current.reading, multiplier, digits }];
  }
  return [
    { name: 'old_meter', previous: input.previous.reading, current: r.oldFinal, multiplier: r.oldMultiplier, digits: r.oldDigits },
    { name: 'new_meter', previous: r.newStart, current: input.current.reading, multiplier: input.multiplier, digits: input.digits },
  ];
}

/**
 * TOU registers share the meter's digits and multiplier. They are skipped in a replacement
 * period: splitting them needs both meters' registers, which the replacement work order holds.
 */
function touSpans(input: ReadingInput): TouSpan[] {
  if (!input.tou || input.replacement) return [];
  const spans: TouSpan[] = [];
  for (const name of TOU_REGISTERS) {
    const reg = input.tou[name];
    if (reg) spans.push({ name, previous: reg.previous, current: reg.current, multiplier: input.multiplier, digits: input.digits });
  }
  return spans;
}

const FIELD_NAMES: Record<SpanName, [string, string]> = {
  meter: ['previous', 'current'],
  old_meter: ['previous', 'old_final'],
  new_meter: ['new_start', 'current'],
  criticalPeak: ['criticalPeak.previous', 'criticalPeak.current'],
  peak: ['peak.previous', 'peak.current'],
  flat: ['flat.previous', 'flat.current'],
  valley: ['valley.previous', 'valley.current'],
  deepValley: ['deepValley.previous', 'deepValley.current'],
};

/** Flags in the order of READING_FLAG_CODES, so screens and tests see a stable list. */
function inCodeOrder(flags: ReadingFlag[]): ReadingFlag[] {
  return [...flags].sort((a, b) => READING_FLAG_CODES.indexOf(a.code) - READING_FLAG_CODES.indexOf(b.code));
}

function toMeterSpan(span: Span, rollover: boolean): MeterSpan {
  return { previous: span.previous, current: span.current, multiplier: span.multiplier, digits: span.digits, rollover };
}

/**
 * Runs every applicable check. Malformed input (not integers, bad dates) throws
 * ReadingInputError; everything a reader could have typed comes back as flags.
 */
export function checkReading(input: ReadingInput, policy: ReadingPolicy = DEFAULT_READING_POLICY): ReadingCheckResult {
  validate(input);
  const flags: ReadingFlag[] = [];
  const errors: ReadingFlag[] = [];
  const add = (flag: ReadingFlag | null) => {
    if (flag) (flag.severity === 'error' ? errors : flags).push(flag);
  };
  const history = input.history ?? [];

  const days = daysBetween(input.previous.date, input.current.date);
  if (days <= 0) {
    add(makeFlag('date_not_after_previous', { previousDate: input.previous.date, currentDate: input.current.date, days }));
  }

  // Register values that cannot be on the register at all are typing errors.
  const meterSpans = spansOf(input);
  const registerSpans = touSpans(input);
  const allSpans = [...meterSpans, ...registerSpans];
  for (const span of allSpans) {
    const limit = registerRange(span.digits);
    const [prevField, curField] = FIELD_NAMES[span.name];
    for (const [field, reading] of [[prevField, span.previous], [curField, span.current]] as const) {
      if (reading < 0 || reading >= limit) add(makeFlag('reading_out_of_range', { field, reading, limit, digits: span.digits }));
    }
  }

  // Negative consumption: a plausible wrap is offered for confirmation, anything else refused.
  const wraps: RolloverWrap[] = [];
  if (errors.length === 0) {
    for (const span of allSpans) {
      const a = assessAdvance(span.previous, span.current, span.digits, policy);
      if (a.kind === 'rollover') {
        wraps.push({ span: span.name, previous: span.previous, current: span.current, digits: span.digits, advance: a.advance });
      } else if (a.kind === 'refused') {
        add(makeFlag('negative', {
          span: span.name,
          previous: span.previous,
          current: span.current,
          drop: a.drop,
          wrappedAdvance: a.wrappedAdvance,
          maxAdvance: a.maxAdvance,
        }));
      }
    }
  }
  const wrapped = (span: Span) => wraps.some((w) => w.span === span.name);

  // Checks that do not need the consumption.
  add(checkEstimation(input.current.estimated ?? false, history, policy));
  if (input.bookDay != null) add(checkReadingWindow(input.current.date, input.bookDay, policy, input.period));
  // After a 换表 the new meter's multiplier may differ by design; the old one must not have.
  const replacement = input.replacement;
  add(checkMultiplierChange(input.previous.multiplier, replacement ? replacement.oldMultiplier : input.multiplier));

  if (errors.length > 0) return { consumption: null, flags: inCodeOrder(flags), errors: inCodeOrder(errors) };

  const [first, second] = meterSpans.map((s) => toMeterSpan(s, wrapped(s)));
  if (!first) throw new ReadingInputError('noSpan');
  const consumption = second ? consumptionWithReplacement(first, second) : spanConsumption(first);

  if (wraps.length > 0 && !input.confirmedRollover) {
    // Never assume a rollover: the caller asks the user and calls again with confirmedRollover.
    return { consumption: null, flags: inCodeOrder(flags), errors, needsConfirmation: { kind: 'rollover', consumption, wraps } };
  }
  const rolloverFlags = wraps.map((w) => makeFlag('rollover', { ...w }));

  const touConsumption: Partial<Record<TouRegister, Centi>> = {};
  for (const span of registerSpans) {
    touConsumption[span.name] = spanConsumption(toMeterSpan(span, wrapped(span)));
  }

  const consumptionFlags = [
    checkZero(consumption, days, history, policy),
    checkHighLow(consumption, days, history, input.sameMonthLastYear, policy),
    registerSpans.length > 0 ? checkTouSum(touConsumption, consumption, policy) : null,
  ];
  const all = [...rolloverFlags, ...flags, ...consumptionFlags.filter((f): f is ReadingFlag => f !== null)];
  const result: ReadingCheckResult = { consumption, flags: inCodeOrder(all), errors };
  if (registerSpans.length > 0) result.touConsumption = touConsumption;
  return result;
}
