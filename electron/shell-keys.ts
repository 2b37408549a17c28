import { setKeyProtector } from './backend/sync/keys';

// The station's sync private key at rest (docs/sync.md "Keys"): in the desktop app it is sealed
// with Electron's safeStorage (DPAPI on Windows, the Keychain on macOS, the desktop's secret
// service on Linux). Where safeStorage has no real backend (Linux 'basic_text'), the key stays a
// file readable only by the owner, as in the CLI and browser mode.

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Installs the protector when safeStorage is usable; says which protection the keys get. */
export function protectSyncKeys(safeStorage: SafeStorageLike | undefined, platform: NodeJS.Platform = process.platform): 'safeStorage' | 'file-0600' {
  if (!safeStorage || !safeStorage.isEncryptionAvailable()) return 'file-0600';
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return 'file-0600';
  setKeyProtector({
    name: 'safeStorage',
    seal: (plain) => safeStorage.encryptString(plain.toString('utf8')),
    open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'utf8'),
  });
  return 'safeStorage';
}
