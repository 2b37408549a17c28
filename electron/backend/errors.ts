import type { ApiError, ErrorCode, InputIssue } from '../../shared/errors';
import { type Locale, type MessageKey } from '../../shared/i18n';
import { renderMessage, type CodedParam } from '../../shared/i18n/coded';

/** A message's parameters; one may be a coded message itself (a rule's reason), rendered in the caller's language. */
export type ErrorParams = Readonly<Record<string, CodedParam>>;

/**
 * A failure the clerk should read: a stable code for programs, and a dictionary key with its
 * parameters so the message comes out in the caller's language. Anything thrown that is not an
 * AppError is a bug and answers `internal`.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    readonly key: MessageKey,
    readonly params: ErrorParams = {},
    readonly issues?: InputIssue[],
  ) {
    super(renderMessage('en', { key, params }));
  }

  toApi(locale: Locale): ApiError {
    const error: ApiError = { code: this.code, message: this.messageIn(locale) };
    if (this.issues?.length) error.issues = this.issues;
    if (Object.keys(this.params).length) {
      error.params = Object.fromEntries(Object.entries(this.params).map(([k, v]) => [k, typeof v === 'object' ? renderMessage(locale, v) : v]));
    }
    return error;
  }

  messageIn(locale: Locale): string {
    return renderMessage(locale, { key: this.key, params: this.params });
  }
}

/** A business rule refused the input; `key` names the rule's message. */
export function refuse(key: MessageKey, params: ErrorParams = {}, code: ErrorCode = 'validation'): AppError {
  return new AppError(code, key, params);
}

export function notFound(what: string): AppError {
  return new AppError('not_found', 'error.not_found', { what });
}
