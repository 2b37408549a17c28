import { useParams } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { PrintDocument } from '../print/PrintFrame';
import { formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';

// Arrears reminders (催费通知单), one A5 page per customer, in book order.

export function ReminderPrint() {
  const { t } = useI18n();
  const { batchId = '' } = useParams();
  const batch = useQuery('arrears.reminders', { batchId });
  if (batch.error) return <ErrorBanner error={batch.error} />;
  const b = batch.data;
  if (!b) return <p className="no-print">{t('app.loading')}</p>;
  return (
    <PrintDocument size="A5" title={`${t('reminder.title')} ${b.book ? b.book.bookNo : ''}`}>
      {b.rows.map((r, i) => (
        <section key={r.reminderId} className={`reminder${i < b.rows.length - 1 ? ' print-break' : ''}`}>
          <h1>{b.station.name}</h1>
          <h2>{t('reminder.title')}</h2>
          <p>
            {t('reminder.dear', { name: r.name })}（{t('collection.accountNo')} {r.accountNo}）
          </p>
          <p>{t('reminder.body', { periods: r.periods.join('、'), principal: formatYuan(r.principalFen), penalty: formatYuan(r.penaltyFen), due: r.oldestDueDate })}</p>
          <p>
            <strong>{t('reminder.payBy', { date: r.payByDate, total: formatYuan(r.principalFen + r.penaltyFen) })}</strong>
          </p>
          <p>{t('reminder.warning')}</p>
          <dl className="receipt-head">
            <dt>{t('receipt.address')}</dt>
            <dd>{r.address}</dd>
            <dt>{t('arrears.book')}</dt>
            <dd>{r.bookNo ?? ''}</dd>
          </dl>
          <p className="right">
            {b.station.name} {r.reminderDate}
          </p>
        </section>
      ))}
    </PrintDocument>
  );
}
