// How a bill line is named on screens, notices and exports: 第二档 峰, 第三档加价, 力调电费 …
// Built from the line's kind, tier and time-of-use period, so every combination a tariff can
// produce has a name without listing them all.
import { translate, type Locale, type MessageKey } from '../i18n';

export interface LabelledLine {
  kind: string;
  tier: number | null;
  touPeriod: string | null;
}

export function billLineLabel(line: LabelledLine, locale: Locale): string {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  switch (line.kind) {
    case 'capacity':
      return t('billing.line.capacity');
    case 'demand':
      return t('billing.line.demand');
    case 'power_factor':
      return t('billing.line.power_factor');
    case 'tier_increment':
      return t('billing.line.increment', { n: line.tier ?? 0 });
  }
  const parts: string[] = [];
  if (line.tier !== null) parts.push(t('billing.line.tier', { n: line.tier }));
  if (line.touPeriod !== null) parts.push(t(`billing.tou.${line.touPeriod}` as MessageKey));
  return parts.length ? parts.join(' ') : t('billing.line.energy');
}
