import { afterEach, describe, expect, it } from 'vitest';
import { setKeyProtector } from './backend/sync/keys';
import { protectSyncKeys } from './shell-keys';

afterEach(() => setKeyProtector(null));

const reversing = (available: boolean, backend?: string) => ({
  isEncryptionAvailable: () => available,
  encryptString: (s: string) => Buffer.from([...s].reverse().join('')),
  decryptString: (b: Buffer) => [...b.toString()].reverse().join(''),
  ...(backend ? { getSelectedStorageBackend: () => backend } : {}),
});

describe('protectSyncKeys', () => {
  it.each([
    ['no safeStorage', undefined, 'linux', 'file-0600'],
    ['encryption unavailable', reversing(false), 'win32', 'file-0600'],
    ['Linux basic_text (no real secret store)', reversing(true, 'basic_text'), 'linux', 'file-0600'],
    ['Linux gnome-libsecret', reversing(true, 'gnome_libsecret'), 'linux', 'safeStorage'],
    ['Windows DPAPI', reversing(true), 'win32', 'safeStorage'],
  ] as const)('%s → %s', (_name, storage, platform, expected) => {
    expect(protectSyncKeys(storage, platform as NodeJS.Platform)).toBe(expected);
  });
});
