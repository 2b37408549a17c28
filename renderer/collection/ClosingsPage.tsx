import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatTime, formatYuan } from '../ui/format';
import { ErrorBanner, Page } from '../ui/widgets';
import { ClosingStatus } from './DayPage';
import { DateField } from '../ui/DateField';

// Daily closings filed (日结查询): the station head sees every clerk's and those awaiting their
// sign-off; a clerk sees their own.

export function ClosingsPage() {
  const { t } = useI18n();
  const [date, setDate] = useState('');
  const [awaiting, setAwaiting] = useState(false);
  const list = useQuery('collection.closings', { ...(date ? { businessDate: date } : {}), ...(awaiting ? { awaitingSignOff: true } : {}) });
  return (
    <Page title={t('closings.title')}>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <DateField label={t('closing.businessDate')} value={date} onChange={setDate} />
        <label className="check">
          <input type="checkbox" checked={awaiting} onChange={(e) => setAwaiting(e.target.checked)} />
          {t('closings.awaitingOnly')}
        </label>
      </form>
      <ErrorBanner error={list.error} />
      <table className="table" aria-label={t('closings.title')}>
        <thead>
          <tr>
            <th>{t('closing.businessDate')}</th>
            <th>{t('closing.clerk')}</th>
            <th className="num">{t('closing.paymentCount')}</th>
            <th className="num">{t('closing.net')}</th>
            <th className="num">{t('closing.difference')}</th>
            <th>{t('collection.status')}</th>
            <th>{t('closing.closedAt')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.rows ?? []).map((c) => (
            <tr key={c.closingId}>
              <td>{c.businessDate}</td>
              <td>
                {c.clerk.staffNo} {c.clerk.name}
              </td>
              <td className="num">{c.paymentCount}</td>
              <td className="num">{formatYuan(c.netFen)}</td>
              <td className="num">{formatYuan(c.differenceFen)}</td>
              <td>
                <ClosingStatus closing={c} />
              </td>
              <td className="nowrap">{formatTime(c.closedAt)}</td>
              <td className="actions">
                <Link to={`/collection/day?staff=${c.clerk.id ?? ''}&date=${c.businessDate}`}>{t('closings.open')}</Link>
                <Link to={`/print/closing/${c.closingId}`}>{t('closing.printReport')}</Link>
              </td>
            </tr>
          ))}
          {!list.loading && (list.data?.rows.length ?? 0) === 0 ? (
            <tr>
              <td colSpan={8} className="muted">
                {t('closings.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Page>
  );
}
