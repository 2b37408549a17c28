import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract';
import { sql } from './db/sql';
import { createHandlers } from './handlers';
import { makeTestStation, type TestStation } from './testing';

let station: TestStation;
afterEach(() => station?.close());

const counts = (s: TestStation) =>
  s.backend.store.read.get<{ audit: number; outbox: number; staff: number }>(sql`
    SELECT (SELECT count(*) FROM audit_log) AS audit, (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM staff) AS staff`);

describe('dispatch', () => {
  it('has exactly one handler for every channel of the contract', () => {
    expect(Object.keys(createHandlers()).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('answers each kind of bad call with its own code and a readable message, changing nothing', async () => {
    station = makeTestStation();
    await station.setUp();
    const clerk = await station.staffClient('C001', ['clerk']);
    const before = counts(station);
    const anonymous = station.client();

    const unknown = await anonymous.fail('no.such.channel' as never);
    expect(unknown.code).toBe('unknown_channel');
    expect(unknown.message).toContain('no.such.channel');

    const shape = await station.client('en').raw('auth.login', { staffNo: 42 });
    expect(shape.ok).toBe(false);
    if (!shape.ok) {
      expect(shape.error.code).toBe('invalid_input');
      expect(shape.error.issues?.map((i) => i.path)).toEqual(['staffNo', 'password']);
    }

    const noSession = await anonymous.fail('staff.list');
    expect(noSession.code).toBe('not_logged_in');
    expect(noSession.message).toBe('请先登录');

    const forbidden = await clerk.fail('staff.create', { staffNo: 'X001', name: '某人', roles: ['clerk'], password: 'abc12345' });
    expect(forbidden.code).toBe('forbidden');
    expect(forbidden.message).toContain('staff.manage');

    expect(counts(station)).toEqual(before);
  });

  it('strips fields the contract does not name from answers', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    const { rows } = await admin.call('staff.list');
    expect(Object.keys(rows[0] ?? {})).not.toContain('password_hash');
    expect(JSON.stringify(rows)).not.toMatch(/hash|salt/i);
  });

  it('answers a desktop-only channel with not_available outside the shell', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    expect((await admin.fail('shell.print', {})).code).toBe('not_available');
  });
});
