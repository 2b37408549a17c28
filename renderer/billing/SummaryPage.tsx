import { useState, type ReactNode } from 'react';
import type { BillingTotalsRow } from '../../shared/contract';
import { formatCenti } from '../../shared/money';
import { isPeriod } from '../../shared/time';
import { call, isDesktop } from '../api/client';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatYuan } from '../ui/format';
import { ErrorBanner, Page } from '../ui/widgets';
import { currentPeriod, useBillingText } from './parts';
import { DataTable } from '../ui/DataTable';
import { MonthField } from '../ui/DateField';

function TotalsTable({ title, rows, label, action }: { title: string; rows: BillingTotalsRow[]; label: (r: BillingTotalsRow) => string; action?: (r: BillingTotalsRow) => ReactNode }) {
  const { t } = useI18n();
  return (
    <>
      <h2>{title}</h2>
      <DataTable
        label={title}
        counted={false}
        rows={rows}
        rowKey={(r) => r.key}
        columns={[
          { id: 'name', header: t('billing.summary.name'), value: (r) => label(r) },
          { id: 'bills', header: t('billing.summary.bills'), kind: 'number', value: (r) => r.bills },
          { id: 'kwh', header: t('billing.summary.kwh'), kind: 'quantity', value: (r) => r.kwh },
          { id: 'amount', header: t('billing.summary.amount'), kind: 'money', value: (r) => r.amountFen },
          ...(action ? [{ id: 'actions', header: t('common.actions'), render: (r: BillingTotalsRow) => action(r) }] : []),
        ]}
      />
    </>
  );
}

/** Horizontal bars of the amount per group: plain SVG, prints and reads without a chart library. */
function AmountChart({ rows, label, title }: { rows: BillingTotalsRow[]; label: (r: BillingTotalsRow) => string; title: string }) {
  const max = Math.max(1, ...rows.map((r) => r.amountFen));
  const height = 26 * rows.length + 8;
  return (
    <figure className="chart billing-chart">
      <svg role="img" aria-label={title} width="100%" height={height} viewBox={`0 0 640 ${height}`}>
        {rows.map((r, i) => {
          const width = Math.max(1, Math.round((r.amountFen / max) * 380));
          return (
            <g key={r.key} transform={`translate(0, ${i * 26 + 4})`}>
              <text x={0} y={15}>
                {label(r)}
              </text>
              <rect x={150} y={2} width={width} height={18} />
              <text x={156 + width} y={15}>
                {formatYuan(r.amountFen)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">{title}</figcaption>
    </figure>
  );
}

function download(fileName: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 电费统计: the period's totals by book, class and tariff, with a chart and an Excel export. */
export function SummaryPage() {
  const { t } = useI18n();
  const text = useBillingText();
  const [period, setPeriod] = useState(currentPeriod());
  const valid = isPeriod(period);
  const summary = useQuery('billing.summary', { period }, { enabled: valid });
  const exporting = useAction('billing.export');
  const s = summary.data;

  async function exportXlsx(bookId?: string) {
    const file = await exporting.run({ period, ...(bookId ? { bookId } : {}) });
    if (!file) return;
    if (isDesktop()) await call('shell.saveFile', { suggestedName: file.fileName, base64: file.base64 });
    else download(file.fileName, file.base64);
  }

  const classLabel = (r: BillingTotalsRow) => text.classText(r.key);
  const bookLabel = (r: BillingTotalsRow) => r.label;
  const tariffLabel = (r: BillingTotalsRow) => `${r.label}（${r.key}）`;
  return (
    <Page
      title={t('billing.summary.title')}
      actions={
        <button type="button" onClick={() => void exportXlsx()} disabled={!valid || exporting.pending}>
          {t('billing.summary.export')}
        </button>
      }
    >
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <MonthField label={t('billing.period')} value={period} onChange={setPeriod} />
      </form>
      <p className="muted">{t('billing.summary.note')}</p>
      <ErrorBanner error={summary.error ?? exporting.error} />
      {s ? (
        <>
          <p>
            {t('billing.summary.total')}：{s.totals.bills} · {formatCenti(s.totals.kwh)} kWh · <strong>{formatYuan(s.totals.amountFen)}</strong>
          </p>
          <AmountChart rows={s.byClass} label={classLabel} title={`${t('billing.summary.chart')}（${t('billing.summary.byClass')}）`} />
          <TotalsTable title={t('billing.summary.byClass')} rows={s.byClass} label={classLabel} />
          <TotalsTable
            title={t('billing.summary.byBook')}
            rows={s.byBook}
            label={bookLabel}
            action={(r) =>
              r.key ? (
                <button type="button" onClick={() => void exportXlsx(r.key)} disabled={exporting.pending}>
                  {t('billing.summary.exportBook')}
                </button>
              ) : null
            }
          />
          <TotalsTable title={t('billing.summary.byTariff')} rows={s.byTariff} label={tariffLabel} />
        </>
      ) : null}
    </Page>
  );
}
