// Input checks shared by the collection rules. Internal: not re-exported from index.ts.

import type { Fen } from '../money';
import { isDate, isPeriod, type DateString, type Period } from '../time';
import { CollectionError } from './types';

export function requireDate(value: string, what: string): DateString {
  if (!isDate(value)) throw new CollectionError('bad_date', `${what} must be a date YYYY-MM-DD, got "${value}"`);
  return value;
}

export function requirePeriod(value: string, what: string): Period {
  if (!isPeriod(value)) throw new CollectionError('bad_period', `${what} must be a period YYYY-MM, got "${value}"`);
  return value;
}

/** A whole, non-negative number of fen (amounts at the counter are never negative). */
export function requireFen(value: number, what: string): Fen {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CollectionError('bad_amount', `${what} must be a whole, non-negative number of fen, got ${value}`);
  }
  return value;
}

/** A whole, non-negative count (days, basis points). */
export function requireCount(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CollectionError('bad_policy', `${what} must be a whole, non-negative number, got ${value}`);
  }
  return value;
}
