import { test as base, type Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, login, runCli, startHost } from './fixtures';

// The demo station as the first-run screen builds it, shared by a worker's tests that only look
// at screens (layout.spec.ts, date-input.spec.ts).

export const PASSWORD = 'demo1234';

/** The demo's "today": last month (2026-11) billed and issued, 2026-12 opened for reading here. */
export const AS_OF = '2026-12-06';

export interface Demo {
  url: string;
  db: string;
}

// One demo station per worker (2,000 customers as the first-run screen offers, three months):
// the screens are only looked at, except the closing test which closes one clerk's day.
export const test = base.extend<{}, { demo: Demo }>({
  demo: [
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'griddesk-layout-'));
      const db = join(dir, 'griddesk.db');
      // Pinned to a day so the months below exist whatever day the suite runs.
      const built = runCli(db, ['demo', '--customers', '2000', '--months', '3', '--as-of', AS_OF]);
      if (built.status !== 0) throw new Error(`demo failed: ${built.stderr}`);
      // The next month's reading period, so a reader has a book to key.
      const opened = runCli(db, ['period', 'open', '2026-12']);
      if (opened.status !== 0) throw new Error(`period open failed: ${opened.stderr}`);
      const { url, child } = (await startHost(db)) as { url: string; child: ChildProcess };
      await use({ url, db });
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
});

export async function signIn(page: Page, demo: Demo, staffNo: string) {
  await login(page, { url: demo.url, db: demo.db, dir: '', cli: () => ({ status: 0, stdout: '', stderr: '' }) }, staffNo, PASSWORD);
  await expect(page.getByRole('navigation', { name: '主菜单' })).toBeVisible();
}

