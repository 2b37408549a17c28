import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair, publicKeyToPem, readSignedFile, signedFileBytes } from '../../backend/sync/signedFile';
import { runGriddesk } from './testing';

let dir: string;
let db: string;
const hq = generateKeyPair();
const griddesk = (...args: string[]) => runGriddesk([...args, '--db', db, '--lang', 'en']);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-cli-sync-'));
  db = join(dir, 'griddesk.db');
  expect((await griddesk('init', '--station', 'GD01', '--name', '青山供电所', '--admin', 'A001', '--password', 'admin1234')).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('griddesk sync', () => {
  it('enrols, trusts head office once, exports, applies the ack; refuses a tampered one with a reason and exit 1', async () => {
    const enrol = await griddesk('sync', 'enrol', '--out', join(dir, 'enrol.gdsync'), '--json');
    expect(enrol.code).toBe(0);
    const e = JSON.parse(enrol.stdout) as { keyId: string; fingerprint: string };
    const v = await readSignedFile(join(dir, 'enrol.gdsync'), new Map(), { allowSelfSigned: true, kind: 'enrolment' });
    expect(v.manifest).toMatchObject({ stationCode: 'GD01', fingerprint: e.fingerprint });

    const none = await griddesk('sync', 'ack', join(dir, 'enrol.gdsync'));
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("Head office’s public key is not installed");

    writeFileSync(join(dir, 'hq.pem'), publicKeyToPem(hq.publicKey));
    expect((await griddesk('sync', 'trust', join(dir, 'hq.pem'), '--hq-id', 'HQ1')).code).toBe(0);
    expect((await griddesk('sync', 'trust', join(dir, 'hq.pem'), '--lang', 'en')).stdout).toContain('was already installed');
    const other = join(dir, 'other.pem');
    writeFileSync(other, publicKeyToPem(generateKeyPair().publicKey));
    expect((await griddesk('sync', 'trust', other)).code).toBe(1);

    const exported = await griddesk('sync', 'export', '--out', join(dir, 'out'), '--json');
    expect(exported.code, exported.stderr).toBe(0);
    const batch = JSON.parse(exported.stdout) as { file: string; sha256: string; fromSeq: number; toSeq: number; epoch: number; count: number };
    expect(batch.count).toBeGreaterThan(0);
    const m = (await readSignedFile(readFileSync(batch.file), new Map([[e.keyId, v.manifest.publicKey as string]]))).manifest;
    const ack = await signedFileBytes(
      { kind: 'ack', manifest: { stationId: m.stationId, epoch: batch.epoch, fromSeq: batch.fromSeq, toSeq: batch.toSeq, batchSha256: batch.sha256, status: 'applied', reason: null, ackedSeq: batch.toSeq } },
      hq.privateKey,
      hq.keyId,
    );
    const tampered = Buffer.from(ack.bytes);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0x80; // the payload's gzip trailer
    writeFileSync(join(dir, 'bad.gdsync'), tampered);
    const bad = await griddesk('sync', 'ack', join(dir, 'bad.gdsync'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/changed|signature/);

    writeFileSync(join(dir, 'ack.gdsync'), ack.bytes);
    const ok = await griddesk('sync', 'ack', join(dir, 'ack.gdsync'));
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`acknowledged to seq ${batch.toSeq}; ${batch.count} outbox rows pruned`);
    const status = JSON.parse((await griddesk('sync', 'status', '--json')).stdout) as { waitingTotal: number; ackedSeq: number; answers: { outcome: string }[] };
    expect(status).toMatchObject({ waitingTotal: 0, ackedSeq: batch.toSeq });
    expect(status.answers.map((a) => a.outcome)).toEqual(['recorded', 'refused']);
  });

  it('goes through dispatch: a clerk may not export or rotate the key, the head may; each is audited', async () => {
    expect((await griddesk('staff', 'create', 'C009', '--name', '王芳', '--roles', 'clerk', '--password', 'initial123')).code).toBe(0);
    expect((await griddesk('staff', 'create', 'H009', '--name', '李所长', '--roles', 'station_head', '--password', 'initial123')).code).toBe(0);
    const clerk = await griddesk('sync', 'export', '--out', join(dir, 'out2'), '--staff', 'C009');
    expect(clerk.code).toBe(1);
    expect(clerk.stderr).toContain('sync.run');
    expect((await griddesk('sync', 'rotate-key', '--staff', 'C009')).code).toBe(1);
    expect((await griddesk('password', '--staff', 'H009', '--current', 'initial123', '--new', 'changed123')).code).toBe(0);
    const head = await griddesk('sync', 'export', '--out', join(dir, 'out2'), '--staff', 'H009', '--json');
    expect(head.code, head.stderr).toBe(0);
    const r = JSON.parse(head.stdout) as { file: string; toSeq: number };
    expect(r.file).toBe(join(dir, 'out2', r.file.split(/[\\/]/).pop()!));
    expect(readFileSync(r.file).subarray(0, 8).toString()).toBe('GDSYNC1\n');
    const audit = JSON.parse((await griddesk('audit', '--json')).stdout) as { rows: { action: string; actor: string }[] } | { action: string; actor: string }[];
    const rows = Array.isArray(audit) ? audit : audit.rows;
    expect(rows.find((a) => a.action === 'sync.export' && a.actor.includes('H009'))).toBeTruthy();
  });
});
