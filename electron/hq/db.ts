import { mkdirSync } from 'node:fs';
import pg from 'pg';

// Head office's store: PostgreSQL through `pg` (production: --pg URL or GRIDDESK_PG), or PGlite —
// real PostgreSQL compiled to WebAssembly — in a folder for a trial on one PC. The same SQL runs
// on both; this file is the only place that knows which one it is.

export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Several statements, no parameters (migrations). */
  exec(text: string): Promise<void>;
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

export async function openPg(url: string): Promise<HqDb> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
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
    tx: (work) =>
      serial(() =>
        db.transaction(async (t) =>
          work({
            query: async (text, params) => norm((await t.query(text, params)).rows),
            exec: async (text) => void (await t.exec(text)),
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
