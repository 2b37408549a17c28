import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatQuantity, formatTime, formatYuan } from '../ui/format';
import { Dialog, ErrorBanner, Field, Notice, Page } from '../ui/widgets';
import { CorrectionPreview } from './CorrectionPreview';
import { Flags, kwhText, LinesTable, StatusBadge, useBillingText } from './parts';
import { DataTable } from '../ui/DataTable';

/** One bill as a clerk explains it: readings, each line with its tier and price, status and history. */
export function BillPage() {
  const { billNo = '' } = useParams();
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const text = useBillingText();
  const bill = useQuery('bills.get', { billNo });
  const request = useAction('corrections.request');
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [notice, setNotice] = useState<string>();
  const b = bill.data;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!b) return;
    if (await request.run({ billId: b.id, reason })) {
      setAsking(false);
      setReason('');
      setNotice(t('bills.requested'));
      bill.reload();
    }
  }

  const pending = b?.corrections.some((c) => c.status === 'pending' && c.billId === b.id) ?? false;
  return (
    <Page
      title={`${t('billing.bill.billNo')} ${billNo}`}
      actions={
        b ? (
          <>
            {b.status === 'issued' ? (
              <button type="button" onClick={() => navigate(`/print/bill-notices?${new URLSearchParams({ bills: b.billNo, paper: 'A5' }).toString()}`)}>
                {t('billing.bill.notice')}
              </button>
            ) : null}
            {b.status === 'issued' && session.can('billing.run') && !pending ? (
              <button type="button" onClick={() => setAsking(true)}>
                {t('bills.requestCorrection')}
              </button>
            ) : null}
          </>
        ) : null
      }
    >
      <Notice>{notice}</Notice>
      <ErrorBanner error={bill.error} />
      {b ? (
        <>
          <dl className="bill-head">
            <div>
              <dt>{t('billing.bill.account')}</dt>
              <dd>
                <Link to={`/customers/${b.customerId}`}>{b.accountNo}</Link> {b.customerName}
              </dd>
            </div>
            <div>
              <dt>{t('billing.bill.period')}</dt>
              <dd>{b.period}</dd>
            </div>
            <div>
              <dt>{t('billing.bill.status')}</dt>
              <dd>
                <StatusBadge status={b.status} /> {b.kind === 'correction' ? t('billing.bill.kind.correction') : ''}
              </dd>
            </div>
            <div>
              <dt>{t('billing.bill.class')}</dt>
              <dd>{text.classText(b.customerClass)}</dd>
            </div>
            <div>
              <dt>{t('billing.bill.tariffVersion')}</dt>
              <dd>
                {b.tariffName}（{b.tariffCode}，{b.tariffEffectiveFrom}）
              </dd>
            </div>
            <div>
              <dt>{t('billing.bill.kwh')}</dt>
              <dd>{kwhText(b.kwh)}</dd>
            </div>
            <div>
              <dt>{t('billing.bill.total')}</dt>
              <dd>
                <strong>{formatYuan(b.totalFen)}</strong>
              </dd>
            </div>
            <div>
              <dt>{t('billing.bill.dueDate')}</dt>
              <dd>{b.dueDate ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('billing.bill.createdAt')}</dt>
              <dd>
                {formatTime(b.createdAt)} {b.createdBy ?? ''}
              </dd>
            </div>
            {b.issuedAt ? (
              <div>
                <dt>{t('billing.bill.issuedAt')}</dt>
                <dd>
                  {formatTime(b.issuedAt)} {b.issuedBy ?? ''}
                </dd>
              </div>
            ) : null}
          </dl>
          {b.replaces ? (
            <p>
              <Link to={`/bills/${encodeURIComponent(b.replaces.billNo)}`}>{t('billing.bill.replaces', { billNo: b.replaces.billNo })}</Link>
            </p>
          ) : null}
          {b.replacedBy ? (
            <p className="banner banner-warn">
              <Link to={`/bills/${encodeURIComponent(b.replacedBy.billNo)}`}>{t('billing.bill.replacedBy', { billNo: b.replacedBy.billNo })}</Link>
            </p>
          ) : null}
          {b.voided ? <p className="banner banner-warn">{t('billing.bill.voided', { reason: b.voided.reason, staff: b.voided.staffName ?? '', at: formatTime(b.voided.at) })}</p> : null}
          <Flags flags={b.flags} />
          {b.reviews.map((r) => (
            <p key={r.at} className="muted">
              {t('billing.bill.review', { note: r.note || '—', staff: r.staffName ?? '', at: formatTime(r.at) })}
            </p>
          ))}

          <h2>{t('billing.bill.readings')}</h2>
          <DataTable
            label={t('billing.bill.readings')}
            counted={false}
            rows={b.readings}
            rowKey={(r) => r.readingId}
            columns={[
              { id: 'meter', header: t('billing.bill.meter'), value: (r) => `${r.meterNo} ${r.pointLabel} ${r.kind === 'estimated' ? `（${t('billing.bill.readingKind.estimated')}）` : ''}` },
              { id: 'readingDate', header: t('billing.bill.readingDate'), kind: 'date', value: (r) => r.readingDate },
              { id: 'previous', header: t('billing.bill.previous'), kind: 'quantity', value: (r) => r.previousValue },
              { id: 'current', header: t('billing.bill.current'), kind: 'quantity', value: (r) => r.value },
              { id: 'multiplier', header: t('billing.bill.multiplier'), kind: 'number', value: (r) => r.multiplier },
              {
                id: 'kwh',
                header: t('billing.bill.kwh'),
                kind: 'quantity',
                value: (r) => r.consumption,
                render: (r) =>
                  `${formatQuantity(r.consumption)}${
                    r.touConsumption
                      ? `（${Object.entries(r.touConsumption)
                          .map(([k, v]) => `${t(`billing.tou.${k}` as 'billing.tou.peak')} ${formatQuantity(v)}`)
                          .join('，')}）`
                      : ''
                  }`,
              },
            ]}
          />

          <h2>{t('billing.line.lines')}</h2>
          <LinesTable lines={b.lines} totalFen={b.totalFen} label={t('billing.line.lines')} details={b.details} />
          {text.tierText(b.details) ? <p>{text.tierText(b.details)}</p> : null}

          {b.corrections.length > 0 ? (
            <>
              <h2>{t('billing.bill.history')}</h2>
              <DataTable
                label={t('billing.bill.history')}
                counted={false}
                rows={b.corrections}
                rowKey={(c) => c.id}
                columns={[
                  { id: 'requestedAt', header: t('corrections.requestedAt'), kind: 'time', value: (c) => c.requestedAt },
                  { id: 'reason', header: t('corrections.reason'), value: (c) => c.reason },
                  { id: 'requestedBy', header: t('corrections.requestedBy'), value: (c) => c.requestedBy ?? '' },
                  { id: 'status', header: t('common.status'), value: (c) => t(`corrections.${c.status}`) },
                  { id: 'decidedBy', header: t('corrections.decidedBy'), value: (c) => `${c.decidedBy ?? ''} ${c.decidedAt ? formatTime(c.decidedAt) : ''} ${c.decisionNote ?? ''}`.trim() },
                  { id: 'newBill', header: t('corrections.newBill'), value: (c) => c.newBillNo ?? '', render: (c) => (c.newBillNo ? <Link to={`/bills/${encodeURIComponent(c.newBillNo)}`}>{c.newBillNo}</Link> : '') },
                ]}
              />
            </>
          ) : null}

          <Dialog open={asking} title={t('bills.requestCorrection')} onClose={() => setAsking(false)}>
            <form className="form" onSubmit={(e) => void submit(e)}>
              <CorrectionPreview billId={b.id} />
              <ErrorBanner error={request.error} />
              <Field label={t('bills.correctionReason')} value={reason} onChange={(e) => setReason(e.target.value)} required autoFocus />
              <div className="buttons">
                <button type="submit" className="primary" disabled={request.pending}>
                  {t('bills.submitRequest')}
                </button>
                <button type="button" onClick={() => setAsking(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </form>
          </Dialog>
        </>
      ) : null}
    </Page>
  );
}
