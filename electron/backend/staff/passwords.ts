import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// Staff passwords are hashed with scrypt (node:crypto) and a per-user salt. The parameters are
// stored with each hash so they can be raised later without locking anyone out.

export interface PasswordHash {
  hash: Buffer;
  salt: Buffer;
  params: string;
}

interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keylen: number;
}

// N=2^15: ~50–100 ms on an office PC — slow for guessing, unnoticeable at login.
const CURRENT: ScryptParams = { N: 32768, r: 8, p: 1, keylen: 32 };

function run(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      params.keylen,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const hash = await run(password, salt, CURRENT);
  return { hash, salt, params: JSON.stringify({ alg: 'scrypt', ...CURRENT }) };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const params = JSON.parse(stored.params) as ScryptParams & { alg: string };
  if (params.alg !== 'scrypt') return false;
  const candidate = await run(password, stored.salt, params);
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}

/** At least 8 characters with letters and digits: simple enough to remember at a counter. */
export function passwordAcceptable(password: string): boolean {
  return password.length >= 8 && /\p{L}/u.test(password) && /\d/.test(password);
}
