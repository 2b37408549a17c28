import { resolveReadingPolicy, type ReadingPolicy } from '../../../shared/readings';
import type { DateString } from '../../../shared/time';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';

// The reading-check thresholds in force on a day: head office's newest policy version that has
// taken effect (reading_policies), over the defaults of shared/readings/policy.ts.

const cache = new Map<string, ReadingPolicy>();

export function policyInForce(db: ReadableDB, date: DateString): ReadingPolicy {
  const definition =
    db.value<string>(sql`SELECT definition FROM reading_policies WHERE effective_from <= ${date} ORDER BY effective_from DESC LIMIT 1`) ?? '{}';
  let policy = cache.get(definition);
  if (!policy) {
    policy = resolveReadingPolicy(JSON.parse(definition) as Partial<ReadingPolicy>);
    cache.set(definition, policy);
  }
  return policy;
}
