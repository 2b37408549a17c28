import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { scheduleDailyBackup } from './backend/backup/backup';
import { serveParent, type FromBackend, type ToBackend } from './backend-process';

vi.mock('./backend/backup/backup', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./backend/backup/backup')>()),
  scheduleDailyBackup: vi.fn(),
}));

// The back-end process's side of the protocol, on this thread with a recording port.
let dir: string;
let sent: FromBackend[];
let deliver: (message: ToBackend) => void;
let closed: number;
let served: ReturnType<typeof serveParent>;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-backend-process-'));
  sent = [];
  closed = 0;
  vi.mocked(scheduleDailyBackup).mockClear();
  vi.spyOn(console, 'error').mockImplementation(() => {});
  served = serveParent(
    {
      on: (_event, listener) => {
        deliver = (message) => listener({ data: message });
      },
      postMessage: (message) => sent.push(message as FromBackend),
    },
    { onClosed: () => closed++ },
  );
});
afterEach(() => {
  served.backend()?.close();
  rmSync(dir, { recursive: true, force: true });
});

const answerOf = async (id: number) => {
  await vi.waitFor(() => expect(sent.find((m) => m.type === 'answer' && m.id === id)).toBeDefined());
  return sent.find((m) => m.type === 'answer' && m.id === id) as Extract<FromBackend, { type: 'answer' }>;
};

describe('the back-end process', () => {
  it('opens the station, answers calls through dispatch and reports a login’s token to main', async () => {
    deliver({ type: 'open', options: { db: join(dir, 'griddesk.db'), desktop: true } });
    expect(sent[0]).toMatchObject({ type: 'ready', schemaVersion: expect.any(Number) });
    deliver({ type: 'call', id: 1, name: 'station.setup', input: { stationCode: 'QS01', stationName: '青山供电所', adminNo: 'A001', adminName: '管理员', password: 'admin12345' }, token: null, locale: 'zh-CN' });
    expect((await answerOf(1)).result.ok).toBe(true);
    deliver({ type: 'call', id: 2, name: 'auth.login', input: { staffNo: 'A001', password: 'admin12345' }, token: null, locale: 'en' });
    const login = await answerOf(2);
    expect(login.result.ok).toBe(true);
    expect(login.token).toEqual(expect.any(String));
    deliver({ type: 'call', id: 3, name: 'auth.me', input: {}, token: login.token ?? null, locale: 'en' });
    expect((await answerOf(3)).result).toMatchObject({ ok: true, value: { staff: { staffNo: 'A001' } } });
    expect('token' in (await answerOf(3))).toBe(false); // no change: main keeps what it has
  });

  it('says why it could not open, in Chinese, and answers calls with “not ready”', async () => {
    writeFileSync(join(dir, 'griddesk.db'), 'not a database, a text file');
    deliver({ type: 'open', options: { db: join(dir, 'griddesk.db') } });
    expect(sent[0]).toEqual({ type: 'failed', message: `${join(dir, 'griddesk.db')} 不是 SQLite 数据库文件` });
    deliver({ type: 'call', id: 1, name: 'system.info', input: {}, token: null, locale: 'zh-CN' });
    expect((await answerOf(1)).result).toEqual({ ok: false, error: { code: 'internal', message: '后台尚未就绪，请稍候再试' } });
  });

  it('asks main for printing once the session was checked, and passes main’s refusal on as main worded it', async () => {
    deliver({ type: 'open', options: { db: join(dir, 'griddesk.db'), desktop: true } });
    deliver({ type: 'call', id: 1, name: 'shell.print', input: {}, token: null, locale: 'zh-CN' });
    expect((await answerOf(1)).result).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    expect(sent.filter((m) => m.type === 'main')).toEqual([]);
    deliver({ type: 'call', id: 2, name: 'station.setup', input: { stationCode: 'QS01', stationName: '青山供电所', adminNo: 'A001', adminName: '管理员', password: 'admin12345' }, token: null, locale: 'zh-CN' });
    await answerOf(2);
    deliver({ type: 'call', id: 3, name: 'auth.login', input: { staffNo: 'A001', password: 'admin12345' }, token: null, locale: 'zh-CN' });
    const token = (await answerOf(3)).token ?? null;
    deliver({ type: 'call', id: 4, name: 'shell.saveFile', input: { suggestedName: 'a.xlsx', base64: 'AAAA' }, token, locale: 'zh-CN' });
    await vi.waitFor(() => expect(sent.find((m) => m.type === 'main')).toMatchObject({ name: 'shell.saveFile', input: { suggestedName: 'a.xlsx' } }));
    const asked = sent.find((m) => m.type === 'main') as Extract<FromBackend, { type: 'main' }>;
    deliver({ type: 'main-answer', id: asked.id, result: { ok: false, error: { code: 'conflict', message: '无法保存 a.xlsx：EBUSY' } } });
    expect((await answerOf(4)).result).toEqual({ ok: false, error: { code: 'conflict', message: '无法保存 a.xlsx：EBUSY' } });
  });

  it('schedules the daily backup once the window is shown, and closes the database on close', async () => {
    deliver({ type: 'open', options: { db: join(dir, 'griddesk.db') } });
    expect(scheduleDailyBackup).not.toHaveBeenCalled();
    deliver({ type: 'window-shown' });
    expect(scheduleDailyBackup).toHaveBeenCalledWith(served.backend());
    const backend = served.backend()!;
    deliver({ type: 'close' });
    expect(backend.store.isOpen).toBe(false);
    expect(sent.at(-1)).toEqual({ type: 'closed' });
    expect(closed).toBe(1);
  });
});
