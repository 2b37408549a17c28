import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { KPI_UNITS } from '../../shared/appraisal';
import { formatPoints } from '../../shared/appraisal';
import type { OutputOf } from '../../shared/contract';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { PrintDocument } from '../print/PrintFrame';
import { ErrorBanner, Page, SelectField } from '../ui/widgets';
import { currentPeriod, kpiName, type T } from './common';
import { TrendChart } from './TrendChart';

// The 12-month trend of one person (考核趋势): the total, and one KPI at a time. Printable.

type Trend = OutputOf<'appraisal.trend'>;

function useSeries(t: T, data: Trend | undefined, kpi: string) {
  return useMemo(() => {
    if (!data) return { total: [], kpi: [], kpis: [] as string[] };
    const total = [{ name: t('appraisal.trend.total'), values: data.totals.map((p) => (p.totalCenti === null ? null : Number(formatPoints(p.totalCenti)))) }];
    const measured = data.kpis.filter((k) => k.values.some((v) => v !== null)).map((k) => k.code);
    const row = data.kpis.find((k) => k.code === kpi);
    const k = row ? [{ name: kpiName(t, kpi), values: row.values.map((v) => (v === null ? null : KPI_UNITS[row.code] === 'fen' ? v / 100 : v)) }] : [];
    return { total, kpi: k, kpis: measured };
  }, [t, data, kpi]);
}

export function TrendPage() {
  const { t } = useI18n();
  const { staffNo = '' } = useParams();
  const [params] = useSearchParams();
  const to = params.get('to') ?? currentPeriod();
  const trend = useQuery('appraisal.trend', { staffNo, to, months: 12 });
  const [kpi, setKpi] = useState('reading.actualRate');
  const series = useSeries(t, trend.data, kpi);
  const full = trend.data?.totals.find((p) => p.fullScore !== null)?.fullScore ?? undefined;
  return (
    <Page
      title={`${t('appraisal.trend.title')} ${trend.data ? `${trend.data.staff.staffNo} ${trend.data.staff.name}` : staffNo}`}
      actions={<Link className="button" to={`/print/appraisal-trend/${staffNo}?to=${to}&kpi=${kpi}`}>{t('appraisal.trend.print')}</Link>}
    >
      <ErrorBanner error={trend.error} />
      {trend.data ? (
        <>
          <h2>
            {t('appraisal.trend.total')} · {t('appraisal.trend.months')}
          </h2>
          <TrendChart periods={trend.data.periods} series={series.total} yMax={full} label={t('appraisal.trend.total')} />
          <SelectField label={t('appraisal.trend.kpi')} value={kpi} onChange={(e) => setKpi(e.target.value)}>
            {series.kpis.map((code) => (
              <option key={code} value={code}>
                {kpiName(t, code)}
              </option>
            ))}
          </SelectField>
          <TrendChart periods={trend.data.periods} series={series.kpi} label={kpiName(t, kpi)} />
        </>
      ) : null}
    </Page>
  );
}

export function TrendPrint() {
  const { t } = useI18n();
  const { staffNo = '' } = useParams();
  const [params] = useSearchParams();
  const to = params.get('to') ?? currentPeriod();
  const kpi = params.get('kpi') ?? 'reading.actualRate';
  const trend = useQuery('appraisal.trend', { staffNo, to, months: 12 });
  const series = useSeries(t, trend.data, kpi);
  if (trend.error) return <ErrorBanner error={trend.error} />;
  if (!trend.data) return <p className="no-print">{t('app.loading')}</p>;
  const full = trend.data.totals.find((p) => p.fullScore !== null)?.fullScore ?? undefined;
  return (
    <PrintDocument size="A4" title={`${t('appraisal.trend.title')} ${trend.data.staff.staffNo} ${to}`}>
      <div className="appraisal-doc">
        <h1>
          {t('appraisal.trend.title')} {trend.data.staff.staffNo} {trend.data.staff.name} · {trend.data.periods[0]} – {to}
        </h1>
        <h2>{t('appraisal.trend.total')}</h2>
        <TrendChart periods={trend.data.periods} series={series.total} yMax={full} label={t('appraisal.trend.total')} height={300} />
        <h2>{kpiName(t, kpi)}</h2>
        <TrendChart periods={trend.data.periods} series={series.kpi} label={kpiName(t, kpi)} height={300} />
      </div>
    </PrintDocument>
  );
}
