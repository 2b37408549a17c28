import { describe, expect, it } from 'vitest';
import { upgradeTo } from './upgrade';

describe('migration 0012_reserved_intake', () => {
  it('upgrades a database of the previous build and records the version', () => {
    const { store, cleanup } = upgradeTo(12);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(12);
    } finally {
      cleanup();
    }
  });
});
