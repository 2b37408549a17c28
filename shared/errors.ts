// Stable error codes every channel may answer with. The transports turn any failure into
// `{ ok: false, error: { code, message, issues? } }`; the code is for programs, the message for
// the clerk (in the caller's language, from the i18n dictionary).

export const ERROR_CODES = [
  'unknown_channel', // no such channel
  'bad_request', // the body is not JSON, or the request is not a call at all
  'invalid_input', // the input does not match the channel's schema (issues say which field)
  'not_logged_in', // the channel needs a session and there is none (or it expired)
  'forbidden', // the session's roles lack the channel's permission
  'bad_credentials', // wrong staff number or password
  'account_locked', // too many failed logins
  'account_inactive', // deactivated staff
  'not_found', // the thing named does not exist
  'conflict', // the thing exists already, or the state does not allow it
  'validation', // a business rule refused the input (the message says which)
  'not_available', // this transport cannot do it (e.g. a desktop-only action in browser mode)
  'not_set_up', // the station has not been set up yet
  'internal', // a bug: logged, nothing half-written
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface InputIssue {
  /** Dotted path of the field, e.g. "rows.3.phone". */
  path: string;
  message: string;
}

export interface ApiError {
  code: ErrorCode;
  message: string;
  issues?: InputIssue[];
  params?: Record<string, string | number>;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };
