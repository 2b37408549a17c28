import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KeyObject } from 'node:crypto';
import { generateKeyPair, keyIdOf, privateKeyFromPem, privateKeyToPem, publicKeyToBase64, toPublicKey, fingerprint } from '../backend/sync/signedFile';
import { openHqDb, type HqDb, type Sql } from './db';

// One head office: its store, its home folder (raw batch files, published packs, its signing key)
// and its identity. Plain Node: the CLI, the HTTP host and the tests all build one of these.

export interface HqMigration {
  version: number;
  name: string;
  sql: string;
}

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function hqMigrationsDir(): string {
  return fileURLToPath(new URL('../../migrations/hq', import.meta.url));
}

export function loadHqMigrations(dir = hqMigrationsDir()): HqMigration[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((file, index) => {
      const m = FILE_RE.exec(file);
      if (!m || Number(m[1]) !== index + 1) throw new Error(`hq migrations: "${file}" out of sequence (expected ${String(index + 1).padStart(4, '0')}_name.sql)`);
      return { version: index + 1, name: m[2]!, sql: readFileSync(join(dir, file), 'utf8') };
    });
}

/** Applies the migrations not yet applied, each in its own transaction; refuses a newer store. */
export async function migrateHq(db: HqDb, migrations = loadHqMigrations(), upTo = migrations.length): Promise<number> {
  const present = await db.query<{ t: string | null }>(`SELECT to_regclass('hq_schema_migrations')::text AS t`);
  let applied: number[] = [];
  if (present[0]?.t) applied = (await db.query<{ version: number }>('SELECT version FROM hq_schema_migrations ORDER BY version')).map((r) => Number(r.version));
  const newest = applied.at(-1) ?? 0;
  if (newest > migrations.length) throw new Error(`head office store is at schema version ${newest}, this program knows up to ${migrations.length}: upgrade the program`);
  for (const m of migrations) {
    if (m.version <= newest || m.version > upTo) continue;
    await db.tx(async (q) => {
      await q.exec(m.sql);
      await q.query('INSERT INTO hq_schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
  }
  return Math.max(newest, Math.min(upTo, migrations.length));
}

export interface HqKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

/** Head office's signing key: `<home>/keys/hq-key.pem`, readable only by its owner. Made once. */
export function loadOrCreateHqKey(home: string): HqKey {
  const dir = join(home, 'keys');
  const file = join(dir, 'hq-key.pem');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) {
    const pair = generateKeyPair();
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, privateKeyToPem(pair.privateKey, process.env.GRIDDESK_HQ_KEY_PASSPHRASE || undefined), { mode: 0o600 });
    renameSync(tmp, file);
  }
  chmodSync(file, 0o600);
  const privateKey = privateKeyFromPem(readFileSync(file), process.env.GRIDDESK_HQ_KEY_PASSPHRASE || undefined);
  const publicKey = toPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

export interface HqOptions {
  home: string;
  pg?: string | undefined;
  /** Size cap for one batch file (bytes). */
  maxBatchBytes?: number;
}

export class HqContext {
  private constructor(
    readonly db: HqDb,
    readonly home: string,
    readonly key: HqKey,
    readonly maxBatchBytes: number,
  ) {}

  static async open(options: HqOptions): Promise<HqContext> {
    mkdirSync(options.home, { recursive: true });
    for (const sub of ['files/batches', 'files/packs', 'files/bootstrap']) mkdirSync(join(options.home, sub), { recursive: true });
    const db = await openHqDb({ pg: options.pg, home: options.home });
    try {
      await migrateHq(db);
    } catch (e) {
      await db.close();
      throw e;
    }
    return new HqContext(db, options.home, loadOrCreateHqKey(options.home), options.maxBatchBytes ?? 4 * 1024 ** 3);
  }

  /** Head office's id in reference packs: its key id (stations pin that key at enrolment). */
  get hqId(): string {
    return this.key.keyId;
  }

  get publicKeyBase64(): string {
    return publicKeyToBase64(this.key.publicKey);
  }

  get fingerprint(): string {
    return fingerprint(this.key.publicKey);
  }

  file(...parts: string[]): string {
    return join(this.home, 'files', ...parts);
  }

  async audit(q: Sql, actor: string, action: string, detail: Record<string, unknown>): Promise<void> {
    await q.query('INSERT INTO hq_audit (actor, action, detail) VALUES ($1, $2, $3)', [actor, action, JSON.stringify(detail)]);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}
