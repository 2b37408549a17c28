import { Link } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { StatusCell, when } from './common';
import type { MessageKey } from '../../shared/i18n';
import { periodOf, shanghaiDate } from '../../shared/time';
import './service.css';

// The customer-service card of the home page: the head sees the station's overdue and due-soon
// orders (the alert before a limit passes), escalations and visits waiting; others their own.
// Refreshed every minute, so a limit that passes while the page is open shows without a reload.
import { useEffect } from 'react';

export function ServiceHomeCard() {
  const { t } = useI18n();
  const { can } = useSession();
  const allowed = can('service.read');
  const alerts = useQuery('service.alerts', {}, { enabled: allowed });
  // The head is reminded to compute the month's segments (客户画像) until it is done: the reminder
  // list and the visit list come from them.
  const month = periodOf(shanghaiDate(Date.now()));
  const segments = useQuery('service.segments.summary', { period: month }, { enabled: allowed && can('service.manage') });
  const { reload } = alerts;
  useEffect(() => {
    if (!allowed) return;
    const timer = setInterval(reload, 60_000);
    return () => clearInterval(timer);
  }, [allowed, reload]);
  if (!allowed || !alerts.data) return null;
  const a = alerts.data;
  return (
    <section className="service-card" aria-label={t('service.home.title')}>
      <h2>{t('service.home.title')}</h2>
      {a.overdue > 0 ? (
        <div className="banner banner-error" role="alert">
          {t('service.home.alert', { n: a.overdue })}
        </div>
      ) : a.dueSoon > 0 ? (
        <div className="banner" role="status">
          {t('service.home.alertSoon', { n: a.dueSoon })}
        </div>
      ) : null}
      <div className="service-counts">
        {(['overdue', 'dueSoon', 'escalated', 'visits', 'open'] as const).map((k) => (
          <div key={k} className="service-count">
            <strong>{k === 'visits' ? a.visitsWaiting : a[k]}</strong>
            {t(`service.home.${k}` as MessageKey)}
          </div>
        ))}
      </div>
      {a.top.length ? (
        <table className="table" aria-label={t('service.orders.dueList')}>
          <tbody>
            {a.top.map((r) => (
              <tr key={r.orderNo}>
                <td className="mono">
                  <Link to={`/service/orders/${r.orderNo}`}>{r.orderNo}</Link>
                </td>
                <td>{t(`service.kind.${r.kind}` as MessageKey)}</td>
                <td>{r.assignee ? `${r.assignee.staffNo} ${r.assignee.name}` : t('service.state.new')}</td>
                <td>{when(r.nextDueAt)}</td>
                <td>
                  <StatusCell t={t} status={r.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {segments.data && !segments.data.run ? (
        <p>
          {t('service.home.segmentsDue', { period: month })} <Link to="/service/segments">{t('service.home.segmentsOpen')}</Link>
        </p>
      ) : null}
      <Link to="/service/orders">{t('service.home.openList')}</Link>
    </section>
  );
}
