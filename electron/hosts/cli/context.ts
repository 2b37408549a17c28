import { userInfo } from 'node:os';
import type { ParseArgsConfig } from 'node:util';
import { jobResult, type ChannelName, type InputOf, type JobKind, type JobResultOf, type OutputOf } from '../../../shared/contract';
import { DEFAULT_LOCALE, translate, type Locale, type MessageKey, type MessageParams } from '../../../shared/i18n';
import { Backend } from '../../backend/context';
import { dispatch } from '../../backend/dispatch';
import type { Actor } from '../../backend/audit/record';
import { AppError } from '../../backend/errors';
import { createHandlers } from '../../backend/handlers';
import type { HandlerTable } from '../../backend/handler';
import { sql } from '../../backend/db/sql';
import { resolveDbPath } from '../paths';
import { appVersion } from './version';

// The `griddesk` command line. Each desk adds commands in its own file in this folder and lists
// them in commands.ts. Exit codes: 0 success, 1 bad input (the message on stderr says what and
// where), 2 usage error.

export const EXIT_OK = 0;
export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;

/**
 * What a CLI error says: a dictionary key with its parameters (said in --lang when printed), or
 * a text already in the caller's language (from cli.t or the back end).
 */
export type Said = string | { key: MessageKey; params?: MessageParams };

/** A dictionary message for an error, said later in the caller's language. */
export const say = (key: MessageKey, params?: MessageParams): Said => (params ? { key, params } : { key });

function saidText(said: Said, locale: Locale): string {
  return typeof said === 'string' ? said : translate(locale, said.key, said.params);
}

/** A usage mistake (unknown command or option, missing argument): exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(readonly said: Said) {
    super(saidText(said, 'en'));
  }
  messageIn(locale: Locale): string {
    return saidText(this.said, locale);
  }
}

/** Bad input found by the command itself (not the back end): exit 1 with this message. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(readonly said: Said) {
    super(saidText(said, 'en'));
  }
  messageIn(locale: Locale): string {
    return saidText(this.said, locale);
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface CliCommand {
  /** One or two words: 'backup', 'customers import'. */
  name: string;
  summary: string;
  /** Arguments after the command, as shown in help: 'FILE.xlsx [--commit]'. */
  usage?: string;
  options?: Options;
  /** What each option means, shown by --help beside it (option name without the dashes). */
  optionHelp?: Record<string, string>;
  /** Number of positional arguments: [min, max]. */
  positionals?: [number, number];
  /**
   * Every contract channel this command calls (`cli.invoke` refuses any other). The coverage test
   * (channels.test.ts) reads these to prove each user-facing channel has a verb; [] for commands
   * that call none (version, serve).
   */
  channels: readonly ChannelName[];
  /** What `--json` prints on success, in a line (README "JSON output"). */
  json?: string;
  run(cli: CliContext, values: Values, positionals: string[]): Promise<number | void>;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export class CliContext {
  readonly json: boolean;
  readonly locale: Locale;
  readonly dbPath: string;
  private backendInstance: Backend | undefined;
  private handlersTable: HandlerTable | undefined;
  /** The staff member the CLI acts as (--staff or GRIDDESK_STAFF), if any. */
  readonly staffNo: string | undefined;
  /** "griddesk pay", for the holders list a restore reads. */
  readonly program: string | undefined;
  /** Who the CLI is without --staff: the station's local operator. */
  readonly operator: Actor = { staffId: null, label: `cli:${safeUser()}` };
  /** The command being run: `invoke` refuses channels it did not declare. */
  command: CliCommand | undefined;
  /** The last refusal from the back end, for the hint of what to run next. */
  lastFailure: AppError | undefined;

  constructor(
    readonly io: CliIo,
    global: { db?: string; json?: boolean; lang?: string; staff?: string; program?: string },
  ) {
    this.program = global.program;
    this.json = global.json ?? false;
    this.locale = global.lang === 'en' ? 'en' : DEFAULT_LOCALE;
    this.dbPath = resolveDbPath(global.db);
    this.staffNo = global.staff ?? process.env.GRIDDESK_STAFF ?? undefined;
  }

  /** Opens the station database (once), migrating it if needed. */
  backend(): Backend {
    // Tells the launcher this run compiled the back end: its code cache is worth keeping.
    (globalThis as { __griddeskBackendOpened?: boolean }).__griddeskBackendOpened = true;
    // Long jobs on a thread of their own: `serve` keeps answering while a billing run works (issue 18).
    this.backendInstance ??= new Backend({ db: this.dbPath, appVersion: appVersion(), jobThreads: true, ...(this.program ? { program: this.program } : {}) });
    return this.backendInstance;
  }

  close(): void {
    this.backendInstance?.close();
    this.backendInstance = undefined;
  }

  /**
   * Calls a channel through `dispatch`, as the local operator or — with --staff — as that staff
   * member's session. Throws AppError on failure, so commands read like the UI's calls.
   */
  async invoke<N extends ChannelName>(name: N, input: InputOf<N>): Promise<OutputOf<N>> {
    if (this.command && !this.command.channels.includes(name)) {
      // A bug, caught by any test that runs the command: the declaration must stay true.
      throw new Error(`griddesk ${this.command.name} calls ${name} but does not list it in its channels`);
    }
    const backend = this.backend();
    this.handlersTable ??= createHandlers();
    let token: string | null = null;
    if (this.staffNo) {
      const id = backend.store.read.value<string>(sql`SELECT id FROM staff WHERE staff_no = ${this.staffNo} AND active = 1`);
      if (!id) throw new InputError(say('cli.noStaff', { staffNo: this.staffNo }));
      token = backend.sessions.start(id).token;
    }
    try {
      const result = await dispatch(backend, this.handlersTable, name, input, {
        token,
        locale: this.locale,
        setSessionToken: () => {},
        operator: this.operator,
        onFailure: (error) => {
          this.lastFailure = error;
        },
      });
      if (!result.ok) throw new AppError(result.error.code, 'error.validation', { what: result.error.message }, result.error.issues);
      return result.value as OutputOf<N>;
    } finally {
      backend.sessions.end(token);
    }
  }

  /**
   * Waits for a job a channel started; a failed job throws its refusal, said in --lang (the
   * runner's own message is in the station's default language). The result is read through its
   * kind's schema (`jobResult`), so a job of another kind or a result out of shape is an error.
   */
  async job<K extends JobKind>(kind: K, started: Promise<{ jobId: string }> | { jobId: string }): Promise<JobResultOf<K>> {
    const { jobId } = await started;
    const jobs = this.backend().jobs;
    const state = await jobs.finished(jobId);
    if (state.status === 'failed') {
      const failure = jobs.failure(jobId);
      if (failure) {
        this.lastFailure = failure;
        throw failure;
      }
      throw new InputError(state.error?.message ?? say('cli.err.jobFailed'));
    }
    return jobResult(kind, state);
  }

  /** Says something in the caller's language. */
  t(key: MessageKey, params?: MessageParams): string {
    return translate(this.locale, key, params);
  }

  /** Prints a result: JSON with --json, else the human text. */
  print(value: unknown, human: () => string): void {
    this.io.stdout(this.json ? JSON.stringify(value, null, 2) : human());
  }

  say(text: string): void {
    if (!this.json) this.io.stdout(text);
  }
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export { appVersion };
