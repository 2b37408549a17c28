// Search keys of a customer (查询索引): the pure part of the one search box. The back end stores
// these keys in `customer_search_keys` whenever a customer is written, and looks a query up by
// key, so every kind of query is an indexed lookup even on 100,000 customers.
import { pinyin } from 'pinyin-pro';
import { phoneDigits } from './rules';

/**
 * Longest name fragment stored as a key. A longer query is looked up by its first fragment and
 * the candidates filtered by the whole query (two characters of a name are already rare).
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

/** Every fragment of the name of 1 or 2 characters (any part of a Chinese name). */
export function nameGrams(name: string): string[] {
  const chars = [...name.toLowerCase().replace(/\s+/g, '')];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    for (let n = 1; n <= NAME_GRAM_MAX && i + n <= chars.length; n++) out.add(chars.slice(i, i + n).join(''));
  }
  return [...out];
}

/** Phone numbers stored reversed, so "last four digits" is a prefix lookup on an index. */
export function reversedPhone(phone: string): string {
  return [...phoneDigits(phone)].reverse().join('');
}

/** The search keys of one customer (name fragments and reversed phones). */
export function customerSearchKeys(c: { name: string; phone: string; phone2: string }): string[] {
  const keys = nameGrams(c.name).map((g) => KEY_NAME + g);
  for (const phone of [c.phone, c.phone2]) {
    const digits = reversedPhone(phone);
    if (digits.length >= 4) keys.push(KEY_PHONE + digits);
  }
  return [...new Set(keys)];
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
