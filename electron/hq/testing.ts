import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import pg from 'pg';
import { fingerprint, generateKeyPair, publicKeyToBase64, writeSignedFile, type StationKeyPair } from '../backend/sync/signedFile';
import { HqContext } from './context';

// Test helpers for head office: the same tests run on PGlite and on a real PostgreSQL server
// (GRIDDESK_TEST_PG, started by .ci/run or scripts/pg/throwaway.sh). With CI=true and no server
// URL the real-server tests FAIL rather than skip: CI must prove the SQL on the real thing.

export type Backend = 'pglite' | 'pg';

export function backends(): Backend[] {
  return process.env.GRIDDESK_TEST_PG ? ['pglite', 'pg'] : ['pglite'];
}

/** Registers a failing test in CI when the real server is missing (call at a test file's top). */
export function requireRealServerInCi(): void {
  if (process.env.GRIDDESK_TEST_PG) return;
  if (process.env.CI === 'true' || process.env.CI === '1') {
    describe('head office on a real PostgreSQL server', () => {
      it('needs GRIDDESK_TEST_PG in CI', () => {
        throw new Error('CI=true but GRIDDESK_TEST_PG is not set: .ci/run must start a PostgreSQL cluster for the head-office tests');
      });
    });
  } else {
    describe.skip('head office on a real PostgreSQL server (set GRIDDESK_TEST_PG; scripts/pg/throwaway.sh start)', () => {
      it('skipped locally', () => {});
    });
  }
}

export interface TestHq {
  hq: HqContext;
  home: string;
  close(): Promise<void>;
}

/** A fresh head office: PGlite in memory-backed temp folder, or a new database on the server. */
export async function openTestHq(backend: Backend): Promise<TestHq> {
  const home = mkdtempSync(join(tmpdir(), 'griddesk-hq-'));
  let url: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (backend === 'pg') {
    const base = process.env.GRIDDESK_TEST_PG!;
    const name = `hq_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const hq = await HqContext.open({ home, pg: url });
  return {
    hq,
    home,
    async close() {
      await hq.close();
      await dropDb?.();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A stand-in station made with the codec alone: keys, enrolment and batch files. */
export class CodecStation {
  key: StationKeyPair = generateKeyPair();
  epoch = 1;
  lastSha: string | null = null;
  constructor(
    readonly dir: string,
    readonly stationId = `st-${Math.random().toString(36).slice(2, 10)}`,
    readonly code = `GD${Math.floor(Math.random() * 9000 + 1000)}`,
  ) {}

  async enrolment(): Promise<string> {
    const file = join(this.dir, `${this.code}-enrol-${this.epoch}.gdsync`);
    await writeSignedFile(
      file,
      { kind: 'enrolment', manifest: { stationId: this.stationId, stationCode: this.code, stationName: `${this.code} 供电所`, epoch: this.epoch, publicKey: publicKeyToBase64(this.key.publicKey), fingerprint: fingerprint(this.key.publicKey) } },
      this.key.privateKey,
      this.key.keyId,
    );
    return file;
  }

  rotate(): void {
    this.key = generateKeyPair();
    this.epoch += 1;
    this.lastSha = null;
  }

  async batch(fromSeq: number, toSeq: number, row: (seq: number) => { entity: string; id: string; op?: string; row: Record<string, unknown>; table?: string; children?: Record<string, unknown> }, extra: Record<string, unknown> = {}): Promise<{ file: string; sha: string }> {
    const file = join(this.dir, `${this.code}-${this.epoch}-${fromSeq}-${toSeq}-${Math.random().toString(36).slice(2, 6)}.gdsync`);
    const rows = function* () {
      for (let seq = fromSeq; seq <= toSeq; seq++) {
        const r = row(seq);
        yield { seq, entity: r.entity, id: r.id, op: r.op ?? 'insert', row: r.row, ...(r.table ? { table: r.table } : {}), ...(r.children ? { children: r.children } : {}) };
      }
    };
    const w = await writeSignedFile(
      file,
      {
        kind: 'batch',
        manifest: { stationId: this.stationId, stationCode: this.code, schemaVersion: 6, appVersion: '0.1.0', epoch: this.epoch, fromSeq, toSeq, count: toSeq - fromSeq + 1, previousBatchSha256: this.lastSha, referenceVersion: null, ...extra },
        payloadLines: rows(),
      },
      this.key.privateKey,
      this.key.keyId,
    );
    this.lastSha = w.fileSha256;
    return { file, sha: w.fileSha256 };
  }
}

/** A payment row as the station stores it. */
export function paymentRow(seq: number, amountFen = 1000, payDate = '2026-03-15') {
  return { entity: 'payments', id: `pay-${seq}`, row: { id: `pay-${seq}`, customer_id: `c-${seq % 7}`, amount_fen: amountFen, pay_date: payDate, channel: 'cash', clerk_id: 's1' } };
}

export function writeBytes(dir: string, name: string, bytes: Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  return file;
}
