// The one search box (查找客户). Every kind of query is an indexed lookup with a LIMIT, so a
// query answers in a few milliseconds on 100,000 customers:
//   account number   customers.account_no (unique)         exact, prefix; digits alone also as the
//                                                          station's 户号 tail (123 → GD010000123)
//   meter number     meters.meter_no                       exact (installed first), prefix, old meters
//   phone            customer_search_keys 't' + reversed    last 4+ digits
//   name             customers (name, account_no)          exact, prefix
//                    customer_search_keys 'n' + fragment   any part: a pair is a key, one character a
//                                                          key prefix, longer parts start from a pair
//   pinyin initials  customers (name_initials, account_no) exact, prefix (zs → 张三)
//   address words    customer_places → customers_village   township / village
// Results are ranked by how they matched (MATCH_KINDS: exact account or meter first), then by
// account number. Several words narrow each other: the first word finds, the others filter.
import type { CustomerSummary, SearchHit } from '../../../shared/contract';
import { ACCOUNT_DIGITS, phoneDigits } from '../../../shared/customers/rules';
import { KEY_NAME, KEY_PHONE, NAME_GRAM_MAX, matchRank, parseQuery, reversedPhone, type MatchKind, type QueryWord } from '../../../shared/customers/searchKeys';
import { sql } from '../db/sql';
import type { ReadableDB } from '../db/store';
import { summariesOf } from './rows';

/** Above every character a key or name may hold: `x >= q AND x < q + TOP` is "starts with q". */
const TOP = '\u{10FFFF}';
/** Counting a pair's keys stops here: enough to tell a rare pair from a common one. */
const PAIR_COUNT_CAP = 1000;
/** How many candidates the first word may bring when more words filter them. */
const MULTI_WORD_CANDIDATES = 500;

type Found = Map<string, MatchKind>;

function add(found: Found, id: string, kind: MatchKind): void {
  const had = found.get(id);
  if (had === undefined || matchRank(kind) < matchRank(had)) found.set(id, kind);
}

function findByCode(db: ReadableDB, w: QueryWord, stationCode: string, limit: number, found: Found): void {
  const accounts = [w.upper];
  if (w.digits && stationCode) {
    accounts.push(`${stationCode}${w.text}`);
    if (w.text.length < ACCOUNT_DIGITS) {
      const exact = db.value<string>(sql`SELECT id FROM customers WHERE account_no = ${stationCode + w.text.padStart(ACCOUNT_DIGITS, '0')}`);
      if (exact) add(found, exact, 'account');
    }
  }
  for (const prefix of accounts) {
    for (const r of db.all<{ id: string; account_no: string }>(sql`
      SELECT id, account_no FROM customers WHERE account_no >= ${prefix} AND account_no < ${prefix + TOP}
      ORDER BY account_no LIMIT ${limit}`)) {
      add(found, r.id, r.account_no === prefix ? 'account' : 'accountPrefix');
    }
  }
  for (const r of db.all<{ customer_id: string; meter_no: string; removed: number }>(sql`
    SELECT p.customer_id, m.meter_no, m.removed_date IS NOT NULL AS removed
    FROM meters m JOIN metering_points p ON p.id = m.point_id
    WHERE m.meter_no >= ${w.upper} AND m.meter_no < ${w.upper + TOP}
    ORDER BY m.meter_no LIMIT ${limit}`)) {
    add(found, r.customer_id, r.removed ? 'oldMeter' : r.meter_no === w.upper ? 'meter' : 'meterPrefix');
  }
  if (w.digits && w.text.length >= 4) {
    const key = KEY_PHONE + reversedPhone(w.text);
    for (const id of db.column<string>(sql`
      SELECT customer_id FROM customer_search_keys WHERE key >= ${key} AND key < ${key + TOP} LIMIT ${limit}`)) {
      add(found, id, 'phone');
    }
  }
  if (w.letters) {
    for (const r of db.all<{ id: string; name_initials: string }>(sql`
      SELECT id, name_initials FROM customers WHERE name_initials >= ${w.text} AND name_initials < ${w.text + TOP}
      ORDER BY name_initials, account_no LIMIT ${limit}`)) {
      add(found, r.id, r.name_initials === w.text ? 'initials' : 'initialsPrefix');
    }
  }
}

function findByWords(db: ReadableDB, w: QueryWord, limit: number, found: Found): void {
  for (const r of db.all<{ id: string; name: string }>(sql`
    SELECT id, name FROM customers WHERE name >= ${w.text} AND name < ${w.text + TOP} ORDER BY name, account_no LIMIT ${limit}`)) {
    add(found, r.id, r.name === w.text ? 'name' : 'namePrefix');
  }
  const chars = [...w.text];
  let rows: string[];
  if (chars.length === 1) {
    // One character: the keys it begins (a pair, or itself as a name's last character).
    const key = KEY_NAME + w.text;
    rows = db.column<string>(sql`SELECT DISTINCT customer_id FROM customer_search_keys WHERE key >= ${key} AND key < ${key + TOP} LIMIT ${limit}`);
  } else if (chars.length === NAME_GRAM_MAX) {
    rows = db.column<string>(sql`SELECT customer_id FROM customer_search_keys WHERE key = ${KEY_NAME + w.text} LIMIT ${limit}`);
  } else {
    // Longer than a key: start from the query's rarest pair of characters (counted up to a cap),
    // then keep the names that hold the whole query. A pair no name has ends the search at once.
    const pairs = [...new Set(chars.slice(0, 8).slice(0, -1).map((c, i) => c + (chars[i + 1] as string)))];
    let rarest = '';
    let fewest = Infinity;
    for (const pair of pairs) {
      const n = db.value<number>(sql`SELECT count(*) FROM (SELECT 1 FROM customer_search_keys WHERE key = ${KEY_NAME + pair} LIMIT ${PAIR_COUNT_CAP})`) ?? 0;
      if (n < fewest) [rarest, fewest] = [pair, n];
      if (n === 0) break;
    }
    rows =
      fewest === 0
        ? []
        : db.column<string>(sql`
            SELECT k.customer_id FROM customer_search_keys k JOIN customers c ON c.id = k.customer_id
            WHERE k.key = ${KEY_NAME + rarest} AND instr(lower(c.name), ${w.text}) > 0 LIMIT ${limit}`);
  }
  for (const id of rows) add(found, id, 'nameContains');
  const places = db.all<{ township: string; village: string }>(sql`
    SELECT township, village FROM customer_places WHERE instr(township || village, ${w.text}) > 0 LIMIT 50`);
  let left = limit;
  for (const p of places) {
    if (left <= 0) break;
    const ids = db.column<string>(sql`
      SELECT id FROM customers WHERE township = ${p.township} AND village = ${p.village} ORDER BY account_no LIMIT ${left}`);
    for (const id of ids) add(found, id, 'address');
    left -= ids.length;
  }
}

/** Whether a customer line answers a further word of the query (any field, any part). */
function lineMatches(line: CustomerSummary & { initials: string }, w: QueryWord): boolean {
  if (line.name.toLowerCase().includes(w.text) || line.address.toLowerCase().includes(w.text)) return true;
  if (line.accountNo.includes(w.upper) || line.meterNos.some((m) => m.includes(w.upper))) return true;
  if (w.letters && line.initials.startsWith(w.text)) return true;
  return w.digits && w.text.length >= 4 && phoneDigits(line.phone).endsWith(w.text);
}

/**
 * Finds customers for what was typed in the search box, best match first. The counter screen
 * (collection desk) and every other desk call this through `customers.search`.
 */
export function searchCustomers(db: ReadableDB, query: string, options: { limit?: number; stationCode?: string } = {}): SearchHit[] {
  const limit = options.limit ?? 20;
  const words = parseQuery(query);
  const [first, ...rest] = words;
  if (!first) return [];
  const stationCode = options.stationCode ?? db.value<string>(sql`SELECT code FROM station`) ?? '';
  const perKind = rest.length ? MULTI_WORD_CANDIDATES : limit;
  const found: Found = new Map();
  if (first.code) findByCode(db, first, stationCode, perKind, found);
  if (!first.code || first.chinese) findByWords(db, first, perKind, found);
  if (found.size === 0) return [];

  // One word: keep the best `limit` candidates before reading their lines.
  const ids = rest.length
    ? [...found.keys()]
    : [...found.entries()].sort((a, b) => matchRank(a[1]) - matchRank(b[1])).slice(0, limit).map(([id]) => id);
  let lines = summariesOf(db, ids);
  if (rest.length) {
    const initials = new Map(db.all<{ id: string; name_initials: string }>(sql`
      SELECT id, name_initials FROM customers WHERE id IN ${sql.list(lines.map((l) => l.id))}`).map((r) => [r.id, r.name_initials]));
    lines = lines.filter((line) => rest.every((w) => lineMatches({ ...line, initials: initials.get(line.id) ?? '' }, w)));
  }
  return lines
    .map((line) => ({ ...line, matchedBy: found.get(line.id) as MatchKind }))
    .sort((a, b) => matchRank(a.matchedBy) - matchRank(b.matchedBy) || (a.accountNo < b.accountNo ? -1 : a.accountNo > b.accountNo ? 1 : 0))
    .slice(0, limit);
}
