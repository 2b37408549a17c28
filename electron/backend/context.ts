import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { makeUnit, type Actor, type Unit } from './audit/record';
import { openStore, type OpenStoreOptions } from './db/open';
import { sql } from './db/sql';
import type { Store } from './db/store';
import { AppError } from './errors';
import { JobRunner } from './jobs/runner';
import { keepJobThreadWarm, stopJobThreads } from './jobs/thread';
import { SessionStore } from './staff/sessions';

export interface StationIdentity {
  id: string;
  code: string;
  name: string;
}

export interface BackendOptions extends Omit<OpenStoreOptions, 'file'> {
  /** The station database file. */
  db: string;
  /** Where backups go (default: backups/ beside the database). */
  backupsDir?: string;
  /** True when the Electron shell hosts the back end (shell channels are then served). */
  desktop?: boolean;
  appVersion?: string;
  /** Run long jobs (the billing run) on a worker thread with their own connection (browser mode, CLI; issue 18). */
  jobThreads?: boolean;
  /**
   * With `jobThreads`: how long after the start, and after each job's thread ends, a spare job
   * thread is started with its code loaded, for the next job (jobs/thread.ts keepJobThreadWarm);
   * false for none. Default: WARM_AFTER_MS where threads run from a bundle; none from the sources.
   */
  warmJobThread?: number | false;
}

/**
 * The station back end as one object: the open store, jobs, sessions and the clock. Hosts (the
 * Electron shell, the web host, the CLI) make one and hand it to `dispatch`. Nothing here knows
 * which host runs it.
 */
export class Backend {
  store: Store;
  schemaVersion: number;
  readonly jobs: JobRunner;
  readonly sessions: SessionStore;
  readonly now: () => number;
  readonly paths: { db: string; backupsDir: string };
  readonly desktop: boolean;
  readonly appVersion: string;
  readonly jobThreads: boolean;
  /** How this process loads SQLite and finds migrations (the desktop shell passes its own). */
  readonly driver: { migrationsDir?: string; nativeBinding?: string };
  private readonly options: BackendOptions;
  private stationCache: StationIdentity | undefined;
  /** Set when the store was opened by migrating an older database. */
  readonly migratedFrom: number | undefined;

  constructor(options: BackendOptions) {
    this.options = options;
    this.now = options.now ?? Date.now;
    this.paths = { db: options.db, backupsDir: options.backupsDir ?? join(dirname(options.db), 'backups') };
    this.driver = {
      ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}),
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    };
    // The backups folder is made when the first backup is written, not here: a database on
    // read-only media (a backup on a USB stick) must open for `check` without writing anything.
    const opened = this.open();
    this.store = opened.store;
    this.schemaVersion = opened.toVersion;
    if (!this.store.readonly) {
      try {
        mkdirSync(this.paths.backupsDir, { recursive: true }); // writable station: the folder is there from the start
      } catch {
        /* made again when the first backup is written */
      }
    }
    this.migratedFrom = opened.fromVersion < opened.toVersion && opened.fromVersion > 0 ? opened.fromVersion : undefined;
    this.jobs = new JobRunner(this.now);
    this.sessions = new SessionStore(this.now);
    this.desktop = options.desktop ?? false;
    this.appVersion = options.appVersion ?? '0.0.0';
    this.jobThreads = options.jobThreads ?? false;
    if (this.jobThreads && !this.store.readonly) keepJobThreadWarm(this, options.warmJobThread);
  }

  private open() {
    const { db, backupsDir, desktop: _desktop, appVersion: _appVersion, jobThreads: _jobThreads, warmJobThread: _warm, ...rest } = this.options;
    return openStore({ ...rest, file: db, backupsDir: backupsDir ?? this.paths.backupsDir, now: this.now });
  }

  /** Closes and opens the database file again (after a restore replaced it). */
  reopen(): void {
    this.store.close();
    const opened = this.open();
    this.store = opened.store;
    this.schemaVersion = opened.toVersion;
    this.stationCache = undefined;
    this.sessions.endAll();
  }

  station(): StationIdentity | undefined {
    this.stationCache ??= this.store.read.get<StationIdentity>(sql`SELECT id, code, name FROM station`);
    return this.stationCache;
  }

  requireStation(): StationIdentity {
    const station = this.station();
    if (!station) throw new AppError('not_set_up', 'error.not_set_up');
    return station;
  }

  /**
   * One business write: a transaction whose unit appends the audit log and the outbox as it
   * goes. Either all of it commits or none of it does.
   */
  write<T>(actor: Actor, work: (unit: Unit) => T): T {
    return this.store.write((tx) => {
      const unit = makeUnit(tx, this.now(), actor, this.schemaVersion, () => {
        const station = this.station() ?? tx.get<StationIdentity>(sql`SELECT id, code, name FROM station`);
        if (!station) throw new AppError('not_set_up', 'error.not_set_up');
        return station.id;
      });
      return work(unit);
    });
  }

  close(): void {
    stopJobThreads(this);
    this.sessions.endAll();
    this.store.close();
  }
}
