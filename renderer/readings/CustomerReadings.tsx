import type { CustomerSectionProps } from '../customers/sections';
import { flagLabel, flagMessage } from '../../shared/readings';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { ErrorBanner } from '../ui/widgets';
import { DataTable } from '../ui/DataTable';

/** The customer page's readings (抄表记录): every reading of the customer's meters, corrections included. */
export function CustomerReadings({ customer }: CustomerSectionProps) {
  const { t, locale } = useI18n();
  const history = useQuery('readings.history', { customerId: customer.id, limit: 60 });
  const rows = history.data?.rows ?? [];
  const books = [...new Set(rows.map((r) => r.bookNo).filter((b): b is string => b !== null))];
  return (
    <>
      <ErrorBanner error={history.error} />
      {books.length ? <p className="muted">{t('customerReadings.books', { books: books.join('、') })}</p> : null}
      {history.data && rows.length === 0 ? <p className="muted">{t('customerReadings.none')}</p> : null}
      {rows.length ? (
        <DataTable
          label={t('customerReadings.title')}
          exportName={t('customerReadings.title')}
          rows={rows}
          rowKey={(r) => r.id}
          rowClassName={(r) => (r.superseded ? 'inactive' : undefined)}
          columns={[
            { id: 'period', header: t('period.label'), value: (r) => r.period },
            { id: 'meter', header: t('import.column.meter'), value: (r) => r.meterNo, className: 'mono' },
            { id: 'date', header: t('import.column.date'), kind: 'date', value: (r) => r.readingDate },
            { id: 'kind', header: t('import.column.kind'), value: (r) => `${t(`reading.kind.${r.kind}`)}${r.reason ? `（${r.reason}）` : ''}` },
            { id: 'previous', header: t('import.column.previous'), kind: 'quantity', value: (r) => r.previousValue },
            { id: 'value', header: t('import.column.value'), kind: 'quantity', value: (r) => r.value },
            { id: 'consumption', header: t('entry.consumption'), kind: 'quantity', value: (r) => r.consumption },
            {
              id: 'status',
              header: t('common.status'),
              value: (r) => `${r.superseded ? t('customerReadings.corrected') : t(`reading.status.${r.status}`)}${r.flags.length ? ` · ${r.flags.map((f) => flagLabel(locale, f.code)).join('、')}` : ''}`,
              render: (r) => (
                <span title={r.flags.map((f) => flagMessage(locale, f)).join('\n')}>
                  {r.superseded ? t('customerReadings.corrected') : t(`reading.status.${r.status}`)}
                  {r.flags.length ? ` · ${r.flags.map((f) => flagLabel(locale, f.code)).join('、')}` : ''}
                </span>
              ),
            },
            { id: 'enteredBy', header: t('customerReadings.enteredBy'), value: (r) => r.enteredByName ?? '—' },
          ]}
        />
      ) : null}
    </>
  );
}
