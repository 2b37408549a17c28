import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { runGriddesk } from '../../hosts/cli/testing';
import { Backend } from '../context';
import { AppError } from '../errors';
import { makeTestStation, type TestStation } from '../testing';
import { backupHealth, backupTo, DAILY_BACKUPS_KEPT, FAILED_DIR, listBackups, listFailedBackups, pruneDailyBackups } from './backup';

// Issue 15, items 4 and 5: a backup of another station is refused unless the operator says so,
// and every backup is checked before it counts — a copy of a damaged file is kept apart as
// failed, never rotates a good one out, and tells the administrator and the station head.

let station: TestStation | undefined;
const dirs: string[] = [];
afterEach(() => {
  station?.close();
  station = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function caught(fn: () => unknown): Promise<AppError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Overwrites three leaf pages of the audit log in the file, as a failing disk would; the schema pages stay whole. */
function damageThreePages(file: string): void {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.prepare(`SELECT pageno FROM dbstat WHERE name = 'audit_log' AND pagetype = 'leaf' ORDER BY pageno`).pluck().all() as number[];
  db.close();
  expect(pages.length).toBeGreaterThan(5);
  const fd = openSync(file, 'r+');
  for (const page of pages.slice(1, 4)) writeSync(fd, Buffer.alloc(pageSize, 0x5a), 0, pageSize, (page - 1) * pageSize);
  closeSync(fd);
}

/** A year of audit log, enough for many pages (the log is what a real station has most of). */
function fillAudit(backend: Backend): void {
  backend.write({ staffId: null, label: 'test' }, (unit) => {
    for (let i = 0; i < 600; i++) unit.audit({ action: 'backup.create', entity: 'backup', entityId: `f${i}`, summary: { note: '备份说明'.repeat(40) } });
  });
}

/** A set-up station with enough audit rows for many pages, closed and checkpointed, then damaged. */
async function damagedStation(): Promise<{ dir: string; db: string }> {
  station = makeTestStation();
  await station.setUp();
  fillAudit(station.backend);
  const { dir } = station;
  const db = station.backend.paths.db;
  station.backend.close(); // checkpoints the WAL into the file
  station = undefined;
  damageThreePages(db);
  return { dir, db };
}

describe('backups are checked before they count (item 5)', () => {
  it('a copy of a damaged file is kept apart as failed, the administrator and head are told, and it never rotates a good one out', async () => {
    const { db } = await damagedStation();
    let now = Date.parse('2026-11-26T02:00:00Z');
    const backend = new Backend({ db, now: () => now });
    try {
      // The damage is invisible to everyday work (opening, reading the station) …
      expect(backend.station()?.code).toBe('GD01');
      // … but not to the backup's check.
      const refused = await caught(() => backupTo(backend, 'daily'));
      expect(refused.key).toBe('backup.failedCheck');
      expect(refused.messageIn('zh-CN')).toContain('当前数据库');
      expect(refused.messageIn('zh-CN')).toContain('已有损坏');
      expect(listBackups(backend)).toEqual([]); // nothing that counts as a backup
      const failed = listFailedBackups(backend);
      expect(failed).toHaveLength(1);
      expect(failed[0]?.file).toMatch(/^griddesk-GD01-daily-\d{8}-\d{6}\.db\.failed$/);
      expect(existsSync(join(backend.paths.backupsDir, FAILED_DIR, failed[0]?.file ?? ''))).toBe(true);
      expect(readdirSync(backend.paths.backupsDir).filter((f) => f.endsWith('.db') || f.endsWith('.partial'))).toEqual([]);
      expect(backupHealth(backend)).toMatchObject({ damaged: true, failedFile: failed[0]?.file });
    } finally {
      backend.close();
    }
  });

  it('fourteen failed dailies do not push out the good ones', async () => {
    station = makeTestStation();
    await station.setUp();
    const good: string[] = [];
    for (let day = 0; day < DAILY_BACKUPS_KEPT; day++) {
      good.push((await backupTo(station.backend, 'daily')).file);
      station.clock.advance(86_400_000);
    }
    const backend = station.backend;
    const db = backend.paths.db;
    backend.store.db.pragma('wal_checkpoint(TRUNCATE)');
    // More activity, then the disk damages the file.
    fillAudit(station.backend);
    backend.store.db.pragma('wal_checkpoint(TRUNCATE)');
    damageThreePages(db);
    backend.reopen(); // the page cache no longer hides the damage
    for (let day = 0; day < DAILY_BACKUPS_KEPT + 2; day++) {
      await expect(backupTo(backend, 'daily')).rejects.toThrow(/integrity check/);
      expect(pruneDailyBackups(backend)).toEqual([]);
      station.clock.advance(86_400_000);
    }
    expect(listBackups(backend).map((b) => b.file).sort()).toEqual([...good].sort());
    expect(listFailedBackups(backend)).toHaveLength(DAILY_BACKUPS_KEPT + 2);
    const health = backupHealth(backend);
    expect(health).toMatchObject({ damaged: true, lastGood: good.at(-1) });
  });

  it('the backup list tells the administrator and the station head that the live file is damaged', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    expect((await admin.call('backup.list')).health).toEqual({ damaged: false });
    expect(await admin.call('backup.health')).toEqual({ damaged: false });
    await backupTo(station.backend, 'manual');
    station.clock.advance(60_000);
    const head = await station.staffClient('H001', ['station_head'], '李所长');
    fillAudit(station.backend);
    station.backend.store.db.pragma('wal_checkpoint(TRUNCATE)');
    damageThreePages(station.backend.paths.db);
    station.backend.reopen(); // sessions end with a reopen: both log in again
    await admin.call('auth.login', { staffNo: 'A001', password: 'admin1234' });
    const { jobId } = await admin.call('backup.run');
    const job = await station.backend.jobs.finished(jobId);
    expect(job.status).toBe('failed');
    expect(job.error?.message).toContain('完整性检查');
    await head.call('auth.login', { staffNo: 'H001', password: 'changed123' });
    // The head (who may not run backups) is told on every page; the administrator on the backups page too.
    expect(await head.call('backup.health')).toMatchObject({ damaged: true, failedFile: expect.stringMatching(/manual-\d{8}-\d{6}\.db\.failed$/) });
    const seen = await admin.call('backup.list');
    expect(seen.health.damaged).toBe(true);
    expect(seen.failed).toHaveLength(1);
    expect(seen.rows.every((r) => !r.file.endsWith('.failed'))).toBe(true);
    expect((await (await station.staffClient('C900', ['clerk'])).fail('backup.health')).code).toBe('forbidden');
  });

  it('the CLI backup of a damaged file exits 1 and leaves nothing that looks like a good backup', async () => {
    const { dir, db } = await damagedStation();
    const out = join(dir, 'usb', 'station.db');
    const noStick = await runGriddesk(['backup', '--db', db, '--out', out]);
    expect(noStick.code).toBe(1);
    expect(noStick.stderr).toContain('不存在（U 盘是否已插好？）');
    mkdirSync(join(dir, 'usb'));
    const run = await runGriddesk(['backup', '--db', db, '--out', out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('备份未通过完整性检查');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(existsSync(`${out}.failed`)).toBe(true);
  });
});

describe('a station file too damaged to open', () => {
  it('is restored by the CLI, as its message says, and the damaged file is kept apart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-broken-'));
    dirs.push(dir);
    const db = join(dir, 'griddesk.db');
    expect((await runGriddesk(['init', '--db', db, '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234'])).code).toBe(0);
    const backup = join(dir, 'backup.db');
    expect((await runGriddesk(['backup', '--db', db, '--out', backup])).code).toBe(0);
    // The schema page itself is overwritten (the 100-byte file header survives).
    const fd = openSync(db, 'r+');
    writeSync(fd, Buffer.alloc(3996, 0x5a), 0, 3996, 100);
    closeSync(fd);
    const check = await runGriddesk(['check', '--db', db]);
    expect(check.code).toBe(1);
    expect(check.stderr).toContain('已损坏');
    expect(check.stderr).toContain('griddesk restore --from');

    const restore = await runGriddesk(['restore', '--db', db, '--from', backup]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(readdirSync(join(dir, 'backups', FAILED_DIR))).toEqual([expect.stringMatching(/^griddesk-prerestore-\d{8}-\d{6}\.db\.failed$/)]);
    expect((await runGriddesk(['check', '--db', db])).code).toBe(0);
  });
});

describe('a backup of another station (item 4)', () => {
  async function twoStations() {
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-two-'));
    dirs.push(dir);
    const ours = join(dir, 'ours.db');
    const theirs = join(dir, 'theirs.db');
    expect((await runGriddesk(['init', '--db', ours, '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234'])).code).toBe(0);
    expect((await runGriddesk(['init', '--db', theirs, '--station', 'GD02', '--name', '绿水供电所', '--admin', 'A001', '--password', 'admin1234'])).code).toBe(0);
    const theirBackup = join(dir, 'theirs-backup.db');
    expect((await runGriddesk(['backup', '--db', theirs, '--out', theirBackup])).code).toBe(0);
    return { dir, ours, theirBackup };
  }

  it('is refused by the CLI naming both stations, and restored with --replace-station', async () => {
    const { ours, theirBackup } = await twoStations();
    const refused = await runGriddesk(['restore', '--db', ours, '--from', theirBackup]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('GD02 绿水供电所');
    expect(refused.stderr).toContain('GD01 青山供电所');
    expect(refused.stderr).toContain('--replace-station');
    const check = await runGriddesk(['check', '--db', ours, '--json']);
    expect(JSON.parse(check.stdout).ok).toBe(true);

    const english = await runGriddesk(['restore', '--db', ours, '--from', theirBackup, '--lang', 'en']);
    expect(english.stderr).toContain('belongs to another station (GD02 绿水供电所); this database is GD01 青山供电所');

    const replaced = await runGriddesk(['restore', '--db', ours, '--from', theirBackup, '--replace-station']);
    expect(replaced.code, replaced.stderr).toBe(0);
    const backend = new Backend({ db: ours });
    try {
      expect(backend.station()?.code).toBe('GD02');
    } finally {
      backend.close();
    }
  });

  it('is refused through the restore screen with both names for the question, and done once confirmed', async () => {
    station = makeTestStation();
    const admin = await station.setUp();
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-other-'));
    dirs.push(dir);
    const theirs = join(dir, 'theirs.db');
    expect((await runGriddesk(['init', '--db', theirs, '--station', 'GD02', '--name', '绿水供电所', '--admin', 'A001', '--password', 'admin1234'])).code).toBe(0);
    const name = 'griddesk-GD02-manual-20261120-100000.db';
    mkdirSync(station.backend.paths.backupsDir, { recursive: true });
    expect((await runGriddesk(['backup', '--db', theirs, '--out', join(station.backend.paths.backupsDir, name)])).code).toBe(0);

    const error = await admin.fail('backup.restore', { file: name });
    expect(error.code).toBe('conflict');
    expect(error.params).toMatchObject({ backupStation: 'GD02 绿水供电所', liveStation: 'GD01 青山供电所' });
    expect(station.backend.station()?.code).toBe('GD01');
    await admin.call('backup.restore', { file: name, replaceStation: true });
    expect(station.backend.station()?.code).toBe('GD02');
  });
});
