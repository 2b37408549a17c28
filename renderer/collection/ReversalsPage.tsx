import { useState } from 'react';
import type { ReversalRow } from '../../shared/contract/collection';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime, formatYuan } from '../ui/format';
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

  async function decideOn(row: ReversalRow, approve: boolean) {
    const note = approve ? '' : (window.prompt(t('reversals.rejectWhy')) ?? '');
    const result = await decide.run({ requestId: row.requestId, approve, ...(note ? { note } : {}) });
    if (result) {
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
      <ErrorBanner error={list.error ?? decide.error} />
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
                    <button type="button" className="primary" onClick={() => void decideOn(r, true)} disabled={decide.pending}>
                      {t('reversals.approve')}
                    </button>
                    <button type="button" onClick={() => void decideOn(r, false)} disabled={decide.pending}>
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
    </Page>
  );
}
