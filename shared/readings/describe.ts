// A flag as a sentence in the reader's language, from the i18n dictionary (`reading.flag.<code>`).
// Quantities in the params are hundredths and are shown as decimals; register names and the
// comparison baselines are dictionary words too. The UI, the CLI and the import preview use it.
import { translate, type Locale, type MessageKey, type MessageParams } from '../i18n';
import { formatCenti } from '../money';
import type { FlagParams, ReadingFlag, ReadingFlagCode } from './flags';

/** Params that are quantities in hundredths (kWh, or register units). */
const QUANTITY_PARAMS = new Set([
  'reading', 'limit', 'previous', 'current', 'drop', 'wrappedAdvance', 'maxAdvance', 'advance', 'consumption', 'dailyUse',
  'recentDailyAverage', 'lastYearDailyAverage', 'registersSum', 'total', 'difference', 'tolerance', 'zeroHistoryDailyFloor',
]);

function spanWord(locale: Locale, span: unknown): string {
  return typeof span === 'string' ? translate(locale, `reading.span.${span}` as MessageKey) : '';
}

/** 'peak.current' → 峰止码; 'old_final' → 旧表止码. */
function fieldWord(locale: Locale, field: unknown): string {
  if (typeof field !== 'string') return '';
  const [first, second] = field.split('.');
  if (second) return `${spanWord(locale, first)}${translate(locale, `reading.field.${second}` as MessageKey)}`;
  return translate(locale, `reading.field.${first}` as MessageKey);
}

function basis(locale: Locale, p: FlagParams, values: MessageParams): string {
  const parts: string[] = [];
  if (p.recentDailyAverage !== undefined) {
    parts.push(translate(locale, p.recentRatioPercent !== undefined ? 'reading.basis.recent' : 'reading.basis.recentZero', values));
  }
  if (p.lastYearDailyAverage !== undefined) {
    parts.push(translate(locale, p.lastYearRatioPercent !== undefined ? 'reading.basis.lastYear' : 'reading.basis.lastYearZero', values));
  }
  return parts.join(locale === 'en' ? '; ' : '；');
}

export function flagMessage(locale: Locale, flag: { code: ReadingFlagCode; params: FlagParams } | ReadingFlag): string {
  const p = flag.params;
  const values: MessageParams = {};
  for (const [key, value] of Object.entries(p)) {
    values[key] = QUANTITY_PARAMS.has(key) && typeof value === 'number' ? formatCenti(value) : value;
  }
  values.span = spanWord(locale, p.span);
  if (p.field !== undefined) values.field = fieldWord(locale, p.field);
  if (flag.code === 'high' || flag.code === 'low') values.basis = basis(locale, p, values);
  if (flag.code === 'outside_window') {
    const offset = typeof p.offsetDays === 'number' ? p.offsetDays : 0;
    values.when = translate(locale, offset > 0 ? 'reading.window.late' : 'reading.window.early', { days: Math.abs(offset) });
  }
  return translate(locale, `reading.flag.${flag.code}`, values);
}

/** The short word for a flag in a grid cell: 偏高, 零电量, … */
export function flagLabel(locale: Locale, code: ReadingFlagCode): string {
  return translate(locale, `reading.flagShort.${code}`);
}
