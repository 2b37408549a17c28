import { disconnectionPolicySchema } from '../collection/disconnection';
import { penaltyPolicySchema, validatePenaltyPolicy } from '../collection/penalty';
import { counterPolicySchema } from '../collection/tender';
import { ROLES, type Role } from '../permissions';
import { resolveReadingPolicy } from '../readings/policy';
import { SERVICE_POLICY_KINDS, validateServicePolicy, type ServicePolicyKind } from '../service/policy';

// The rows of a reference pack (参考数据包) that the sync desk applies itself: policies (政策),
// staff changes (人员变动) and notices (通知). Pure checks, so a bad row is refused before anything
// is written, naming the row's field and what is wrong (docs/sync.md "Reference data down").

/** Why a row is refused: a dictionary key `sync.refRow.<rule>` with the row, type and field. */
export type RowRule = 'required' | 'invalid' | 'unknown' | 'password';
export interface RowProblem {
  rule: RowRule;
  field: string;
  /** The value or the check that failed, as text (not translated: it is the sender's data). */
  detail: string;
}
export type RowCheck<T> = { ok: true; value: T } | { ok: false; problem: RowProblem };

const fail = (rule: RowRule, field: string, detail = ''): { ok: false; problem: RowProblem } => ({ ok: false, problem: { rule, field, detail } });
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The station's policy stores a pack can load, each versioned by the day it takes effect. */
export const POLICY_KINDS = ['reading', 'penalty', 'disconnection', 'counter', ...SERVICE_POLICY_KINDS] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

export interface PolicyRow {
  kind: PolicyKind;
  effectiveFrom: string;
  /** As it will be stored (reading: head office's overrides of the defaults; the others: the whole policy). */
  definition: Record<string, unknown>;
}

function firstIssue(error: unknown): string {
  const issues = (error as { issues?: { path: (string | number)[]; message: string }[] }).issues;
  if (issues?.length) return `${issues[0]!.path.join('.') || '(root)'}: ${issues[0]!.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** A policy row: `{ kind, effectiveFrom: 'YYYY-MM-DD', definition: {…} }`, checked by the desk's own schema. */
export function checkPolicyRow(data: unknown): RowCheck<PolicyRow> {
  if (!isObject(data)) return fail('invalid', 'data', 'not an object');
  for (const key of Object.keys(data)) if (!['kind', 'effectiveFrom', 'definition'].includes(key)) return fail('unknown', key);
  const { kind, effectiveFrom, definition } = data;
  if (kind === undefined) return fail('required', 'kind');
  if (!(POLICY_KINDS as readonly unknown[]).includes(kind)) return fail('invalid', 'kind', `${String(kind)} ∉ ${POLICY_KINDS.join('/')}`);
  if (effectiveFrom === undefined) return fail('required', 'effectiveFrom');
  if (typeof effectiveFrom !== 'string' || !DATE.test(effectiveFrom)) return fail('invalid', 'effectiveFrom', String(effectiveFrom));
  if (definition === undefined) return fail('required', 'definition');
  if (!isObject(definition)) return fail('invalid', 'definition', 'not an object');
  try {
    if (kind === 'reading') resolveReadingPolicy(definition);
    else if (kind === 'penalty') validatePenaltyPolicy(penaltyPolicySchema.parse(definition));
    else if (kind === 'disconnection') disconnectionPolicySchema.parse(definition);
    else if ((SERVICE_POLICY_KINDS as readonly unknown[]).includes(kind)) validateServicePolicy(kind as ServicePolicyKind, definition);
    else counterPolicySchema.parse(definition);
  } catch (error) {
    return fail('invalid', 'definition', firstIssue(error));
  }
  return { ok: true, value: { kind: kind as PolicyKind, effectiveFrom, definition } };
}

export interface StaffChange {
  staffNo: string;
  name: string;
  roles: Role[];
  /** false: deactivate (离岗); true (the default): create, update or reactivate. */
  active: boolean;
}

/** Anything that looks like a password is refused: passwords never travel (docs/sync.md). */
const PASSWORDISH = /pass|pwd|hash|salt|secret|口令|密码/i;

/** A staff row: `{ staffNo, name, roles: [...], active?: true|false }`. */
export function checkStaffRow(data: unknown): RowCheck<StaffChange> {
  if (!isObject(data)) return fail('invalid', 'data', 'not an object');
  for (const key of Object.keys(data)) {
    if (PASSWORDISH.test(key)) return fail('password', key);
    if (!['staffNo', 'name', 'roles', 'active'].includes(key)) return fail('unknown', key);
  }
  const { staffNo, name, roles, active } = data;
  if (staffNo === undefined) return fail('required', 'staffNo');
  if (typeof staffNo !== 'string' || !/^[A-Za-z0-9_-]{1,20}$/.test(staffNo.trim())) return fail('invalid', 'staffNo', String(staffNo));
  if (name === undefined) return fail('required', 'name');
  if (typeof name !== 'string' || !name.trim() || name.trim().length > 50) return fail('invalid', 'name', String(name));
  if (roles === undefined) return fail('required', 'roles');
  if (!Array.isArray(roles) || roles.length === 0) return fail('invalid', 'roles', JSON.stringify(roles));
  const unknownRole = roles.find((r) => !(ROLES as readonly unknown[]).includes(r));
  if (unknownRole !== undefined) return fail('invalid', 'roles', `${String(unknownRole)} ∉ ${ROLES.join('/')}`);
  if (active !== undefined && typeof active !== 'boolean') return fail('invalid', 'active', String(active));
  return { ok: true, value: { staffNo: staffNo.trim(), name: name.trim(), roles: [...new Set(roles as Role[])].sort(), active: active !== false } };
}

export interface NoticeRow {
  id: string;
  title: string;
  body: string;
  /** Not shown after this day; null: shown until read. */
  until: string | null;
}

/** A notice row: `{ id, title, body?, until?: 'YYYY-MM-DD' }`. */
export function checkNoticeRow(data: unknown): RowCheck<NoticeRow> {
  if (!isObject(data)) return fail('invalid', 'data', 'not an object');
  for (const key of Object.keys(data)) if (!['id', 'title', 'body', 'until'].includes(key)) return fail('unknown', key);
  const { id, title, body, until } = data;
  if (id === undefined) return fail('required', 'id');
  if (typeof id !== 'string' || !id.trim() || id.length > 100) return fail('invalid', 'id', String(id));
  if (title === undefined) return fail('required', 'title');
  if (typeof title !== 'string' || !title.trim() || title.length > 200) return fail('invalid', 'title', String(title).slice(0, 40));
  if (body !== undefined && (typeof body !== 'string' || body.length > 5000)) return fail('invalid', 'body', typeof body === 'string' ? `${body.length} > 5000` : String(body));
  if (until !== undefined && until !== null && (typeof until !== 'string' || !DATE.test(until))) return fail('invalid', 'until', String(until));
  return { ok: true, value: { id: id.trim(), title: title.trim(), body: typeof body === 'string' ? body : '', until: typeof until === 'string' ? until : null } };
}
