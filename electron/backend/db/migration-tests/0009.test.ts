import { describe, expect, it } from 'vitest';
import { upgradeTo } from './upgrade';

describe('migration 0009_reserved_sync', () => {
  it('upgrades a database of the previous build and records the version', () => {
    const { store, cleanup } = upgradeTo(9);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(9);
    } finally {
      cleanup();
    }
  });
});
