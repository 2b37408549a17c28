import { useParams } from 'react-router';
import type { MessageKey } from '../../shared/i18n';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { PrintDocument } from '../print/PrintFrame';
import { formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { when } from './common';

// The month's reminder list on A4 (催缴提醒名单), in account order: who to remind before the due
// date, their phone and what they owe now, and an empty column where the clerk notes the call or
// visit by hand. The same rows as the workbook and the SMS file.

export function RemindersPrint() {
  const { t } = useI18n();
  const { info } = useSession();
  const { period = '' } = useParams();
  const list = useQuery('service.segments.list', { period, purpose: 'remind' });
  if (list.error) return <ErrorBanner error={list.error} />;
  const l = list.data;
  if (!l) return <p className="no-print">{t('app.loading')}</p>;
  const total = l.rows.reduce((a, r) => a + Math.max(0, r.balanceFen), 0);
  return (
    <PrintDocument size="A4" title={t('service.reminders.printTitle', { period })}>
      <div className="service-print" data-print-ready="true">
        <h1>
          {info?.station?.name ?? ''} {t('service.reminders.printTitle', { period })}
        </h1>
        <p>{l.runAt ? t('service.reminders.printBasis', { at: when(l.runAt), n: l.rows.length, total: formatYuan(total) }) : t('service.segments.notComputed')}</p>
        <table className="table" aria-label={t('service.reminders.printTitle', { period })}>
          <thead>
            <tr>
              <th>{t('service.reminders.seq')}</th>
              <th>{t('service.list.account')}</th>
              <th>{t('service.list.name')}</th>
              <th>{t('service.list.address')}</th>
              <th>{t('service.list.phone')}</th>
              <th>{t('service.list.segments')}</th>
              <th className="num">{t('service.segments.owed')}</th>
              <th className="service-print-note">{t('service.reminders.note')}</th>
            </tr>
          </thead>
          <tbody>
            {l.rows.map((r, i) => (
              <tr key={r.accountNo}>
                <td>{i + 1}</td>
                <td className="mono">{r.accountNo}</td>
                <td>{r.name}</td>
                <td>{r.address}</td>
                <td>{r.phone}</td>
                <td>{r.codes.map((c) => t(`service.segment.${c}` as MessageKey)).join('、')}</td>
                <td className="num">{formatYuan(r.balanceFen)}</td>
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </PrintDocument>
  );
}
