// The check that a text shown to a user is in the language asked for (issue 16 item 5): English
// holds no Chinese; Chinese holds no English words beyond units (kWh, kvarh), formats (YYYY-MM),
// codes and product names. Used by the dictionary tests and the e2e checks of screens.
import type { Locale } from './index';

export const HAN = /\p{Script=Han}/u;
/** Latin tokens a Chinese message may hold: units, formats, product and channel names. */
const ALLOWED_LATIN = /\b(kWh|kvarh|kVA|kW|YYYY|MM|DD|PDF|xlsx|xls|CSV|JSON|Excel|WPS|GridDesk|Electron|Chromium|SQLite|Esc|Enter|Tab|Ctrl|Alt|PageUp|PageDown|QR|ID|PEM)\b/g;

/** Problems with one rendered text: what in it is not in the language asked for. */
export function untranslated(locale: Locale, text: string, allowed: readonly string[] = []): string[] {
  let rest = text;
  for (const value of allowed) if (value) rest = rest.split(value).join(' ');
  const problems: string[] = [];
  if (/\{\w+\}/.test(rest)) problems.push(`unfilled placeholder in "${text}"`);
  if (locale === 'en') {
    if (HAN.test(rest)) problems.push(`Chinese in English: "${text}"`);
  } else {
    const words = rest.replace(ALLOWED_LATIN, ' ').match(/[A-Za-z]{2,}/g);
    if (words) problems.push(`English in Chinese: "${text}" (${words.join(' ')})`);
    if (!HAN.test(rest) && rest.trim()) problems.push(`no Chinese at all: "${text}"`);
  }
  return problems;
}

