// The station's sync private key at rest (docs/sync.md "Keys"): in the desktop app it is sealed
// with Electron's safeStorage (DPAPI on Windows, the Keychain on macOS, the desktop's secret
// service on Linux). safeStorage is a main-process API and the back end runs in a utility process,
// so main only offers this vault and the back end asks for seal/open over its port
// (backend-process.ts `key` messages). Where safeStorage has no real backend (Linux 'basic_text'),
// there is no vault: the key stays a file readable only by the owner, as in the CLI and browser mode.

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Seals and opens bytes; what main answers the back end's `key` requests with. */
export interface KeyVault {
  seal(plain: Buffer): Buffer;
  open(sealed: Buffer): Buffer;
}

/** The vault when safeStorage is usable (call after Electron's `ready`), else null. */
export function keyVault(safeStorage: SafeStorageLike | undefined, platform: NodeJS.Platform = process.platform): KeyVault | null {
  if (!safeStorage || !safeStorage.isEncryptionAvailable()) return null;
  if (platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text') return null;
  return {
    // The key is a PEM (ASCII), so the string API loses nothing.
    seal: (plain) => safeStorage.encryptString(plain.toString('utf8')),
    open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'utf8'),
  };
}
