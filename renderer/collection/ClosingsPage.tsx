import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { ClosingStatus } from './DayPage';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Page } from '../ui/widgets';
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
      <DataTable
        label={t('closings.title')}
        exportName={t('closings.title')}
        rows={list.loading ? undefined : (list.data?.rows ?? [])}
        rowKey={(c) => c.closingId}
        empty={t('closings.empty')}
        columns={[
          { id: 'businessDate', header: t('closing.businessDate'), kind: 'date', value: (c) => c.businessDate },
          { id: 'clerk', header: t('closing.clerk'), value: (c) => `${c.clerk.staffNo} ${c.clerk.name}` },
          { id: 'paymentCount', header: t('closing.paymentCount'), kind: 'number', value: (c) => c.paymentCount },
          { id: 'net', header: t('closing.net'), kind: 'money', value: (c) => c.netFen },
          { id: 'difference', header: t('closing.difference'), kind: 'money', value: (c) => c.differenceFen },
          { id: 'status', header: t('collection.status'), render: (c) => <ClosingStatus closing={c} /> },
          { id: 'closedAt', header: t('closing.closedAt'), kind: 'time', value: (c) => c.closedAt },
          {
            id: 'actions',
            header: t('common.actions'),
            className: 'actions',
            render: (c) => (
              <>
                <Link to={`/collection/day?staff=${c.clerk.id ?? ''}&date=${c.businessDate}`}>{t('closings.open')}</Link>
                <Link to={`/print/closing/${c.closingId}`}>{t('closing.printReport')}</Link>
              </>
            ),
          },
        ]}
      />
    </Page>
  );
}
