import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';

// Head-office logins and roles (总部账号与角色), enforced by the host: an administrator loads
// reference data and publishes packs; an analyst only sees the dashboard. The analyst is not
// offered those controls, and the same calls made directly over HTTP with the analyst's session
// are refused (403, 无此权限) and write nothing.

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'griddesk.mjs');
const run = (args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT, timeout: 180_000 });
  if (r.status !== 0) throw new Error(`griddesk ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

async function startHq(home: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'hq', 'serve', '--home', home, '--port', '0', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hq did not start: ${output}`)), 90_000);
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString();
      const m = /"url":\s*"([^"]+)"/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => reject(new Error(`hq exited with ${code}: ${output}`)));
  });
  return { url, child };
}

async function logIn(page: Page, url: string, login: string, password: string) {
  await page.goto(url);
  await page.getByLabel('账号').pressSequentially(login, { delay: 20 });
  await page.getByLabel('密码').pressSequentially(password, { delay: 20 });
  await page.getByLabel('密码').press('Enter');
  await expect(page.getByRole('heading', { name: '各所月度对比' })).toBeVisible();
}

test('an analyst sees the dashboard only: no upload or publishing offered, and the calls refused over HTTP; the administrator publishes', async ({ browser }) => {
  test.setTimeout(240_000);
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-hq-roles-'));
  const home = join(dir, 'hq');
  let hq: { url: string; child: ChildProcess } | undefined;
  try {
    run(['hq', 'init', '--home', home, '--admin', 'zhang', '--password', 'hq123456', '--name', '张科长', '--json']);
    run(['hq', 'user', 'add', 'li', '--role', 'analyst', '--password', 'hq654321', '--name', '李分析', '--home', home]);
    hq = await startHq(home);
    const origin = new URL(hq.url).origin;

    // The analyst: the dashboard and the stations, no upload tab, no load or publish controls.
    const analyst = await browser.newContext();
    const page = await analyst.newPage();
    await logIn(page, hq.url, 'li', 'hq654321');
    await expect(page.getByRole('button', { name: '供电所', exact: true })).toBeVisible();
    await expect(page.getByRole('button', { name: '上传批次' })).toHaveCount(0);
    await page.getByRole('button', { name: '基础数据下发' }).click();
    await expect(page.getByRole('heading', { name: '基础数据下发' })).toBeVisible();
    await expect(page.getByRole('button', { name: '发布数据包' })).toHaveCount(0);
    await expect(page.locator('input[name="reference"]')).toHaveCount(0);

    // The same calls made directly with the analyst's session: refused by the host.
    const cookie = (await analyst.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const post = (path: string, body: string, type = 'application/json') =>
      fetch(`${origin}${path}`, { method: 'POST', headers: { Cookie: cookie, Origin: origin, 'Content-Type': type, 'X-GridDesk-Locale': 'zh-CN' }, body });
    const tariff = readFileSync(join(ROOT, 'docs/tariffs/sample-catalogue.json'), 'utf8');
    for (const [path, body, type] of [
      ['/api/reference/load', JSON.stringify({ type: 'tariff', name: 'x.json', data: JSON.parse(tariff) }), 'application/json'],
      ['/api/reference/publish', JSON.stringify({}), 'application/json'],
      ['/api/upload', 'not a batch', 'application/octet-stream'],
    ] as const) {
      const res = await post(path, body, type);
      expect(res.status, path).toBe(403);
      expect(await res.json(), path).toMatchObject({ ok: false, error: { code: 'forbidden', message: '无此权限' } });
    }
    // Still readable: the month table.
    expect((await fetch(`${origin}/api/month`, { headers: { Cookie: cookie } })).status).toBe(200);
    // Without a session nothing at all.
    expect((await fetch(`${origin}/api/month`)).status).toBe(401);

    // The administrator, in another browser: the controls are there, and nothing was written
    // by the analyst's attempts (no item loaded, no pack).
    const adminCtx = await browser.newContext();
    const admin = await adminCtx.newPage();
    await logIn(admin, hq.url, 'zhang', 'hq123456');
    await expect(admin.getByRole('button', { name: '上传批次' })).toBeVisible();
    await admin.getByRole('button', { name: '基础数据下发' }).click();
    await expect(admin.getByRole('cell', { name: 'v1', exact: true })).toHaveCount(0);
    const sample = JSON.parse(tariff) as { tariffs: Record<string, unknown>[] };
    writeFileSync(join(dir, 'hq-tariff.json'), JSON.stringify({ tariffs: [{ ...sample.tariffs[0], code: 'HQ-ROLES', name: '总部下发' }] }));
    await admin.locator('input[name="reference"]').setInputFiles(join(dir, 'hq-tariff.json'));
    await expect(admin.getByRole('status')).toContainText('#1');
    await admin.getByRole('button', { name: '发布数据包' }).click();
    await expect(admin.getByRole('status')).toContainText('v1');
    // The analyst now sees the pack listed, read only.
    await page.getByRole('button', { name: '各所月度对比' }).click();
    await page.getByRole('button', { name: '基础数据下发' }).click();
    await expect(page.getByRole('cell', { name: 'v1', exact: true })).toBeVisible();
    await analyst.close();
    await adminCtx.close();
  } finally {
    hq?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});
