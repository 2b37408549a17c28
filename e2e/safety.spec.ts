import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN, expect, login, openMenu, runCli, test } from './fixtures';

// Issue 15 in the browser: the restore screen stops the back end's use of the file, restores
// and reopens it (everyone logs in again); a backup of another station is restored only after
// a second question naming both stations; a damaged live file is shown to the administrator.

test('the administrator restores a backup in the browser; a backup of another station asks again with both names', async ({ page, station }) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
  // Another station's backup, brought on a USB stick and put in the backups folder.
  const other = join(station.dir, 'other', 'griddesk.db');
  mkdirSync(join(station.dir, 'other'));
  expect(runCli(other, ['init', '--station', 'GD02', '--name', '绿水供电所', '--admin', 'A001', '--password', 'admin1234']).status).toBe(0);
  mkdirSync(join(station.dir, 'backups'), { recursive: true });
  const theirs = 'griddesk-GD02-manual-20261120-100000.db';
  expect(runCli(other, ['backup', '--out', join(station.dir, 'backups', theirs)]).status).toBe(0);

  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await openMenu(page, '数据备份');
  await page.getByRole('button', { name: '立即备份' }).click();
  await expect(page.getByRole('status')).toContainText(/备份完成：griddesk-GD01-manual-/);
  const table = page.getByRole('table', { name: '已有备份' });

  // Our own backup: one question, then everyone logs in again.
  await table.getByRole('row').filter({ hasText: 'griddesk-GD01-manual-' }).getByRole('button', { name: '恢复此备份' }).click();
  const ask = page.getByRole('dialog');
  await expect(ask).toContainText('当前数据会先自动备份');
  await ask.getByRole('button', { name: '恢复此备份' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();

  // The other station's backup: a second question names both stations.
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  await openMenu(page, '数据备份');
  await table.getByRole('row').filter({ hasText: theirs }).getByRole('button', { name: '恢复此备份' }).click();
  await expect(ask).toContainText('当前数据会先自动备份');
  await ask.getByRole('button', { name: '恢复此备份' }).click();
  // The second question names both stations.
  await expect(ask).toContainText('GD02 绿水供电所');
  await expect(ask).toContainText('GD01 青山供电所');
  await ask.getByRole('button', { name: '恢复此备份' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  // No browser prompt was used: the desktop app has none.
  expect(dialogs).toHaveLength(0);
  await login(page, station, 'A001', 'admin1234');
  await expect(page.getByText('GD02 绿水供电所')).toBeVisible();
});

test('a backup that failed its check is shown to the administrator on every page, with what to do', async ({ page, station }) => {
  // What a failed daily copy leaves: backups/failed/….db.failed, newer than any good backup.
  const stamp = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  mkdirSync(join(station.dir, 'backups', 'failed'), { recursive: true });
  writeFileSync(join(station.dir, 'backups', 'failed', `griddesk-GD01-daily-${stamp}.db.failed`), 'damaged copy');
  await login(page, station, ADMIN.staffNo, ADMIN.password);
  const banner = page.getByRole('alert').filter({ hasText: '当前数据库已损坏' });
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('从最近一份完好的备份');
  await openMenu(page, '数据备份');
  await expect(page.getByRole('table', { name: '未通过检查的副本' })).toContainText(`griddesk-GD01-daily-${stamp}.db.failed`);
});
