import type { ApiError } from '../../../shared/errors';
import type { FieldProblem } from '../../../shared/customers/rules';
import { hasMessage, translate, type Locale, type MessageKey } from '../../../shared/i18n';
import { AppError } from '../errors';

/** A field's label in the caller's language: 'points.0.meter.meterNo' → 表号. */
export function fieldLabel(locale: Locale, path: string): string {
  const last = path.split('.').at(-1) ?? path;
  const key = `customers.field.${last}`;
  return hasMessage(key) ? translate(locale, key) : path;
}

export function problemText(locale: Locale, problem: FieldProblem): string {
  return hasMessage(problem.key) ? translate(locale, problem.key as MessageKey, problem.params) : problem.key;
}

/**
 * A record refused field by field: the message lists every field and what is wrong with it, and
 * `issues` carry the same per field, so a form marks each one. Translated when answered.
 */
export class FieldsError extends AppError {
  constructor(readonly problems: FieldProblem[]) {
    super('validation', 'customers.err.fields', { count: problems.length, details: '' });
  }

  override toApi(locale: Locale): ApiError {
    const issues = this.problems.map((p) => ({ path: p.field, message: problemText(locale, p) }));
    const [colon, semicolon] = locale === 'en' ? [': ', '; '] : ['：', '；'];
    const details = issues.map((i) => `${fieldLabel(locale, i.path)}${colon}${i.message}`).join(semicolon);
    return { code: 'validation', message: translate(locale, 'customers.err.fields', { count: issues.length, details }), issues };
  }

  override messageIn(locale: Locale): string {
    return this.toApi(locale).message;
  }
}
