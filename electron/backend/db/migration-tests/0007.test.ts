import { describe, expect, it } from 'vitest';
import { upgradeTo } from './upgrade';

describe('migration 0007_reserved_safety', () => {
  it('upgrades a database of the previous build and records the version', () => {
    const { store, cleanup } = upgradeTo(7);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(7);
    } finally {
      cleanup();
    }
  });
});
