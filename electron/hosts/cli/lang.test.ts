import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runGriddesk } from './testing';

// `--lang en` applies to every message (issue 21): a representative set of failing and succeeding
// commands runs in both languages. English output may hold no Han character (the station's data
// here is written in Latin letters, so any Han text is the program's own); Chinese output may hold
// no English sentence once the command names, options and placeholders are taken out.

let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'griddesk-lang-'));
  db = join(dir, 'station.db');
  const init = await runGriddesk(['init', '--station', 'LG01', '--name', 'Hill Station', '--admin', 'A001', '--password', 'admin1234', '--db', db, '--lang', 'en']);
  expect(init.code, init.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each case: the arguments (without --db/--lang) and the exit code expected. */
const CASES: [string[], number][] = [
  // refusals found by the CLI itself
  [['frobnicate'], 2],
  [['customers', 'frobnicate'], 2],
  [['staff', 'list', '--bogus'], 2],
  [['customers', 'show'], 2],
  [['books', 'create'], 2],
  [['backup', '--out'], 2],
  [['customers', 'import', 'x.xlsx', '--commit=yes'], 2],
  [['staff', 'roles', 'A001', '--roles', 'boss'], 2],
  [['period', 'open', '2026-13'], 1],
  [['balance', 'LG010000001', '--as-of', '2026-99-01'], 2],
  [['pay', 'LG010000001', '--amount', 'ten', '--channel', 'cash'], 1],
  [['staff', 'list', '--staff', 'ZZ99'], 1],
  // refusals from the back end, with the next command to run
  [['period', 'open', '2026-10'], 1],
  [['customers', 'show', 'LG019999999'], 1],
  // succeeding commands
  [['staff', 'create', 'R001', '--name', 'Reader One', '--roles', 'meter_reader', '--password', 'first1234'], 0],
  [['staff', 'list'], 0],
  [['staff', 'reset-password', 'R001', '--password', 'again1234'], 0],
  [['books', 'list'], 0],
  [['backups', 'list'], 0],
  [['check'], 0],
];

const HAN = /\p{Script=Han}/u;

/** Chinese output without what stays English in both languages: commands, options, placeholders, codes and paths. */
function withoutCommandWords(text: string): string {
  return text
    .replaceAll(db, 'DB')
    .replace(/griddesk(?: (?:[a-z][\w-]*|--[\w-]+|[A-Z][A-Z_.…]+|\[[^\]]*\]|[A-Z0-9-]+))*/g, ' ')
    .replace(/--[\w-]+(?:[ =][A-Z_][A-Z_0-9.|…]*)?/g, ' ')
    .replace(/\b[a-z]+(?:_[a-z]+)+\b/g, ' '); // codes such as meter_reader, integrity_check
}
const ENGLISH_SENTENCE = /\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b/;

describe('every message in the language asked for', () => {
  for (const [args, code] of CASES) {
    it(`griddesk ${args.join(' ')}`, async () => {
      const en = await runGriddesk([...args, '--db', db, '--lang', 'en']);
      expect(en.code, en.stderr).toBe(code);
      const enText = `${en.stdout}\n${en.stderr}`;
      expect(enText.trim().length).toBeGreaterThan(0);
      expect(HAN.test(enText), `Han text in English output:\n${enText}`).toBe(false);

      const zh = await runGriddesk([...args, '--db', db, '--lang', 'zh-CN']);
      expect(zh.code, zh.stderr).toBe(code === 0 && args[1] === 'create' ? 1 : code); // creating twice is refused
      const zhText = `${zh.stdout}\n${zh.stderr}`;
      expect(HAN.test(zhText), `no Chinese in Chinese output:\n${zhText}`).toBe(true);
      const sentence = ENGLISH_SENTENCE.exec(withoutCommandWords(zhText));
      expect(sentence?.[0], `English sentence in Chinese output:\n${zhText}`).toBeUndefined();
    });
  }
});
