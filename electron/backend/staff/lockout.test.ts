import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { makeTestStation, type TestStation } from '../testing';

// Issue 15 item 8: five wrong approver passwords typed at a clerk's screen lock the station
// head's own login. The lock stays (it guards the head's password), but the head is told who
// typed them and where, the audit log names the clerk, and the administrator can unlock.

let station: TestStation;
afterEach(() => station?.close());

describe('a head locked out from a clerk’s screen', () => {
  it('says who and where to the head, the administrator and the audit log, and the administrator unlocks', async () => {
    station = makeTestStation();
    await station.setUp();
    const clerk = await station.staffClient('C001', ['clerk'], '王芳');
    await station.staffClient('H001', ['station_head'], '李所长');
    const admin = await station.staffClient('A002', ['admin'], '周管理');

    // Five wrong passwords for the head, typed as the approver of a reversal at the clerk's screen.
    for (let i = 0; i < 5; i++) {
      const attempt = await clerk.raw('collection.requestReversal', { receiptNo: 'GD01-R-00000001', reason: '收错户', approver: { staffNo: 'H001', password: 'wrong-pass1' } });
      expect(attempt.ok).toBe(false);
    }

    // The head, at the login screen, learns who locked the account and what to do.
    const headLogin = await station.client().raw('auth.login', { staffNo: 'H001', password: 'changed123' });
    expect(headLogin.ok).toBe(false);
    if (headLogin.ok) return;
    expect(headLogin.error.code).toBe('account_locked');
    expect(headLogin.error.message).toContain('C001 王芳');
    expect(headLogin.error.message).toContain('collection.requestReversal');
    expect(headLogin.error.message).toContain('管理员');

    // The audit log names the clerk as the one who typed them, and whose password it was.
    const rows = station.backend.store.read.all<{ actor: string; action: string; summary: string }>(
      sql`SELECT actor, action, summary FROM audit_log WHERE action IN ('auth.loginFailed', 'auth.locked') ORDER BY id`,
    );
    expect(rows.map((r) => r.action)).toEqual(['auth.loginFailed', 'auth.loginFailed', 'auth.loginFailed', 'auth.loginFailed', 'auth.locked']);
    for (const row of rows) {
      expect(row.actor).toBe('C001 王芳');
      expect(JSON.parse(row.summary)).toMatchObject({ staffNo: 'H001', via: 'collection.requestReversal', typedBy: 'C001 王芳' });
    }

    // The administrator's staff list shows the lock with its cause, and unlocks it.
    const list = await admin.call('staff.list', {});
    const head = list.rows.find((r) => r.staffNo === 'H001');
    expect(head).toMatchObject({ lockedBy: 'C001 王芳', lockedVia: 'collection.requestReversal' });
    expect(head?.lockedUntil).toBeGreaterThan(0);
    expect(await clerk.raw('staff.unlock', { staffId: head?.id ?? '' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const unlocked = await admin.call('staff.unlock', { staffId: head?.id ?? '' });
    expect(unlocked.staff).toMatchObject({ lockedUntil: null, lockedBy: null, lockedVia: null });
    expect(station.backend.store.read.value<string>(sql`SELECT summary FROM audit_log WHERE action = 'staff.unlock'`)).toContain('C001 王芳');
    expect((await station.client().raw('auth.login', { staffNo: 'H001', password: 'changed123' })).ok).toBe(true);
  });

  it('a lock from the login screen itself says nothing of anyone else', async () => {
    station = makeTestStation();
    await station.setUp();
    await station.staffClient('H001', ['station_head'], '李所长');
    for (let i = 0; i < 5; i++) await station.client().raw('auth.login', { staffNo: 'H001', password: 'wrong-pass1' });
    const login = await station.client().raw('auth.login', { staffNo: 'H001', password: 'changed123' });
    expect(login).toMatchObject({ ok: false, error: { code: 'account_locked' } });
    if (!login.ok) expect(login.error.message).not.toContain('代为审批');
  });
});
