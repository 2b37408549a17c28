import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from '../db/sql';
import { announceWaiting } from '../db/waiting';
import { Backend } from '../context';
import { resumeStoppedRuns, runBilling, startBillingRun, STOPPED_AFTER_MS, type BillingRunResult, type RunOptions } from './run';
import { makeBillingStation, type BillingTestStation } from './testing/station';

// Issue 18: a billing run writes in short slices, so the counter never waits for it, and stays
// all-or-nothing for the clerk: its bills appear when it completes; a run stopped half-way shows
// nothing and the next run resumes it; the bills are the same as one transaction writes.

const kwh = (n: number) => n * 100;
const ACTOR = { staffId: null, label: 'test' };
const stations: BillingTestStation[] = [];
afterEach(() => {
  for (const s of stations.splice(0)) s.close();
});

/** Twelve residents in two books, October read and reviewed. */
async function station(customers = 12) {
  const s = await makeBillingStation();
  stations.push(s);
  const books = [s.fixture.book('B01', '东村一本'), s.fixture.book('B02', '西村一本')];
  const list = Array.from({ length: customers }, (_, i) =>
    s.fixture.customer({ name: `户${i + 1}`, customerClass: 'residential', tariffCode: i % 3 === 0 ? 'RES-TOU' : 'RES-GD', bookId: books[i % 2]!, seq: i + 1, tou: i % 3 === 0 }),
  );
  s.fixture.openPeriod('2026-10');
  list.forEach((c, i) => s.fixture.read('2026-10', c.pointId, i % 3 === 0 ? { kwh: kwh(150 + i * 7), tou: { peak: kwh(50), valley: kwh(40) } } : { kwh: kwh(150 + i * 37) }));
  return { s, customers: list };
}

const count = (s: BillingTestStation, table: string) => s.backend.store.read.value<number>(sql([`SELECT count(*) FROM ${table}`] as unknown as TemplateStringsArray));
const visibleBills = (s: BillingTestStation) => s.backend.store.read.value<number>(sql`SELECT count(*) FROM bills_in_force WHERE period = '2026-10'`);
/** The bills as a clerk sees them: customer, total and lines (not ids, numbers or times). */
const billsSeen = (s: BillingTestStation) =>
  s.backend.store.read.all(sql`
    SELECT c.account_no, b.total_fen, b.kwh, (SELECT group_concat(l.label_key || ':' || l.amount_fen, ',') FROM bill_lines l WHERE l.bill_id = b.id) AS lines
    FROM bills_in_force b JOIN customers c ON c.id = b.customer_id WHERE b.period = '2026-10' ORDER BY c.account_no`);

describe('a billing run in slices', () => {
  it('writes slice by slice, shows none of its bills until the last, and bills exactly what one transaction bills', async () => {
    const { s } = await station();
    const seen: { rows: number; visible: number; open: number }[] = [];
    const options: RunOptions = {
      sliceSize: 5,
      onSlice: () => {
        seen.push({ rows: count(s, 'bill_rows') ?? 0, visible: visibleBills(s) ?? 0, open: count(s, 'billing_runs_open') ?? 0 });
      },
    };
    const result = await runBilling(s.backend, ACTOR, { period: '2026-10' }, undefined, options);
    expect(result).toMatchObject({ billed: 12, slices: 4 }); // 5 + 5 + 2, then the run's record
    expect(seen.slice(0, 3)).toEqual([
      { rows: 5, visible: 0, open: 1 },
      { rows: 10, visible: 0, open: 1 },
      { rows: 12, visible: 0, open: 1 },
    ]);
    expect(visibleBills(s)).toBe(12);
    expect(count(s, 'billing_runs_open')).toBe(0);
    expect(s.backend.store.read.get(sql`SELECT bills, total_fen AS totalFen FROM billing_runs`)).toEqual({ bills: 12, totalFen: result.totalFen });

    const { s: alone } = await station();
    const once = await runBilling(alone.backend, ACTOR, { period: '2026-10' }, undefined, { sliced: false });
    expect(once).toMatchObject({ billed: 12, totalFen: result.totalFen, kwh: result.kwh, slices: 1 });
    expect(billsSeen(s)).toEqual(billsSeen(alone));
  }, 60_000); // two stations built: over 30 s when the machine is loaded

  it('a slice commits at its next 200 bills while another writer waits, and bills what one transaction bills', async () => {
    const { s } = await station(700);
    const sizes: number[] = [];
    let withdraw: (() => void) | undefined;
    // A pace no slice reaches (10 s): the first slice takes 400 bills; the second, asked for 600
    // (300 left), meets a writer announced from elsewhere and commits after 200; the third takes the rest.
    const result = await runBilling(s.backend, ACTOR, { period: '2026-10' }, undefined, {
      pace: { targetMs: 10_000, gapMs: 0, checkpoint: true, lazySync: true },
      onSlice: (bills) => {
        sizes.push(bills);
        if (sizes.length === 1) withdraw = announceWaiting(s.backend.store.file);
        if (sizes.length === 2) withdraw?.();
      },
    });
    expect(sizes).toEqual([400, 200, 100, 0]); // then the run's record
    expect(result.billed).toBe(700);
    const { s: alone } = await station(700);
    await runBilling(alone.backend, ACTOR, { period: '2026-10' }, undefined, { sliced: false });
    expect(billsSeen(s)).toEqual(billsSeen(alone));
  }, 120_000);

  it('a run stopped half-way shows nothing; while it may still be writing another run is refused; then the next run resumes and finishes it', async () => {
    const { s } = await station();
    await expect(runBilling(s.backend, ACTOR, { period: '2026-10' }, undefined, { sliceSize: 5, stopAfterSlices: 2 })).rejects.toThrow('stopped');
    expect(count(s, 'bill_rows')).toBe(10);
    expect(visibleBills(s)).toBe(0);
    expect(count(s, 'billing_runs')).toBe(0);
    expect((await s.clerk.call('bills.list', { period: '2026-10' })).rows).toEqual([]);

    // Its last slice is recent: it may be another process's run, still writing.
    const refused = await s.job(s.clerk.call('billing.run', { period: '2026-10' }));
    expect(refused).toMatchObject({ status: 'failed', error: { code: 'conflict', message: expect.stringContaining('2026-10 的核算正在进行') } });

    s.clock.advance(STOPPED_AFTER_MS);
    const job = await s.job(s.clerk.call('billing.run', { period: '2026-10' }));
    expect(job.status).toBe('succeeded');
    const result = job.result as BillingRunResult;
    expect(result.resumed).toHaveLength(1);
    expect(result.billed).toBe(0); // the resumed run billed them all
    expect(visibleBills(s)).toBe(12);
    expect(s.backend.store.read.all(sql`SELECT id, bills FROM billing_runs ORDER BY started_at`)).toEqual([
      { id: result.resumed?.[0], bills: 12 },
      { id: result.runId, bills: 0 },
    ]);
    expect(count(s, 'billing_runs_open')).toBe(0);
    expect(s.backend.store.read.value(sql`SELECT count(DISTINCT customer_id) FROM bills WHERE period = '2026-10'`)).toBe(12);

    const { s: alone } = await station();
    await runBilling(alone.backend, ACTOR, { period: '2026-10' }, undefined, { sliced: false });
    expect(billsSeen(s)).toEqual(billsSeen(alone));
  }, 60_000);

  it('the back end’s next start resumes a stopped run as a job of the clerk who started it', async () => {
    const { s } = await station();
    const clerkId = s.backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = 'B001'`) ?? null;
    await expect(runBilling(s.backend, { staffId: clerkId, label: 'B001' }, { period: '2026-10' }, undefined, { sliceSize: 4, stopAfterSlices: 1 })).rejects.toThrow();
    expect(resumeStoppedRuns(s.backend)).toEqual([]); // not a minute yet: perhaps still writing elsewhere
    s.clock.advance(STOPPED_AFTER_MS);
    const [job] = resumeStoppedRuns(s.backend);
    expect(s.backend.jobs.ownerOf(job!.id)).toBe(clerkId);
    expect(await s.backend.jobs.finished(job!.id)).toMatchObject({ status: 'succeeded', result: { billed: 12 } });
    expect(visibleBills(s)).toBe(12);
  });

  it('a payment posted from a second process while the run writes succeeds promptly (no SQLITE_BUSY)', async () => {
    const { s, customers } = await station(40);
    const clerk = s.backend.store.read.get<{ id: string; staffNo: string; name: string }>(sql`SELECT id, staff_no AS staffNo, name FROM staff WHERE staff_no = 'B001'`)!;
    const payer = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'testing', 'payer.ts'), JSON.stringify({ db: s.backend.store.file, customerId: customers[0]!.customerId, clerk, count: 10_000, everyMs: 40 })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    payer.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const done = new Promise<void>((resolve) => payer.on('exit', () => resolve()));
    // Wait for the payer's first payment, then run with every slice holding the store 150 ms (a slow disk).
    await expectSoon(() => s.backend.store.read.value(sql`SELECT count(*) FROM payments`) as number, (n) => n > 0);
    const busy = (ms: number) => {
      const until = performance.now() + ms;
      while (performance.now() < until) {}
    };
    const began = Date.now();
    const result = await runBilling(s.backend, ACTOR, { period: '2026-10' }, undefined, { sliceSize: 5, inSlice: () => busy(150), onSlice: () => new Promise((r) => setTimeout(r, 80)) });
    const ended = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    payer.kill();
    await done;
    // Whole lines only: the payer was stopped, perhaps mid-line.
    const payments = out.split('\n').filter((line) => line.endsWith('}')).map((line) => JSON.parse(line) as { at: number; ms: number; error?: string });
    expect(result.billed).toBe(40);
    expect(payments.filter((p) => p.error)).toEqual([]);
    const during = payments.filter((p) => p.at >= began && p.at <= ended);
    expect(during.length).toBeGreaterThanOrEqual(5);
    // Never more than about one slice: the one transaction before issue 18 held it for the whole run.
    expect(Math.max(...during.map((p) => p.ms))).toBeLessThan(1000);
  }, 60_000);
});

describe('in browser mode and the CLI (jobThreads)', () => {
  it('the run works on a thread of its own: it writes while the host’s thread is busy, and bills what the host’s thread would', async () => {
    const { s } = await station(40);
    const threaded = new Backend({ db: s.backend.paths.db, jobThreads: true });
    try {
      const job = startBillingRun(threaded, ACTOR, { period: '2026-10' });
      await new Promise((resolve) => setImmediate(resolve)); // the job starts (its thread is made) on the next turn
      // Hold this thread (the host's) without a turn of its loop: only another thread can bill now.
      const until = Date.now() + 30_000;
      let written = 0;
      while (Date.now() < until && written < 40) written = threaded.store.read.value<number>(sql`SELECT count(*) FROM bill_rows`) ?? 0;
      expect(written).toBe(40);
      const finished = await threaded.jobs.finished(job.id);
      expect(finished).toMatchObject({ status: 'succeeded', result: { billed: 40 } });
      expect(visibleBills(s)).toBe(40);
      const { s: alone } = await station(40);
      await runBilling(alone.backend, ACTOR, { period: '2026-10' });
      expect(billsSeen(s)).toEqual(billsSeen(alone));
    } finally {
      threaded.close();
    }
  }, 60_000);

  it('a refusal on the thread reaches the clerk as the same message', async () => {
    const { s } = await station(6);
    await expect(runBilling(s.backend, ACTOR, { period: '2026-10' }, undefined, { sliceSize: 2, stopAfterSlices: 1 })).rejects.toThrow();
    // Its last slice just now (the thread's clock is the real one, the test station's is not).
    s.backend.store.db.prepare('UPDATE billing_runs_open SET heartbeat_at = ?').run(Date.now());
    const threaded = new Backend({ db: s.backend.paths.db, jobThreads: true });
    try {
      const finished = await threaded.jobs.finished(startBillingRun(threaded, ACTOR, { period: '2026-10' }).id);
      expect(finished).toMatchObject({ status: 'failed', error: { code: 'conflict', message: expect.stringContaining('2026-10 的核算正在进行') } });
    } finally {
      threaded.close();
    }
  }, 60_000);
});

async function expectSoon(read: () => number, ok: (n: number) => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok(read())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
