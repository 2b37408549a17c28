import { closeSync, copyFileSync, existsSync, openSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { makeTestStation, type TestStation } from '../testing';
import { backupTo, dailyBackupDue, DAILY_BACKUPS_KEPT, listBackups, pruneDailyBackups, restoreFrom, verifyBackupFile } from './backup';

let station: TestStation;

/** The clerk-facing message of the AppError `fn` throws. */
function refusal(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.messageIn('zh-CN');
    throw error;
  }
  throw new Error('expected a refusal');
}
afterEach(() => station?.close());

describe('backups', () => {
  it('runs a backup as a job the administrator can follow, leaving a whole, checkable file', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    const { jobId } = await admin.call('backup.run');
    const done = await station.backend.jobs.finished(jobId);
    expect(done.status).toBe('succeeded');
    const { rows } = await admin.call('backup.list');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.file).toMatch(/^griddesk-GD01-manual-\d{8}-\d{6}\.db$/);
    expect(() => verifyBackupFile(join(station.backend.paths.backupsDir, rows[0]?.file ?? ''))).not.toThrow();
    expect(readdirSync(station.backend.paths.backupsDir).some((f) => f.endsWith('.partial'))).toBe(false);
    const audit = station.backend.store.read.column<string>(sql`SELECT action FROM audit_log WHERE action = 'backup.create'`);
    expect(audit).toEqual(['backup.create']);
  });

  it('takes at most one automatic backup a day and keeps the last 14', async () => {
    station = makeTestStation();
    await station.setUp();
    expect(dailyBackupDue(station.backend)).toBe(true);
    const first = await backupTo(station.backend, 'daily');
    expect(dailyBackupDue(station.backend)).toBe(false);
    for (let day = 1; day < DAILY_BACKUPS_KEPT + 3; day++) {
      station.clock.advance(86_400_000);
      expect(dailyBackupDue(station.backend)).toBe(true);
      await backupTo(station.backend, 'daily');
    }
    await backupTo(station.backend, 'manual');
    expect(pruneDailyBackups(station.backend)).toHaveLength(3);
    const left = listBackups(station.backend);
    expect(left.filter((b) => b.kind === 'daily')).toHaveLength(DAILY_BACKUPS_KEPT);
    expect(left.filter((b) => b.kind === 'manual')).toHaveLength(1);
    // The oldest went first.
    expect(left.some((b) => b.file === first.file)).toBe(false);
  });

  it('refuses to restore a file that is not a GridDesk database, or one that fails integrity_check', async () => {
    station = makeTestStation();
    await station.setUp();
    const notes = join(station.dir, 'notes.db');
    writeFileSync(notes, 'not a database at all');
    // The reason is in the administrator's language too (it was English under a Chinese summary).
    expect(refusal(() => verifyBackupFile(notes))).toBe('notes.db 不是可用的 GridDesk 数据库：不是 SQLite 数据库文件');
    expect(refusal(() => verifyBackupFile(join(station.dir, 'gone.db')))).toBe('gone.db 不是可用的 GridDesk 数据库：文件不存在');
    const english = (() => {
      try {
        verifyBackupFile(notes);
      } catch (error) {
        return error instanceof AppError ? error.messageIn('en') : '';
      }
      return '';
    })();
    expect(english).toBe('notes.db is not a usable GridDesk database: not an SQLite database');

    const made = await backupTo(station.backend, 'manual');
    const damaged = join(station.dir, 'damaged.db');
    copyFileSync(join(station.backend.paths.backupsDir, made.file), damaged);
    // Scribble over every b-tree page but the first, as a failing disk might; the SQLite header
    // on page 1 stays intact, so only integrity_check can tell.
    const fd = openSync(damaged, 'r+');
    const size = statSync(damaged).size;
    for (let page = 4096; page < size; page += 4096) writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, page + 40);
    closeSync(fd);
    expect(refusal(() => verifyBackupFile(damaged))).toMatch(/^damaged\.db 不是可用的 GridDesk 数据库：(完整性检查未通过（|文件无法读取)/);
  });

  it('restores a backup after saving the current data, and everyone logs in again', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    const made = await backupTo(station.backend, 'manual');
    await admin.call('staff.create', { staffNo: 'C009', name: '后来的人', roles: ['clerk'], password: 'later1234' });
    await admin.call('backup.restore', { file: made.file });
    // The session ended with the data it belonged to.
    expect((await admin.fail('staff.list')).code).toBe('not_logged_in');
    await admin.call('auth.login', { staffNo: 'A001', password: 'admin1234' });
    const { rows } = await admin.call('staff.list');
    expect(rows.map((r) => r.staffNo)).toEqual(['A001']);
    // What was replaced is kept as a pre-restore backup that still has the later staff member.
    const prerestore = listBackups(station.backend).find((b) => b.kind === 'prerestore');
    expect(prerestore && existsSync(join(station.backend.paths.backupsDir, prerestore.file))).toBe(true);
    expect(station.backend.store.read.value(sql`SELECT count(*) FROM audit_log WHERE action = 'backup.restore'`)).toBe(1);
  });

  it('only restores files from the backups folder through the API', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    expect((await admin.fail('backup.restore', { file: '../griddesk.db' })).code).toBe('not_found');
    expect((await admin.fail('backup.restore', { file: '/etc/passwd' })).code).toBe('not_found');
  });

  it('restores through the module from any path the CLI names', async () => {
    station = makeTestStation();
    await station.setUp();
    const made = await backupTo(station.backend, 'manual');
    const copy = join(station.dir, 'usb-stick-copy.db');
    copyFileSync(join(station.backend.paths.backupsDir, made.file), copy);
    const { prerestore } = await restoreFrom(station.backend, copy, { staffId: null, label: 'cli' });
    expect(prerestore.kind).toBe('prerestore');
    expect(station.backend.station()?.code).toBe('GD01');
  });
});
