// The few words the shell itself shows (menu, start-up errors, save errors), from the one
// dictionary (shared/i18n/shell.ts).
import { translate, type Locale, type MessageKey } from '../shared/i18n';

type ShellKey<T> = T extends `shell.${infer K}` ? K : never;
export type ShellTextKey = ShellKey<MessageKey>;

/** A shell text in `locale`, with {name} placeholders filled. */
export function shellText(locale: Locale, key: ShellTextKey, params: Record<string, string> = {}): string {
  return translate(locale, `shell.${key}` as MessageKey, params);
}
