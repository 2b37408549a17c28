import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';

// Head office end to end, two processes as in the field: a station (its own database, the
// `griddesk` CLI) and head office (`griddesk hq serve` on PGlite in a temp folder), and head
// office's staff in Chromium.

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

test('a station pushes; head office shows its month; a replay is already applied, a flipped byte is refused; a tariff pack goes down', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'griddesk-hq-e2e-'));
  const db = join(dir, 'station.db');
  const home = join(dir, 'hq');
  let hq: { url: string; child: ChildProcess } | undefined;
  try {
    // Head office set up, the station enrolled both ways (before the server holds the store).
    const init = JSON.parse(run(['hq', 'init', '--home', home, '--admin', 'zhang', '--password', 'hq123456', '--name', '张科长', '--json'])) as { publicKey: string; hqId: string };
    run(['demo', '--customers', '20', '--months', '2', '--db', db]);
    writeFileSync(join(dir, 'hq-key.json'), JSON.stringify({ publicKey: init.publicKey, hqId: init.hqId }));
    run(['sync', 'trust', join(dir, 'hq-key.json'), '--db', db]);
    run(['sync', 'enrol', '--out', join(dir, 'enrol.gdsync'), '--db', db]);
    run(['hq', 'stations', 'add', '--enrol', join(dir, 'enrol.gdsync'), '--home', home]);
    hq = await startHq(home);

    // The station pushes over HTTP and takes the ack.
    run(['sync', 'push', '--url', hq.url, '--out', join(dir, 'out'), '--db', db]);
    const batch = join(dir, 'out', readdirSync(join(dir, 'out')).find((f) => f.endsWith('.gdsync'))!);

    await page.goto(hq.url);
    await page.getByLabel('账号').fill('zhang');
    await page.getByLabel('密码').fill('hq123456');
    await page.getByLabel('密码').press('Enter');
    await expect(page.getByRole('heading', { name: '各所月度对比' })).toBeVisible();
    const row = page.getByRole('row').filter({ hasText: 'QS01' }).first();
    await expect(row).toBeVisible();
    await expect(row.getByRole('cell').nth(1)).toHaveText('20');
    await expect(page.getByRole('img', { name: '应收与实收（全部供电所）' })).toBeVisible();

    await page.getByRole('button', { name: '供电所', exact: true }).click();
    await expect(page.getByRole('row').filter({ hasText: 'QS01' }).first()).toBeVisible();
    await page.getByRole('row').filter({ hasText: 'QS01' }).first().getByRole('button').click();
    await expect(page.getByRole('heading', { name: '抄表本' })).toBeVisible();

    // Upload screen: the same batch again, then one with a flipped byte in its signature.
    await page.getByRole('button', { name: '上传批次' }).click();
    await page.getByLabel('选择批次文件').setInputFiles(batch);
    await expect(page.getByRole('listitem').first()).toContainText('已入账过');
    const bytes = readFileSync(batch);
    const manifestLength = bytes.readUInt32BE(8);
    bytes[12 + manifestLength + 5]! ^= 0x01;
    writeFileSync(join(dir, 'flipped.gdsync'), bytes);
    await page.getByLabel('选择批次文件').setInputFiles(join(dir, 'flipped.gdsync'));
    await expect(page.getByRole('listitem').first()).toContainText('拒收');
    await expect(page.getByRole('listitem').first()).toContainText('签名');

    // Reference data: load the tariff catalogue, publish; the station fetches and applies it.
    await page.getByRole('button', { name: '基础数据下发' }).click();
    // A tariff the station has not got: the sample's first, under a new code.
    const sample = JSON.parse(readFileSync(join(ROOT, 'docs/tariffs/sample-catalogue.json'), 'utf8')) as { tariffs: Record<string, unknown>[] };
    const newTariff = { tariffs: [{ ...sample.tariffs[0], code: 'HQ-E2E-RES', name: '总部下发居民电价' }] };
    writeFileSync(join(dir, 'hq-tariff.json'), JSON.stringify(newTariff));
    expect(run(['tariffs', 'list', '--json', '--db', db])).not.toContain('HQ-E2E-RES');
    await page.locator('input[name="reference"]').setInputFiles(join(dir, 'hq-tariff.json'));
    await expect(page.getByRole('status')).toContainText('#1');
    await page.getByRole('button', { name: '发布数据包' }).click();
    await expect(page.getByRole('status')).toContainText('v1');
    const res = await fetch(`${hq.url}sync/reference?after=0`);
    expect(res.status).toBe(200);
    writeFileSync(join(dir, 'pack.gdsync'), Buffer.from(await res.arrayBuffer()));
    run(['sync', 'apply', join(dir, 'pack.gdsync'), '--db', db]);
    expect(run(['tariffs', 'list', '--json', '--db', db])).toContain('HQ-E2E-RES');
  } finally {
    hq?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
});
