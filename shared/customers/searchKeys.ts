// Search keys of a customer (查询索引): the pure part of the one search box. The back end stores
// these keys in `customer_search_keys` whenever a customer is written, and looks a query up by
// key, so every kind of query is an indexed lookup even on 100,000 customers.
import { pinyin } from 'pinyin-pro';
import { phoneDigits } from './rules';

/**
 * Longest name fragment stored as a key. A longer query is looked up by its rarest pair and the
 * candidates filtered by the whole query (two characters of a name are already rare).
 */
export const NAME_GRAM_MAX = 2;

/** Key prefixes in `customer_search_keys.key` (one table, one index). */
export const KEY_NAME = 'n';
export const KEY_PHONE = 't';

/**
 * 拼音首字母 of a name, lower-case: 张三 → zs. The surname is read as a surname (pinyin-pro's
 * surname mode), so 单田芳 → stf and 曾小贤 → zxx, not dtf / cxx. Latin letters and digits
 * in a name (company names) are kept as they are.
 */
export function nameInitials(name: string): string {
  const letters = pinyin(name, { pattern: 'first', toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' });
  return letters
    .join('')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * The name's stored fragments: every pair of neighbouring characters, and the last character
 * alone (the whole name if it has one character). Any part of the name is then an indexed
 * lookup: a pair is a key; one character is a prefix of the keys (a pair it begins, or itself
 * at the end). Half the keys of storing every single character too, for the same answers.
 */
export function nameGrams(name: string): string[] {
  const chars = [...name.toLowerCase().replace(/\s+/g, '')];
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  if (chars.length) out.add(chars[chars.length - 1] as string);
  return [...out];
}

/** Phone numbers stored reversed, so "last four digits" is a prefix lookup on an index. */
export function reversedPhone(phone: string): string {
  return [...phoneDigits(phone)].reverse().join('');
}

/** The name's keys: 'n' + each fragment. */
export function nameKeys(name: string): string[] {
  return nameGrams(name).map((g) => KEY_NAME + g);
}

/** The phones' keys: 't' + each number reversed (numbers of fewer than 4 digits have none). */
export function phoneKeys(phone: string, phone2: string): string[] {
  const keys: string[] = [];
  for (const p of [phone, phone2]) {
    const digits = reversedPhone(p);
    if (digits.length >= 4 && !keys.includes(KEY_PHONE + digits)) keys.push(KEY_PHONE + digits);
  }
  return keys;
}

/** The search keys of one customer (name fragments and reversed phones). */
export function customerSearchKeys(c: { name: string; phone: string; phone2: string }): string[] {
  return [...nameKeys(c.name), ...phoneKeys(c.phone, c.phone2)];
}

/** What one word of a query may be, by its characters. */
export interface QueryWord {
  text: string;
  /** Upper-cased for account and meter numbers. */
  upper: string;
  digits: boolean;
  letters: boolean;
  /** Letters and digits: an account or meter number (GD010000123, DDS-0042). */
  code: boolean;
  /** Contains Chinese characters: a name part or an address word. */
  chinese: boolean;
}

const CHINESE = /\p{Script=Han}/u;

/** Splits what was typed in the search box into words (spaces, commas, 、). */
export function parseQuery(query: string): QueryWord[] {
  return query
    .trim()
    .split(/[\s,，、]+/)
    .filter(Boolean)
    .slice(0, 5)
    .map((text) => ({
      text: text.toLowerCase(),
      upper: text.toUpperCase(),
      digits: /^\d+$/.test(text),
      letters: /^[a-zA-Z]+$/.test(text),
      code: /^[a-zA-Z0-9-]+$/.test(text),
      chinese: CHINESE.test(text),
    }));
}

export { MATCH_KINDS, matchRank, type MatchKind } from './matchKinds';
