import { describe, expect, it } from 'vitest';
import { upgradeTo } from './upgrade';

describe('migration 0013_reserved_cli', () => {
  it('upgrades a database of the previous build and records the version', () => {
    const { store, cleanup } = upgradeTo(13);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(13);
    } finally {
      cleanup();
    }
  });
});
