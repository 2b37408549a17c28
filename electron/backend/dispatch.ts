import type { z } from 'zod';
import { channelDef, isChannelName, type ChannelName } from '../../shared/contract';
import type { ApiResult, InputIssue } from '../../shared/errors';
import { hasMessage, translate, type Locale } from '../../shared/i18n';
import { RuleError } from '../../shared/i18n/coded';
import { hasPermission } from '../../shared/permissions';
import { zodLocale } from '../../shared/validation';
import { SYSTEM_ACTOR, type Actor } from './audit/record';
import type { Backend } from './context';
import { AppError } from './errors';
import { actorOf, type Call, type HandlerTable } from './handler';
import { loadCallStaff } from './staff/staff';

/** What a transport knows about one call. */
export interface TransportCall {
  token: string | null;
  locale: Locale;
  /** Keeps the new session token (or forgets it on logout). */
  setSessionToken(token: string | null): void;
  /**
   * The local operator (the CLI run by whoever holds the database file): passes every access
   * check and is recorded under this label, unless it acts as a named staff member's session.
   */
  operator?: Actor;
  /** Sees the refusal itself (its dictionary key): the CLI adds the next command to run. */
  onFailure?(error: AppError): void;
}

/** While a password must be changed (after a reset), only these channels answer. */
const ALLOWED_BEFORE_PASSWORD_CHANGE = new Set<string>(['system.info', 'auth.me', 'auth.logout', 'auth.changePassword', 'auth.login']);

function issuesOf(error: z.ZodError, locale: Locale): InputIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: hasMessage(issue.message) ? translate(locale, issue.message) : issue.message,
  }));
}

/**
 * The single entry to the back end, used by every transport: checks the channel name, the
 * session and its permission, parses the input, runs the handler and checks its output. Every
 * failure comes back as `{ ok: false, error: { code, message } }`; nothing is thrown.
 */
export async function dispatch(
  backend: Backend,
  handlers: HandlerTable,
  name: string,
  rawInput: unknown,
  transport: TransportCall,
): Promise<ApiResult<unknown>> {
  const { locale } = transport;
  const fail = (error: AppError): ApiResult<unknown> => {
    transport.onFailure?.(error);
    return { ok: false, error: error.toApi(locale) };
  };
  try {
    if (!isChannelName(name)) return fail(new AppError('unknown_channel', 'error.unknown_channel', { channel: name }));
    const def = channelDef(name);

    const session = backend.sessions.get(transport.token) ?? null;
    let staff = session ? loadCallStaff(backend.store.read, session.staffId) : undefined;
    if (session && (!staff || !staff.active)) {
      backend.sessions.end(session.token);
      staff = undefined;
    }

    const asOperator = !staff && transport.operator !== undefined;
    if (def.access !== 'public' && !asOperator) {
      if (!staff) return fail(new AppError('not_logged_in', 'error.not_logged_in'));
      if (def.access !== 'session' && !hasPermission(staff.roles, def.access)) {
        return fail(new AppError('forbidden', 'error.forbidden', { permission: def.access }));
      }
      if (staff.mustChangePassword && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(name)) {
        return fail(new AppError('forbidden', 'login.mustChange'));
      }
    }

    const parsed = def.input.safeParse(rawInput ?? {}, { error: zodLocale(locale) });
    if (!parsed.success) {
      const issues = issuesOf(parsed.error, locale);
      const details = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
      return fail(new AppError('invalid_input', 'error.invalid_input', { details }, issues));
    }

    const call: Call = {
      backend,
      session: staff ? session : null,
      staff: staff ?? null,
      actor: staff ? actorOf(staff) : (transport.operator ?? SYSTEM_ACTOR),
      locale,
      setSessionToken: transport.setSessionToken,
    };
    const handler = handlers[name as ChannelName] as (input: unknown, call: Call) => unknown;
    const value = await handler(parsed.data, call);

    // Outputs are checked too: a handler bug answers `internal` rather than leaking or lying,
    // and fields the contract does not name (a password hash) are stripped.
    const output = def.output.safeParse(value);
    if (!output.success) {
      console.error(`dispatch: ${name} returned a value that does not match its contract`, output.error.issues);
      return fail(new AppError('internal', 'error.internal'));
    }
    return { ok: true, value: output.data };
  } catch (error) {
    if (error instanceof AppError) return fail(error);
    // A shared rule refused what reached it (a malformed date, cash short): nothing was written
    // (the transaction rolled back), and the clerk reads the rule's reason in their language.
    if (error instanceof RuleError) return fail(new AppError('validation', error.coded.key, error.coded.params ?? {}));
    console.error(`dispatch: ${name} failed`, error);
    return fail(new AppError('internal', 'error.internal'));
  }
}
