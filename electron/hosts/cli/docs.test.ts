import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReference, README, readmeWithTable, REFERENCE } from '../../../scripts/cli-doc';

// The README's CLI table and docs/cli.md are made from the command table; they must match it.
describe('griddesk documentation', () => {
  it('README.md lists every verb and docs/cli.md gives each one\'s usage, channels and JSON shape', () => {
    const fix = 'out of date: run npx tsx scripts/cli-doc.ts --write';
    const readme = readFileSync(README, 'utf8');
    expect(readme === readmeWithTable(readme), `README.md CLI table ${fix}`).toBe(true);
    expect(readFileSync(REFERENCE, 'utf8') === cliReference(), `docs/cli.md ${fix}`).toBe(true);
  });
});
