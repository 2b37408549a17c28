// Input checks shared by the collection rules. Internal: not re-exported from index.ts.

import type { Fen } from '../money';
import { isDate, isPeriod, type DateString, type Period } from '../time';
import type { CodedMessage } from '../i18n/coded';
import { CollectionError } from './types';

export function requireDate(value: string, what: CodedMessage): DateString {
  if (!isDate(value)) throw new CollectionError('bad_date', 'badDate', { what, value });
  return value;
}

export function requirePeriod(value: string, what: CodedMessage): Period {
  if (!isPeriod(value)) throw new CollectionError('bad_period', 'badPeriod', { what, value });
  return value;
}

/** A whole, non-negative number of fen (amounts at the counter are never negative). */
export function requireFen(value: number, what: CodedMessage): Fen {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CollectionError('bad_amount', 'badAmount', { what, value });
  }
  return value;
}

/** A whole, non-negative count (days, basis points). */
export function requireCount(value: number, what: CodedMessage): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new CollectionError('bad_policy', 'badCount', { what, value });
  }
  return value;
}
