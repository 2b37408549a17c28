import {
  disconnectionPolicySchema,
  penaltyPolicySchema,
  validatePenaltyPolicy,
  type DisconnectionPolicy,
  type PenaltyPolicy,
} from '../../../shared/collection';
import type { DateString } from '../../../shared/time';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';

// Head-office collection policy (late-payment penalty, disconnection) in force on a day: the
// version with the latest effective date on or before it (migration 0005 ships the defaults).

function definitionOn(db: ReadableDB, kind: 'penalty' | 'disconnection', day: DateString): unknown {
  const text = db.value<string>(sql`
    SELECT definition FROM collection_policies
    WHERE kind = ${kind} AND effective_from <= ${day}
    ORDER BY effective_from DESC LIMIT 1`);
  if (text === undefined) throw new Error(`no ${kind} policy in force on ${day}`);
  return JSON.parse(text);
}

export function penaltyPolicyOn(db: ReadableDB, day: DateString): PenaltyPolicy {
  return validatePenaltyPolicy(penaltyPolicySchema.parse(definitionOn(db, 'penalty', day)));
}

export function disconnectionPolicyOn(db: ReadableDB, day: DateString): DisconnectionPolicy {
  return disconnectionPolicySchema.parse(definitionOn(db, 'disconnection', day));
}
