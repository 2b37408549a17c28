import { useState } from 'react';
import type { ReversalRow } from '../../shared/contract/collection';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime, formatYuan } from '../ui/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorBanner, Notice, Page } from '../ui/widgets';
import { DataTable } from '../ui/DataTable';

// The reversal queue (冲正审批): requests waiting for the station head, who approves or rejects
// them in their own session; everyone with collection access sees what happened to theirs.

export function ReversalsPage() {
  const { t } = useI18n();
  const session = useSession();
  const [status, setStatus] = useState<'pending' | 'all'>('pending');
  const list = useQuery('collection.reversals', { status });
  const decide = useAction('collection.decideReversal');
  const [notice, setNotice] = useState<string>();
  const isHead = session.can('collection.approve');

  // Approving or rejecting cannot be taken back: both go through the confirmation, which names
  // the receipt, the customer and the amount; a rejection needs its reason (驳回原因).
  const [deciding, setDeciding] = useState<{ row: ReversalRow; approve: boolean } | null>(null);

  async function decideOn(row: ReversalRow, approve: boolean, note: string) {
    const result = await decide.run({ requestId: row.requestId, approve, ...(note ? { note } : {}) });
    if (result) {
      setDeciding(null);
      setNotice(t(approve ? 'reversals.approvedNotice' : 'reversals.rejectedNotice', { receiptNo: row.receiptNo }));
      list.reload();
    }
  }

  return (
    <Page title={t('reversals.title')}>
      <div className="filters" role="radiogroup" aria-label={t('reversals.show')}>
        {(['pending', 'all'] as const).map((s) => (
          <label key={s} className="check">
            <input type="radio" name="reversal-status" checked={status === s} onChange={() => setStatus(s)} />
            {t(`reversals.show.${s}`)}
          </label>
        ))}
      </div>
      <Notice>{notice}</Notice>
      <ErrorBanner error={deciding ? list.error : (list.error ?? decide.error)} />
      <DataTable
        label={t('reversals.title')}
        rows={list.loading ? undefined : (list.data?.rows ?? [])}
        rowKey={(r) => r.requestId}
        empty={t('reversals.empty')}
        columns={[
          { id: 'receiptNo', header: t('collection.receiptNo'), value: (r) => r.receiptNo, className: 'mono' },
          {
            id: 'account',
            header: t('collection.accountNo'),
            value: (r) => `${r.accountNo} ${r.customerName}`,
            render: (r) => (
              <>
                <span className="mono">{r.accountNo}</span> {r.customerName}
              </>
            ),
          },
          { id: 'amount', header: t('collection.amount'), kind: 'money', value: (r) => r.amountFen },
          { id: 'channel', header: t('collection.channel'), value: (r) => t(`collection.channel.${r.channel}`) },
          { id: 'paidAt', header: t('reversals.paidAt'), className: 'nowrap', value: (r) => `${formatTime(r.postedAt)} ${r.paymentClerk.staffNo} ${r.paymentClerk.name}` },
          { id: 'reason', header: t('collection.reason'), value: (r) => r.reason },
          { id: 'requestedBy', header: t('reversals.requestedBy'), className: 'nowrap', value: (r) => `${r.requestedBy} ${formatTime(r.requestedAt)}` },
          { id: 'status', header: t('collection.status'), value: (r) => `${t(`reversals.status.${r.status}`)}${r.decidedBy ? ` · ${r.decidedBy}` : ''}${r.note ? ` · ${r.note}` : ''}` },
          {
            id: 'actions',
            header: t('common.actions'),
            className: 'actions',
            render: (r) =>
              isHead && r.status === 'pending' ? (
                <>
                  <button type="button" className="primary" onClick={() => {
                      decide.clearError();
                      setDeciding({ row: r, approve: true });
                    }} disabled={decide.pending}>
                    {t('reversals.approve')}
                  </button>
                  <button type="button" onClick={() => {
                      decide.clearError();
                      setDeciding({ row: r, approve: false });
                    }} disabled={decide.pending}>
                    {t('reversals.reject')}
                  </button>
                </>
              ) : null,
          },
        ]}
      />
      {deciding ? (
        <ConfirmDialog
          open
          title={t(deciding.approve ? 'reversals.approveTitle' : 'reversals.rejectTitle', { receiptNo: deciding.row.receiptNo })}
          confirmLabel={t(deciding.approve ? 'reversals.approve' : 'reversals.reject')}
          danger={deciding.approve}
          note={deciding.approve ? undefined : { label: t('reversals.rejectWhy'), required: true }}
          pending={decide.pending}
          error={decide.error}
          onCancel={() => setDeciding(null)}
          onConfirm={(note) => void decideOn(deciding.row, deciding.approve, note)}
        >
          <p>
            {t('reversals.confirmWhat', {
              receiptNo: deciding.row.receiptNo,
              accountNo: deciding.row.accountNo,
              name: deciding.row.customerName,
              amount: formatYuan(deciding.row.amountFen),
              channel: t(`collection.channel.${deciding.row.channel}`),
              clerk: `${deciding.row.paymentClerk.staffNo} ${deciding.row.paymentClerk.name}`,
            })}
          </p>
          <p>{t('reversals.confirmReason', { reason: deciding.row.reason })}</p>
          <p>
            <strong>{t(deciding.approve ? 'reversals.approveEffect' : 'reversals.rejectEffect', { amount: formatYuan(deciding.row.amountFen) })}</strong>
          </p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
