import type { ApiError, ErrorCode, InputIssue } from '../../shared/errors';
import { translate, type Locale, type MessageKey, type MessageParams } from '../../shared/i18n';

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
    readonly params: MessageParams = {},
    readonly issues?: InputIssue[],
  ) {
    super(translate('en', key, params));
  }

  toApi(locale: Locale): ApiError {
    const error: ApiError = { code: this.code, message: translate(locale, this.key, this.params) };
    if (this.issues?.length) error.issues = this.issues;
    if (Object.keys(this.params).length) error.params = this.params;
    return error;
  }

  messageIn(locale: Locale): string {
    return translate(locale, this.key, this.params);
  }
}

/** A business rule refused the input; `key` names the rule's message. */
export function refuse(key: MessageKey, params: MessageParams = {}, code: ErrorCode = 'validation'): AppError {
  return new AppError(code, key, params);
}

export function notFound(what: string): AppError {
  return new AppError('not_found', 'error.not_found', { what });
}
