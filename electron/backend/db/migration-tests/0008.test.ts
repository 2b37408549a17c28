import { describe, expect, it } from 'vitest';
import { upgradeTo } from './upgrade';

describe('migration 0008_reserved_appraisal', () => {
  it('upgrades a database of the previous build and records the version', () => {
    const { store, cleanup } = upgradeTo(8);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(8);
    } finally {
      cleanup();
    }
  });
});
