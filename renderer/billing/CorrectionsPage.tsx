import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { Correction } from '../../shared/contract';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime, formatYuan } from '../ui/format';
import { Dialog, ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { CorrectionPreview } from './CorrectionPreview';
import { DataTable } from '../ui/DataTable';

type Decision = { correction: Correction; kind: 'approve' | 'reject' } | null;

/** 账单更正: requests from billing clerks; the station head approves or rejects them. */
export function CorrectionsPage() {
  const { t } = useI18n();
  const session = useSession();
  const [status, setStatus] = useState<Correction['status'] | ''>('pending');
  const list = useQuery('corrections.list', status ? { status } : {});
  const approve = useAction('corrections.approve');
  const reject = useAction('corrections.reject');
  const [deciding, setDeciding] = useState<Decision>(null);
  const [note, setNote] = useState('');
  const [notice, setNotice] = useState<string>();
  const canDecide = session.can('billing.approve');

  async function decide(event: FormEvent) {
    event.preventDefault();
    if (!deciding) return;
    const input = { correctionId: deciding.correction.id, note };
    const result = deciding.kind === 'approve' ? await approve.run(input) : await reject.run(input);
    if (result) {
      setNotice(deciding.kind === 'approve' ? t('corrections.approvedDone', { billNo: result.correction.newBillNo ?? '' }) : t('corrections.rejectedDone'));
      setDeciding(null);
      setNote('');
      list.reload();
    }
  }

  return (
    <Page title={t('corrections.title')}>
      {!canDecide ? <p className="muted">{t('corrections.onlyHead')}</p> : null}
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField label={t('common.status')} value={status} onChange={(e) => setStatus(e.target.value as Correction['status'] | '')}>
          <option value="pending">{t('corrections.pending')}</option>
          <option value="approved">{t('corrections.approved')}</option>
          <option value="rejected">{t('corrections.rejected')}</option>
          <option value="">{t('common.all')}</option>
        </SelectField>
      </form>
      <Notice>{notice}</Notice>
      <ErrorBanner error={list.error} />
      <DataTable
        label={t('corrections.title')}
        exportName={t('corrections.title')}
        rows={list.data?.rows}
        rowKey={(c) => c.id}
        empty={t('corrections.none')}
        columns={[
          { id: 'billNo', header: t('billing.bill.billNo'), value: (c) => c.billNo, className: 'mono', render: (c) => <Link to={`/bills/${encodeURIComponent(c.billNo)}`}>{c.billNo}</Link> },
          { id: 'account', header: t('billing.bill.account'), value: (c) => c.accountNo },
          { id: 'customer', header: t('billing.bill.customer'), value: (c) => c.customerName },
          { id: 'period', header: t('billing.bill.period'), value: (c) => c.period },
          { id: 'reason', header: t('corrections.reason'), value: (c) => c.reason },
          { id: 'original', header: t('corrections.original'), kind: 'money', value: (c) => c.originalTotalFen },
          { id: 'new', header: t('corrections.new'), kind: 'money', value: (c) => c.expectedTotalFen },
          {
            id: 'requestedBy',
            header: t('corrections.requestedBy'),
            value: (c) => `${c.requestedBy ?? ''} ${formatTime(c.requestedAt)}`,
            render: (c) => (
              <>
                {c.requestedBy ?? ''} <span className="muted">{formatTime(c.requestedAt)}</span>
              </>
            ),
          },
          {
            id: 'status',
            header: t('common.status'),
            value: (c) => `${t(`corrections.${c.status}`)}${c.decidedBy ? ` · ${c.decidedBy}` : ''}${c.newBillNo ? ` ${c.newBillNo}` : ''}`,
            render: (c) => (
              <>
                {t(`corrections.${c.status}`)}
                {c.decidedBy ? ` · ${c.decidedBy}` : ''}
                {c.newBillNo ? (
                  <>
                    {' '}
                    <Link to={`/bills/${encodeURIComponent(c.newBillNo)}`}>{c.newBillNo}</Link>
                  </>
                ) : null}
              </>
            ),
          },
          {
            id: 'actions',
            header: t('common.actions'),
            className: 'actions',
            render: (c) =>
              canDecide && c.status === 'pending' ? (
                <>
                  <button type="button" className="primary" onClick={() => setDeciding({ correction: c, kind: 'approve' })}>
                    {t('corrections.approve')}
                  </button>
                  <button type="button" onClick={() => setDeciding({ correction: c, kind: 'reject' })}>
                    {t('corrections.reject')}
                  </button>
                </>
              ) : null,
          },
        ]}
      />
      <Dialog
        open={deciding !== null}
        title={`${deciding?.kind === 'approve' ? t('corrections.approve') : t('corrections.reject')} ${deciding?.correction.billNo ?? ''}`}
        onClose={() => setDeciding(null)}
      >
        {deciding ? (
          <form className="form" onSubmit={(e) => void decide(e)}>
            <p>
              {t('corrections.reason')}：{deciding.correction.reason}
            </p>
            {deciding.kind === 'approve' ? <CorrectionPreview billId={deciding.correction.billId} /> : null}
            <ErrorBanner error={approve.error ?? reject.error} />
            <Field label={t('corrections.note')} value={note} onChange={(e) => setNote(e.target.value)} required={deciding.kind === 'reject'} autoFocus />
            <div className="buttons">
              <button type="submit" className="primary" disabled={approve.pending || reject.pending}>
                {deciding.kind === 'approve' ? t('corrections.approve') : t('corrections.reject')}
              </button>
              <button type="button" onClick={() => setDeciding(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </form>
        ) : null}
      </Dialog>
    </Page>
  );
}
