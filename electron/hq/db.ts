import { mkdirSync } from 'node:fs';
import pg from 'pg';

// Head office's store: PostgreSQL through `pg` (production: --pg URL or GRIDDESK_PG), or PGlite —
// real PostgreSQL compiled to WebAssembly — in a folder for a trial on one PC. The same SQL runs
// on both; this file is the only place that knows which one it is.

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
  /**
   * `COPY … FROM STDIN` (text format) fed from `lines` (each already escaped for COPY text format,
   * ending in a newline), streamed: memory holds one chunk whatever the size. Returns the rows
   * copied. An error thrown by `lines` aborts the COPY (CopyFail) and is rethrown as is. A Buffer
   * item is a block of whole lines already encoded (UTF-8), sent as it is.
   */
  copyIn(copySql: string, lines: AsyncIterable<string | Buffer>): Promise<number>;
}

export interface HqDb extends Sql {
  readonly kind: 'pg' | 'pglite';
  readonly where: string;
  /** One transaction on one connection; rolled back if `work` throws. */
  tx<T>(work: (q: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

// bigint and numeric come back as numbers: amounts are fen (integers far below 2^53) and counts.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

/** Bytes gathered before one CopyData message is sent (fewer, larger messages). */
const COPY_CHUNK_BYTES = 256 * 1024;

/**
 * COPY FROM STDIN on one `pg` client, without pg-copy-streams (not a dependency): a pg Query whose
 * copy-in handler pumps the lines into CopyData messages, waiting for the socket to drain so
 * memory stays bounded. The server answers CommandComplete "COPY n" then ReadyForQuery.
 */
function copyInPg(client: pg.PoolClient | pg.Client, copySql: string, lines: AsyncIterable<string | Buffer>): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    let sourceError: unknown = null;
    let serverFailed = false;
    const finish = (err: unknown, n?: number) => {
      if (settled) return;
      settled = true;
      if (err) reject(sourceError ?? err);
      else resolve(n ?? 0);
    };
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const query: any = new (pg as any).Query(copySql, undefined, (err: unknown, result: { rowCount?: number | null } | undefined) => {
      if (err) serverFailed = true;
      finish(err, Number(result?.rowCount ?? 0));
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    query.handleCopyInResponse = (connection: any) => {
      void (async () => {
        const stream = connection.stream as NodeJS.WritableStream & { writableNeedDrain?: boolean };
        let parts: string[] = [];
        let size = 0;
        const drain = async () => {
          if (stream.writableNeedDrain) await new Promise<void>((r) => stream.once('drain', () => r()));
        };
        const send = async () => {
          if (!size) return;
          connection.sendCopyFromChunk(Buffer.from(parts.join(''), 'utf8'));
          parts = [];
          size = 0;
          await drain();
        };
        try {
          for await (const line of lines) {
            if (serverFailed) return;
            if (typeof line !== 'string') {
              await send();
              connection.sendCopyFromChunk(line);
              await drain();
              continue;
            }
            parts.push(line);
            size += line.length;
            if (size >= COPY_CHUNK_BYTES) await send();
          }
          if (serverFailed) return;
          await send();
          connection.endCopyFrom();
        } catch (e) {
          sourceError = e;
          if (!serverFailed) connection.sendCopyFail(e instanceof Error ? e.message : String(e));
        }
      })();
    };
    client.query(query);
  });
}

/** PGlite reads COPY input from a blob; sent in slices of lines so memory stays bounded. */
async function copyInPglite(run: (sql: string, blob: Blob) => Promise<number>, copySql: string, lines: AsyncIterable<string | Buffer>): Promise<number> {
  const sql = copySql.replace(/FROM\s+STDIN/i, "FROM '/dev/blob'");
  let parts: (string | Buffer)[] = [];
  let size = 0;
  let total = 0;
  const send = async () => {
    if (!size) return;
    total += await run(sql, new Blob(parts as BlobPart[]));
    parts = [];
    size = 0;
  };
  for await (const line of lines) {
    parts.push(line);
    size += line.length;
    if (size >= COPY_CHUNK_BYTES * 16) await send();
  }
  await send();
  return total;
}

export async function openPg(url: string): Promise<HqDb> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  // An idle connection the server ends (a restart, an administrator's terminate) must not bring
  // head office down: the pool drops it and the next query opens another.
  pool.on('error', () => {});
  // Fail early with a clear message if the server is not there.
  const probe = await pool.connect();
  probe.release();
  const wrap = (c: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(text: string, params?: unknown[]) {
      return (await c.query(text, params as unknown[])).rows as T[];
    },
    async exec(text: string) {
      await c.query(text);
    },
    async copyIn(copySql: string, lines: AsyncIterable<string | Buffer>) {
      if (c instanceof pg.Pool) {
        const client = await c.connect();
        try {
          return await copyInPg(client, copySql, lines);
        } finally {
          client.release();
        }
      }
      return copyInPg(c, copySql, lines);
    },
  });
  const base = wrap(pool);
  return {
    kind: 'pg',
    where: url.replace(/:[^:@/]*@/, ':***@'),
    ...base,
    async tx(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await work(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

export async function openPglite(dir: string): Promise<HqDb> {
  mkdirSync(dir, { recursive: true });
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dir);
  // PGlite is one connection: a transaction excludes every other call, so queue them.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = queue.then(fn, fn);
    queue = next.catch(() => {});
    return next;
  };
  const norm = (rows: unknown[]) => rows as never[];
  return {
    kind: 'pglite',
    where: dir,
    query: (text, params) => serial(async () => norm((await db.query(text, params)).rows)),
    exec: (text) => serial(async () => void (await db.exec(text))),
    copyIn: (copySql, lines) => serial(() => copyInPglite(async (sql, blob) => Number((await db.query(sql, [], { blob })).affectedRows ?? 0), copySql, lines)),
    tx: (work) =>
      serial(() =>
        db.transaction(async (t) =>
          work({
            query: async (text, params) => norm((await t.query(text, params)).rows),
            exec: async (text) => void (await t.exec(text)),
            copyIn: (copySql, lines) => copyInPglite(async (sql, blob) => Number((await t.query(sql, [], { blob })).affectedRows ?? 0), copySql, lines),
          }),
        ),
      ),
    async close() {
      await queue;
      await db.close();
    },
  };
}

/** --pg URL, else GRIDDESK_PG, else PGlite in `<home>/pgdata`. */
export async function openHqDb(options: { pg?: string | undefined; home: string }): Promise<HqDb> {
  const url = options.pg ?? process.env.GRIDDESK_PG;
  if (url) return openPg(url);
  return openPglite(`${options.home}/pgdata`);
}
