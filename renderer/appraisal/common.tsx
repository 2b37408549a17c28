import { formatPoints, KPI_UNITS, type KpiCode } from '../../shared/appraisal';
import type { MessageKey, MessageParams } from '../../shared/i18n';
import { formatYuan } from '../../shared/money';
import { shanghaiDate } from '../../shared/time';

// Small shared pieces of the appraisal screens and documents.

export type T = (key: MessageKey, params?: MessageParams) => string;

export const currentPeriod = () => shanghaiDate(Date.now()).slice(0, 7);
export const pts = (centi: number | null) => (centi === null ? '—' : formatPoints(centi));

export function kpiName(t: T, code: string): string {
  return t(`appraisal.kpi.${code}` as MessageKey);
}

/** "99.5%（199/200）", "3", "¥12.00", or 未计量 (never 0). */
export function kpiText(t: T, data: { code: string; value: number | null; numerator: number | null; denominator: number | null } | null): string {
  if (!data) return t('appraisal.manual');
  if (data.value === null) return t('appraisal.notMeasured');
  const unit = KPI_UNITS[data.code as KpiCode];
  if (unit === 'percent') return `${data.value}%${data.denominator !== null ? `（${data.numerator}/${data.denominator}）` : ''}`;
  if (unit === 'fen') return formatYuan(data.value);
  return String(data.value);
}

export function roleNames(t: T, roles: readonly string[]): string {
  return roles.map((r) => t(`appraisal.role.${r}` as MessageKey)).join('、');
}

export function StatusTag({ t, status }: { t: T; status: string }) {
  return <span className={`appraisal-status ${status}`}>{t(`appraisal.status.${status}` as MessageKey)}</span>;
}
