import { test as base, expect, type APIRequestContext, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each test gets its own station: a temp database and the real web host started by the
// `griddesk serve` command, as an administrator would start it.

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'griddesk.mjs');

export const ADMIN = { staffNo: 'A001', password: 'admin1234', name: '周管理' };

export interface Station {
  url: string;
  db: string;
  dir: string;
  /** Runs a griddesk CLI command against this station's database (synchronously). */
  cli(args: string[]): { status: number | null; stdout: string; stderr: string };
}

export function runCli(db: string, args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--db', db], { encoding: 'utf8', cwd: ROOT });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export async function startHost(db: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web host did not start: ${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /"url":\s*"([^"]+)"/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`web host exited with ${code}: ${output}`)));
  });
  return { url, child };
}

/** Stops the web host and waits (up to 10 s) until it has gone: a job thread may be writing its folder (the daily backup). */
async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    setTimeout(resolve, 10_000).unref();
  });
  child.kill('SIGTERM');
  await gone;
}

export const test = base.extend<{ station: Station; freshStation: Station }>({
  /** A station already set up (by the CLI) with its administrator. */
  station: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-e2e-'));
    const db = join(dir, 'griddesk.db');
    const init = runCli(db, ['init', '--station', 'GD01', '--name', '青山供电所', '--admin', ADMIN.staffNo, '--admin-name', ADMIN.name, '--password', ADMIN.password]);
    if (init.status !== 0) throw new Error(`init failed: ${init.stderr}`);
    const { url, child } = await startHost(db);
    await use({ url, db, dir, cli: (args) => runCli(db, args) });
    await stopHost(child);
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  },
  /** A brand-new database: the first-run screen. */
  freshStation: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'griddesk-e2e-'));
    const db = join(dir, 'griddesk.db');
    const { url, child } = await startHost(db);
    await use({ url, db, dir, cli: (args) => runCli(db, args) });
    await stopHost(child);
    rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  },
});

export { expect };

/** Logs in through the login screen, as a person would. */
export async function login(page: Page, station: Station, staffNo: string, password: string): Promise<void> {
  await page.goto(station.url);
  await page.getByLabel('工号').fill(staffNo);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/** Opens a screen from the main menu on the left. */
export async function openMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name }).click();
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
}

/** Calls the back end directly with the page's session cookie, as a script in the page could. */
export async function api(request: APIRequestContext, station: Station, name: string, input: unknown = {}) {
  const response = await request.post(`${station.url}api/${name}`, { data: input, headers: { 'Content-Type': 'application/json' } });
  return { status: response.status(), body: (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } } };
}

/**
 * Creates staff through the CLI-free path an administrator uses (the staff screen is tested on
 * its own), then sets their own password by logging in once. Returns the final password.
 */
export async function createStaffViaUi(page: Page, staff: { staffNo: string; name: string; roles: string[]; password: string }) {
  await openMenu(page, '员工管理');
  const form = page.getByRole('form', { name: '新增员工' });
  await form.getByLabel('工号').fill(staff.staffNo);
  await form.getByLabel('姓名').fill(staff.name);
  await form.getByLabel('初始密码').fill(staff.password);
  for (const role of staff.roles) await form.getByLabel(role).check();
  await form.getByRole('button', { name: '创建' }).click();
  await expect(page.getByRole('status')).toContainText(`已创建员工 ${staff.name}`);
}

/** The page never scrolls sideways at its size (1366×768, 1024×768): neither the window nor the content pane. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    const content = document.querySelector('.content');
    return { page: [root.scrollWidth, root.clientWidth], content: content ? [content.scrollWidth, content.clientWidth] : [0, 0] };
  });
  expect(widths.page[0], 'the window scrolls sideways').toBeLessThanOrEqual(widths.page[1]!);
  expect(widths.content[0], 'the content pane scrolls sideways').toBeLessThanOrEqual(widths.content[1]!);
}
