/**
 * The rows of a reference pack the sync desk applies itself (docs/sync.md "Reference data down"):
 * policy versions into the desks' policy stores, staff changes into the staff list, notices onto
 * the home page and 数据上报. Each runs inside the pack's one transaction; a bad row throws, so
 * the whole pack is refused and nothing is half-written. Head office's packs are cumulative, so a
 * row already in force is passed over (no write, no outbox row).
 */
import { checkNoticeRow, checkPolicyRow, checkStaffRow, type RowCheck } from '../../../shared/sync/reference';
import { translate, type Locale, type MessageKey } from '../../../shared/i18n';
import type { ApiError } from '../../../shared/errors';
import type { Unit } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError } from '../errors';
import { getStaff, setActive, setRoles } from '../staff/staff';
import { canonicalJson } from './signedFile';

/** A desk's own refusal of a row (e.g. the last administrator), prefixed with which row of the pack. */
export class RowRefusal extends AppError {
  constructor(
    readonly row: number,
    readonly type: string,
    readonly inner: AppError,
  ) {
    super(inner.code, 'sync.refRowFailed', { row, type });
    this.message = this.messageIn('en');
  }
  override toApi(locale: Locale): ApiError {
    return { code: this.code, message: this.messageIn(locale), params: { row: this.row, type: this.type } };
  }
  override messageIn(locale: Locale): string {
    return `${translate(locale, 'sync.refRowFailed', { row: this.row, type: this.type })}${this.inner.messageIn(locale)}`;
  }
}

function checked<T>(check: RowCheck<T>, row: number, type: string): T {
  if (check.ok) return check.value;
  const { rule, field, detail } = check.problem;
  throw new AppError('validation', `sync.refRow.${rule}` as MessageKey, { row, type, field, detail });
}

const changed = (row: number, type: string, field: string, detail: string) => new AppError('validation', 'sync.refRow.changed', { row, type, field, detail });

/**
 * A policy version (政策版本): reading thresholds into `reading_policies`, penalty, disconnection and
 * counter rules into `collection_policies`, keyed by the day they take effect. A version once
 * loaded never changes: the same one again is passed over, a different text under the same day
 * refuses the pack (head office sends a new effective day instead).
 */
export function applyPolicyRow(unit: Unit, data: unknown, row: number): 'policy' | null {
  const p = checked(checkPolicyRow(data), row, 'policy');
  const service = p.kind === 'serviceLimits' || p.kind === 'segmentRules'; // customer service (docs/service.md "Policy keys")
  const stored =
    p.kind === 'reading'
      ? unit.value<string>(sql`SELECT definition FROM reading_policies WHERE effective_from = ${p.effectiveFrom}`)
      : service
        ? unit.value<string>(sql`SELECT definition FROM service_policies WHERE kind = ${p.kind} AND effective_from = ${p.effectiveFrom}`)
        : unit.value<string>(sql`SELECT definition FROM collection_policies WHERE kind = ${p.kind} AND effective_from = ${p.effectiveFrom}`);
  const text = canonicalJson(p.definition);
  if (stored !== undefined) {
    if (canonicalJson(JSON.parse(stored)) === text) return null;
    throw changed(row, 'policy', 'definition', `${p.kind} ${p.effectiveFrom}`);
  }
  if (p.kind === 'reading') {
    unit.run(sql`INSERT INTO reading_policies (effective_from, definition, imported_at, imported_by) VALUES (${p.effectiveFrom}, ${text}, ${unit.at}, ${unit.actor.staffId})`);
  } else if (service) {
    unit.run(sql`INSERT INTO service_policies (kind, effective_from, definition, imported_at, imported_by) VALUES (${p.kind}, ${p.effectiveFrom}, ${text}, ${unit.at}, ${unit.actor.staffId})`);
  } else {
    unit.run(sql`INSERT INTO collection_policies (kind, effective_from, definition, imported_at, imported_by) VALUES (${p.kind}, ${p.effectiveFrom}, ${text}, ${unit.at}, ${unit.actor.staffId})`);
  }
  unit.audit({ action: 'sync.policyLoad', entity: 'policy', entityId: `${p.kind}:${p.effectiveFrom}`, summary: { kind: p.kind, effectiveFrom: p.effectiveFrom } });
  return 'policy';
}

/** A restored or head-office-made staff member's password until the administrator sets one: nothing matches it. */
export const NO_PASSWORD = { hash: Buffer.alloc(0), salt: Buffer.alloc(0), params: JSON.stringify({ alg: 'none', reason: 'from head office: the administrator sets a password' }) };

/**
 * A staff change (人员变动) by staff number: a new number makes a staff member with no usable
 * password (the administrator gives the first one: 员工管理 → 重置密码, or `griddesk staff
 * reset-password`), a known one gets its name and roles, `active: false` deactivates (离岗) and
 * ends their sessions. The staff desk's own rules hold (the last administrator stays).
 */
export function applyStaffRow(backend: Backend, unit: Unit, data: unknown, row: number): 'staffCreated' | 'staffUpdated' | 'staffDeactivated' | null {
  const s = checked(checkStaffRow(data), row, 'staff');
  const id = unit.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${s.staffNo}`);
  if (!id) {
    if (!s.active) return null; // never here: nothing to deactivate
    const newId = uuidv7(unit.at);
    unit.run(sql`
      INSERT INTO staff (id, station_id, staff_no, name, password_hash, password_salt, password_params, must_change_password, active, created_at, updated_at)
      VALUES (${newId}, ${unit.stationId()}, ${s.staffNo}, ${s.name}, ${NO_PASSWORD.hash}, ${NO_PASSWORD.salt}, ${NO_PASSWORD.params}, 1, 1, ${unit.at}, ${unit.at})`);
    for (const role of s.roles) unit.run(sql`INSERT INTO staff_roles (staff_id, role) VALUES (${newId}, ${role})`);
    unit.record({
      action: 'staff.create',
      entity: 'staff',
      entityId: newId,
      op: 'insert',
      summary: { staffNo: s.staffNo, name: s.name, roles: s.roles, from: 'reference pack' },
      payload: { id: newId, staffNo: s.staffNo, name: s.name, roles: s.roles, active: true },
    });
    return 'staffCreated';
  }
  const before = getStaff(unit, id, unit.at);
  if (!s.active) {
    if (!before.active) return null;
    setActive(backend, unit, id, false);
    return 'staffDeactivated';
  }
  let did = false;
  if (before.name !== s.name) {
    unit.run(sql`UPDATE staff SET name = ${s.name}, updated_at = ${unit.at} WHERE id = ${id}`);
    unit.record({ action: 'staff.rename', entity: 'staff', entityId: id, op: 'update', summary: { staffNo: s.staffNo, before: before.name, after: s.name }, payload: { id, name: s.name } });
    did = true;
  }
  if (canonicalJson([...before.roles].sort()) !== canonicalJson(s.roles)) {
    setRoles(backend, unit, id, s.roles);
    did = true;
  }
  if (!before.active) {
    setActive(backend, unit, id, true);
    did = true;
  }
  return did ? 'staffUpdated' : null;
}

/** A notice (总部通知): shown until read; the same id again is passed over, the same id with other words refuses the pack. */
export function applyNoticeRow(unit: Unit, data: unknown, row: number, version: number): 'notice' | null {
  const n = checked(checkNoticeRow(data), row, 'notice');
  const stored = unit.get<{ title: string; body: string; until: string | null }>(sql`SELECT title, body, until FROM sync_notices WHERE id = ${n.id}`);
  if (stored) {
    if (stored.title === n.title && stored.body === n.body && stored.until === n.until) return null;
    throw changed(row, 'notice', 'id', n.id);
  }
  unit.run(sql`INSERT INTO sync_notices (id, version, title, body, until, received_at) VALUES (${n.id}, ${version}, ${n.title}, ${n.body}, ${n.until}, ${unit.at})`);
  unit.audit({ action: 'sync.noticeReceive', entity: 'sync_notice', entityId: n.id, summary: { title: n.title, version } });
  return 'notice';
}

export interface NoticeView {
  id: string;
  title: string;
  body: string;
  until: string | null;
  receivedAt: number;
  version: number;
  readAt: number | null;
  readBy: string | null;
}

/** Notices still to be read (and not past their day), newest first; with `all`, the read ones too (the last 50). */
export function listNotices(db: ReadableDB, today: string, all = false): NoticeView[] {
  return db.all<NoticeView>(sql`
    SELECT n.id, n.title, n.body, n.until, n.received_at AS receivedAt, n.version, r.read_at AS readAt,
           CASE WHEN s.id IS NULL THEN NULL ELSE s.staff_no || ' ' || s.name END AS readBy
    FROM sync_notices n
    LEFT JOIN sync_notice_reads r ON r.notice_id = n.id
    LEFT JOIN staff s ON s.id = r.read_by
    WHERE ${all ? sql`1` : sql`r.notice_id IS NULL AND (n.until IS NULL OR n.until >= ${today})`}
    ORDER BY n.received_at DESC, n.id LIMIT 50`);
}

/** The station head (or administrator) marks a notice read: it leaves every home page. Reading it twice is a no-op. */
export function markNoticeRead(backend: Backend, actor: Parameters<Backend['write']>[0], id: string): { id: string; already: boolean } {
  return backend.write(actor, (unit) => {
    const notice = unit.get<{ title: string }>(sql`SELECT title FROM sync_notices WHERE id = ${id}`);
    if (!notice) throw new AppError('not_found', 'sync.noticeMissing', { id });
    if (unit.value<number>(sql`SELECT 1 FROM sync_notice_reads WHERE notice_id = ${id}`)) return { id, already: true };
    unit.run(sql`INSERT INTO sync_notice_reads (notice_id, read_at, read_by) VALUES (${id}, ${unit.at}, ${unit.actor.staffId})`);
    unit.audit({ action: 'sync.noticeRead', entity: 'sync_notice', entityId: id, summary: { title: notice.title } });
    return { id, already: false };
  });
}
