import { EventEmitter } from 'node:events';
import { isCheckedJobKind, jobResultSchemas, type JobState } from '../../../shared/contract';
import { DEFAULT_LOCALE, type Locale } from '../../../shared/i18n';
import { uuidv7 } from '../db/ids';
import { AppError } from '../errors';

// Long work runs as a job (DESIGN.md "Jobs"): it reports progress, never blocks the process
// for long (the work awaits `progress.tick()` between chunks, which yields to the event loop),
// and either completes or leaves nothing half-written — that part is each job's own duty:
// write in one transaction, or to a temp file renamed at the end.

export interface JobProgress {
  /** Sets done/total (and a short message) and yields to the event loop. */
  tick(done: number, total?: number, message?: string): Promise<void>;
}

export type JobWork = (progress: JobProgress) => Promise<unknown>;

interface JobRecord {
  state: JobState;
  ownerStaffId: string | null;
  /** The refusal that ended the job, kept so a caller can say it in its own language. */
  failure?: AppError;
}

const KEEP_FINISHED = 200;
const EMIT_EVERY_MS = 50;

export const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class JobRunner {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly events = new EventEmitter();

  constructor(private readonly now: () => number = Date.now) {
    this.events.setMaxListeners(0);
  }

  /** `locale`: the language of the failure message (the caller's: the CLI's --lang, the UI's). */
  start(kind: string, ownerStaffId: string | null, work: JobWork, locale: Locale = DEFAULT_LOCALE): JobState {
    const state: JobState = { id: uuidv7(), kind, status: 'running', done: 0, total: 0, version: 0, startedAt: this.now() };
    const record: JobRecord = { state, ownerStaffId };
    this.jobs.set(state.id, record);
    let lastEmit = 0;
    const update = (patch: Partial<JobState>, force = false) => {
      Object.assign(state, patch);
      state.version += 1;
      const at = this.now();
      if (force || at - lastEmit >= EMIT_EVERY_MS) {
        lastEmit = at;
        this.events.emit('update', { ...state }, ownerStaffId);
      }
    };
    const progress: JobProgress = {
      tick: async (done, total, message) => {
        update({ done, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message } : {}) });
        await yieldToLoop();
      },
    };
    update({}, true);
    // Start on the next turn so the caller can answer with the job id first.
    setImmediate(() => {
      work(progress)
        .then((result) => {
          // The result must be what the contract says this kind of job hands back (issue 18).
          if (isCheckedJobKind(kind)) {
            const checked = jobResultSchemas[kind].safeParse(result);
            if (!checked.success) throw new Error(`job ${kind} returned a result outside its contract: ${checked.error.message}`);
          }
          return result;
        })
        .then(
          (result) => update({ status: 'succeeded', result, done: state.total || state.done, finishedAt: this.now() }, true),
          (error: unknown) => {
            if (error instanceof AppError) record.failure = error;
            const message = error instanceof AppError ? error.messageIn(locale) : String((error as Error)?.message ?? error);
            if (!(error instanceof AppError)) console.error(`job ${kind} ${state.id} failed`, error);
            update({ status: 'failed', error: { code: error instanceof AppError ? error.code : 'internal', message }, finishedAt: this.now() }, true);
          },
        );
    });
    this.prune();
    return { ...state };
  }

  get(id: string): JobState | undefined {
    const record = this.jobs.get(id);
    return record ? { ...record.state } : undefined;
  }

  /** The jobs still running (a restore waits for none: it refuses while any runs). */
  running(): JobState[] {
    return [...this.jobs.values()].filter((j) => j.state.status === 'running').map((j) => ({ ...j.state }));
  }

  /** The AppError a failed job ended with (the CLI answers in --lang with it), if any. */
  failure(id: string): AppError | undefined {
    return this.jobs.get(id)?.failure;
  }

  ownerOf(id: string): string | null | undefined {
    return this.jobs.get(id)?.ownerStaffId;
  }

  /** Resolves when the job's version passes `afterVersion`, or after `timeoutMs` with the current state. */
  watch(id: string, afterVersion: number, timeoutMs = 25_000): Promise<JobState | undefined> {
    const current = this.get(id);
    if (!current || current.version > afterVersion || current.status !== 'running') return Promise.resolve(current);
    return new Promise((resolve) => {
      const onUpdate = (state: JobState) => {
        if (state.id !== id) return;
        cleanup();
        resolve(state);
      };
      const timer = setTimeout(() => {
        cleanup();
        resolve(this.get(id));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.events.off('update', onUpdate);
      };
      this.events.on('update', onUpdate);
    });
  }

  /** Every job update (throttled while running; always the final one). Returns an unsubscribe. */
  subscribe(listener: (state: JobState, ownerStaffId: string | null) => void): () => void {
    this.events.on('update', listener);
    return () => this.events.off('update', listener);
  }

  /** Resolves when the job finishes (for the CLI and tests). */
  async finished(id: string): Promise<JobState> {
    let state = this.get(id);
    while (state && state.status === 'running') state = await this.watch(id, state.version);
    if (!state) throw new Error(`no job ${id}`);
    return state;
  }

  private prune(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state.status !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.jobs.delete(job.state.id);
  }
}
