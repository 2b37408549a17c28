import type BetterSqlite3 from 'better-sqlite3';
import { statSync } from 'node:fs';
import { AppError } from '../errors';
import type { SqlFragment } from './sql';
import { storageError } from './storageErrors';
import { announceWaiting } from './waiting';

// Read code and write code are told apart in types (after Signal's ReadableDB / WritableDB):
// a function that receives a `ReadableDB` cannot write; a `WritableDB` exists only inside
// `store.write(...)`, which is one transaction. Every business write goes through it.

export type Row = Record<string, unknown>;

export interface ReadableDB {
  readonly readable: true;
  all<T = Row>(query: SqlFragment): T[];
  get<T = Row>(query: SqlFragment): T | undefined;
  /** The first column of the first row, or undefined. */
  value<T = unknown>(query: SqlFragment): T | undefined;
  /** The first column of every row. */
  column<T = unknown>(query: SqlFragment): T[];
  /** Every row as an array of its columns in SELECT order: no object per row (bulk reads, exports). */
  rows<T extends unknown[] = unknown[]>(query: SqlFragment): T[];
  iterate<T = Row>(query: SqlFragment): IterableIterator<T>;
}

export interface WritableDB extends ReadableDB {
  readonly writable: true;
  run(query: SqlFragment): { changes: number; lastInsertRowid: number | bigint };
}

const STATEMENT_CACHE_LIMIT = 500;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** Blocks this thread for `ms` (a write waiting for the lock: SQLite's busy handler blocks the same way). */
function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/** SQLite's page cache for a station's connection, in KiB (see openStore). */
export const PAGE_CACHE_KIB = 64 * 1024;

/** Which file on disk a connection has open: device and inode (文件标识). */
export interface FileIdentity {
  dev: bigint;
  ino: bigint;
}

/** The device and inode the path names now, or undefined when nothing is there. */
export function fileIdentity(path: string): FileIdentity | undefined {
  try {
    const s = statSync(path, { bigint: true });
    return { dev: s.dev, ino: s.ino };
  } catch {
    return undefined;
  }
}

export interface StoreOptions {
  /** The file the connection has open (see openStore: taken so it is certain). */
  identity?: FileIdentity | undefined;
  /** Opened read-only (read-only media or file): writes are refused with a clear message. */
  readonly?: boolean;
  /** Called once when the store closes (removes this process from the holders list). */
  onClose?: () => void;
  /** better-sqlite3's native binding the connection was opened with: another thread's connection to the file uses it too (jobs/checkpointAside.ts). */
  nativeBinding?: string | undefined;
}

/** Wraps one better-sqlite3 connection with cached statements and the typed read/write split. */
export class Store {
  readonly db: BetterSqlite3.Database;
  readonly file: string;
  readonly read: ReadableDB;
  readonly readonly: boolean;
  readonly nativeBinding: string | undefined;
  private readonly identity: FileIdentity | undefined;
  private readonly onClose: (() => void) | undefined;
  private readonly writer: WritableDB;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private closed = false;
  /**
   * Told each outermost write transaction's time as it commits, and the rows it wrote (inserted,
   * updated or deleted, triggers' included: SQLite's total_changes) — the demo builder's and the
   * benches' longest-transaction figures. Unset, nothing is counted.
   */
  onTransaction: ((ms: number, rows: number) => void) | undefined;

  constructor(db: BetterSqlite3.Database, file: string, options: StoreOptions = {}) {
    this.db = db;
    this.file = file;
    this.identity = options.identity;
    this.readonly = options.readonly ?? false;
    this.nativeBinding = options.nativeBinding;
    this.onClose = options.onClose;
    const prepare = (q: SqlFragment) => this.prepare(q.text);
    this.read = {
      readable: true,
      all: <T>(q: SqlFragment) => prepare(q).all(...q.params) as T[],
      get: <T>(q: SqlFragment) => prepare(q).get(...q.params) as T | undefined,
      value: <T>(q: SqlFragment) => prepare(q).pluck(true).get(...q.params) as T | undefined,
      column: <T>(q: SqlFragment) => prepare(q).pluck(true).all(...q.params) as T[],
      rows: <T extends unknown[]>(q: SqlFragment) => prepare(q).raw(true).all(...q.params) as T[],
      iterate: <T>(q: SqlFragment) => prepare(q).iterate(...q.params) as IterableIterator<T>,
    };
    this.writer = {
      ...this.read,
      writable: true,
      run: (q: SqlFragment) => {
        const info = prepare(q).run(...q.params);
        return { changes: info.changes, lastInsertRowid: info.lastInsertRowid };
      },
    };
  }

  private prepare(text: string): BetterSqlite3.Statement {
    let statement = this.statements.get(text);
    if (statement) {
      // pluck() and raw() are sticky on a statement; reset them for the next caller.
      if (statement.reader) statement.pluck(false).raw(false);
      return statement;
    }
    if (this.statements.size >= STATEMENT_CACHE_LIMIT) {
      const oldest = this.statements.keys().next().value;
      if (oldest !== undefined) this.statements.delete(oldest);
    }
    statement = this.db.prepare(text);
    this.statements.set(text, statement);
    return statement;
  }

  /**
   * Runs `work` in one IMMEDIATE transaction (the write lock is taken at the start, so two
   * processes — the app and the CLI — never deadlock upgrading a read lock). Either everything
   * `work` wrote commits, or nothing does.
   */
  write<T>(work: (tx: WritableDB) => T): T {
    if (this.db.inTransaction) return work(this.writer); // nested: part of the outer transaction
    this.assertSameFile();
    if (this.readonly) throw new AppError('validation', 'storage.readonly', { file: this.file });
    try {
      if (!this.onTransaction) return this.immediate(work);
      const changes = this.prepare('SELECT total_changes()').pluck(true);
      const rowsBefore = Number(changes.get());
      const started = performance.now();
      const result = this.immediate(work);
      const ms = performance.now() - started;
      this.onTransaction(ms, Number(changes.get()) - rowsBefore);
      return result;
    } catch (error) {
      throw storageError(error, this.file) ?? error;
    }
  }

  /** The connection's busy_timeout (open.ts sets 5 s), read once. */
  private busyTimeoutMs: number | undefined;

  /**
   * The IMMEDIATE transaction. The lock is first asked for without waiting; when another
   * connection holds it (a job's slice, another process), this write announces that it waits
   * (db/waiting.ts: a job holds back between its slices while anyone waits) and tries again every
   * millisecond until the connection's busy_timeout has passed, so it gets the lock within a
   * millisecond of the slice's commit rather than after SQLite's busy handler's next sleep
   * (1, 2, 5 … 25, 50, 100 ms). Inside the transaction the busy_timeout is the usual one.
   */
  private immediate<T>(work: (tx: WritableDB) => T): T {
    // (A PRAGMA busy_timeout takes effect when it is prepared, not when run: db.pragma each time.)
    this.busyTimeoutMs ??= Number(this.db.pragma('busy_timeout', { simple: true })) || 0;
    const normal = `busy_timeout = ${this.busyTimeoutMs}`;
    if (this.busyTimeoutMs === 0) return this.db.transaction(() => work(this.writer)).immediate();
    let entered = false;
    const transaction = this.db.transaction(() => {
      entered = true;
      this.db.pragma(normal);
      return work(this.writer);
    });
    const deadline = performance.now() + this.busyTimeoutMs;
    let withdraw: (() => void) | undefined;
    try {
      for (;;) {
        this.db.pragma('busy_timeout = 0');
        try {
          return transaction.immediate();
        } catch (error) {
          if (entered || (error as { code?: string }).code !== 'SQLITE_BUSY' || performance.now() >= deadline) throw error;
        }
        withdraw ??= announceWaiting(this.file);
        sleepSync(1);
      }
    } finally {
      if (!entered) this.db.pragma(normal);
      withdraw?.();
    }
  }

  /**
   * Refuses to write when the path no longer names the file this connection has open: the file
   * was replaced underneath it (a restore by hand, a copy over it). Writing on would put payments
   * into a deleted file — gone when this process closes — and hand out receipt numbers again.
   * One stat() per transaction: microseconds beside the fsync every commit does anyway.
   */
  assertSameFile(): void {
    if (!this.identity) return;
    const now = fileIdentity(this.file);
    if (!now || now.dev !== this.identity.dev || now.ino !== this.identity.ino) {
      throw new AppError('conflict', 'storage.replaced', { file: this.file });
    }
  }

  /** True while the path still names the file this connection has open. */
  get sameFile(): boolean {
    try {
      this.assertSameFile();
      return true;
    } catch {
      return false;
    }
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    try {
      // optimize may write statistics: on a read-only, replaced or full file that fails, and
      // closing must not (it used to crash the CLI on a read-only file).
      if (!this.readonly && this.sameFile) this.db.pragma('optimize');
    } catch {
      /* statistics are an optimisation only */
    } finally {
      this.db.close();
      this.onClose?.();
    }
  }
}
