import { shanghaiDateTime } from '../../../shared/time';
import type { Backend } from '../context';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { LOCK_MS, MAX_FAILED_LOGINS, loadCallStaff } from './staff';
import { verifyPassword } from './passwords';
import type { CallStaff } from '../handler';

interface LoginRow {
  id: string;
  staff_no: string;
  name: string;
  active: number;
  failed_attempts: number;
  locked_until: number | null;
  password_hash: Buffer;
  password_salt: Buffer;
  password_params: string;
}

/**
 * Checks a staff number and password. Five wrong passwords in a row lock the account for 15
 * minutes; while locked even the right password is refused, with the time it unlocks.
 */
export async function login(backend: Backend, staffNo: string, password: string): Promise<CallStaff> {
  const row = backend.store.read.get<LoginRow>(sql`
    SELECT id, staff_no, name, active, failed_attempts, locked_until, password_hash, password_salt, password_params
    FROM staff WHERE staff_no = ${staffNo}`);
  if (!row) throw new AppError('bad_credentials', 'error.bad_credentials_plain');
  const actor = { staffId: row.id, label: `${row.staff_no} ${row.name}` };
  const lockedMessage = (until: number) =>
    new AppError('account_locked', 'error.account_locked', { until: shanghaiDateTime(until).slice(0, 16) });

  if (row.locked_until !== null && row.locked_until > backend.now()) throw lockedMessage(row.locked_until);
  if (row.active !== 1) throw new AppError('account_inactive', 'error.account_inactive');

  const ok = await verifyPassword(password, { hash: row.password_hash, salt: row.password_salt, params: row.password_params });
  if (ok) {
    backend.write(actor, (unit) => {
      unit.run(sql`UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ${row.id}`);
      unit.audit({ action: 'auth.login', entity: 'staff', entityId: row.id, summary: {} });
    });
    const staff = loadCallStaff(backend.store.read, row.id);
    if (!staff) throw new AppError('bad_credentials', 'error.bad_credentials_plain');
    return staff;
  }

  // Count the failure in its own transaction: the attempt is refused either way.
  const outcome = backend.write(actor, (unit) => {
    const current = unit.get<{ failed_attempts: number; locked_until: number | null }>(
      sql`SELECT failed_attempts, locked_until FROM staff WHERE id = ${row.id}`,
    );
    // A lock that ran out starts a fresh count.
    const previous = current && current.locked_until !== null && current.locked_until <= unit.at ? 0 : (current?.failed_attempts ?? 0);
    const failed = previous + 1;
    if (failed >= MAX_FAILED_LOGINS) {
      const until = unit.at + LOCK_MS;
      unit.run(sql`UPDATE staff SET failed_attempts = 0, locked_until = ${until} WHERE id = ${row.id}`);
      unit.audit({ action: 'auth.locked', entity: 'staff', entityId: row.id, summary: { attempts: failed, until } });
      return { lockedUntil: until, remaining: 0 };
    }
    unit.run(sql`UPDATE staff SET failed_attempts = ${failed}, locked_until = NULL WHERE id = ${row.id}`);
    unit.audit({ action: 'auth.loginFailed', entity: 'staff', entityId: row.id, summary: { attempts: failed } });
    return { lockedUntil: null, remaining: MAX_FAILED_LOGINS - failed };
  });
  if (outcome.lockedUntil !== null) throw lockedMessage(outcome.lockedUntil);
  throw new AppError('bad_credentials', 'error.bad_credentials', { remaining: outcome.remaining });
}
