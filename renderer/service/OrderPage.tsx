import { useState } from 'react';
import { useParams } from 'react-router';
import type { MessageKey } from '../../shared/i18n';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { StatusCell, when } from './common';
import './service.css';

// One order: its limits, its steps, a step to record (assign for the head; contact, arrive,
// suspend, resume, close… for the assignee), and the return visit once it is closed.

const STEPS = ['assign', 'contact', 'arrive', 'restore', 'note', 'suspend', 'resume', 'close', 'reopen', 'escalate'] as const;
type Step = (typeof STEPS)[number];

export function OrderPage() {
  const { orderNo = '' } = useParams();
  const { t } = useI18n();
  const { can } = useSession();
  const order = useQuery('service.orders.get', { orderNo });
  const staff = useQuery('service.staff', {}, { enabled: can('service.manage') });
  const step = useAction('service.orders.step');
  const visit = useAction('service.visits.record');
  const [kind, setKind] = useState<Step>(can('service.manage') ? 'assign' : 'contact');
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [valid, setValid] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [reached, setReached] = useState(true);
  const [score, setScore] = useState('5');
  const [comments, setComments] = useState('');
  const [outcome, setOutcome] = useState<'reopen' | 'escalate'>('reopen');
  const o = order.data;
  const pendingVisit = o?.visits.find((v) => !v.done);
  const allowed = STEPS.filter((s) => (s === 'assign' || s === 'reopen' ? can('service.manage') : true));
  return (
    <Page title={`${t('service.orders.title')} ${orderNo}`}>
      <ErrorBanner error={order.error} />
      {o ? (
        <>
          <p>
            {t(`service.kind.${o.kind}` as MessageKey)} · {t(`service.source.${o.source}` as MessageKey)}
            {o.dispatchNo ? ` ${o.dispatchNo}` : ''} · {t(`service.state.${o.state}` as MessageKey)} · <StatusCell t={t} status={o.status} />
            {o.escalated ? ` · ${t('service.orders.escalated')}` : ''}
            {o.reopened ? ` · ${t('service.orders.reopened', { n: o.reopened })}` : ''}
          </p>
          <p>
            {o.accountNo ? `${o.accountNo} ${o.customerName ?? ''}` : o.contactName} {o.contactPhone} · {t('service.orders.receivedAt')} {when(o.receivedAt)}
          </p>
          <p>{o.content}</p>
          <h2>{t('service.orders.limits')}</h2>
          <table className="table" aria-label={t('service.orders.limits')}>
            <tbody>
              {o.limits.map((l) => (
                <tr key={l.milestone}>
                  <td>{t(`service.milestone.${l.milestone}` as MessageKey)}</td>
                  <td>{when(l.due)}</td>
                  <td>{when(l.metAt)}</td>
                  <td>
                    <StatusCell t={t} status={l.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('service.orders.steps')}</h2>
          <table className="table" aria-label={t('service.orders.steps')}>
            <tbody>
              {o.steps.map((s, i) => (
                <tr key={i}>
                  <td>{when(s.at)}</td>
                  <td>{t(`service.step.${s.kind}` as MessageKey)}</td>
                  <td>{s.by}</td>
                  <td>{s.assignee ?? ''}</td>
                  <td>{s.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {can('service.answer') ? (
            <form
              className="service-order-form"
              aria-label={t('service.orders.addStep')}
              onSubmit={async (e) => {
                e.preventDefault();
                const r = await step.run({ orderNo, kind, note, ...(kind === 'assign' ? { assigneeStaffNo: assignee } : {}), ...(kind === 'close' && o.kind === 'complaint' ? { validComplaint: valid } : {}) });
                if (r) {
                  setDone(t(`service.step.${kind}` as MessageKey));
                  setNote('');
                  order.reload();
                }
              }}
            >
              <SelectField label={t('service.orders.addStep')} value={kind} onChange={(e) => setKind(e.target.value as Step)}>
                {allowed.map((s) => (
                  <option key={s} value={s}>
                    {t(`service.step.${s}` as MessageKey)}
                  </option>
                ))}
              </SelectField>
              {kind === 'assign' ? (
                <SelectField label={t('service.orders.assignTo')} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                  <option value="">—</option>
                  {(staff.data?.rows ?? []).map((s) => (
                    <option key={s.staffNo} value={s.staffNo}>
                      {s.staffNo} {s.name}
                    </option>
                  ))}
                </SelectField>
              ) : null}
              <Field label={t('service.orders.note')} value={note} onChange={(e) => setNote(e.target.value)} />
              {kind === 'close' && o.kind === 'complaint' ? (
                <label>
                  <input type="checkbox" checked={valid} onChange={(e) => setValid(e.target.checked)} /> {t('service.orders.valid')}
                </label>
              ) : null}
              <button type="submit" disabled={step.pending}>
                {t('service.orders.addStep')}
              </button>
            </form>
          ) : null}
          <ErrorBanner error={step.error} />
          {done ? <Notice>{t('service.orders.stepDone', { step: done })}</Notice> : null}
          {pendingVisit && can('service.log') ? (
            <form
              className="service-order-form"
              aria-label={t('service.visits.title')}
              onSubmit={async (e) => {
                e.preventDefault();
                const r = await visit.run({ visitId: pendingVisit.visitId, reached, ...(reached ? { satisfaction: Number(score) } : {}), comments, outcome });
                if (r) {
                  setDone(r.outcome === 'none' ? t('service.visits.recorded') : t(r.outcome === 'reopen' ? 'service.visits.recordedReopen' : 'service.visits.recordedEscalate', { orderNo: r.orderNo ?? '' }));
                  order.reload();
                }
              }}
            >
              <h2>{t('service.visits.title')}</h2>
              <label>
                <input type="checkbox" checked={reached} onChange={(e) => setReached(e.target.checked)} /> {t('service.visits.reached')}
              </label>
              <SelectField label={t('service.visits.satisfaction')} value={score} onChange={(e) => setScore(e.target.value)} disabled={!reached}>
                {['5', '4', '3', '2', '1'].map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </SelectField>
              <Field label={t('service.visits.comments')} value={comments} onChange={(e) => setComments(e.target.value)} />
              <SelectField label={t('service.visits.outcome')} value={outcome} onChange={(e) => setOutcome(e.target.value as 'reopen' | 'escalate')}>
                <option value="reopen">{t('service.visits.outcome.reopen')}</option>
                <option value="escalate">{t('service.visits.outcome.escalate')}</option>
              </SelectField>
              <button type="submit" disabled={visit.pending}>
                {t('service.visits.record')}
              </button>
            </form>
          ) : null}
          <ErrorBanner error={visit.error} />
        </>
      ) : null}
    </Page>
  );
}
