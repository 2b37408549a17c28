import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../migrations';

describe('migrations', () => {
  it('number 0001, 0002, … without gaps, and each has its upgrade test', () => {
    const migrations = loadMigrations();
    for (const m of migrations) {
      const test = join(import.meta.dirname, `${String(m.version).padStart(4, '0')}.test.ts`);
      expect(existsSync(test), `missing upgrade test for ${m.version}_${m.name}: ${test}`).toBe(true);
    }
  });
});
