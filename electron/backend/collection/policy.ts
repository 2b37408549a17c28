import {
  counterPolicySchema,
  disconnectionPolicySchema,
  penaltyPolicySchema,
  validatePenaltyPolicy,
  type CounterPolicy,
  type DisconnectionPolicy,
  type PenaltyPolicy,
} from '../../../shared/collection';
import type { DateString } from '../../../shared/time';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';

// Head-office collection policy (late-payment penalty, disconnection) in force on a day: the
// version with the latest effective date on or before it (migration 0005 ships the defaults).

function definitionOn(db: ReadableDB, kind: 'penalty' | 'disconnection' | 'counter', day: DateString): string {
  const text = db.value<string>(sql`
    SELECT definition FROM collection_policies
    WHERE kind = ${kind} AND effective_from <= ${day}
    ORDER BY effective_from DESC LIMIT 1`);
  if (text === undefined) throw new Error(`no ${kind} policy in force on ${day}`);
  return text;
}

// Every payment reads the policy; a version's text never changes, so its parse is kept.
const parsedPenalty = new Map<string, PenaltyPolicy>();
const parsedDisconnection = new Map<string, DisconnectionPolicy>();
const parsedCounter = new Map<string, CounterPolicy>();

function parsedOnce<T>(cache: Map<string, T>, text: string, parse: (json: unknown) => T): T {
  let policy = cache.get(text);
  if (!policy) {
    policy = Object.freeze(parse(JSON.parse(text)));
    cache.set(text, policy);
  }
  return policy;
}

export function penaltyPolicyOn(db: ReadableDB, day: DateString): PenaltyPolicy {
  return parsedOnce(parsedPenalty, definitionOn(db, 'penalty', day), (json) => validatePenaltyPolicy(penaltyPolicySchema.parse(json)));
}

export function disconnectionPolicyOn(db: ReadableDB, day: DateString): DisconnectionPolicy {
  return parsedOnce(parsedDisconnection, definitionOn(db, 'disconnection', day), (json) => disconnectionPolicySchema.parse(json));
}

/** The counter policy (migration 0010): how far past the amount cash may be before it needs a confirmation. */
export function counterPolicyOn(db: ReadableDB, day: DateString): CounterPolicy {
  return parsedOnce(parsedCounter, definitionOn(db, 'counter', day), (json) => counterPolicySchema.parse(json));
}
