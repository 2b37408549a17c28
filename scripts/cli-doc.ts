// The `griddesk` command's documentation, made from the command table itself so it stays true:
// the README's table (every verb, one line each) and docs/cli.md (usage, channels and the --json
// shape of each). `npx tsx scripts/cli-doc.ts --write` rewrites both; cli docs.test.ts fails when
// either is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../electron/hosts/cli/commands';
import { CLI_EXCLUSIONS } from '../electron/hosts/cli/exclusions';

const ROOT = join(import.meta.dirname, '..');
export const README = join(ROOT, 'README.md');
export const REFERENCE = join(ROOT, 'docs', 'cli.md');
const BEGIN = '<!-- cli-table: made by scripts/cli-doc.ts from the command table; do not edit by hand -->';
const END = '<!-- /cli-table -->';

const cell = (text: string) => text.replaceAll('|', '\\|');

export function readmeTable(): string {
  return [BEGIN, '| command | what it does |', '| --- | --- |', ...COMMANDS.map((c) => `| \`${cell(`${c.name} ${c.usage ?? ''}`.trim())}\` | ${cell(c.summary)} |`), END].join('\n');
}

export function cliReference(): string {
  return [
    '# The `griddesk` command: reference',
    '',
    'Made by `scripts/cli-doc.ts` from the command table (`electron/hosts/cli/commands.ts`); run',
    '`npx tsx scripts/cli-doc.ts --write` after changing a command. The README has the short table;',
    'the choices behind the command are in the README section "The `griddesk` command".',
    '',
    'Every command takes the global options anywhere on the line: `--db FILE`, `--json`,',
    '`--lang zh-CN|en`, `--staff NO`, `-h/--help`. Exit status: 0 success, 1 bad input or refused',
    '(stderr says what and where, and `Next: …` the command to run when there is an obvious one),',
    '2 usage error.',
    '',
    '## JSON output',
    '',
    'With `--json` a command prints one JSON document on stdout: the shape below on success. A',
    'refusal prints `{ "ok": false, "error": { "code", "message", "issues"?, "hint"? } }` (the',
    'codes are those of `shared/errors.ts`) and exits 1. Amounts are integer fen (`…Fen`), kWh and',
    'register quantities integer hundredths (`…Centi`) or exact decimal text; dates `YYYY-MM-DD`,',
    'times milliseconds since 1970. Fields are only ever added, never renamed or removed.',
    '',
    '## Commands',
    '',
    ...COMMANDS.flatMap((c) => [
      `### \`griddesk ${c.name}\``,
      '',
      c.summary,
      '',
      `- usage: \`griddesk ${`${c.name} ${c.usage ?? ''}`.trim()}\``,
      `- channels: ${c.channels.length ? c.channels.map((n) => `\`${n}\``).join(', ') : 'none (works on the database file directly)'}`,
      `- \`--json\`: ${c.json ? `\`${c.json}\`` : 'see `griddesk ' + c.name + ' --help`'}`,
      '',
    ]),
    '## Channels without a verb',
    '',
    '| channel | why |',
    '| --- | --- |',
    ...Object.entries(CLI_EXCLUSIONS).map(([name, reason]) => `| \`${name}\` | ${cell(reason ?? '')} |`),
    '',
  ].join('\n');
}

/** The README with its CLI table replaced by the current one. */
export function readmeWithTable(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md: the CLI table markers are missing (${BEGIN})`);
  return readme.slice(0, start) + readmeTable() + readme.slice(end + END.length);
}

if (process.argv.includes('--write')) {
  writeFileSync(README, readmeWithTable(readFileSync(README, 'utf8')));
  writeFileSync(REFERENCE, cliReference());
  console.log('cli-doc: README.md table and docs/cli.md written');
}
