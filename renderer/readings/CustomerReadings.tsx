import type { CustomerSectionProps } from '../customers/sections';
import { formatCenti } from '../../shared/money';
import { flagLabel, flagMessage } from '../../shared/readings';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { ErrorBanner } from '../ui/widgets';

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
        <table className="table" aria-label={t('customerReadings.title')}>
          <thead>
            <tr>
              <th>{t('period.label')}</th>
              <th>{t('import.column.meter')}</th>
              <th>{t('import.column.date')}</th>
              <th>{t('import.column.kind')}</th>
              <th className="num">{t('import.column.previous')}</th>
              <th className="num">{t('import.column.value')}</th>
              <th className="num">{t('entry.consumption')}</th>
              <th>{t('common.status')}</th>
              <th>{t('customerReadings.enteredBy')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.superseded ? 'inactive' : undefined}>
                <td>{r.period}</td>
                <td className="mono">{r.meterNo}</td>
                <td className="nowrap">{r.readingDate}</td>
                <td>
                  {t(`reading.kind.${r.kind}`)}
                  {r.reason ? `（${r.reason}）` : ''}
                </td>
                <td className="num">{r.previousValue === null ? '' : formatCenti(r.previousValue)}</td>
                <td className="num">{r.value === null ? '' : formatCenti(r.value)}</td>
                <td className="num">{r.consumption === null ? '' : formatCenti(r.consumption)}</td>
                <td title={r.flags.map((f) => flagMessage(locale, f)).join('\n')}>
                  {r.superseded ? t('customerReadings.corrected') : t(`reading.status.${r.status}`)}
                  {r.flags.length ? ` · ${r.flags.map((f) => flagLabel(locale, f.code)).join('、')}` : ''}
                </td>
                <td>{r.enteredByName ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
