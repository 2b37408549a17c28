import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../audit/record';
import { Backend } from '../../context';
import { sql } from '../../db/sql';
import { INVARIANTS } from '../../invariants';
import { setupStation } from '../../station/setup';
import { insertStaff, prepareStaff } from '../../staff/staff';
import { addCustomer, issueBill } from '../fixture';

// Reliability check (issue "Counter fee collection", durability): a child process posts payments
// in a loop and is killed with SIGKILL at a random moment, 50 times over (issue 15). The moments
// come from a seeded generator: a failure prints the seed, and GRIDDESK_CRASH_SEED=N runs the
// same kill schedule again (the OS's timing still varies a little around it). After each kill the
// database is opened again as the app would open it, and every payment whose receipt number the
// child printed must be there, receipt numbers must run 1…n with none duplicated or missing, the
// invariants of `griddesk check` must hold and integrity_check must say ok. The key the child
// was posting when it died is retried by the next child: it must come back as one payment.

const CHILD = join(import.meta.dirname, 'child.ts');
const RUNS = 50;
const SEED = process.env.GRIDDESK_CRASH_SEED ? Number(process.env.GRIDDESK_CRASH_SEED) : Math.floor(Math.random() * 2 ** 31);

/** mulberry32: a small seeded generator, so a failing kill schedule can be run again. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(SEED);
const dir = mkdtempSync(join(tmpdir(), 'griddesk-crash-'));
const db = join(dir, 'griddesk.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function prepareStation(): Promise<void> {
  const backend = new Backend({ db });
  await setupStation(backend, { stationCode: 'GD01', stationName: '青山供电所', adminNo: 'A001', adminName: '管理员', password: 'admin1234' });
  const clerk = await prepareStaff({ staffNo: 'C001', name: '王芳', roles: ['clerk'], password: 'clerk1234', mustChangePassword: false });
  backend.write(SYSTEM_ACTOR, (unit) => insertStaff(unit, clerk));
  for (let i = 0; i < 40; i++) {
    const customer = addCustomer(backend, { name: `客户${i}`, customerClass: i % 5 === 0 ? 'commercial' : 'residential' });
    issueBill(backend, { customerId: customer.id, period: '2026-08', amountFen: 5_000 + i * 137, dueDate: '2026-09-15' });
    issueBill(backend, { customerId: customer.id, period: '2026-09', amountFen: 6_000 + i * 91, dueDate: '2026-10-15' });
  }
  backend.close();
}

interface RunOutcome {
  posted: Map<string, string>;
  lastAttempt: string | undefined;
  retried: [string, string] | undefined;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs one child and kills it with SIGKILL after a random number of acknowledged payments plus a random few milliseconds. */
function runChild(run: number, retryKey: string | undefined): Promise<RunOutcome> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, String(run), ...(retryKey ? [retryKey] : [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const outcome: RunOutcome = { posted: new Map(), lastAttempt: undefined, retried: undefined, signal: null, stderr: '' };
  const killAfter = 1 + Math.floor(random() * 40);
  const delay = Math.floor(random() * 25);
  let killing = false;
  child.stderr.on('data', (chunk: Buffer) => {
    outcome.stderr += chunk.toString();
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const [word, key, receiptNo] = line.split(' ');
    if (word === 'ATTEMPT') outcome.lastAttempt = key;
    if (word === 'RETRIED' && key && receiptNo) outcome.retried = [key, receiptNo];
    if (word === 'POSTED' && key && receiptNo) {
      outcome.posted.set(key, receiptNo);
      if (outcome.posted.size >= killAfter && !killing) {
        killing = true;
        // Somewhere in the next payments: inside a transaction, between commit and print, anywhere.
        setTimeout(() => child.kill('SIGKILL'), delay);
      }
    }
  });
  return new Promise((resolve) => {
    child.on('exit', (_code, signal) => resolve({ ...outcome, signal }));
  });
}

describe('durability of payments (reliability check)', () => {
  it(`every payment whose receipt was printed survives SIGKILL at a random moment, ${RUNS} times; receipt numbers stay whole`, async () => {
    try {
      await killRuns();
    } catch (error) {
      // The seed that made this kill schedule, to run it again: GRIDDESK_CRASH_SEED=<seed>.
      const message = `SIGKILL test failed with seed ${SEED} (run again with GRIDDESK_CRASH_SEED=${SEED}): ${(error as Error).message}`;
      console.error(message);
      throw Object.assign(error as Error, { message });
    }
  }, 600_000);
});

async function killRuns(): Promise<void> {
  await prepareStation();
  const printed = new Map<string, string>();
  let retryKey: string | undefined;
  let retriesChecked = 0;

  for (let run = 0; run < RUNS; run++) {
    const outcome = await runChild(run, retryKey);
    expect(outcome.signal, `run ${run} should have been killed, not died by itself: ${outcome.stderr}`).toBe('SIGKILL');
    expect(outcome.posted.size, `run ${run} posted nothing: ${outcome.stderr}`).toBeGreaterThan(0);
    if (outcome.retried) {
      const [key, receiptNo] = outcome.retried;
      // A key printed before keeps its receipt; an unprinted one got exactly one payment now.
      if (printed.has(key)) expect(receiptNo).toBe(printed.get(key));
      printed.set(key, receiptNo);
      retriesChecked++;
    }
    for (const [key, receiptNo] of outcome.posted) printed.set(key, receiptNo);

    const backend = new Backend({ db }); // opened as the app opens it after a power cut
    try {
      const read = backend.store.read;
      expect(read.column<string>(sql`PRAGMA integrity_check`)).toEqual(['ok']);
      const byKey = new Map(read.all<{ idempotency_key: string; receipt_no: string }>(sql`SELECT idempotency_key, receipt_no FROM payments`).map((r) => [r.idempotency_key, r.receipt_no]));
      for (const [key, receiptNo] of printed) expect(byKey.get(key), `printed ${receiptNo} for ${key} but it is not in the database`).toBe(receiptNo);
      const seqs = read.column<number>(sql`SELECT receipt_seq FROM payments ORDER BY receipt_seq`);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // 1…n: none duplicated, none missing
      expect(new Set(read.column<string>(sql`SELECT receipt_no FROM payments`)).size).toBe(seqs.length);
      expect(INVARIANTS.flatMap((i) => i.check(backend))).toEqual([]);
    } finally {
      backend.close();
    }
    retryKey = outcome.lastAttempt;
  }
  expect(retriesChecked).toBe(RUNS - 1);
  expect(printed.size).toBeGreaterThan(RUNS);
}
