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
export const PRODUCTION_SCRYPT: ScryptParams = { N: 32768, r: 8, p: 1, keylen: 32 };

// The test suite makes staff in hundreds of tests; at N=2^15 each hash took 0.1–1.3 s of the 2
// cores. Tests that are not about passwords hash with N=2^10 (vitest's config sets the variable;
// only a process vitest started, and the CLI processes those tests spawn, see it). The stored
// params say which were used, so verification is the same code either way. The password tests
// unset it and check the production parameters.
const TEST_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1, keylen: 32 };

function currentParams(): ScryptParams {
  return process.env.VITEST && process.env.GRIDDESK_TEST_SCRYPT === 'cheap' ? TEST_SCRYPT : PRODUCTION_SCRYPT;
}

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
  const params = currentParams();
  const hash = await run(password, salt, params);
  return { hash, salt, params: JSON.stringify({ alg: 'scrypt', ...params }) };
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
