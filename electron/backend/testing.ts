// Test helpers for the back end: a real station database in a temp folder, and a caller that
// goes through `dispatch` exactly as a transport does. Used by tests only.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelName, InputOf, OutputOf } from '../../shared/contract';
import type { ApiError, ApiResult } from '../../shared/errors';
import type { Locale } from '../../shared/i18n';
import type { Role } from '../../shared/permissions';
import { Backend, type BackendOptions } from './context';
import { dispatch } from './dispatch';
import type { HandlerTable } from './handler';
import { createHandlers } from './handlers';

export interface TestStation {
  dir: string;
  backend: Backend;
  handlers: HandlerTable;
  /** A caller holding its own session token, like one browser tab. */
  client(locale?: Locale): TestClient;
  /** Sets up the station with admin A001 / 'admin1234'. */
  setUp(): Promise<TestClient>;
  /** Creates staff with a role and returns a logged-in client for them (password changed). */
  staffClient(staffNo: string, roles: Role[], name?: string): Promise<TestClient>;
  clock: { now: number; advance(ms: number): void };
  close(): void;
}

export interface TestClient {
  token: string | null;
  raw(name: string, input?: unknown): Promise<ApiResult<unknown>>;
  call<N extends ChannelName>(name: N, input?: InputOf<N>): Promise<OutputOf<N>>;
  fail<N extends ChannelName>(name: N, input?: InputOf<N>): Promise<ApiError>;
}

export const ADMIN = { staffNo: 'A001', password: 'admin1234', name: '管理员' };

export function makeTestStation(options: Partial<BackendOptions> = {}): TestStation {
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-test-'));
  const clock = {
    now: Date.parse('2026-11-26T02:00:00Z'),
    advance(ms: number) {
      clock.now += ms;
    },
  };
  const backend = new Backend({ db: join(dir, 'griddesk.db'), now: () => clock.now, ...options });
  const handlers = createHandlers();

  const client = (locale: Locale = 'zh-CN'): TestClient => {
    const c: TestClient = {
      token: null,
      raw: (name, input) =>
        dispatch(backend, handlers, name, input, {
          token: c.token,
          locale,
          setSessionToken: (token) => {
            c.token = token;
          },
        }),
      async call(name, input) {
        const result = await c.raw(name, input ?? {});
        if (!result.ok) throw new Error(`${name} failed: ${result.error.code} ${result.error.message}`);
        return result.value as never;
      },
      async fail(name, input) {
        const result = await c.raw(name, input ?? {});
        if (result.ok) throw new Error(`${name} unexpectedly succeeded`);
        return result.error;
      },
    };
    return c;
  };

  const station: TestStation = {
    dir,
    backend,
    handlers,
    client,
    clock,
    async setUp() {
      const admin = client();
      await admin.call('station.setup', {
        stationCode: 'GD01',
        stationName: '青山供电所',
        adminNo: ADMIN.staffNo,
        adminName: ADMIN.name,
        password: ADMIN.password,
      });
      await admin.call('auth.login', { staffNo: ADMIN.staffNo, password: ADMIN.password });
      return admin;
    },
    async staffClient(staffNo, roles, name = `员工${staffNo}`) {
      const admin = client();
      await admin.call('auth.login', { staffNo: ADMIN.staffNo, password: ADMIN.password });
      await admin.call('staff.create', { staffNo, name, roles, password: 'initial123' });
      const c = client();
      await c.call('auth.login', { staffNo, password: 'initial123' });
      await c.call('auth.changePassword', { current: 'initial123', next: 'changed123' });
      return c;
    },
    close() {
      backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return station;
}
