import { useParams } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { PrintDocument } from '../print/PrintFrame';
import { formatTime, formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { ChannelTotalsTable, ReversalsTable } from './common';

// The daily closing report (日结报表) on A4: totals by channel as filed, receipts first to last,
// every payment and reversal of the day, the cash count and the sign-off.

export function ClosingPrint() {
  const { t } = useI18n();
  const { closingId = '' } = useParams();
  const report = useQuery('collection.closing', { closingId });
  if (report.error) return <ErrorBanner error={report.error} />;
  const r = report.data;
  if (!r) return <p className="no-print">{t('app.loading')}</p>;
  return (
    <PrintDocument size="A4" title={`${t('closing.reportTitle')} ${r.clerk.staffNo} ${r.businessDate}`}>
      <div className="closing-report">
        <h1>
          {r.station.name} {t('closing.reportTitle')}
        </h1>
        <p>
          {t('closing.clerk')}: {r.clerk.staffNo} {r.clerk.name} · {t('closing.businessDate')}: {r.businessDate} · {t('closing.closedAt')}: {formatTime(r.closedAt)}
        </p>
        <p>
          {t('closing.receipts')}: {r.firstReceiptNo ? `${r.firstReceiptNo} – ${r.lastReceiptNo}` : t('common.none')} ({t('closing.countLine', { count: r.paymentCount })})
        </p>
        <ChannelTotalsTable totals={r} />
        <table className="cash" aria-label={t('closing.cash')}>
          <tbody>
            <tr>
              <th>{t('closing.openingFloat')}</th>
              <td className="num">{formatYuan(r.openingFloatFen)}</td>
              <th>{t('closing.expectedCash')}</th>
              <td className="num">{formatYuan(r.expectedCashFen)}</td>
            </tr>
            <tr>
              <th>{t('closing.countedCash')}</th>
              <td className="num">{formatYuan(r.countedCashFen)}</td>
              <th>{t('closing.difference')}</th>
              <td className="num">
                {formatYuan(r.differenceFen)} {r.differenceFen < 0 ? t('closing.short') : r.differenceFen > 0 ? t('closing.over') : ''}
              </td>
            </tr>
            {r.reason ? (
              <tr>
                <th>{t('closing.reason')}</th>
                <td colSpan={3}>{r.reason}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
        {r.reversals.length > 0 ? (
          <>
            <h2>{t('closing.sheetReversals')}</h2>
            <ReversalsTable rows={r.reversals} label={t('closing.sheetReversals')} />
          </>
        ) : null}
        <h2>{t('closing.sheetPayments')}</h2>
        <table aria-label={t('closing.sheetPayments')}>
          <thead>
            <tr>
              <th>{t('collection.receiptNo')}</th>
              <th>{t('collection.time')}</th>
              <th>{t('collection.accountNo')}</th>
              <th>{t('collection.customerName')}</th>
              <th>{t('collection.channel')}</th>
              <th className="num">{t('collection.amount')}</th>
              <th>{t('collection.status')}</th>
            </tr>
          </thead>
          <tbody>
            {r.payments.map((p) => (
              <tr key={p.paymentId}>
                <td>{p.receiptNo}</td>
                <td>{formatTime(p.postedAt).slice(11)}</td>
                <td>{p.accountNo}</td>
                <td>{p.customerName}</td>
                <td>{t(`collection.channel.${p.channel}`)}</td>
                <td className="num">{formatYuan(p.amountFen)}</td>
                <td>{p.status === 'posted' ? '' : t(`collection.status.${p.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="signatures">
          {t('closing.clerkSignature')}: {r.clerk.name} &nbsp;&nbsp; {t('closing.signedOffBy')}:{' '}
          {r.signedOff ? `${r.signedOff.by} ${formatTime(r.signedOff.at)}` : r.status === 'awaiting_sign_off' ? t('closing.status.awaiting_sign_off') : '＿＿＿＿'}
        </p>
      </div>
    </PrintDocument>
  );
}
