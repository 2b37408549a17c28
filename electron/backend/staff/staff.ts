import type { StaffRow } from '../../../shared/contract';
import { permissionsOf, type Role } from '../../../shared/permissions';
import type { Unit } from '../audit/record';
import type { Backend } from '../context';
import { uuidv7 } from '../db/ids';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { AppError, notFound, refuse } from '../errors';
import type { CallStaff } from '../handler';
import { hashPassword, passwordAcceptable, verifyPassword } from './passwords';

// Staff and their roles. Staff are never deleted: an administrator deactivates them, and every
// record they made keeps naming them.

/** After this many wrong passwords in a row the account locks … */
export const MAX_FAILED_LOGINS = 5;
/** … for this long. */
export const LOCK_MS = 15 * 60 * 1000;

interface StaffDbRow {
  id: string;
  staff_no: string;
  name: string;
  roles: string | null;
  active: number;
  locked_until: number | null;
  locked_by: string | null;
  locked_via: string | null;
  must_change_password: number;
  created_at: number;
}

const STAFF_COLUMNS = sql`
  s.id, s.staff_no, s.name, s.active, s.locked_until, s.locked_by, s.locked_via, s.must_change_password, s.created_at,
  (SELECT group_concat(role, ',') FROM staff_roles r WHERE r.staff_id = s.id) AS roles`;

function toRow(row: StaffDbRow, now: number): StaffRow {
  return {
    id: row.id,
    staffNo: row.staff_no,
    name: row.name,
    roles: (row.roles ? row.roles.split(',') : []).sort() as Role[],
    active: row.active === 1,
    lockedUntil: row.locked_until !== null && row.locked_until > now ? row.locked_until : null,
    lockedBy: row.locked_until !== null && row.locked_until > now ? row.locked_by : null,
    lockedVia: row.locked_until !== null && row.locked_until > now ? row.locked_via : null,
    mustChangePassword: row.must_change_password === 1,
    createdAt: row.created_at,
  };
}

export function listStaff(db: ReadableDB, now: number): StaffRow[] {
  return db.all<StaffDbRow>(sql`SELECT ${STAFF_COLUMNS} FROM staff s ORDER BY s.active DESC, s.staff_no`).map((r) => toRow(r, now));
}

export function getStaff(db: ReadableDB, staffId: string, now: number): StaffRow {
  const row = db.get<StaffDbRow>(sql`SELECT ${STAFF_COLUMNS} FROM staff s WHERE s.id = ${staffId}`);
  if (!row) throw notFound(`staff ${staffId}`);
  return toRow(row, now);
}

/** The caller's staff record as dispatch needs it on every call. */
export function loadCallStaff(db: ReadableDB, staffId: string): CallStaff | undefined {
  const row = db.get<StaffDbRow>(sql`SELECT ${STAFF_COLUMNS} FROM staff s WHERE s.id = ${staffId}`);
  if (!row) return undefined;
  const staff = toRow(row, 0);
  return {
    id: staff.id,
    staffNo: staff.staffNo,
    name: staff.name,
    roles: staff.roles,
    active: staff.active,
    mustChangePassword: staff.mustChangePassword,
  };
}

export function sessionView(staff: CallStaff) {
  return {
    id: staff.id,
    staffNo: staff.staffNo,
    name: staff.name,
    roles: staff.roles,
    permissions: [...permissionsOf(staff.roles)].sort(),
    mustChangePassword: staff.mustChangePassword,
  };
}

export function assertPasswordAcceptable(password: string): void {
  if (!passwordAcceptable(password)) throw refuse('error.passwordRule');
}

export interface NewStaff {
  staffNo: string;
  name: string;
  roles: Role[];
  password: string;
  mustChangePassword: boolean;
}

/** Hashing is slow on purpose, so it happens before the transaction, not inside it. */
export async function prepareStaff(input: NewStaff) {
  assertPasswordAcceptable(input.password);
  return { ...input, id: uuidv7(), password: await hashPassword(input.password) };
}

export function insertStaff(unit: Unit, staff: Awaited<ReturnType<typeof prepareStaff>>): void {
  const taken = unit.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${staff.staffNo}`);
  if (taken) throw new AppError('conflict', 'error.staffNoTaken', { staffNo: staff.staffNo });
  unit.run(sql`
    INSERT INTO staff (id, station_id, staff_no, name, password_hash, password_salt, password_params,
                       must_change_password, active, created_at, updated_at)
    VALUES (${staff.id}, ${unit.stationId()}, ${staff.staffNo}, ${staff.name}, ${staff.password.hash},
            ${staff.password.salt}, ${staff.password.params}, ${staff.mustChangePassword}, 1, ${unit.at}, ${unit.at})`);
  for (const role of new Set(staff.roles)) unit.run(sql`INSERT INTO staff_roles (staff_id, role) VALUES (${staff.id}, ${role})`);
  unit.record({
    action: 'staff.create',
    entity: 'staff',
    entityId: staff.id,
    op: 'insert',
    summary: { staffNo: staff.staffNo, name: staff.name, roles: [...staff.roles].sort() },
    payload: { id: staff.id, staffNo: staff.staffNo, name: staff.name, roles: [...staff.roles].sort(), active: true },
  });
}

function activeAdminCount(db: ReadableDB, except?: string): number {
  return (
    db.value<number>(sql`
      SELECT count(*) FROM staff s JOIN staff_roles r ON r.staff_id = s.id AND r.role = 'admin'
      WHERE s.active = 1 AND s.id <> ${except ?? ''}`) ?? 0
  );
}

export function setRoles(backend: Backend, unit: Unit, staffId: string, roles: Role[]): StaffRow {
  const before = getStaff(unit, staffId, unit.at);
  const next = [...new Set(roles)].sort();
  if (before.roles.includes('admin') && !next.includes('admin') && activeAdminCount(unit, staffId) === 0) {
    throw refuse('error.lastAdmin');
  }
  unit.run(sql`DELETE FROM staff_roles WHERE staff_id = ${staffId}`);
  for (const role of next) unit.run(sql`INSERT INTO staff_roles (staff_id, role) VALUES (${staffId}, ${role})`);
  unit.run(sql`UPDATE staff SET updated_at = ${unit.at} WHERE id = ${staffId}`);
  unit.record({
    action: 'staff.setRoles',
    entity: 'staff',
    entityId: staffId,
    op: 'update',
    summary: { staffNo: before.staffNo, before: before.roles, after: next },
    payload: { id: staffId, roles: next },
  });
  void backend;
  return getStaff(unit, staffId, unit.at);
}

export function setActive(backend: Backend, unit: Unit, staffId: string, active: boolean): StaffRow {
  const before = getStaff(unit, staffId, unit.at);
  if (before.active === active) return before;
  if (!active && before.roles.includes('admin') && activeAdminCount(unit, staffId) === 0) throw refuse('error.lastAdmin');
  unit.run(sql`UPDATE staff SET active = ${active}, failed_attempts = 0, locked_until = NULL, updated_at = ${unit.at}
               WHERE id = ${staffId}`);
  unit.record({
    action: active ? 'staff.reactivate' : 'staff.deactivate',
    entity: 'staff',
    entityId: staffId,
    op: 'update',
    summary: { staffNo: before.staffNo, name: before.name },
    payload: { id: staffId, active },
  });
  if (!active) backend.sessions.endFor(staffId);
  return getStaff(unit, staffId, unit.at);
}

/**
 * The administrator lifts a lock before its 15 minutes are up (issue 15 item 8: a head locked
 * out by wrong approver passwords typed at a clerk's screen). Audited with who had locked it.
 */
export function unlockStaff(unit: Unit, staffId: string): StaffRow {
  const before = unit.get<{ staff_no: string; name: string; locked_until: number | null; locked_by: string | null; locked_via: string | null }>(
    sql`SELECT staff_no, name, locked_until, locked_by, locked_via FROM staff WHERE id = ${staffId}`,
  );
  if (!before) throw notFound(`staff ${staffId}`);
  unit.run(sql`UPDATE staff SET failed_attempts = 0, locked_until = NULL, locked_by = NULL, locked_via = NULL, updated_at = ${unit.at} WHERE id = ${staffId}`);
  unit.audit({
    action: 'staff.unlock',
    entity: 'staff',
    entityId: staffId,
    summary: { staffNo: before.staff_no, name: before.name, wasLocked: before.locked_until !== null && before.locked_until > unit.at, lockedBy: before.locked_by, lockedVia: before.locked_via },
  });
  return getStaff(unit, staffId, unit.at);
}

export async function resetPassword(backend: Backend, actor: Parameters<Backend['write']>[0], staffId: string, password: string) {
  assertPasswordAcceptable(password);
  const hash = await hashPassword(password);
  const row = backend.write(actor, (unit) => {
    const before = getStaff(unit, staffId, unit.at);
    unit.run(sql`
      UPDATE staff SET password_hash = ${hash.hash}, password_salt = ${hash.salt}, password_params = ${hash.params},
             must_change_password = 1, failed_attempts = 0, locked_until = NULL, updated_at = ${unit.at}
      WHERE id = ${staffId}`);
    // The hash never travels or enters the log; only the fact that it changed.
    unit.audit({ action: 'staff.resetPassword', entity: 'staff', entityId: staffId, summary: { staffNo: before.staffNo, name: before.name } });
    return getStaff(unit, staffId, unit.at);
  });
  backend.sessions.endFor(staffId);
  return row;
}

export async function changeOwnPassword(backend: Backend, staff: CallStaff, current: string, next: string, keepToken: string | null) {
  const stored = backend.store.read.get<{ password_hash: Buffer; password_salt: Buffer; password_params: string }>(
    sql`SELECT password_hash, password_salt, password_params FROM staff WHERE id = ${staff.id}`,
  );
  if (!stored) throw notFound(`staff ${staff.staffNo}`);
  const ok = await verifyPassword(current, { hash: stored.password_hash, salt: stored.password_salt, params: stored.password_params });
  if (!ok) throw new AppError('bad_credentials', 'error.wrongCurrentPassword');
  assertPasswordAcceptable(next);
  const hash = await hashPassword(next);
  backend.write({ staffId: staff.id, label: `${staff.staffNo} ${staff.name}` }, (unit) => {
    unit.run(sql`
      UPDATE staff SET password_hash = ${hash.hash}, password_salt = ${hash.salt}, password_params = ${hash.params},
             must_change_password = 0, updated_at = ${unit.at}
      WHERE id = ${staff.id}`);
    unit.audit({ action: 'staff.changePassword', entity: 'staff', entityId: staff.id, summary: { staffNo: staff.staffNo } });
  });
  // Other sessions of this person end; the one that changed the password goes on.
  backend.sessions.endFor(staff.id, keepToken ?? undefined);
}
