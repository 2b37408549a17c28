import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword, PRODUCTION_SCRYPT, verifyPassword } from './passwords';

// The suite hashes with cheap parameters (vitest.config.ts sets GRIDDESK_TEST_SCRYPT); these tests
// are about passwords, so they check what a station really stores.
const saved = { scrypt: process.env.GRIDDESK_TEST_SCRYPT, vitest: process.env.VITEST };
afterEach(() => {
  process.env.GRIDDESK_TEST_SCRYPT = saved.scrypt;
  process.env.VITEST = saved.vitest;
});

describe('staff password hashing', () => {
  it('hashes with the production scrypt parameters (N=2^15, r=8, p=1, 32 bytes) outside the test setting', async () => {
    delete process.env.GRIDDESK_TEST_SCRYPT;
    const stored = await hashPassword('counter2026');
    expect(JSON.parse(stored.params)).toEqual({ alg: 'scrypt', ...PRODUCTION_SCRYPT });
    expect(PRODUCTION_SCRYPT).toEqual({ N: 32768, r: 8, p: 1, keylen: 32 });
    expect(stored.hash).toHaveLength(32);
    expect(await verifyPassword('counter2026', stored)).toBe(true);
    expect(await verifyPassword('counter2027', stored)).toBe(false);
  });

  it('never takes the cheap parameters in a process vitest did not start, whatever the variable says', async () => {
    process.env.GRIDDESK_TEST_SCRYPT = 'cheap';
    delete process.env.VITEST;
    expect(JSON.parse((await hashPassword('counter2026')).params).N).toBe(32768);
  });

  it('the rest of the suite hashes cheaply, and a hash verifies by the parameters stored with it', async () => {
    expect(process.env.GRIDDESK_TEST_SCRYPT).toBe('cheap');
    const cheap = await hashPassword('counter2026');
    expect(JSON.parse(cheap.params).N).toBe(1024);
    delete process.env.GRIDDESK_TEST_SCRYPT;
    const real = await hashPassword('counter2026');
    process.env.GRIDDESK_TEST_SCRYPT = 'cheap';
    expect(await verifyPassword('counter2026', real)).toBe(true);
    expect(await verifyPassword('counter2026', cheap)).toBe(true);
    expect(await verifyPassword('Counter2026', real)).toBe(false);
  });
});
