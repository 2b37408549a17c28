import { Link } from 'react-router';
import { hasMessage } from '../../shared/i18n';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatTime, formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { Flags, kwhText, LinesTable, StatusBadge } from './parts';

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
      <table className="table" aria-label={t('billing.ledger.title')}>
        <thead>
          <tr>
            <th>{t('billing.ledger.at')}</th>
            <th>{t('billing.ledger.type')}</th>
            <th>{t('billing.bill.billNo')}</th>
            <th className="num">{t('billing.ledger.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {data.ledger.map((e) => {
            const key = `billing.ledger.${e.entryType}`;
            return (
              <tr key={e.id}>
                <td className="nowrap">{formatTime(e.at)}</td>
                <td>{hasMessage(key) ? t(key) : e.entryType}</td>
                <td className="mono">{e.billNo ?? ''}</td>
                <td className="num">{formatYuan(e.amountFen)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
