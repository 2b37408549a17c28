import { hasMessage, type MessageKey } from '../../../shared/i18n';
import type { BookView } from '../../../shared/contract';
import { isDate, isPeriod } from '../../../shared/time';
import { InputError, UsageError, type CliContext, type Values, say } from './context';

// Small pieces the command files share: option readers that fail with a usage message, lookups
// by the numbers people type (工号, 抄表本号, 户号) and a plain-text table.

export const text = { type: 'string' } as const;
export const flag = { type: 'boolean' } as const;
export const many = { type: 'string', multiple: true } as const;

export function str(v: Values, name: string): string | undefined {
  const value = v[name];
  return typeof value === 'string' ? value : undefined;
}

export function required(v: Values, name: string, what = 'VALUE'): string {
  const value = str(v, name);
  if (value === undefined || value === '') throw new UsageError(say('cli.err.needs', { what: `--${name} ${what}` }));
  return value;
}

export function periodOf(value: unknown, what = '--period'): string {
  if (typeof value !== 'string') throw new UsageError(say('cli.err.needs', { what: `${what} YYYY-MM` }));
  if (!isPeriod(value)) throw new InputError(say('cli.err.badPeriod', { what, value }));
  return value;
}

export function dateOf(value: string, what: string): string {
  if (!isDate(value)) throw new UsageError(say('cli.err.badDate', { what, value }));
  return value;
}

export function intOf(value: string, what: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(say('cli.err.badInt', { what, value, min, max }));
  return n;
}

/** Comma-separated or repeated values: --roles clerk,billing_clerk. */
export function list(v: Values, name: string): string[] {
  const value = v[name];
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
}

/** A staff member by number (工号), through the directory every session may read. */
export async function staffByNo(cli: CliContext, staffNo: string): Promise<{ id: string; staffNo: string; name: string; active: boolean }> {
  const { rows } = await cli.invoke('staff.directory', {});
  const found = rows.find((r) => r.staffNo.toUpperCase() === staffNo.toUpperCase());
  if (!found) throw new InputError(cli.t('cli.noStaff', { staffNo }));
  return found;
}

export async function bookByNo(cli: CliContext, bookNo: string, asOption = true): Promise<BookView> {
  const { rows } = await cli.invoke('books.list', { includeInactive: true });
  const book = rows.find((b) => b.bookNo.toUpperCase() === bookNo.toUpperCase());
  if (!book) throw new InputError(cli.t(asOption ? 'cli.noBook' : 'cli.noBookArg', { book: bookNo }));
  return book;
}

function width(cell: string): number {
  return [...cell].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) > 0x2e80 ? 2 : 1), 0);
}

/** Columns padded to the widest cell (a CJK character counts two). */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? '')))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell + ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(cell)))).join('  ').trimEnd()).join('\n');
}

export const when = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));

/** A code's label from the dictionary (`prefix.code`) in --lang, or the code itself when it has none. */
export function label(cli: CliContext, prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return hasMessage(key) ? cli.t(key) : code;
}

/** Columns named by a dictionary key holding `a|b|c`, in --lang. */
export function cols(cli: CliContext, key: MessageKey): string[] {
  return cli.t(key).split('|');
}
