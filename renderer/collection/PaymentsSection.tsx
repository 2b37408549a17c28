import { Link } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { DataTable } from '../ui/DataTable';

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
      <DataTable
        label={t('collection.paymentsOfCustomer')}
        rows={payments.loading ? undefined : (payments.data?.rows ?? [])}
        rowKey={(p) => p.paymentId}
        empty={t('collection.noPayments')}
        columns={[
          { id: 'receiptNo', header: t('collection.receiptNo'), value: (p) => p.receiptNo, className: 'mono', render: (p) => <Link to={`/print/receipt/${encodeURIComponent(p.receiptNo)}?paper=A5`}>{p.receiptNo}</Link> },
          { id: 'time', header: t('collection.time'), kind: 'time', value: (p) => p.postedAt },
          { id: 'amount', header: t('collection.amount'), kind: 'money', value: (p) => p.amountFen },
          { id: 'channel', header: t('collection.channel'), value: (p) => t(`collection.channel.${p.channel}`) },
          { id: 'clerk', header: t('closing.clerk'), value: (p) => `${p.clerk.staffNo} ${p.clerk.name}` },
          { id: 'status', header: t('collection.status'), value: (p) => t(`collection.status.${p.status}`) },
        ]}
      />
    </div>
  );
}
