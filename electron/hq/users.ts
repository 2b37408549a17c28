import { randomBytes } from 'node:crypto';
import type { HqMe } from '../../shared/hq/types';
import { hashPassword, passwordAcceptable, verifyPassword } from '../backend/staff/passwords';
import type { HqContext } from './context';
import { HqError } from './errors';

// Head-office logins (总部账号) and roles, enforced by the hq host on every call:
//   admin   — stations (enrol, rotate, revoke, bootstrap), uploads, reference data, users
//   analyst — the dashboard, drill-down and exports (read only)
// Passwords: the station's scrypt (electron/backend/staff/passwords.ts); 5 wrong in a row lock the
// login for 15 minutes. Sessions live in the serving process's memory (12 h idle).

export type HqRole = HqMe['role'];
const LOCK_AFTER = 5;
const LOCK_MINUTES = 15;
const IDLE_MS = 12 * 3600 * 1000;

export async function addUser(hq: HqContext, login: string, name: string, role: HqRole, password: string, actor: string): Promise<void> {
  if (!/^[A-Za-z0-9._-]{2,32}$/.test(login)) throw new HqError('invalid_input', 'login: 2–32 letters, digits, . _ -');
  if (role !== 'admin' && role !== 'analyst') throw new HqError('invalid_input', 'role: admin or analyst');
  if (!passwordAcceptable(password)) throw new HqError('invalid_input', 'password: at least 8 characters with letters and digits');
  const h = await hashPassword(password);
  const stored = JSON.stringify({ hash: h.hash.toString('base64'), salt: h.salt.toString('base64'), params: h.params });
  await hq.db.tx(async (q) => {
    const exists = await q.query('SELECT 1 FROM hq_users WHERE login = $1', [login]);
    if (exists.length) throw new HqError('invalid_input', `login ${login} exists`);
    await q.query('INSERT INTO hq_users (login, name, role, password_hash) VALUES ($1, $2, $3, $4)', [login, name, role, stored]);
    await hq.audit(q, actor, 'user.add', { login, role });
  });
}

export async function checkLogin(hq: HqContext, login: string, password: string): Promise<HqMe> {
  const row = (await hq.db.query<{ login: string; name: string; role: HqRole; password_hash: string; active: boolean; failed_attempts: number; locked_until: string | null }>(
    'SELECT login, name, role, password_hash, active, failed_attempts, locked_until FROM hq_users WHERE login = $1',
    [login],
  ))[0];
  if (!row || !row.active) throw new HqError('bad_login', '', 401);
  if (row.locked_until && new Date(row.locked_until).getTime() > Date.now()) throw new HqError('locked', new Date(row.locked_until).toISOString(), 423);
  const stored = JSON.parse(row.password_hash) as { hash: string; salt: string; params: string };
  const ok = await verifyPassword(password, { hash: Buffer.from(stored.hash, 'base64'), salt: Buffer.from(stored.salt, 'base64'), params: stored.params });
  if (!ok) {
    await hq.db.query(
      `UPDATE hq_users SET failed_attempts = failed_attempts + 1,
              locked_until = CASE WHEN failed_attempts + 1 >= ${LOCK_AFTER} THEN now() + interval '${LOCK_MINUTES} minutes' END WHERE login = $1`,
      [login],
    );
    throw new HqError('bad_login', '', 401);
  }
  await hq.db.query('UPDATE hq_users SET failed_attempts = 0, locked_until = NULL WHERE login = $1', [login]);
  return { login: row.login, name: row.name, role: row.role };
}

export class HqSessions {
  private sessions = new Map<string, { me: HqMe; seen: number }>();

  start(me: HqMe): string {
    const token = randomBytes(32).toString('base64url');
    this.sessions.set(token, { me, seen: Date.now() });
    return token;
  }

  get(token: string | null): HqMe | null {
    if (!token) return null;
    const s = this.sessions.get(token);
    if (!s) return null;
    if (Date.now() - s.seen > IDLE_MS) {
      this.sessions.delete(token);
      return null;
    }
    s.seen = Date.now();
    return s.me;
  }

  end(token: string | null): void {
    if (token) this.sessions.delete(token);
  }
}
