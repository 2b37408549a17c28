import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync, closeSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGriddesk } from '../../../hosts/cli/testing';
import { encryptedWorkbook, oldXls, runMeasured, sharedStringBomb, zipBomb } from './hostile.fixture';
import { MAX_TEXT_CHARS, readWorkbook, WorkbookError } from './read';
import { writeWorkbook } from './write';

// Issue 15, items 2 and 7: workbooks that once took the station down or answered with a stack
// trace. Each is refused by the one shared reader with a message a clerk can act on, exit 1,
// and bounded memory, measured on a real child process.

const ROOT = resolve(import.meta.dirname, '../../../..');
const GRIDDESK = join(ROOT, 'bin', 'griddesk.mjs');
/** What the issue allows any import to use on any input. */
const RSS_LIMIT_MB = 500;

let dir: string;
let db: string;
let bomb: string;
let bomb886: string;
const cli = (...args: string[]) => runGriddesk([...args, '--db', db]);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-hostile-'));
  db = join(dir, 'station.db');
  bomb = join(dir, 'bomb.xlsx');
  bomb886 = join(dir, 'bomb-886.xlsx');
  writeFileSync(bomb, sharedStringBomb());
  writeFileSync(bomb886, sharedStringBomb({ cellsPerRow: 2 }));
  // A demo station with an open reading period, so the handheld import reaches the reader too.
  expect((await cli('demo', '--customers', '20')).code).toBe(0);
  const opened = await cli('period', 'open', '2026-12');
  expect(opened.stderr).toBe('');
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function refusal(bytes: Uint8Array, timeLimitMs?: number): Promise<{ reason: string; rows: number; ms: number }> {
  let rows = 0;
  const started = performance.now();
  try {
    await readWorkbook(bytes, { maxRows: 100_000, timeLimitMs, onRows: (batch) => (rows += batch.length) });
  } catch (error) {
    if (error instanceof WorkbookError) return { reason: error.reason, rows, ms: performance.now() - started };
    throw error;
  }
  return { reason: 'read', rows, ms: performance.now() - started };
}

describe('a small workbook whose 100,000 rows name one long shared string (issue 15 item 2)', () => {
  it('is about half a megabyte on disk and is refused in the reader, with few rows handed over', async () => {
    const bytes = sharedStringBomb();
    expect(bytes.length).toBeLessThan(600 * 1024); // ~450 KB, as found in the field
    const first = await refusal(bytes);
    expect(first.reason).toBe('tooMuchText');
    // Each row is 32,767 characters: the cap lets through about a thousand, never the 100,000.
    expect(first.rows).toBeLessThanOrEqual(Math.ceil(MAX_TEXT_CHARS / 32_767));
    const wider = sharedStringBomb({ cellsPerRow: 2 });
    expect(wider.length).toBeLessThan(1024 * 1024); // the 886 KB variant
    expect((await refusal(wider)).reason).toBe('tooMuchText');
  }, 60_000);

  it('a real-sized file with long cells is still read', async () => {
    // 2,000 rows of 28 cells of 60 characters: 3.4 million characters, well under the cap.
    const cell = '青山镇东村'.repeat(12);
    const rows = Array.from({ length: 2001 }, (_, i) => Array.from({ length: 28 }, (_, c) => (i === 0 ? `列${c}` : `${cell}${i}`)));
    let read = 0;
    const result = await readWorkbook(await writeWorkbook([{ name: 's', rows }]), { maxRows: 100_000, onRows: (batch) => (read += batch.length) });
    expect(result.truncated).toBe(false);
    expect(read).toBe(2001);
  }, 60_000);

  it('the time limit fires even while this thread is kept busy by the rows', async () => {
    const rows = [['户名'], ...Array.from({ length: 20_000 }, (_, i) => [`客户${i}`])];
    const bytes = await writeWorkbook([{ name: 's', rows }]);
    let batches = 0;
    const started = performance.now();
    const outcome = await readWorkbook(bytes, {
      maxRows: 100_000,
      timeLimitMs: 300,
      onRows: () => {
        batches += 1;
        const until = performance.now() + 250; // a slow check of each batch
        while (performance.now() < until);
      },
    }).then(
      () => 'read',
      (error: unknown) => (error instanceof WorkbookError ? error.reason : String(error)),
    );
    expect(outcome).toBe('timeout');
    expect(batches).toBeLessThan(5); // 11 batches in all: it stopped early
    expect(performance.now() - started).toBeLessThan(2_000);
  }, 30_000);

  it('the customer import and the handheld import refuse it as a real process, under 500 MB', async () => {
    const runs = [
      ['customers', 'import', bomb, '--lang', 'en'],
      ['customers', 'import', bomb886, '--lang', 'en'],
      ['readings', 'import', bomb, '--period', '2026-12', '--lang', 'en'],
      ['readings', 'import', bomb886, '--period', '2026-12', '--lang', 'en'],
    ];
    for (const args of runs) {
      const run = await runMeasured(process.execPath, [GRIDDESK, ...args, '--db', db]);
      expect({ args, code: run.code, signal: run.signal }).toEqual({ args, code: 1, signal: null });
      expect(run.stderr).toContain('holds too much text');
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(run.peakRssMb).toBeGreaterThan(0);
      expect(run.peakRssMb).toBeLessThan(RSS_LIMIT_MB);
    }
  }, 120_000);
});

describe('files a clerk might give the imports (issue 15 item 7)', () => {
  const both = async (file: string) => ({
    customers: await cli('customers', 'import', file, '--lang', 'en'),
    readings: await cli('readings', 'import', file, '--period', '2026-12', '--lang', 'en'),
  });

  /** Both imports answer exit 1 with the same message (but for the command's name), no stack. */
  async function sameRefusal(file: string, expected: RegExp): Promise<string> {
    const { customers, readings } = await both(file);
    expect(customers.code).toBe(1);
    expect(readings.code).toBe(1);
    const message = customers.stderr.replace(/^griddesk customers import: /, '');
    expect(message).toMatch(expected);
    expect(readings.stderr.replace(/^griddesk readings import: /, '')).toBe(message);
    expect(message).not.toMatch(/\n\s+at |Error:|EISDIR|base64|Too (small|big)|Cannot create a string/);
    return message;
  }

  it('a folder, an empty file, a missing file', async () => {
    const folder = join(dir, '客户.xlsx');
    mkdirSync(folder);
    await sameRefusal(folder, /is a folder, not a workbook/);
    const empty = join(dir, 'empty.xlsx');
    writeFileSync(empty, '');
    await sameRefusal(empty, /is empty \(0 bytes\)/);
    await sameRefusal(join(dir, 'nothere.xlsx'), /There is no file "/);
  });

  it('a 420 MB file and a 200 MB file are refused by their size without being read', async () => {
    for (const [name, size] of [['huge.xlsx', 420], ['big.xlsx', 200]] as const) {
      const file = join(dir, name);
      closeSync(openSync(file, 'w'));
      truncateSync(file, size * 1024 * 1024); // sparse: takes no disk
      const message = await sameRefusal(file, /is too large/);
      expect(message).toContain(`(${size.toFixed(1)} MB); the limit is 30.0 MB`);
      rmSync(file);
    }
  });

  it('a password-protected workbook and an old .xls say what they are', async () => {
    const locked = join(dir, 'locked.xlsx');
    writeFileSync(locked, encryptedWorkbook());
    await sameRefusal(locked, /protected by a password/);
    const old = join(dir, 'old.xls');
    writeFileSync(old, oldXls());
    await sameRefusal(old, /old Excel file \(\.xls\)/);
  });

  it('a zip bomb is refused quoting what it unpacks to, not its own size', async () => {
    const file = join(dir, 'bomb-zip.xlsx');
    const bytes = await zipBomb(600);
    expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
    writeFileSync(file, bytes);
    const message = await sameRefusal(file, /unpacks to more than 512\.0 MB/);
    expect(message).toMatch(/the file itself is 0\.\d MB/);
  }, 60_000);

  it('speaks Chinese by default and English with --lang en', async () => {
    const empty = join(dir, 'empty2.xlsx');
    writeFileSync(empty, '');
    expect((await cli('customers', 'import', empty)).stderr).toContain('是空的（0 字节）');
    expect((await cli('customers', 'import', bomb)).stderr).toContain('文字太多');
    expect((await cli('customers', 'import', bomb, '--lang', 'en')).stderr).toContain('holds too much text');
    expect((await cli('readings', 'import', bomb, '--period', '2026-12')).stderr).toContain('文字太多');
  }, 60_000);
});

