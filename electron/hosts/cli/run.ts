import { parseArgs } from 'node:util';
import type { MessageKey } from '../../../shared/i18n';
import { storageError } from '../../backend/db/storageErrors';
import { AppError } from '../../backend/errors';
import { COMMANDS } from './commands';
import { translate, type Locale } from '../../../shared/i18n';
import { CliContext, EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, InputError, UsageError, say, type CliCommand, type CliIo, type Values } from './context';

// One `griddesk` invocation: global options taken from anywhere on the line, the command found
// (one or two words), its own options parsed strictly, and every failure said in --lang with
// the next command to run where there is an obvious one.

const GLOBAL_VALUE_OPTIONS = ['db', 'lang', 'staff'] as const;
const GLOBAL_HELP = [
  'Options for every command (before or after the command):',
  '  --db FILE        the station database (default: $GRIDDESK_DB, else the desktop app\'s data folder)',
  '  --json           machine-readable output (README "JSON output" gives each command\'s shape)',
  '  --lang zh-CN|en  language of messages (default zh-CN)',
  '  --staff NO       act as this staff member, with their permissions (default: the local operator, recorded as cli:<user>)',
  '  -h, --help       this help; griddesk COMMAND --help for one command',
];

interface Globals {
  db?: string;
  json: boolean;
  lang?: string;
  staff?: string;
  help: boolean;
}

/** Takes the global options out of the line wherever they stand; the rest is the command's. */
export function splitGlobals(argv: readonly string[]): { globals: Globals; rest: string[] } {
  const globals: Globals = { json: false, help: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === '--json') globals.json = true;
    else if (arg === '--help' || arg === '-h') globals.help = true;
    else {
      const match = /^--(db|lang|staff)(?:=(.*))?$/.exec(arg);
      if (!match) {
        rest.push(arg);
        continue;
      }
      const name = match[1] as (typeof GLOBAL_VALUE_OPTIONS)[number];
      const value = match[2] ?? argv[++i];
      if (value === undefined || (match[2] === undefined && value.startsWith('--'))) throw new UsageError(say('cli.err.needsValue', { option: `--${name}` }));
      globals[name] = value;
    }
  }
  return { globals, rest };
}

export function findCommand(words: readonly string[]): CliCommand | undefined {
  // Commands may be one or two words ('customers import'): the longer match wins.
  return COMMANDS.find((c) => c.name === words.slice(0, 2).join(' ')) ?? COMMANDS.find((c) => c.name === words[0]);
}

export function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'griddesk — GridDesk 供电所营销服务台, command line',
    '',
    'Usage: griddesk COMMAND [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    ...GLOBAL_HELP,
    '',
    'Exit status: 0 success, 1 bad input or refused (the message says what and where), 2 usage error.',
  ].join('\n');
}

function optionList(command: CliCommand): string[] {
  const entries = Object.entries(command.options ?? {});
  if (entries.length === 0) return [];
  const heads = entries.map(([name, o]) => `  --${name}${o.type === 'string' ? ' VALUE' : ''}${o.multiple ? ' (may repeat)' : ''}`);
  const width = Math.max(...heads.map((h) => h.length));
  return ['Options:', ...entries.map(([name], i) => (command.optionHelp?.[name] ? `${heads[i]!.padEnd(width)}  ${command.optionHelp[name]}` : heads[i]!))];
}

export function commandHelp(command: CliCommand): string {
  return [
    `Usage: griddesk ${command.name} ${command.usage ?? ''}`.trimEnd(),
    command.summary,
    '',
    ...optionList(command),
    ...(command.json ? [`--json prints: ${command.json}`] : []),
    ...(command.channels.length ? [`Calls: ${command.channels.join(', ')} (same permissions and audit as the desk)`] : []),
    '',
    ...GLOBAL_HELP,
  ].join('\n');
}

const usageLine = (command: CliCommand, locale: Locale = 'en') => translate(locale, 'cli.usage', { usage: `griddesk ${command.name} ${command.usage ?? ''}`.trimEnd() });

/** Node's parseArgs refusals, said in --lang: which option and what is wrong with it. */
function parseFailure(error: Error & { code?: string }, locale: Locale): string {
  const option = /'(-[^' ]+)/.exec(error.message)?.[1] ?? '';
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return translate(locale, 'cli.err.unknownOption', { option });
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return translate(locale, /does not take/.test(error.message) ? 'cli.err.noValue' : 'cli.err.needsValue', { option });
  }
  return error.message;
}

/** Next steps after a refusal, by the refusal's dictionary key. */
const HINTS: Partial<Record<MessageKey, (error: AppError) => [MessageKey, Record<string, string | number>?]>> = {
  'period.noBooks': () => ['cli.hint.periodNoBooks'],
  'period.cannotClose': (e) => ['cli.hint.periodCannotClose', { period: String(e.params.period ?? 'YYYY-MM') }],
  'login.mustChange': () => ['cli.hint.mustChange'],
  'error.forbidden': () => ['cli.hint.forbidden'],
  'error.not_set_up': () => ['cli.hint.notSetUp'],
  'collection.noClerk': () => ['cli.hint.staffNeeded'],
  'collection.needsHead': () => ['cli.hint.forbidden'],
  'billing.approveNeedsStaff': () => ['cli.hint.forbidden'],
};

/** Runs one CLI invocation; returns the exit code (the caller exits with it). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let globals: Globals;
  let rest: string[];
  // The language is known before anything can fail: the line's --lang, read first.
  const langAt = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const lang = langAt < 0 ? undefined : argv[langAt]!.includes('=') ? argv[langAt]!.slice('--lang='.length) : argv[langAt + 1];
  const locale: Locale = lang === 'en' ? 'en' : 'zh-CN';
  try {
    ({ globals, rest } = splitGlobals(argv));
  } catch (error) {
    io.stderr(`griddesk: ${error instanceof UsageError ? error.messageIn(locale) : (error as Error).message}`);
    return EXIT_USAGE;
  }
  if (globals.lang !== undefined && globals.lang !== 'zh-CN' && globals.lang !== 'en') {
    io.stderr('griddesk: --lang must be zh-CN or en（--lang 只能是 zh-CN 或 en）');
    return EXIT_USAGE;
  }
  if (rest[0] === 'help') {
    const command = findCommand(rest.slice(1));
    io.stdout(command ? commandHelp(command) : helpText());
    return EXIT_OK;
  }
  const command = findCommand(rest);
  if (!command) {
    if (rest.length === 0) {
      io.stdout(helpText());
      return globals.help ? EXIT_OK : EXIT_USAGE;
    }
    const near = COMMANDS.filter((c) => c.name.split(' ')[0] === rest[0]).map((c) => `  griddesk ${c.name} ${c.usage ?? ''}`.trimEnd());
    io.stderr(
      near.length
        ? `griddesk: ${translate(locale, 'cli.err.unknownSub', { command: rest.slice(0, 2).join(' '), word: rest[0] ?? '' })}\n${near.join('\n')}`
        : `griddesk: ${translate(locale, 'cli.err.unknownCommand', { command: rest[0] ?? '' })}`,
    );
    return EXIT_USAGE;
  }
  if (globals.help) {
    io.stdout(commandHelp(command));
    return EXIT_OK;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest.slice(command.name.split(' ').length), options: command.options ?? {}, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`griddesk ${command.name}: ${parseFailure(error as Error, locale)}\n${usageLine(command, locale)}`);
    return EXIT_USAGE;
  }
  const { positionals } = parsed;
  // The globals are visible to the command too (some commands read --staff).
  const values: Values = { ...(globals.staff !== undefined ? { staff: globals.staff } : {}), ...(globals.json ? { json: true } : {}), ...parsed.values };
  const [min, max] = command.positionals ?? [0, 0];
  if (positionals.length < min || positionals.length > max) {
    io.stderr(`griddesk ${command.name}: ${translate(locale, 'cli.err.argCount', { count: min === max ? min : `${min}–${max}` })}\n${usageLine(command, locale)}`);
    return EXIT_USAGE;
  }
  const cli = new CliContext(io, {
    ...(globals.db !== undefined ? { db: globals.db } : {}),
    json: globals.json,
    ...(globals.lang !== undefined ? { lang: globals.lang } : {}),
    ...(globals.staff !== undefined ? { staff: globals.staff } : {}),
    program: `griddesk ${command.name}`,
  });
  cli.command = command;
  try {
    const code = await command.run(cli, values, positionals);
    return code ?? EXIT_OK;
  } catch (thrown) {
    // A disk fault (full, read-only, failing) is the office's to fix, not a bug: its message, no stack.
    const error = storageError(thrown, cli.dbPath) ?? thrown;
    if (error instanceof UsageError) {
      io.stderr(`griddesk ${command.name}: ${error.messageIn(cli.locale)}\n${usageLine(command, cli.locale)}`);
      return EXIT_USAGE;
    }
    if (error instanceof AppError || error instanceof InputError) {
      const message = error.messageIn(cli.locale);
      const failure = error instanceof AppError && error.key !== 'error.validation' ? error : cli.lastFailure;
      const hintOf = failure ? HINTS[failure.key] : undefined;
      const hint = failure && hintOf ? cli.t(...(hintOf(failure) as [MessageKey, Record<string, string | number>?])) : undefined;
      const issues = error instanceof AppError ? error.issues : undefined;
      if (cli.json) {
        const code = error instanceof AppError ? error.code : 'validation';
        io.stdout(JSON.stringify({ ok: false, error: { code, message, ...(issues ? { issues } : {}), ...(hint ? { hint } : {}) } }, null, 2));
      }
      io.stderr(`griddesk ${command.name}: ${message}`);
      if (issues) for (const issue of issues) io.stderr(`  ${issue.path}: ${issue.message}`);
      if (hint) io.stderr(cli.t('cli.next', { hint }));
      return EXIT_BAD_INPUT;
    }
    io.stderr(`griddesk ${command.name}: ${cli.t('cli.err.unexpected', { detail: (error as Error)?.stack ?? String(error) })}`);
    return EXIT_BAD_INPUT;
  } finally {
    try {
      cli.close();
    } catch (error) {
      io.stderr(`griddesk ${command.name}: ${storageError(error, cli.dbPath)?.messageIn(cli.locale) ?? (error as Error).message}`);
    }
  }
}
