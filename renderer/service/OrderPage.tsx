import { useState } from 'react';
import { useParams } from 'react-router';
import type { MessageKey } from '../../shared/i18n';
import { DEFAULT_SERVICE_POLICY } from '../../shared/service';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { StatusCell, when } from './common';
import { VisitForm, VisitRecorded } from './VisitForm';
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
  const [kind, setKind] = useState<Step>(can('service.manage') ? 'assign' : 'contact');
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [valid, setValid] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [attributed, setAttributed] = useState('');
  const [visited, setVisited] = useState<{ outcome: 'none' | 'reopen' | 'escalate'; orderNo: string | null } | null>(null);
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
          {o.aboutStaff ? (
            <p>
              {t('service.orders.aboutStaffLabel')}: {o.aboutStaff}
            </p>
          ) : null}
          <h2>{t('service.orders.limits')}</h2>
          <p className="muted">{t('service.orders.limitsVersion', { version: o.limitsVersion === DEFAULT_SERVICE_POLICY.version ? t('service.policy.builtIn', { version: o.limitsVersion }) : t('service.policy.fromHq', { version: o.limitsVersion }) })}</p>
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
                  <td>{s.validComplaint === null ? '' : s.validComplaint ? t('service.orders.validTo', { staff: s.attributedTo ?? '' }) : t('service.orders.notValid')}</td>
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
                const r = await step.run({ orderNo, kind, note, ...(kind === 'assign' ? { assigneeStaffNo: assignee } : {}), ...(kind === 'close' && o.kind === 'complaint' ? { validComplaint: valid, ...(valid && attributed.trim() ? { attributedStaffNo: attributed.trim() } : {}) } : {}) });
                if (r) {
                  setDone(t(`service.step.${kind}` as MessageKey));
                  setVisited(null);
                  setNote('');
                  setAttributed('');
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
              {kind === 'close' && o.kind === 'complaint' && valid ? (
                <Field label={t('service.orders.attributed')} hint={o.aboutStaff ? `${t('service.orders.attributedHint')} (${o.aboutStaff})` : undefined} value={attributed} onChange={(e) => setAttributed(e.target.value)} />
              ) : null}
              <button type="submit" disabled={step.pending}>
                {t('service.orders.addStep')}
              </button>
            </form>
          ) : null}
          <ErrorBanner error={step.error} />
          {done ? <Notice>{t('service.orders.stepDone', { step: done })}</Notice> : null}
          <h2>{t('service.orders.visits')}</h2>
          <table className="table" aria-label={t('service.orders.visits')}>
            <tbody>
              {o.visits.map((v) => (
                <tr key={v.visitId}>
                  <td>{when(v.createdAt)}</td>
                  <td>{!v.done ? t('service.visits.pending') : v.reached ? t('service.visits.scoreOf', { score: v.satisfaction ?? '' }) : t('service.visits.notReached')}</td>
                  <td>{v.outcome && v.outcome !== 'none' ? t(`service.visits.outcome.${v.outcome}` as MessageKey) : ''}</td>
                  <td>{v.comments}</td>
                </tr>
              ))}
              {o.visits.length === 0 ? (
                <tr>
                  <td colSpan={4} className="muted">
                    {t('service.orders.visitsNone')}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
          {visited ? <VisitRecorded result={visited} /> : null}
          {pendingVisit && can('service.log') ? (
            <VisitForm
              key={pendingVisit.visitId}
              visit={{ visitId: pendingVisit.visitId, kind: 'order', subject: orderNo }}
              onRecorded={(r) => {
                setVisited(r);
                setDone(null);
                order.reload();
              }}
            />
          ) : null}
        </>
      ) : null}
    </Page>
  );
}
