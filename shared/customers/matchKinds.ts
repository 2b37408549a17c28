// How a search result matched, best first: the ranking of the search box (no pinyin here, so
// the renderer can import it without the pinyin dictionary).
export const MATCH_KINDS = [
  'account', // exact 户号
  'meter', // exact 表号 (installed meter)
  'accountPrefix',
  'phone', // last 4+ digits of a phone
  'name', // exact name
  'namePrefix',
  'initials', // exact 拼音首字母
  'initialsPrefix',
  'nameContains',
  'meterPrefix',
  'oldMeter', // a meter number that was replaced (换表) on this customer
  'address',
] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];

export function matchRank(kind: MatchKind): number {
  return MATCH_KINDS.indexOf(kind);
}
