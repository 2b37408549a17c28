import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { ADMIN, makeTestStation, type TestStation } from '../testing';

let station: TestStation;
afterEach(() => station?.close());

describe('first-run setup and login', () => {
  it('sets up the station once, with its administrator, audited and in the outbox', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    const info = await admin.call('system.info');
    expect(info.station).toMatchObject({ code: 'GD01', name: '青山供电所' });
    const again = await station.client().fail('station.setup', {
      stationCode: 'GD02', stationName: '另一个所', adminNo: 'A002', adminName: '某', password: 'abc12345',
    });
    expect(again.code).toBe('conflict');
    const actions = station.backend.store.read.column<string>(sql`SELECT action FROM audit_log ORDER BY id`);
    // Set-up also makes the station's sync key (docs/sync.md "Keys"), audited.
    expect(actions.slice(0, 4)).toEqual(['station.setup', 'staff.create', 'sync.keyCreate', 'auth.login']);
    const outbox = station.backend.store.read.column<string>(sql`SELECT entity FROM outbox ORDER BY seq`);
    expect(outbox).toEqual(['station', 'staff']);
  });

  it('locks an account after five wrong passwords; the right one is refused until the lock ends', async () => {
    station = makeTestStation();
    await station.setUp();
    const c = station.client();
    for (let attempt = 1; attempt <= 4; attempt++) {
      const error = await c.fail('auth.login', { staffNo: ADMIN.staffNo, password: 'wrong-password1' });
      expect(error.code).toBe('bad_credentials');
      expect(error.params?.remaining).toBe(5 - attempt);
    }
    const fifth = await c.fail('auth.login', { staffNo: ADMIN.staffNo, password: 'wrong-password1' });
    expect(fifth.code).toBe('account_locked');
    // 2026-11-26 10:00 Shanghai + 15 minutes
    expect(fifth.message).toContain('2026-11-26 10:15');
    const sixth = await c.fail('auth.login', { staffNo: ADMIN.staffNo, password: ADMIN.password });
    expect(sixth.code).toBe('account_locked');
    station.clock.advance(15 * 60 * 1000 + 1);
    await c.call('auth.login', { staffNo: ADMIN.staffNo, password: ADMIN.password });
  });

  it('makes new staff change the initial password before doing anything else', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    await admin.call('staff.create', { staffNo: 'H001', name: '李所长', roles: ['station_head'], password: 'initial123' });
    const head = station.client();
    const { staff } = await head.call('auth.login', { staffNo: 'H001', password: 'initial123' });
    expect(staff.mustChangePassword).toBe(true);
    expect((await head.fail('audit.list', {})).code).toBe('forbidden');
    expect((await head.fail('auth.changePassword', { current: 'initial123', next: 'short' })).message).toMatch(/至少 8 位/);
    await head.call('auth.changePassword', { current: 'initial123', next: 'better456' });
    expect((await head.call('audit.list', {})).rows.length).toBeGreaterThan(0);
  });

  it('deactivating a staff member ends their session and refuses their login, never deleting them', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    const clerk = await station.staffClient('C001', ['clerk'], '王芳');
    const { rows } = await admin.call('staff.list');
    const id = rows.find((r) => r.staffNo === 'C001')?.id ?? '';
    await admin.call('staff.setActive', { staffId: id, active: false });
    expect((await clerk.fail('system.ping')).code).toBe('not_logged_in');
    expect((await station.client().fail('auth.login', { staffNo: 'C001', password: 'changed123' })).code).toBe('account_inactive');
    expect((await admin.call('staff.list')).rows.find((r) => r.id === id)?.active).toBe(false);
  });

  it('keeps at least one active administrator', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    const { rows } = await admin.call('staff.list');
    const self = rows[0]?.id ?? '';
    expect((await admin.fail('staff.setRoles', { staffId: self, roles: ['clerk'] })).message).toContain('最后一位');
    expect((await admin.fail('staff.setActive', { staffId: self, active: false })).code).toBe('validation');
  });

  it('refuses a staff number already taken, whatever its case', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    const error = await admin.fail('staff.create', { staffNo: 'a001', name: '重复', roles: ['clerk'], password: 'abc12345' });
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('a001');
  });
});
