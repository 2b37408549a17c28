// Money and quantities, exactly (DESIGN.md "Money and quantities").
//
// - Amounts are integer fen (分). A `Fen` is a plain number that must be a safe integer.
// - Unit prices are decimal strings with up to 8 places ("0.59886875" yuan/kWh); they are
//   held as BigInt counts of 1e-8 yuan so that no floating point ever touches them.
// - Quantities (kWh) carry up to 2 decimals and are held as integer hundredths (`Centi`).
// - A bill line is price × quantity rounded half up to the fen once.

import { RuleError, type CodedParam } from './i18n/coded';

/** Integer number of fen (0.01 yuan). */
export type Fen = number;
/** Integer number of hundredths (0.01 kWh, or 0.01 of a register unit). */
export type Centi = number;

export const PRICE_PLACES = 8;
export const QTY_PLACES = 2;

/** Why a figure is refused: `money.<reason>` in the dictionary (shared/i18n/figures.ts). */
export const MONEY_REASONS = ['notWholeFen', 'notDecimal', 'tooManyPlaces', 'divisionByZero'] as const;
export type MoneyReason = (typeof MONEY_REASONS)[number];
/** The figure a reason names (`money.what.<word>`); any other `what` is shown as given. */
export const MONEY_WHATS = ['amount', 'price', 'quantity', 'factor', 'reading', 'total', 'value'] as const;

/**
 * A figure that is not exact money or quantity (金额/数量不精确). A RuleError, so a figure a clerk
 * typed that escapes a handler answers `validation` in the caller's language, never `internal`.
 */
export class MoneyError extends RuleError {
  override name = 'MoneyError';
  constructor(
    readonly reason: MoneyReason,
    params?: Readonly<Record<string, CodedParam>>,
  ) {
    super(`money.${reason}`, params);
  }
}

function whatWord(what: string): CodedParam {
  return (MONEY_WHATS as readonly string[]).includes(what) ? { key: `money.what.${what as (typeof MONEY_WHATS)[number]}` } : what;
}

export function assertFen(value: number, what = 'amount'): Fen {
  if (!Number.isSafeInteger(value)) throw new MoneyError('notWholeFen', { what: whatWord(what), value: String(value) });
  return value;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a decimal string into a BigInt scaled by 10^places. Refuses more places than allowed
 * rather than silently rounding: a published price with 9 places is an error to report.
 */
export function parseScaled(text: string, places: number, what = 'value'): bigint {
  const m = DECIMAL.exec(text.trim());
  if (!m) throw new MoneyError('notDecimal', { what: whatWord(what), text });
  const [, sign, whole, frac = ''] = m;
  if (frac.length > places) throw new MoneyError('tooManyPlaces', { what: whatWord(what), text, places });
  const digits = BigInt(whole + frac.padEnd(places, '0'));
  return sign === '-' ? -digits : digits;
}

/** Formats a BigInt scaled by 10^places back into a plain decimal string (no grouping). */
export function formatScaled(value: bigint, places: number, minPlaces = 0): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(places);
  const whole = abs / scale;
  let frac = (abs % scale).toString().padStart(places, '0');
  while (frac.length > minPlaces && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/** Division of BigInts rounded half up (away from zero at exactly half), as the bills require. */
export function divRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new MoneyError('divisionByZero');
  if (denominator < 0n) return divRoundHalfUp(-numerator, -denominator);
  const negative = numerator < 0n;
  const abs = negative ? -numerator : numerator;
  const q = (abs * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

/** "12.34" or "12" (yuan) → 1234 fen. Refuses fractions of a fen. */
export function yuanToFen(text: string): Fen {
  return Number(parseScaled(text, 2, 'amount'));
}

/** 1234 → "12.34" (plain, for inputs, files and JSON). */
export function fenToYuan(fen: Fen): string {
  assertFen(fen);
  return formatScaled(BigInt(fen), 2, 2);
}

/** 123456 → "¥1,234.56"; negative amounts as "-¥1,234.56". */
export function formatYuan(fen: Fen): string {
  assertFen(fen);
  const negative = fen < 0;
  const [whole, frac] = fenToYuan(Math.abs(fen)).split('.') as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}¥${grouped}.${frac}`;
}

/** A price string (up to 8 places, yuan per unit) → BigInt count of 1e-8 yuan. */
export function parsePrice(text: string): bigint {
  return parseScaled(text, PRICE_PLACES, 'price');
}

/** A quantity string (up to 2 places) → integer hundredths. */
export function parseCenti(text: string, what = 'quantity'): Centi {
  return Number(parseScaled(text, QTY_PLACES, what));
}

/** Integer hundredths → "123.45" (trailing zeros dropped: "120" for 12000). */
export function formatCenti(value: Centi): string {
  return formatScaled(BigInt(value), QTY_PLACES);
}

/**
 * One bill line: quantity (hundredths) × price (1e-8 yuan) rounded half up to the fen.
 * qty·10^-2 × price·10^-8 yuan = qty·price·10^-10 yuan = qty·price·10^-8 fen.
 */
export function lineAmount(qty: Centi, price: bigint): Fen {
  return Number(divRoundHalfUp(BigInt(qty) * price, 10n ** 8n));
}

/** Sum of fen amounts, refusing anything that is not a safe integer. */
export function sumFen(amounts: Iterable<Fen>): Fen {
  let total = 0;
  for (const a of amounts) total += assertFen(a);
  return assertFen(total, 'total');
}
