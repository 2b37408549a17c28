import { parseArgs } from 'node:util';
import { storageError } from '../../backend/db/storageErrors';
import { AppError } from '../../backend/errors';
import { COMMANDS } from './commands';
import { CliContext, EXIT_BAD_INPUT, EXIT_OK, EXIT_USAGE, InputError, UsageError, type CliIo, type Options } from './context';

const GLOBAL_OPTIONS: Options = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  staff: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'griddesk — GridDesk 供电所营销服务台, command line',
    '',
    'Usage: griddesk COMMAND [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    '  --db FILE        the station database (default: $GRIDDESK_DB, else the desktop app\'s data folder)',
    '  --json           machine-readable output',
    '  --lang zh-CN|en  language of messages (default zh-CN)',
    '  --staff NO       act as this staff member (default: the local operator, recorded as cli:<user>)',
    '',
    'Exit status: 0 success, 1 bad input, 2 usage error.',
  ].join('\n');
}

/** Runs one CLI invocation; returns the exit code (the caller exits with it). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Commands may be one or two words ('customers import'): take the longest that matches.
  const two = COMMANDS.find((c) => c.name === argv.slice(0, 2).join(' '));
  const one = COMMANDS.find((c) => c.name === argv[0]);
  const command = two ?? one;
  const rest = argv.slice(command ? command.name.split(' ').length : 0);
  if (!command) {
    if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
      io.stdout(helpText());
      return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
    }
    io.stderr(`griddesk: unknown command "${argv[0]}"\n\n${helpText()}`);
    return EXIT_USAGE;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...GLOBAL_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`griddesk ${command.name}: ${(error as Error).message}\nUsage: griddesk ${command.name} ${command.usage ?? ''}`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`Usage: griddesk ${command.name} ${command.usage ?? ''}\n${command.summary}`);
    return EXIT_OK;
  }
  const [min, max] = command.positionals ?? [0, 0];
  if (positionals.length < min || positionals.length > max) {
    io.stderr(`griddesk ${command.name}: expected ${min === max ? min : `${min}–${max}`} argument(s)\nUsage: griddesk ${command.name} ${command.usage ?? ''}`);
    return EXIT_USAGE;
  }
  if (typeof values.lang === 'string' && values.lang !== 'zh-CN' && values.lang !== 'en') {
    io.stderr(`griddesk: --lang must be zh-CN or en`);
    return EXIT_USAGE;
  }
  const cli = new CliContext(io, {
    ...(typeof values.db === 'string' ? { db: values.db } : {}),
    json: values.json === true,
    ...(typeof values.lang === 'string' ? { lang: values.lang } : {}),
    ...(typeof values.staff === 'string' ? { staff: values.staff } : {}),
    program: `griddesk ${command.name}`,
  });
  try {
    const code = await command.run(cli, values, positionals);
    return code ?? EXIT_OK;
  } catch (thrown) {
    // A disk fault (full, read-only, failing) is the office's to fix, not a bug: its message, no stack.
    const error = storageError(thrown, cli.dbPath) ?? thrown;
    if (error instanceof UsageError) {
      io.stderr(`griddesk ${command.name}: ${error.message}\nUsage: griddesk ${command.name} ${command.usage ?? ''}`);
      return EXIT_USAGE;
    }
    if (error instanceof AppError || error instanceof InputError) {
      const message = error instanceof AppError ? error.messageIn(cli.locale) : error.message;
      if (cli.json) io.stdout(JSON.stringify({ ok: false, error: { code: error instanceof AppError ? error.code : 'validation', message, ...(error instanceof AppError && error.issues ? { issues: error.issues } : {}) } }, null, 2));
      io.stderr(`griddesk ${command.name}: ${message}`);
      if (error instanceof AppError && error.issues) for (const issue of error.issues) io.stderr(`  ${issue.path}: ${issue.message}`);
      return EXIT_BAD_INPUT;
    }
    io.stderr(`griddesk ${command.name}: unexpected error: ${(error as Error)?.stack ?? String(error)}`);
    return EXIT_BAD_INPUT;
  } finally {
    try {
      cli.close();
    } catch (error) {
      io.stderr(`griddesk ${command.name}: ${storageError(error, cli.dbPath)?.messageIn(cli.locale) ?? (error as Error).message}`);
    }
  }
}

// Run when executed (bin/griddesk.mjs imports this module).
if (process.env.GRIDDESK_CLI_NO_AUTORUN !== '1') {
  const code = await runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
  });
  process.exitCode = code;
}
