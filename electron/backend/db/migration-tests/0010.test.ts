import { describe, expect, it } from 'vitest';
import { upgradeTo } from './upgrade';

describe('migration 0010_reserved_front', () => {
  it('upgrades a database of the previous build and records the version', () => {
    const { store, cleanup } = upgradeTo(10);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(10);
    } finally {
      cleanup();
    }
  });
});
