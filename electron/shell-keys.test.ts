import { describe, expect, it } from 'vitest';
import { keyVault } from './shell-keys';

const reversing = (available: boolean, backend?: string) => ({
  isEncryptionAvailable: () => available,
  encryptString: (s: string) => Buffer.from([...s].reverse().join('')),
  decryptString: (b: Buffer) => [...b.toString()].reverse().join(''),
  ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
});

describe('keyVault', () => {
  it.each([
    ['no safeStorage', undefined, 'linux', false],
    ['encryption unavailable', reversing(false), 'win32', false],
    ['Linux basic_text (no real secret store)', reversing(true, 'basic_text'), 'linux', false],
    ['Linux gnome-libsecret', reversing(true, 'gnome_libsecret'), 'linux', true],
    ['Windows DPAPI', reversing(true), 'win32', true],
  ] as const)('%s → vault: %s', (_name, storage, platform, expected) => {
    expect(keyVault(storage, platform as NodeJS.Platform) !== null).toBe(expected);
  });

  it('seals and opens bytes through safeStorage', () => {
    const vault = keyVault(reversing(true), 'win32')!;
    const sealed = vault.seal(Buffer.from('-----BEGIN PRIVATE KEY-----'));
    expect(sealed.toString()).not.toContain('BEGIN');
    expect(vault.open(sealed).toString()).toBe('-----BEGIN PRIVATE KEY-----');
  });
});
