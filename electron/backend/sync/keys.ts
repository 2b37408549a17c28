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

/** Seals the private key at rest; the Electron shell installs one built on safeStorage. */
export interface KeyProtector {
  name: 'safeStorage';
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

let protector: KeyProtector | null = null;

/** Called once by the desktop shell when `safeStorage.isEncryptionAvailable()`. */
export function setKeyProtector(p: KeyProtector | null): void {
  protector = p;
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

function writePrivateKey(backend: Backend, keyId: string, privateKey: KeyObject): { file: string; protection: string } {
  const dir = keysDir(backend);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `station-${keyId}.key`;
  const path = join(dir, name);
  const pem = privateKeyToPem(privateKey);
  let body: Buffer;
  let protection: string;
  if (protector) {
    body = Buffer.concat([Buffer.from(SEALED_PREFIX), Buffer.from(protector.seal(Buffer.from(pem)).toString('base64'))]);
    protection = 'safeStorage';
  } else {
    body = Buffer.from(pem);
    protection = 'file-0600';
  }
  writeFileSync(path, body, { mode: 0o600, flag: 'wx' });
  try {
    chmodSync(path, 0o600); // umask cannot widen it, but an odd one could narrow what we asked for
  } catch {
    /* Windows: the profile folder's ACL is what protects it */
  }
  return { file: name, protection };
}

function readPrivateKey(backend: Backend, file: string): KeyObject {
  const path = join(keysDir(backend), file);
  if (!existsSync(path)) throw new AppError('validation', 'sync.keyMissing', { file: path });
  const body = readFileSync(path);
  if (body.subarray(0, SEALED_PREFIX.length).toString() === SEALED_PREFIX) {
    if (!protector) throw new AppError('validation', 'sync.keySealed', { file: path });
    return privateKeyFromPem(protector.open(Buffer.from(body.subarray(SEALED_PREFIX.length).toString(), 'base64')));
  }
  return privateKeyFromPem(body);
}

function currentRow(backend: Backend) {
  return backend.store.read.get<{ key_id: string; epoch: number; public_key: string; key_file: string }>(sql`
    SELECT k.key_id, k.epoch, k.public_key, k.key_file FROM sync_keys k JOIN sync_state s ON s.singleton = 1 AND k.epoch = s.epoch
    WHERE k.retired_at IS NULL`);
}

/** The key of the current epoch, made now if the station has none (set-up, or a station migrated from before sync). */
export function stationKey(backend: Backend, actor: Actor): StationKey {
  let row = currentRow(backend);
  if (!row) {
    const pair = generateKeyPair();
    const publicKeyBase64 = publicKeyToBase64(pair.publicKey);
    const written = writePrivateKey(backend, pair.keyId, pair.privateKey);
    backend.write(actor, (unit) => {
      const epoch = unit.value<number>(sql`SELECT epoch FROM sync_state WHERE singleton = 1`) ?? 1;
      unit.run(sql`
        INSERT INTO sync_keys (key_id, epoch, public_key, key_file, protection, created_at, created_by)
        VALUES (${pair.keyId}, ${epoch}, ${publicKeyBase64}, ${written.file}, ${written.protection}, ${unit.at}, ${actor.staffId})`);
      unit.audit({ action: 'sync.keyCreate', entity: 'sync_key', entityId: pair.keyId, summary: { epoch, protection: written.protection } });
    });
    row = currentRow(backend)!;
  }
  const privateKey = readPrivateKey(backend, row.key_file);
  const publicKey = toPublicKey(row.public_key);
  if (keyIdOf(privateKey) !== row.key_id) throw new AppError('validation', 'sync.keyMismatch', { keyId: row.key_id });
  return { keyId: row.key_id, epoch: row.epoch, publicKey, publicKeyBase64: row.public_key, privateKey };
}

/**
 * A new key and a new epoch (密钥轮换): the old key is retired; what was not acknowledged yet is
 * exported again in the new epoch under the new key. Head office must register the new key
 * (a new enrolment file) before it accepts the new epoch's batches.
 */
export function rotateKey(backend: Backend, actor: Actor): StationKey {
  backend.write(actor, (unit) => {
    const epoch = unit.value<number>(sql`SELECT epoch FROM sync_state WHERE singleton = 1`) ?? 1;
    unit.run(sql`UPDATE sync_keys SET retired_at = ${unit.at} WHERE retired_at IS NULL`);
    unit.run(sql`UPDATE sync_state SET epoch = ${epoch + 1} WHERE singleton = 1`);
    unit.audit({ action: 'sync.keyRotate', entity: 'sync_key', entityId: null, summary: { from: epoch, to: epoch + 1 } });
  });
  return stationKey(backend, actor);
}
