import { shanghaiDateTime } from '../../../shared/time';
import type { Backend } from '../context';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { LOCK_MS, MAX_FAILED_LOGINS, loadCallStaff } from './staff';
import { verifyPassword } from './passwords';
import type { CallStaff } from '../handler';
import type { Actor } from '../audit/record';

interface LoginRow {
  id: string;
  staff_no: string;
  name: string;
  active: number;
  failed_attempts: number;
  locked_until: number | null;
  locked_by: string | null;
  locked_via: string | null;
  password_hash: Buffer;
  password_salt: Buffer;
  password_params: string;
}

/** Where a password was typed: the login screen, or a clerk's screen as the approver (代为审批). */
export interface LoginPlace {
  /** Who is at that screen (the clerk's session); the audit rows of a failure name them. */
  by: Actor;
  /** The channel that asked for the approver's password. */
  via: string;
}

/**
 * Checks a staff number and password. Five wrong passwords in a row lock the account for 15
 * minutes; while locked even the right password is refused, with the time it unlocks and — when
 * the wrong passwords were typed at someone else's screen as the approver — who typed them and
 * where (issue 15 item 8), which the staff row keeps for the administrator, who can unlock.
 */
export async function login(backend: Backend, staffNo: string, password: string, place?: LoginPlace): Promise<CallStaff> {
  const row = backend.store.read.get<LoginRow>(sql`
    SELECT id, staff_no, name, active, failed_attempts, locked_until, locked_by, locked_via, password_hash, password_salt, password_params
    FROM staff WHERE staff_no = ${staffNo}`);
  if (!row) throw new AppError('bad_credentials', 'error.bad_credentials_plain');
  const self = { staffId: row.id, label: `${row.staff_no} ${row.name}` };
  // A failure at a clerk's screen is the clerk's act: audited under them, naming whose password it was.
  const actor = place && place.by.staffId !== row.id ? place.by : self;
  const lockedMessage = (until: number, by: string | null, via: string | null) =>
    by && via && via !== 'login'
      ? new AppError('account_locked', 'error.account_lockedBy', { until: shanghaiDateTime(until).slice(0, 16), by, via })
      : new AppError('account_locked', 'error.account_locked', { until: shanghaiDateTime(until).slice(0, 16) });

  if (row.locked_until !== null && row.locked_until > backend.now()) throw lockedMessage(row.locked_until, row.locked_by, row.locked_via);
  if (row.active !== 1) throw new AppError('account_inactive', 'error.account_inactive');

  const ok = await verifyPassword(password, { hash: row.password_hash, salt: row.password_salt, params: row.password_params });
  if (ok) {
    backend.write(actor, (unit) => {
      unit.run(sql`UPDATE staff SET failed_attempts = 0, locked_until = NULL, locked_by = NULL, locked_via = NULL WHERE id = ${row.id}`);
      unit.audit({ action: 'auth.login', entity: 'staff', entityId: row.id, summary: place ? { via: place.via, at: place.by.label } : {} });
    });
    const staff = loadCallStaff(backend.store.read, row.id);
    if (!staff) throw new AppError('bad_credentials', 'error.bad_credentials_plain');
    return staff;
  }

  // Count the failure in its own transaction: the attempt is refused either way.
  const where = place ? { staffNo: row.staff_no, via: place.via, typedBy: place.by.label } : { staffNo: row.staff_no, via: 'login' };
  const outcome = backend.write(actor, (unit) => {
    const current = unit.get<{ failed_attempts: number; locked_until: number | null }>(
      sql`SELECT failed_attempts, locked_until FROM staff WHERE id = ${row.id}`,
    );
    // A lock that ran out starts a fresh count.
    const previous = current && current.locked_until !== null && current.locked_until <= unit.at ? 0 : (current?.failed_attempts ?? 0);
    const failed = previous + 1;
    if (failed >= MAX_FAILED_LOGINS) {
      const until = unit.at + LOCK_MS;
      const by = place ? place.by.label : self.label;
      unit.run(sql`UPDATE staff SET failed_attempts = 0, locked_until = ${until}, locked_by = ${by}, locked_via = ${where.via} WHERE id = ${row.id}`);
      unit.audit({ action: 'auth.locked', entity: 'staff', entityId: row.id, summary: { attempts: failed, until, ...where } });
      return { lockedUntil: until, remaining: 0, by };
    }
    unit.run(sql`UPDATE staff SET failed_attempts = ${failed}, locked_until = NULL WHERE id = ${row.id}`);
    unit.audit({ action: 'auth.loginFailed', entity: 'staff', entityId: row.id, summary: { attempts: failed, ...where } });
    return { lockedUntil: null, remaining: MAX_FAILED_LOGINS - failed, by: null };
  });
  if (outcome.lockedUntil !== null) throw lockedMessage(outcome.lockedUntil, outcome.by, where.via);
  throw new AppError('bad_credentials', 'error.bad_credentials', { remaining: outcome.remaining });
}
