import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runGriddesk } from '../../hosts/cli/testing';
import { Backend } from '../context';
import { holdersDir } from '../db/holders';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { holdExclusively } from './replace';

// Issue 15, item 1: a restore while another program has the station file open used to succeed,
// and the other program went on writing payments into the deleted file. These tests use real
// second processes: `griddesk serve`, and a bare node process holding the file with SQLite alone.

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'bin', 'griddesk.mjs');
const INIT = ['--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234'];

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function stationWithBackup(): Promise<{ db: string; backup: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-restore-'));
  dirs.push(dir);
  const db = join(dir, 'griddesk.db');
  expect((await runGriddesk(['init', '--db', db, ...INIT])).code).toBe(0);
  const backup = join(dir, 'usb', 'copy.db');
  mkdirSync(join(dir, 'usb'));
  expect((await runGriddesk(['backup', '--db', db, '--out', backup])).code).toBe(0);
  return { db, backup };
}

/** Starts a child and resolves once it printed a line matching `ready`. */
function startChild(args: string[], ready: RegExp): Promise<ChildProcess> {
  // The in-process CLI of runGriddesk sets GRIDDESK_CLI_NO_AUTORUN; the child must run its command.
  const { GRIDDESK_CLI_NO_AUTORUN: _, ...env } = process.env;
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`child did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', () => reject(new Error(`child exited: ${output}`)));
  });
}

const inode = (file: string) => statSync(file, { bigint: true }).ino;

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

describe('restore takes the station file for itself (issue 15, item 1)', () => {
  it('is refused while `griddesk serve` has the file open, naming the program, its pid and since when; works once it stopped', async () => {
    const { db, backup } = await stationWithBackup();
    const server = await startChild([CLI, 'serve', '--db', db, '--port', '0', '--json'], /"url"/);
    const before = inode(db);

    const refused = await runGriddesk(['restore', '--db', db, '--from', backup]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('现在不能恢复');
    expect(refused.stderr).toMatch(new RegExp(`griddesk serve \\(pid ${server.pid} @ [^,]+, \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}\\)`));
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack
    expect(inode(db)).toBe(before); // the file the server writes into is still the station's file

    const english = await runGriddesk(['restore', '--db', db, '--from', backup, '--lang', 'en']);
    expect(english.stderr).toContain('Cannot restore now: the database');

    await stop(server);
    const restored = await runGriddesk(['restore', '--db', db, '--from', backup, '--json']);
    expect(restored.code, restored.stderr).toBe(0);
    expect(inode(db)).not.toBe(before);
  }, 60_000);

  it('is refused while a process that never registered holds the file with SQLite alone; a dead holder does not block', async () => {
    const { db, backup } = await stationWithBackup();
    // A holder entry left by a process killed long ago: its pid runs no more.
    const dead = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => dead.on('exit', resolve));
    mkdirSync(holdersDir(db), { recursive: true });
    writeFileSync(join(holdersDir(db), `${dead.pid}-stale.json`), JSON.stringify({ program: 'griddesk pay', pid: dead.pid, host: hostname(), since: 1 }));

    const script = `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(db)}); d.pragma('journal_mode = WAL');
      d.prepare('SELECT count(*) FROM payments').get(); console.log('holding'); setInterval(() => {}, 1000);`;
    const holder = await startChild(['-e', script], /holding/);
    const refused = await runGriddesk(['restore', '--db', db, '--from', backup, '--lang', 'en']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('in use by other programs: 未登记的程序 / an unregistered program');
    expect(refused.stderr).not.toContain('griddesk pay'); // the dead one is not named

    await stop(holder);
    expect((await runGriddesk(['restore', '--db', db, '--from', backup])).code).toBe(0);
  }, 60_000);

  it('waits for a holder that lets go within HOLD_WAIT_MS (a command finishing, a job thread closing as its job ends)', async () => {
    const { db, backup } = await stationWithBackup();
    // A process holding the file with SQLite alone that closes it 300 ms after saying so.
    const script = `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(db)}); d.pragma('journal_mode = WAL');
      d.prepare('SELECT count(*) FROM payments').get(); console.log('holding'); setTimeout(() => { d.close(); setInterval(() => {}, 1000); }, 300);`;
    await startChild(['-e', script], /holding/);
    const before = inode(db);
    const lock = holdExclusively(db);
    lock.close();
    expect(inode(db)).toBe(before);
    // The same holder kept open past the wait refuses it, naming nobody registered.
    const still = `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(db)}); d.pragma('journal_mode = WAL');
      d.prepare('SELECT count(*) FROM payments').get(); console.log('holding'); setInterval(() => {}, 1000);`;
    await startChild(['-e', still], /holding/);
    const began = performance.now();
    expect(() => holdExclusively(db, {}, 300)).toThrow(expect.objectContaining({ key: 'restore.held' }));
    expect(performance.now() - began).toBeGreaterThanOrEqual(290);
    expect((await runGriddesk(['restore', '--db', db, '--from', backup])).code).toBe(1);
  }, 60_000);

  it('a program whose file was replaced underneath refuses to write, and writes nothing into the old file', async () => {
    const { db, backup } = await stationWithBackup();
    const backend = new Backend({ db });
    try {
      const countAudit = () => backend.store.read.value<number>(sql`SELECT count(*) FROM audit_log`);
      const before = countAudit();
      backend.write({ staffId: null, label: 'test' }, (unit) => unit.audit({ action: 'test.write', entity: 'test', entityId: null, summary: {} }));
      expect(countAudit()).toBe((before ?? 0) + 1);

      // Someone copies a backup over the station file by hand (or an old GridDesk restores).
      const replacement = `${db}.by-hand`;
      copyFileSync(backup, replacement);
      renameSync(replacement, db);

      let refused: unknown;
      try {
        backend.write({ staffId: null, label: 'test' }, (unit) => unit.audit({ action: 'test.write', entity: 'test', entityId: null, summary: {} }));
      } catch (error) {
        refused = error;
      }
      expect(refused).toBeInstanceOf(AppError);
      expect((refused as AppError).messageIn('zh-CN')).toContain('已被替换');
      expect((refused as AppError).messageIn('en')).toContain('Close GridDesk and open it again');
      expect(countAudit()).toBe((before ?? 0) + 1); // nothing went into the deleted file
    } finally {
      backend.close();
    }
  });

  it('the in-app restore lets go of the file, replaces it and opens it again, while another holder still blocks it', async () => {
    const { db, backup } = await stationWithBackup();
    const backend = new Backend({ db });
    try {
      const backupsDir = backend.paths.backupsDir;
      mkdirSync(backupsDir, { recursive: true });
      const name = 'griddesk-GD01-manual-20261126-100000.db';
      copyFileSync(backup, join(backupsDir, name));
      const { restoreFrom } = await import('./backup');
      const server = await startChild([CLI, 'serve', '--db', db, '--port', '0', '--json'], /"url"/);
      let refused: unknown;
      try {
        await restoreFrom(backend, join(backupsDir, name), { staffId: null, label: 'test' });
      } catch (error) {
        refused = error;
      }
      expect((refused as AppError).key).toBe('restore.held');
      // The back end is open again after the refusal, on the same file, and still writes.
      expect(backend.store.isOpen).toBe(true);
      backend.write({ staffId: null, label: 'test' }, (unit) => unit.audit({ action: 'test.write', entity: 'test', entityId: null, summary: {} }));
      await stop(server);

      const before = inode(db);
      await restoreFrom(backend, join(backupsDir, name), { staffId: null, label: 'test' });
      expect(inode(db)).not.toBe(before);
      expect(backend.store.sameFile).toBe(true);
      expect(backend.store.read.value<number>(sql`SELECT count(*) FROM audit_log WHERE action = 'test.write'`)).toBe(0);
      expect(backend.store.read.value<number>(sql`SELECT count(*) FROM audit_log WHERE action = 'backup.restore'`)).toBe(1);
    } finally {
      backend.close();
    }
  }, 60_000);
});
