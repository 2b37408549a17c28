import { describe, expect, it } from 'vitest';
import { jobResult, type JobState } from '../../../shared/contract';
import { AppError } from '../errors';
import { JobRunner } from './runner';

describe('the job runner', () => {
  it('reports progress while the work yields, then the result', async () => {
    const runner = new JobRunner();
    const seen: JobState[] = [];
    runner.subscribe((state) => seen.push(state));
    const started = runner.start('count', 'staff-1', async (progress) => {
      for (let i = 1; i <= 5; i++) {
        await new Promise((r) => setTimeout(r, 60)); // longer than the 50 ms throttle
        await progress.tick(i, 5);
      }
      return { counted: 5 };
    });
    expect(started.status).toBe('running');
    const done = await runner.finished(started.id);
    expect(done).toMatchObject({ status: 'succeeded', done: 5, total: 5, result: { counted: 5 } });
    const progressSeen = seen.filter((s) => s.status === 'running').map((s) => s.done);
    expect(progressSeen.length).toBeGreaterThanOrEqual(3);
    expect(progressSeen).toEqual([...progressSeen].sort((a, b) => a - b));
    expect(runner.ownerOf(started.id)).toBe('staff-1');
  });

  it('ends a job that throws as failed, with the error code and a readable message', async () => {
    const runner = new JobRunner();
    const refused = runner.start('refused', null, async () => {
      throw new AppError('validation', 'error.passwordRule');
    });
    expect(await runner.finished(refused.id)).toMatchObject({ status: 'failed', error: { code: 'validation', message: expect.stringContaining('8 位') } });
    const crashed = runner.start('crashed', null, async () => {
      throw new Error('disk full');
    });
    expect((await runner.finished(crashed.id)).error?.code).toBe('internal');
  });

  it('answers a long poll when the job moves on', async () => {
    const runner = new JobRunner();
    let release: () => void = () => {};
    const started = runner.start('wait', null, () => new Promise<void>((r) => (release = r)));
    const watching = runner.watch(started.id, started.version, 5_000);
    setTimeout(() => release(), 20);
    expect((await watching)?.status).toBe('succeeded');
  });

  it('checks a result against its kind\'s schema in the contract: one outside it fails the job', async () => {
    const runner = new JobRunner();
    const good = runner.start('readings.openPeriod', null, async () => ({ period: '2026-11', books: 2, due: 5 }));
    const done = await runner.finished(good.id);
    expect(done.status).toBe('succeeded');
    expect(jobResult('readings.openPeriod', done)).toEqual({ period: '2026-11', books: 2, due: 5 });
    expect(() => jobResult('billing.issue', done)).toThrow(/not billing.issue/);
    const bad = runner.start('readings.openPeriod', null, async () => ({ period: '2026-11', books: '2' }));
    expect(await runner.finished(bad.id)).toMatchObject({ status: 'failed', error: { code: 'internal' } });
  });
});
