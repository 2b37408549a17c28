import { useState } from 'react';
import type { ReversalRow } from '../../shared/contract/collection';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime, formatYuan } from '../ui/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorBanner, Notice, Page } from '../ui/widgets';

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
      <table className="table" aria-label={t('reversals.title')}>
        <thead>
          <tr>
            <th>{t('collection.receiptNo')}</th>
            <th>{t('collection.accountNo')}</th>
            <th className="num">{t('collection.amount')}</th>
            <th>{t('collection.channel')}</th>
            <th>{t('reversals.paidAt')}</th>
            <th>{t('collection.reason')}</th>
            <th>{t('reversals.requestedBy')}</th>
            <th>{t('collection.status')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.rows ?? []).map((r) => (
            <tr key={r.requestId}>
              <td className="mono">{r.receiptNo}</td>
              <td>
                <span className="mono">{r.accountNo}</span> {r.customerName}
              </td>
              <td className="num">{formatYuan(r.amountFen)}</td>
              <td>{t(`collection.channel.${r.channel}`)}</td>
              <td className="nowrap">
                {formatTime(r.postedAt)} {r.paymentClerk.staffNo} {r.paymentClerk.name}
              </td>
              <td>{r.reason}</td>
              <td className="nowrap">
                {r.requestedBy} {formatTime(r.requestedAt)}
              </td>
              <td>
                {t(`reversals.status.${r.status}`)}
                {r.decidedBy ? ` · ${r.decidedBy}` : ''}
                {r.note ? ` · ${r.note}` : ''}
              </td>
              <td className="actions">
                {isHead && r.status === 'pending' ? (
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
                ) : null}
              </td>
            </tr>
          ))}
          {!list.loading && (list.data?.rows.length ?? 0) === 0 ? (
            <tr>
              <td colSpan={9} className="muted">
                {t('reversals.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
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
