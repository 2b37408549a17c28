import { createHash } from 'node:crypto';
import type { TariffVersionRow } from '../../../shared/contract';
import {
  billingPolicySchema,
  checkReferenceFile,
  policyInForce,
  tariffInForce,
  tariffVersionSchema,
  type BillingPolicy,
  type TariffVersion,
} from '../../../shared/billing';
import { codedList, type CodedMessage } from '../../../shared/i18n/coded';
import { fileMessage, notJson } from '../../../shared/referenceFile';
import { shanghaiDate } from '../../../shared/time';
import type { Unit } from '../audit/record';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { refuse } from '../errors';

// The tariff catalogue (电价目录): head-office reference data, read-only at the station except by
// importing a file. A version (code + effective date) is never changed once loaded: loading the
// same version again with the same content is a no-op, with different content it is refused.

interface TariffDbRow {
  code: string;
  effective_from: string;
  name: string;
  customer_class: string;
  definition: string;
  imported_at: number;
  imported_by_name: string | null;
  customers: number;
}

/** Every tariff version loaded, validated again (they were checked on import; a bad row fails loudly). */
export function loadTariffVersions(db: ReadableDB): TariffVersion[] {
  return db
    .column<string>(sql`SELECT definition FROM tariff_versions ORDER BY code, effective_from`)
    .map((text) => tariffVersionSchema.parse(JSON.parse(text)));
}

export function loadPolicies(db: ReadableDB): BillingPolicy[] {
  return db.column<string>(sql`SELECT definition FROM billing_policy_versions ORDER BY effective_from`).map((text) => billingPolicySchema.parse(JSON.parse(text)));
}

/** The billing policy in force on a date (the default until head office sends one). */
export function billingPolicy(db: ReadableDB, date: string): BillingPolicy {
  return policyInForce(loadPolicies(db), date);
}

export function listTariffs(db: ReadableDB, now: number): { rows: TariffVersionRow[]; policies: ReturnType<typeof policyRows> } {
  const today = shanghaiDate(now);
  const versions = loadTariffVersions(db);
  const rows = db.all<TariffDbRow>(sql`
    SELECT t.code, t.effective_from, t.name, t.customer_class, t.definition, t.imported_at, s.name AS imported_by_name,
           (SELECT count(*) FROM customers c WHERE c.tariff_code = t.code) AS customers
    FROM tariff_versions t LEFT JOIN staff s ON s.id = t.imported_by
    ORDER BY t.code, t.effective_from DESC`);
  return {
    rows: rows.map((r) => ({
      code: r.code,
      effectiveFrom: r.effective_from,
      name: r.name,
      customerClass: r.customer_class as TariffVersionRow['customerClass'],
      definition: JSON.parse(r.definition) as Record<string, unknown>,
      importedAt: r.imported_at,
      importedBy: r.imported_by_name,
      inForce: tariffInForce(versions, r.code, today)?.effectiveFrom === r.effective_from,
      customers: r.customers,
    })),
    policies: policyRows(db, today),
  };
}

function policyRows(db: ReadableDB, today: string) {
  const stored = db.all<{ definition: string; imported_at: number }>(sql`SELECT definition, imported_at FROM billing_policy_versions ORDER BY effective_from DESC`);
  const policies = stored.map((r) => ({ ...billingPolicySchema.parse(JSON.parse(r.definition)), importedAt: r.imported_at as number | null }));
  const current = policyInForce(policies, today);
  const rows = policies.map((p) => ({ ...p, inForce: p.effectiveFrom === current.effectiveFrom }));
  // Until head office sends a policy, show the built-in default as the one in force.
  return rows.some((r) => r.inForce) ? rows : [...rows, { ...current, importedAt: null, inForce: true }];
}

/** Canonical text of a definition, so that key order in the file does not make a version "different". */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

type Status = 'new' | 'same' | 'conflict';

export interface ReferenceFilePlan {
  ok: boolean;
  /** Coded (shared/referenceFile.ts): the handler renders them in the caller's language. */
  problems: CodedMessage[];
  tariffs: { version: TariffVersion; status: Status }[];
  policies: { policy: BillingPolicy; status: Status }[];
}

/** Reads a tariff file's text and says, for every version in it, whether it is new, already loaded, or a conflicting edit. */
export function planReferenceFile(db: ReadableDB, text: string): ReferenceFilePlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [notJson(error, text)], tariffs: [], policies: [] };
  }
  const checked = checkReferenceFile(data);
  if (!checked.ok) return { ok: false, problems: checked.problems, tariffs: [], policies: [] };
  const problems: CodedMessage[] = [];
  const tariffs = checked.tariffs.map((version) => {
    const existing = db.value<string>(sql`SELECT definition FROM tariff_versions WHERE code = ${version.code} AND effective_from = ${version.effectiveFrom}`);
    const status: Status = existing === undefined ? 'new' : canonical(JSON.parse(existing)) === canonical(version) ? 'same' : 'conflict';
    if (status === 'conflict') {
      problems.push(fileMessage('tariff.conflict', { code: version.code, from: version.effectiveFrom, field: 'effectiveFrom' }));
    }
    return { version, status };
  });
  const policies = checked.policies.map((policy) => {
    const existing = db.value<string>(sql`SELECT definition FROM billing_policy_versions WHERE effective_from = ${policy.effectiveFrom}`);
    const status: Status = existing === undefined ? 'new' : canonical(JSON.parse(existing)) === canonical(policy) ? 'same' : 'conflict';
    if (status === 'conflict') problems.push(fileMessage('policy.conflict', { from: policy.effectiveFrom }));
    return { policy, status };
  });
  return { ok: problems.length === 0, problems, tariffs, policies };
}

/** Loads a tariff file: every new version, or nothing when any problem is found. */
export function importReferenceFile(unit: Unit, text: string, fileName: string | undefined): { imported: number; unchanged: number; policies: number } {
  const plan = planReferenceFile(unit, text);
  if (!plan.ok) throw refuse('billing.tariffFileProblems', { count: plan.problems.length, problems: codedList('problems', plan.problems) });
  const sha256 = createHash('sha256').update(text).digest('hex');
  const staffId = unit.actor.staffId;
  let imported = 0;
  for (const { version, status } of plan.tariffs) {
    if (status !== 'new') continue;
    const definition = JSON.stringify(version);
    unit.run(sql`
      INSERT INTO tariff_versions (code, effective_from, name, customer_class, definition, imported_at, imported_by, source_sha256)
      VALUES (${version.code}, ${version.effectiveFrom}, ${version.name}, ${version.class}, ${definition}, ${unit.at}, ${staffId}, ${sha256})`);
    unit.record({
      action: 'tariff.import',
      entity: 'tariff_version',
      entityId: `${version.code}@${version.effectiveFrom}`,
      op: 'insert',
      summary: { code: version.code, effectiveFrom: version.effectiveFrom, name: version.name, file: fileName ?? null },
      payload: { ...version, sourceSha256: sha256 },
    });
    imported += 1;
  }
  let policies = 0;
  for (const { policy, status } of plan.policies) {
    if (status !== 'new') continue;
    unit.run(sql`
      INSERT INTO billing_policy_versions (effective_from, definition, imported_at, imported_by, source_sha256)
      VALUES (${policy.effectiveFrom}, ${JSON.stringify(policy)}, ${unit.at}, ${staffId}, ${sha256})`);
    unit.record({
      action: 'billingPolicy.import',
      entity: 'billing_policy',
      entityId: policy.effectiveFrom,
      op: 'insert',
      summary: { effectiveFrom: policy.effectiveFrom, dueDays: policy.dueDays, highBillFactor: policy.highBillFactor },
      payload: { ...policy, sourceSha256: sha256 },
    });
    policies += 1;
  }
  const unchanged = plan.tariffs.filter((t) => t.status === 'same').length;
  return { imported, unchanged, policies };
}
