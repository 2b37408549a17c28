import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { PeriodRow } from '../../shared/contract';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { SelectField } from '../ui/widgets';

/**
 * The period a reading screen shows: `?period=` if given, else the latest open one, else the
 * latest. Kept in the address so a reload or a link keeps it.
 */
export function usePeriod(): [string, (period: string) => void, PeriodRow[], () => void] {
  const list = useQuery('periods.list', {});
  const [params, setParams] = useSearchParams();
  const rows = list.data?.rows ?? [];
  const fallback = rows.find((p) => p.status === 'open')?.period ?? rows[0]?.period ?? '';
  const [period, setPeriodState] = useState(params.get('period') ?? '');
  useEffect(() => {
    if (!period && fallback) setPeriodState(fallback);
  }, [period, fallback]);
  const setPeriod = (next: string) => {
    setPeriodState(next);
    setParams((p) => {
      p.set('period', next);
      return p;
    }, { replace: true });
  };
  return [period, setPeriod, rows, list.reload];
}

export function PeriodPicker({ period, periods, onChange }: { period: string; periods: PeriodRow[]; onChange(period: string): void }) {
  const { t } = useI18n();
  return (
    <div className="filters">
      <SelectField label={t('period.label')} value={period} onChange={(e) => onChange(e.target.value)}>
        {periods.length === 0 ? <option value="">{t('common.none')}</option> : null}
        {periods.map((p) => (
          <option key={p.period} value={p.period}>
            {p.period} {t(`period.status.${p.status}`)}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
