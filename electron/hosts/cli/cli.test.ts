import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGriddesk } from './testing';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const griddesk = (...argv: string[]) => runGriddesk(argv);

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-cli-'));
  dirs.push(dir);
  return join(dir, 'griddesk.db');
}

const INIT = ['--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234'];

describe('griddesk CLI', () => {
  it('sets up a station, checks it, backs it up and restores it, with exit 0 and JSON on request', async () => {
    const db = tempDb();
    const init = await griddesk('init', '--db', db, ...INIT, '--json');
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({ db, stationId: expect.any(String) });

    const check = await griddesk('check', '--db', db, '--json');
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout)).toMatchObject({ integrity: 'ok', ok: true, problems: [] });

    const out = join(db, '..', 'copy.db');
    const backup = await griddesk('backup', '--db', db, '--out', out);
    expect(backup.code).toBe(0);
    expect(backup.stdout).toContain('完整性检查通过');

    const restore = await griddesk('restore', '--db', db, '--from', out, '--json');
    expect(restore.code).toBe(0);
    expect(JSON.parse(restore.stdout).previousDataSavedAs).toMatch(/prerestore/);
  });

  it('exits 1 with a message saying what is wrong for bad input', async () => {
    const db = tempDb();
    await griddesk('init', '--db', db, ...INIT);
    const again = await griddesk('init', '--db', db, ...INIT);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('供电所已经建立');

    const weak = await griddesk('init', '--db', tempDb(), '--station', 'GD02', '--name', '某所', '--admin', 'A001', '--password', 'short');
    expect(weak.code).toBe(1);
    expect(weak.stderr).toContain('密码至少 8 位');

    const badCode = await griddesk('init', '--db', tempDb(), '--station', 'G!', '--name', '某所', '--admin', 'A001', '--password', 'abc12345', '--lang', 'en');
    expect(badCode.code).toBe(1);
    expect(badCode.stderr).toContain('stationCode');

    const notDb = join(db, '..', 'notes.txt');
    writeFileSync(notDb, 'hello');
    const restore = await griddesk('restore', '--db', db, '--from', notDb);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('notes.txt 不是可用的 GridDesk 数据库');
  });

  it('exits 2 on usage errors: unknown command, unknown option, missing option', async () => {
    expect((await griddesk('bogus')).code).toBe(2);
    expect((await griddesk('check', '--nonsense')).code).toBe(2);
    const missing = await griddesk('backup', '--db', tempDb());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--out');
    expect((await griddesk()).code).toBe(2);
  });
});
