import { Link } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatTime, formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';

/** The customer page's payments section (缴费记录): what is owed today and every payment, newest first. */
export function PaymentsSection({ customerId }: { customerId: string }) {
  const { t } = useI18n();
  const balance = useQuery('collection.balance', { customerId });
  const payments = useQuery('collection.payments', { customerId, limit: 100 });
  const b = balance.data;
  return (
    <div className="payments-section">
      <ErrorBanner error={balance.error ?? payments.error} />
      {b ? (
        <p>
          {t('collection.arrears')} {formatYuan(b.principalFen)} · {t('collection.penalty')} {formatYuan(b.penaltyFen)} · {t('collection.prepaid')} {formatYuan(b.prepaidFen)} ·{' '}
          <strong>
            {t('collection.totalDue')} {formatYuan(b.totalDueFen)}
          </strong>
        </p>
      ) : null}
      <table className="table" aria-label={t('collection.paymentsOfCustomer')}>
        <thead>
          <tr>
            <th>{t('collection.receiptNo')}</th>
            <th>{t('collection.time')}</th>
            <th className="num">{t('collection.amount')}</th>
            <th>{t('collection.channel')}</th>
            <th>{t('closing.clerk')}</th>
            <th>{t('collection.status')}</th>
          </tr>
        </thead>
        <tbody>
          {(payments.data?.rows ?? []).map((p) => (
            <tr key={p.paymentId}>
              <td className="mono">
                <Link to={`/print/receipt/${encodeURIComponent(p.receiptNo)}?paper=A5`}>{p.receiptNo}</Link>
              </td>
              <td className="nowrap">{formatTime(p.postedAt)}</td>
              <td className="num">{formatYuan(p.amountFen)}</td>
              <td>{t(`collection.channel.${p.channel}`)}</td>
              <td>
                {p.clerk.staffNo} {p.clerk.name}
              </td>
              <td>{t(`collection.status.${p.status}`)}</td>
            </tr>
          ))}
          {!payments.loading && (payments.data?.rows.length ?? 0) === 0 ? (
            <tr>
              <td colSpan={6} className="muted">
                {t('collection.noPayments')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
