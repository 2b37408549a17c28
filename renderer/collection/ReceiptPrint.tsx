import { useEffect, useRef, useState } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { amountInWords } from '../../shared/collection';
import type { ReceiptView } from '../../shared/contract/collection';
import type { ApiError } from '../../shared/errors';
import { ApiFailure, call } from '../api/client';
import { useI18n } from '../app/i18n';
import { PrintDocument, type PaperSize } from '../print/PrintFrame';
import { formatTime, formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { printPage } from './common';

// The receipt (电费收据) on 80 mm roll paper or A5. Opening it to print records the print: the
// first is the original, every later one says "副本" with its number.

export function ReceiptPrint() {
  const { t } = useI18n();
  const { receiptNo = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const paper: PaperSize = params.get('paper') === 'A5' ? 'A5' : 'Roll80';
  const auto = params.get('auto') === '1';
  const [receipt, setReceipt] = useState<ReceiptView>();
  const [error, setError] = useState<ApiError>();
  const recorded = useRef<string | null>(null);

  useEffect(() => {
    if (recorded.current === receiptNo) return; // one print per opening, even when effects run twice
    recorded.current = receiptNo;
    call('collection.receipt', { receiptNo, print: true }).then(setReceipt, (e: unknown) =>
      setError(e instanceof ApiFailure ? e.error : { code: 'internal', message: String(e) }),
    );
  }, [receiptNo]);

  useEffect(() => {
    if (receipt && auto) printPage();
  }, [receipt, auto]);

  if (error) return <ErrorBanner error={error} />;
  if (!receipt) return <p className="no-print">{t('app.loading')}</p>;
  const r = receipt;
  return (
    <>
      <div className="no-print print-options">
        <label>
          {t('collection.paper')}{' '}
          <select value={paper} onChange={(e) => setParams({ paper: e.target.value })}>
            <option value="Roll80">{t('collection.paperRoll80')}</option>
            <option value="A5">A5</option>
          </select>
        </label>
      </div>
      <PrintDocument size={paper} title={`${t('receipt.title')} ${r.receiptNo}`}>
        <div className="receipt">
          <h1>{r.station.name}</h1>
          <h2>
            {t('receipt.title')}
            {r.copyNo !== null && r.copyNo > 0 ? <span className="copy-mark">{t('receipt.copy', { n: r.copyNo })}</span> : null}
          </h2>
          {r.reversed ? <p className="reversed-mark">{t('receipt.reversed', { date: r.reversed.businessDate })}</p> : null}
          <dl className="receipt-head">
            <dt>{t('collection.receiptNo')}</dt>
            <dd className="mono">{r.receiptNo}</dd>
            <dt>{t('receipt.time')}</dt>
            <dd>{formatTime(r.postedAt)}</dd>
            <dt>{t('receipt.clerk')}</dt>
            <dd>
              {r.clerk.staffNo} {r.clerk.name}
            </dd>
            <dt>{t('collection.accountNo')}</dt>
            <dd className="mono">{r.accountNo}</dd>
            <dt>{t('collection.customerName')}</dt>
            <dd>{r.customerName}</dd>
            <dt>{t('receipt.address')}</dt>
            <dd>{r.address}</dd>
          </dl>
          <table aria-label={t('receipt.settled')}>
            <thead>
              <tr>
                <th>{t('collection.period')}</th>
                <th className="num">{t('collection.principal')}</th>
                <th className="num">{t('collection.penalty')}</th>
              </tr>
            </thead>
            <tbody>
              {r.lines.map((l) => (
                <tr key={`${l.billNo}`}>
                  <td>{l.period}</td>
                  <td className="num">{formatYuan(l.principalFen)}</td>
                  <td className="num">
                    {formatYuan(l.penaltyFen)}
                    {l.daysLate > 0 && l.penaltyFen > 0 ? <small> ({t('collection.daysLate', { days: l.daysLate })})</small> : null}
                  </td>
                </tr>
              ))}
              {r.prepaidUsedFen > 0 ? (
                <tr>
                  <td colSpan={3}>{t('receipt.prepaidUsed', { amount: formatYuan(r.prepaidUsedFen) })}</td>
                </tr>
              ) : null}
              {r.toPrepaidFen > 0 ? (
                <tr>
                  <td colSpan={3}>{t('receipt.toPrepaid', { amount: formatYuan(r.toPrepaidFen) })}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
          <dl className="receipt-money">
            <dt>{t('receipt.amount')}</dt>
            <dd>
              <strong>{formatYuan(r.amountFen)}</strong>
            </dd>
            <dt>{t('receipt.inWords')}</dt>
            <dd>{amountInWords(r.amountFen)}</dd>
            <dt>{t('collection.channel')}</dt>
            <dd>
              {t(`collection.channel.${r.channel}`)}
              {r.reference ? ` ${r.reference}` : ''}
            </dd>
            {r.channel === 'cash' ? (
              <>
                <dt>{t('collection.tendered')}</dt>
                <dd>{formatYuan(r.tenderedFen)}</dd>
                <dt>{t('collection.change')}</dt>
                <dd>{formatYuan(r.changeFen)}</dd>
              </>
            ) : null}
            <dt>{t('receipt.newBalance')}</dt>
            <dd>{r.balanceAfterFen < 0 ? t('receipt.prepaidBalance', { amount: formatYuan(-r.balanceAfterFen) }) : formatYuan(r.balanceAfterFen)}</dd>
          </dl>
          <p className="receipt-foot">{t('receipt.keep')}</p>
        </div>
      </PrintDocument>
    </>
  );
}
