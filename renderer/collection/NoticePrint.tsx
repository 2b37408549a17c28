import { useParams } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { PrintDocument } from '../print/PrintFrame';
import { formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';

// Disconnection notice (停电通知), A5: the arrears, the reminder already given, and the earliest
// day supply may be suspended (7 days for residents, 3 for others, under policy). Printing it
// cuts nothing: disconnection is the station's own decision and work.

export function NoticePrint() {
  const { t } = useI18n();
  const { noticeId = '' } = useParams();
  const notice = useQuery('arrears.notice', { noticeId });
  if (notice.error) return <ErrorBanner error={notice.error} />;
  const n = notice.data;
  if (!n) return <p className="no-print">{t('app.loading')}</p>;
  return (
    <PrintDocument size="A5" title={`${t('disconnection.title')} ${n.accountNo}`}>
      <section className="disconnection-notice">
        <h1>{n.station.name}</h1>
        <h2>{t('disconnection.title')}</h2>
        <p>
          {t('reminder.dear', { name: n.name })}（{t('collection.accountNo')} {n.accountNo}，{n.address}）
        </p>
        <p>{t('notice.body', { due: n.oldestDueDate, days: n.daysOverdue, principal: formatYuan(n.principalFen), penalty: formatYuan(n.penaltyFen), reminder: n.reminderDate })}</p>
        <p>
          <strong>{t('notice.deadline', { date: n.earliestDisconnectionDate, days: n.noticeDays })}</strong>
        </p>
        <p>{t('notice.basis')}</p>
        <p className="right">
          {n.station.name} {n.noticeDate}
        </p>
        <p className="signatures">{t('notice.received')}</p>
      </section>
    </PrintDocument>
  );
}
