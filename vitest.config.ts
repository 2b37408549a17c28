import { defineConfig } from 'vitest/config';

// Unit and integration tests: shared/ rules and the back end in plain Node against real SQLite
// files in temp folders. End-to-end tests live in e2e/ and run under Playwright instead.
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'scripts/**/*.test.ts', 'renderer/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // Cheap scrypt outside the password tests (staff/passwords.ts), and new station files copied
    // from one migrated template (db/testTemplate.ts): production never sets these.
    env: { GRIDDESK_TEST_SCRYPT: 'cheap', GRIDDESK_TEST_TEMPLATE: '1' },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
