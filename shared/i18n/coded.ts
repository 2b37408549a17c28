// A message as a dictionary key with its parameters (代码化消息), for what the shared rules say:
// a rule never builds a sentence in one language; it names the message, and whoever shows it
// (screen, CLI, export) renders it in the reader's language. A parameter may itself be a coded
// message (the quantity that is missing, the field that is wrong), rendered in the same language.
import { hasMessage, translate, type Locale, type MessageKey } from './index';

export type CodedParam = string | number | CodedMessage;
export interface CodedMessage {
  key: MessageKey;
  params?: Readonly<Record<string, CodedParam>>;
}

export function coded(key: MessageKey, params?: Readonly<Record<string, CodedParam>>): CodedMessage {
  return params ? { key, params } : { key };
}

/**
 * A list of messages as one message (a file's problems, the parts of a field's place): its key
 * `list.<kind>` holds the separator in each language (；/ ; , ，/ , ), its params are the items.
 */
export function codedList(kind: 'problems' | 'path', items: readonly CodedParam[]): CodedMessage {
  return { key: `list.${kind}`, params: Object.fromEntries(items.map((item, i) => [String(i), item])) };
}

export function renderMessage(locale: Locale, message: CodedMessage): string {
  if (message.key.startsWith('list.')) {
    const items = Object.values(message.params ?? {}).map((item) => (typeof item === 'object' ? renderMessage(locale, item) : String(item)));
    return items.join(translate(locale, message.key));
  }
  if (!message.params) return translate(locale, message.key);
  const flat: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(message.params)) flat[name] = typeof value === 'object' ? renderMessage(locale, value) : value;
  return translate(locale, message.key, flat);
}

/** The stored form of a coded message (a TEXT column such as billing_run_problems.detail): JSON. */
export function storeMessage(message: CodedMessage): string {
  return JSON.stringify(message);
}

function isCoded(value: unknown): value is CodedMessage {
  if (typeof value !== 'object' || value === null) return false;
  const { key, params } = value as { key?: unknown; params?: unknown };
  if (typeof key !== 'string' || !hasMessage(key)) return false;
  if (params === undefined) return true;
  if (typeof params !== 'object' || params === null) return false;
  return Object.values(params).every((p) => typeof p === 'string' || typeof p === 'number' || isCoded(p));
}

/** A stored message back as a coded one; null for text written before messages were coded (kept as it was). */
export function readStoredMessage(text: string): CodedMessage | null {
  if (!text.startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return isCoded(value) ? value : null;
  } catch {
    return null;
  }
}

/** Renders a stored message in the reader's language; older free text comes back unchanged. */
export function renderStoredMessage(locale: Locale, text: string): string {
  const message = readStoredMessage(text);
  return message ? renderMessage(locale, message) : text;
}

/**
 * A shared rule refused its input. It carries the message as a key and parameters; `message`
 * (for logs and tests) is the English text. The back end answers with `messageIn(locale)`.
 */
export class RuleError extends Error {
  override name = 'RuleError';
  readonly coded: CodedMessage;
  constructor(key: MessageKey, params?: Readonly<Record<string, CodedParam>>) {
    const message = coded(key, params);
    super(renderMessage('en', message));
    this.coded = message;
  }

  messageIn(locale: Locale): string {
    return renderMessage(locale, this.coded);
  }
}
