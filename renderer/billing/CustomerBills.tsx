import { Link } from 'react-router';
import { hasMessage } from '../../shared/i18n';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { Flags, kwhText, LinesTable, StatusBadge } from './parts';
import { DataTable } from '../ui/DataTable';

/** A customer's bills with their lines and the account balance: the customer page's "bills" section. */
export function CustomerBills({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const account = useQuery('billing.customerAccount', { customerId });
  if (account.error) return <ErrorBanner error={account.error} />;
  const data = account.data;
  if (!data) return <p className="muted">{t('app.loading')}</p>;
  return (
    <div className="customer-bills">
      <p>{t('billing.bill.balance', { balance: formatYuan(data.balanceFen) })}</p>
      {data.bills.length === 0 ? <p className="muted">{t('billing.bill.noBills')}</p> : null}
      {data.bills.map((b) => (
        <details key={b.id} className="card" open={data.bills[0]?.id === b.id}>
          <summary>
            {b.period} · <Link to={`/bills/${encodeURIComponent(b.billNo)}`}>{b.billNo}</Link> · {kwhText(b.kwh)} kWh · {formatYuan(b.totalFen)} · <StatusBadge status={b.status} />
            {b.dueDate ? ` · ${t('billing.bill.dueDate')} ${b.dueDate}` : ''}
          </summary>
          <Flags flags={b.flags} />
          <LinesTable lines={b.lines ?? []} totalFen={b.totalFen} label={`${t('billing.line.lines')} ${b.billNo}`} />
        </details>
      ))}
      <h3>{t('billing.ledger.title')}</h3>
      <DataTable
        label={t('billing.ledger.title')}
        exportName={`${t('billing.ledger.title')}${data.bills[0] ? `-${data.bills[0].accountNo}` : ''}`}
        rows={data.ledger}
        rowKey={(e) => e.id}
        columns={[
          { id: 'at', header: t('billing.ledger.at'), kind: 'time', value: (e) => e.at },
          {
            id: 'type',
            header: t('billing.ledger.type'),
            value: (e) => {
              const key = `billing.ledger.${e.entryType}`;
              return hasMessage(key) ? t(key) : e.entryType;
            },
          },
          { id: 'billNo', header: t('billing.bill.billNo'), value: (e) => e.billNo ?? '', className: 'mono' },
          { id: 'amount', header: t('billing.ledger.amount'), kind: 'money', value: (e) => e.amountFen },
        ]}
      />
    </div>
  );
}
