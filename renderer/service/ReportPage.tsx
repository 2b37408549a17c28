import { useMemo, useState } from 'react';
import type { ServiceReport } from '../../shared/contract';
import type { MessageKey } from '../../shared/i18n';
import { addMonths, periodOf, shanghaiDate } from '../../shared/time';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { saveFile } from '../customers/download';
import { DataTable } from '../ui/DataTable';
import { MonthField } from '../ui/DateField';
import { ErrorBanner, Notice, Page } from '../ui/widgets';
import { ServiceChart, type ServiceSeries } from './ServiceChart';
import './service.css';

// The service report (服务报表) over a range of months: work orders by kind with time-limit
// compliance (时限达标率 = closed on time ÷ closed), by source and by staff, and the satisfaction
// trend (满意率 = satisfied ÷ reached) month by month, with charts; the workbook is the report
// channel's own (the same figures as `griddesk service report --out`).

/** A rate in percent with one decimal, or null when there is nothing to divide by. */
export const rate = (n: number, d: number): number | null => (d > 0 ? Math.round((n * 1000) / d) / 10 : null);

export function ReportPage() {
  const { t } = useI18n();
  const thisMonth = periodOf(shanghaiDate(Date.now()));
  const [from, setFrom] = useState(addMonths(thisMonth, -5));
  const [to, setTo] = useState(thisMonth);
  const report = useQuery('service.report', { from, to });
  const exporter = useAction('service.report.export');
  const [notice, setNotice] = useState<string>();
  const r = report.data;

  async function exportXlsx() {
    const file = await exporter.run({ from, to });
    if (!file) return;
    const saved = await saveFile(file.fileName, file.base64);
    if (saved) setNotice(t('service.segments.exported', { file: saved }));
  }

  const kindChart = useMemo(() => (r ? kindSeries(r, t) : null), [r, t]);
  const trendChart = useMemo(() => (r ? trendSeries(r, t) : null), [r, t]);
  const sum = (f: (k: ServiceReport['byKind'][number]) => number) => (r ? r.byKind.reduce((a, k) => a + f(k), 0) : 0);

  return (
    <Page
      title={t('service.report.title')}
      actions={
        <button type="button" onClick={() => void exportXlsx()} disabled={!r || exporter.pending}>
          {t('service.report.export')}
        </button>
      }
    >
      <div className="filters">
        <MonthField label={t('service.report.from')} value={from} onChange={(value) => value && setFrom(value)} />
        <MonthField label={t('service.report.to')} value={to} onChange={(value) => value && setTo(value)} />
      </div>
      <Notice>{notice}</Notice>
      <ErrorBanner error={report.error ?? exporter.error} />
      {r ? (
        <>
          <h2>{t('service.report.sheetKind')}</h2>
          {kindChart ? <ServiceChart label={t('service.report.chartKind')} categories={kindChart.categories} series={kindChart.series} /> : null}
          <DataTable
            label={t('service.report.sheetKind')}
            rows={r.byKind}
            rowKey={(k) => k.kind}
            counted={false}
            columns={[
              { id: 'kind', header: t('service.report.kind'), value: (k) => t(`service.kind.${k.kind}` as MessageKey), footer: t('table.total') },
              { id: 'orders', header: t('service.report.orders'), kind: 'number', value: (k) => k.orders, total: sum((k) => k.orders) },
              { id: 'closed', header: t('service.report.closed'), kind: 'number', value: (k) => k.closed, total: sum((k) => k.closed) },
              { id: 'onTime', header: t('service.report.onTime'), kind: 'number', value: (k) => k.onTime, total: sum((k) => k.onTime) },
              { id: 'compliance', header: t('service.report.compliance'), kind: 'number', value: (k) => rate(k.onTime, k.closed), render: (k) => pct(rate(k.onTime, k.closed)), footer: pct(rate(sum((k) => k.onTime), sum((k) => k.closed))) },
              { id: 'overdue', header: t('service.report.overdueOpen'), kind: 'number', value: (k) => k.overdueOpen, total: sum((k) => k.overdueOpen) },
            ]}
          />
          <div className="service-report-pair">
            <div>
              <h2>{t('service.report.sheetSource')}</h2>
              <DataTable
                label={t('service.report.sheetSource')}
                rows={r.bySource}
                rowKey={(s) => s.source}
                counted={false}
                empty={t('service.report.empty')}
                columns={[
                  { id: 'source', header: t('service.report.source'), value: (s) => t(`service.source.${s.source}` as MessageKey) },
                  { id: 'orders', header: t('service.report.orders'), kind: 'number', value: (s) => s.orders },
                  { id: 'share', header: t('service.report.share'), kind: 'number', value: (s) => rate(s.orders, sum((k) => k.orders)), render: (s) => pct(rate(s.orders, sum((k) => k.orders))) },
                ]}
              />
            </div>
            <div>
              <h2>{t('service.report.sheetStaff')}</h2>
              <DataTable
                label={t('service.report.sheetStaff')}
                rows={r.byStaff}
                rowKey={(s) => s.staffNo}
                counted={false}
                empty={t('service.report.empty')}
                columns={[
                  { id: 'staffNo', header: t('service.report.staffNo'), className: 'mono', value: (s) => s.staffNo },
                  { id: 'name', header: t('service.report.name'), value: (s) => s.name },
                  { id: 'assigned', header: t('service.report.assigned'), kind: 'number', value: (s) => s.assigned },
                  { id: 'closed', header: t('service.report.closed'), kind: 'number', value: (s) => s.closed },
                  { id: 'compliance', header: t('service.report.compliance'), kind: 'number', value: (s) => rate(s.onTime, s.closed), render: (s) => pct(rate(s.onTime, s.closed)) },
                  { id: 'valid', header: t('service.report.validComplaints'), kind: 'number', value: (s) => s.validComplaints },
                ]}
              />
            </div>
          </div>
          <h2>{t('service.report.trend')}</h2>
          {trendChart ? <ServiceChart label={t('service.report.trend')} categories={trendChart.categories} series={trendChart.series} /> : null}
          <DataTable
            label={t('service.report.sheetSatisfaction')}
            rows={r.satisfaction}
            rowKey={(s) => s.period}
            counted={false}
            columns={[
              { id: 'period', header: t('service.report.period'), value: (s) => s.period },
              { id: 'reached', header: t('service.report.reached'), kind: 'number', value: (s) => s.reached },
              { id: 'satisfied', header: t('service.report.satisfied'), kind: 'number', value: (s) => s.satisfied },
              { id: 'rate', header: t('service.report.satisfactionRate'), kind: 'number', value: (s) => rate(s.satisfied, s.reached), render: (s) => pct(rate(s.satisfied, s.reached)) },
              { id: 'notReached', header: t('service.report.notReached'), kind: 'number', value: (s) => s.notReached },
            ]}
          />
        </>
      ) : null}
    </Page>
  );
}

const pct = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

function kindSeries(r: ServiceReport, t: T): { categories: string[]; series: ServiceSeries[] } {
  return {
    categories: r.byKind.map((k) => t(`service.kind.${k.kind}` as MessageKey)),
    series: [
      { name: t('service.report.orders'), type: 'bar', data: r.byKind.map((k) => k.orders) },
      { name: t('service.report.onTime'), type: 'bar', data: r.byKind.map((k) => k.onTime) },
      { name: t('service.report.compliance'), type: 'line', percent: true, data: r.byKind.map((k) => rate(k.onTime, k.closed)) },
    ],
  };
}

function trendSeries(r: ServiceReport, t: T): { categories: string[]; series: ServiceSeries[] } {
  return {
    categories: r.satisfaction.map((s) => s.period),
    series: [
      { name: t('service.report.reached'), type: 'bar', data: r.satisfaction.map((s) => s.reached) },
      { name: t('service.report.satisfactionRate'), type: 'line', percent: true, data: r.satisfaction.map((s) => rate(s.satisfied, s.reached)) },
    ],
  };
}
