/**
 * The station's own key pair (站点密钥), one per epoch. The public half and the key id live in
 * `sync_keys`; the private half never enters the database (it would ride along in every backup
 * and every bootstrap copy): it is a file in `keys/` beside the database, created with mode 0600
 * in a 0700 folder, and — when the desktop shell offers one — sealed by a protector (Electron's
 * `safeStorage`, which uses DPAPI on Windows, the Keychain on macOS, libsecret/kwallet on Linux).
 * It is never printed, logged, or written anywhere else.
 */
import type { KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Actor } from '../audit/record';
import type { Backend } from '../context';
import { sql } from '../db/sql';
import { AppError } from '../errors';
import { generateKeyPair, privateKeyFromPem, privateKeyToPem, publicKeyToBase64, toPublicKey, keyIdOf } from './signedFile';

/**
 * Seals the private key at rest. In the desktop app the back end runs in a utility process, which
 * cannot call Electron's `safeStorage` (a main-process API), so the protector it gets relays each
 * seal/open to main (backend-process.ts `key` messages) and is asynchronous.
 */
export interface KeyProtector {
  name: 'safeStorage';
  seal(plain: Buffer): Promise<Buffer> | Buffer;
  open(sealed: Buffer): Promise<Buffer> | Buffer;
}

let protector: KeyProtector | null = null;

/** Installed by the back-end process when main says safeStorage is usable; null elsewhere (CLI, browser mode). */
export function setKeyProtector(p: KeyProtector | null): void {
  protector = p;
}

/** Whether the key is sealed through this process's protector (the desktop app), which a job thread cannot reach. */
export function keyProtectorInstalled(): boolean {
  return protector !== null;
}

export interface StationKey {
  keyId: string;
  epoch: number;
  publicKey: KeyObject;
  publicKeyBase64: string;
  privateKey: KeyObject;
}

export function keysDir(backend: Backend): string {
  return join(dirname(backend.paths.db), 'keys');
}

const SEALED_PREFIX = 'GDKEY-SEALED-SAFESTORAGE\n';

/** Writes a new private key file (sealed when there is a protector); the clear PEM never reaches the disk when sealing. */
async function writePrivateKey(backend: Backend, keyId: string, privateKey: KeyObject): Promise<{ file: string; protection: string }> {
  const dir = keysDir(backend);
  const name = `station-${keyId}.key`;
  const path = join(dir, name);
  const pem = Buffer.from(privateKeyToPem(privateKey));
  let body: Buffer;
  let protection: string;
  try {
    if (protector) {
      // Sealed first, in memory: if sealing fails nothing is written at all.
      const sealed = Buffer.from(await protector.seal(pem));
      body = Buffer.concat([Buffer.from(SEALED_PREFIX), Buffer.from(sealed.toString('base64'))]);
      protection = 'safeStorage';
    } else {
      body = pem;
      protection = 'file-0600';
    }
  } finally {
    if (protector) pem.fill(0);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(path, body, { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(path, 0o600); // umask cannot widen it, but an odd one could narrow what we asked for
  } catch {
    /* Windows: the profile folder's ACL is what protects it */
  }
  return { file: name, protection };
}

async function readPrivateKey(backend: Backend, file: string): Promise<KeyObject> {
  const path = join(keysDir(backend), file);
  if (!existsSync(path)) throw new AppError('validation', 'sync.keyMissing', { file: path });
  const body = readFileSync(path);
  if (body.subarray(0, SEALED_PREFIX.length).toString() === SEALED_PREFIX) {
    if (!protector) throw new AppError('validation', 'sync.keySealed', { file: path });
    let pem: Buffer;
    try {
      pem = Buffer.from(await protector.open(Buffer.from(body.subarray(SEALED_PREFIX.length).toString(), 'base64')));
    } catch {
      // Another Windows user, another Mac keychain, a wiped secret store: the seal cannot be opened here.
      throw new AppError('validation', 'sync.keyUnsealFailed', { file: path });
    }
    try {
      return privateKeyFromPem(pem);
    } finally {
      pem.fill(0);
    }
  }
  return privateKeyFromPem(body);
}

function currentRow(backend: Backend) {
  return backend.store.read.get<{ key_id: string; epoch: number; public_key: string; key_file: string }>(sql`
    SELECT k.key_id, k.epoch, k.public_key, k.key_file FROM sync_keys k JOIN sync_state s ON s.singleton = 1 AND k.epoch = s.epoch
    WHERE k.retired_at IS NULL`);
}

// Making a key awaits the protector (a round trip to main), so two calls at once could each make
// one: key changes on one station run one after the other.
const keyChanges = new WeakMap<Backend, Promise<unknown>>();
function oneAtATime<T>(backend: Backend, work: () => Promise<T>): Promise<T> {
  const before = keyChanges.get(backend) ?? Promise.resolve();
  const next = before.then(work, work);
  keyChanges.set(backend, next.catch(() => undefined));
  return next;
}

async function newKeyFile(backend: Backend) {
  const pair = generateKeyPair();
  const written = await writePrivateKey(backend, pair.keyId, pair.privateKey);
  return { keyId: pair.keyId, publicKeyBase64: publicKeyToBase64(pair.publicKey), ...written };
}

/** The key of the current epoch, made now if the station has none (set-up, or a station migrated from before sync). */
export async function stationKey(backend: Backend, actor: Actor): Promise<StationKey> {
  let row = currentRow(backend);
  if (!row) {
    row = await oneAtATime(backend, async () => {
      const made = currentRow(backend);
      if (made) return made;
      const key = await newKeyFile(backend);
      backend.write(actor, (unit) => {
        const epoch = unit.value<number>(sql`SELECT epoch FROM sync_state WHERE singleton = 1`) ?? 1;
        unit.run(sql`
          INSERT INTO sync_keys (key_id, epoch, public_key, key_file, protection, created_at, created_by)
          VALUES (${key.keyId}, ${epoch}, ${key.publicKeyBase64}, ${key.file}, ${key.protection}, ${unit.at}, ${actor.staffId})`);
        unit.audit({ action: 'sync.keyCreate', entity: 'sync_key', entityId: key.keyId, summary: { epoch, protection: key.protection } });
      });
      return currentRow(backend)!;
    });
  }
  const privateKey = await readPrivateKey(backend, row.key_file);
  const publicKey = toPublicKey(row.public_key);
  if (keyIdOf(privateKey) !== row.key_id) throw new AppError('validation', 'sync.keyMismatch', { keyId: row.key_id });
  return { keyId: row.key_id, epoch: row.epoch, publicKey, publicKeyBase64: row.public_key, privateKey };
}

/**
 * A new key and a new epoch (密钥轮换): the old key is retired; what was not acknowledged yet is
 * exported again in the new epoch under the new key. Head office must register the new key
 * (a new enrolment file) before it accepts the new epoch's batches. The new key's file is written
 * (and sealed) first, then the retirement, the epoch and the new key are one transaction.
 */
export async function rotateKey(backend: Backend, actor: Actor): Promise<StationKey> {
  await oneAtATime(backend, async () => {
    const key = await newKeyFile(backend);
    backend.write(actor, (unit) => {
      const epoch = unit.value<number>(sql`SELECT epoch FROM sync_state WHERE singleton = 1`) ?? 1;
      unit.run(sql`UPDATE sync_keys SET retired_at = ${unit.at} WHERE retired_at IS NULL`);
      unit.run(sql`UPDATE sync_state SET epoch = ${epoch + 1} WHERE singleton = 1`);
      unit.run(sql`
        INSERT INTO sync_keys (key_id, epoch, public_key, key_file, protection, created_at, created_by)
        VALUES (${key.keyId}, ${epoch + 1}, ${key.publicKeyBase64}, ${key.file}, ${key.protection}, ${unit.at}, ${actor.staffId})`);
      unit.audit({ action: 'sync.keyRotate', entity: 'sync_key', entityId: key.keyId, summary: { from: epoch, to: epoch + 1, protection: key.protection } });
    });
  });
  return stationKey(backend, actor);
}
