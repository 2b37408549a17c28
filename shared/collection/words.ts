// Amounts in Chinese capitals (人民币大写) as receipts print them beside the figures, so a figure
// altered by hand no longer matches: 210.03 → 贰佰壹拾元零叁分, 300.00 → 叁佰元整.

import { assertFen, type Fen } from '../money';

const DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const SMALL_UNITS = ['', '拾', '佰', '仟'];
const GROUP_UNITS = ['', '万', '亿', '万亿'];

/** Four digits (0–9999) in capitals, with 零 for inner gaps; '' for 0. */
function group(n: number): string {
  let out = '';
  let zero = false;
  for (let i = 3; i >= 0; i--) {
    const d = Math.floor(n / 10 ** i) % 10;
    if (d === 0) {
      zero = out !== '';
    } else {
      if (zero) out += '零';
      out += (DIGITS[d] ?? '') + (SMALL_UNITS[i] ?? '');
      zero = false;
    }
  }
  return out;
}

export function amountInWords(fen: Fen): string {
  assertFen(fen);
  if (fen < 0) return `负${amountInWords(-fen)}`;
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cents = fen % 10;
  let words = '';
  if (yuan > 0) {
    const groups: number[] = [];
    for (let rest = yuan; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
    let pendingZero = false;
    for (let g = groups.length - 1; g >= 0; g--) {
      const value = groups[g] ?? 0;
      if (value === 0) {
        pendingZero = words !== '';
        continue;
      }
      if (words !== '' && (pendingZero || value < 1000)) words += '零';
      words += group(value) + (GROUP_UNITS[g] ?? '');
      pendingZero = false;
    }
    words += '元';
  }
  if (jiao === 0 && cents === 0) return yuan > 0 ? `${words}整` : '零元整';
  if (jiao > 0) words += `${DIGITS[jiao]}角`;
  else if (yuan > 0) words += '零';
  if (cents > 0) words += `${DIGITS[cents]}分`;
  else words += '整';
  return words;
}
