import { describe, expect, it } from 'vitest';
import { upgradeTo } from './upgrade';

describe('migration 0011_reserved_nowait', () => {
  it('upgrades a database of the previous build and records the version', () => {
    const { store, cleanup } = upgradeTo(11);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(11);
    } finally {
      cleanup();
    }
  });
});
