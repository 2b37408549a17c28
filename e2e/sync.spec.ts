import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPair, publicKeyToPem, signedFileBytes, peekManifest } from '../electron/backend/sync/signedFile';
import { expect, login, openMenu, test } from './fixtures';

// 数据上报 as the station head works it: export what waits, apply head office's answer, and see a
// tampered answer refused in words. Head office's side is played here by the signed-file codec.

test.describe.configure({ timeout: 180_000 });

test('the head exports the waiting rows, applies the ack (waiting drops to zero, outbox pruned), and a tampered ack is refused readably', async ({ page, station }) => {
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'collection-seed.ts'), station.db], { encoding: 'utf8' });
  expect(seeded.status, seeded.stderr).toBe(0);
  const hq = generateKeyPair();
  const hqKeyFile = join(station.dir, 'hq.pem');
  writeFileSync(hqKeyFile, publicKeyToPem(hq.publicKey));
  const trust = station.cli(['sync', 'trust', hqKeyFile, '--hq-id', 'HQ-E2E']);
  expect(trust.status, trust.stderr).toBe(0);

  await login(page, station, 'H001', 'head12345');
  await openMenu(page, '数据上报');
  await expect(page.getByRole('heading', { name: /待上报共 \d+ 条/ })).toBeVisible();
  const waiting = page.getByRole('table', { name: '待上报' });
  await expect(waiting.getByRole('row', { name: /客户档案/ })).toContainText('3');
  await expect(page.getByTestId('last-export')).toHaveText('尚无');

  await page.getByRole('button', { name: '导出上报批次' }).click();
  await expect(page.getByRole('status')).toContainText('已导出');
  await expect(page.getByTestId('last-export')).toContainText('GD01-e1-');

  const outDir = join(station.dir, 'sync', 'outgoing');
  const batchName = readdirSync(outDir).find((f) => f.endsWith('.gdsync'))!;
  const batchFile = join(outDir, batchName);
  const m = (await peekManifest(batchFile))!;
  const { createHash } = await import('node:crypto');
  const { readFileSync } = await import('node:fs');
  const batchSha256 = createHash('sha256').update(readFileSync(batchFile)).digest('hex');
  const ack = await signedFileBytes(
    { kind: 'ack', manifest: { stationId: m.stationId, epoch: m.epoch, fromSeq: m.fromSeq, toSeq: m.toSeq, batchSha256, status: 'applied', reason: null, ackedSeq: m.toSeq } },
    hq.privateKey,
    hq.keyId,
  );
  const tampered = Buffer.from(ack.bytes);
  tampered[30] = tampered[30]! ^ 0x01; // a byte of the manifest
  writeFileSync(join(station.dir, 'ack.gdsync'), ack.bytes);
  writeFileSync(join(station.dir, 'ack-tampered.gdsync'), tampered);

  // A tampered answer first: refused in words, nothing changes.
  await page.getByLabel('导入总部回执').setInputFiles(join(station.dir, 'ack-tampered.gdsync'));
  await expect(page.getByRole('alert')).toContainText(/签名校验不通过|文件内容与签名不符|文件清单不正确/);
  await expect(page.getByRole('heading', { name: /待上报共 \d+ 条/ })).not.toHaveText('待上报共 0 条');
  await expect(page.getByRole('table', { name: '总部答复' }).getByRole('row').nth(1)).toContainText('本站拒绝');

  await page.getByLabel('导入总部回执').setInputFiles(join(station.dir, 'ack.gdsync'));
  await expect(page.getByRole('status')).toContainText('回执已应用');
  await expect(page.getByRole('heading', { name: '待上报共 0 条' })).toBeVisible();
  await expect(page.getByTestId('outbox-rows')).toHaveText('0');
  await expect(page.getByTestId('last-ack')).toContainText(`≤ ${m.toSeq}`);
  await expect(page.getByRole('table', { name: '总部答复' }).getByRole('row').nth(1)).toContainText('已入库');
  await expect(page.getByRole('button', { name: '导出上报批次' })).toBeDisabled();
});

test('a counter clerk does not see 数据上报', async ({ page, station }) => {
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'collection-seed.ts'), station.db], { encoding: 'utf8' });
  expect(seeded.status, seeded.stderr).toBe(0);
  await login(page, station, 'C001', 'clerk1234');
  await expect(page.getByRole('navigation', { name: '主菜单' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: '主菜单' }).getByRole('link', { name: '数据上报' })).toHaveCount(0);
});

test('a notice and a new staff member from head office: the head applies the pack, the notice is on the home page until marked read', async ({ page, station }) => {
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'collection-seed.ts'), station.db], { encoding: 'utf8' });
  expect(seeded.status, seeded.stderr).toBe(0);
  const hq = generateKeyPair();
  const hqKeyFile = join(station.dir, 'hq.pem');
  writeFileSync(hqKeyFile, publicKeyToPem(hq.publicKey));
  expect(station.cli(['sync', 'trust', hqKeyFile, '--hq-id', 'HQ-E2E']).status).toBe(0);
  const pack = await signedFileBytes(
    {
      kind: 'reference',
      manifest: { version: 1, hqId: 'HQ-E2E' },
      payloadLines: [
        { type: 'notice', data: { id: 'HQ-N1', title: '12 月 8 日线路检修停电', body: '请提前通知各村。' } },
        { type: 'staff', data: { staffNo: 'R009', name: '李抄表', roles: ['meter_reader'] } },
      ],
    },
    hq.privateKey,
    hq.keyId,
  );
  writeFileSync(join(station.dir, 'pack.gdsync'), pack.bytes);

  await login(page, station, 'H001', 'head12345');
  await openMenu(page, '数据上报');
  await page.getByLabel('应用参考数据包').setInputFiles(join(station.dir, 'pack.gdsync'));
  await expect(page.getByRole('status')).toContainText('参考数据版本 1 已应用');
  await expect(page.getByRole('status')).toContainText('新员工 1');
  await expect(page.getByTestId('hq-notices')).toContainText('12 月 8 日线路检修停电');

  await openMenu(page, '首页');
  await expect(page.getByText('12 月 8 日线路检修停电')).toBeVisible();

  await openMenu(page, '数据上报');
  await page.getByTestId('hq-notices').getByRole('button', { name: '已读' }).click();
  await expect(page.getByTestId('hq-notices')).toContainText('李所长');
  await expect(page.getByText('没有未读的总部通知')).toBeVisible();
  await openMenu(page, '首页');
  await expect(page.getByText('12 月 8 日线路检修停电')).toHaveCount(0);
});
