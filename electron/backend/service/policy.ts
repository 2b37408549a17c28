// The service policy versions the station holds (`service_policies`, loaded from head office's
// reference pack) and which one is in force: the order's recorded limits version, the limits in
// force on a receipt day, the segment rules in force for a month. A version's text never changes,
// so its parse is kept.
import {
  DEFAULT_SEGMENT_POLICY,
  DEFAULT_SERVICE_POLICY,
  resolveSegmentRules,
  resolveServiceLimits,
  segmentPolicyDay,
  segmentRuleKeys,
  serviceLimitKeys,
  type SegmentPolicy,
  type ServicePolicy,
  type ServicePolicyKind,
} from '../../../shared/service';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';

const parsedLimits = new Map<string, ServicePolicy>();
const parsedRules = new Map<string, SegmentPolicy>();

function stored(db: ReadableDB, kind: ServicePolicyKind, day: string): { effective_from: string; definition: string } | undefined {
  return db.get(sql`SELECT effective_from, definition FROM service_policies WHERE kind = ${kind} AND effective_from <= ${day} ORDER BY effective_from DESC LIMIT 1`);
}

function limitsOf(row: { effective_from: string; definition: string }): ServicePolicy {
  const key = `${row.effective_from}\n${row.definition}`;
  let p = parsedLimits.get(key);
  if (!p) parsedLimits.set(key, (p = Object.freeze(resolveServiceLimits(JSON.parse(row.definition), row.effective_from, row.effective_from))));
  return p;
}

function rulesOf(row: { effective_from: string; definition: string }): SegmentPolicy {
  const key = `${row.effective_from}\n${row.definition}`;
  let p = parsedRules.get(key);
  if (!p) parsedRules.set(key, (p = Object.freeze(resolveSegmentRules(JSON.parse(row.definition), row.effective_from, row.effective_from))));
  return p;
}

/** The time limits in force on a day (YYYY-MM-DD, Beijing): an order received that day is opened under them. */
export function serviceLimitsOn(db: ReadableDB, day: string): ServicePolicy {
  const row = stored(db, 'serviceLimits', day);
  return row ? limitsOf(row) : DEFAULT_SERVICE_POLICY;
}

/** The limits an order was opened under (its recorded version; the baseline for orders from before versions were kept). */
export function serviceLimitsVersion(db: ReadableDB, version: string | null): ServicePolicy {
  if (version === null || version === DEFAULT_SERVICE_POLICY.version) return DEFAULT_SERVICE_POLICY;
  const row = db.get<{ effective_from: string; definition: string }>(sql`SELECT effective_from, definition FROM service_policies WHERE kind = 'serviceLimits' AND effective_from = ${version}`);
  if (!row) throw new Error(`service limits version ${version} is missing`);
  return limitsOf(row);
}

/** The segment rules for a month: the version in force on its first day. */
export function segmentRulesFor(db: ReadableDB, period: string): SegmentPolicy {
  const row = stored(db, 'segmentRules', segmentPolicyDay(period));
  return row ? rulesOf(row) : DEFAULT_SEGMENT_POLICY;
}

/** What the screens show: the versions in force (today's limits, the month's rules) with their keys, and every version loaded. */
export function policyView(db: ReadableDB, today: string, period: string) {
  const limits = serviceLimitsOn(db, today);
  const rules = segmentRulesFor(db, period);
  const versions = db
    .all<{ kind: ServicePolicyKind; effective_from: string; imported_at: number; by: string | null }>(sql`
      SELECT p.kind, p.effective_from, p.imported_at, s.name AS by FROM service_policies p LEFT JOIN staff s ON s.id = p.imported_by
      ORDER BY p.kind, p.effective_from DESC`)
    .map((r) => ({ kind: r.kind, effectiveFrom: r.effective_from, importedAt: r.imported_at, by: r.by }));
  return {
    limits: { version: limits.version, builtIn: limits === DEFAULT_SERVICE_POLICY, keys: serviceLimitKeys(limits) },
    segments: { period, version: rules.version, builtIn: rules === DEFAULT_SEGMENT_POLICY, keys: segmentRuleKeys(rules) },
    versions,
  };
}
