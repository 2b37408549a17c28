import { useId, useState } from 'react';
import { Link } from 'react-router';
import { isSatisfied } from '../../shared/service';
import { useAction } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { ErrorBanner, Field, Notice, SelectField } from '../ui/widgets';
import './service.css';

// Recording one return visit (回访), the same on the order page and the visits list: reached or
// not, the score of 1–5 (no default, so a caller who presses Enter too soon records nothing
// rather than a "5" the customer never gave), the customer's comments, and for an unsatisfied
// answer (3 or less) what happens: the order re-opens (default) or goes to the head. A survey's
// unsatisfied answer always becomes an opinion order escalated to the head (docs/service.md).

export interface VisitToRecord {
  visitId: string;
  /** 'order': the return visit of a closed order; 'survey': a satisfaction survey's call. */
  kind: string;
  /** What is being called about, for the form's title (an order number or the survey's name). */
  subject: string;
}

export function VisitForm({ visit, onRecorded }: { visit: VisitToRecord; onRecorded(result: { outcome: 'none' | 'reopen' | 'escalate'; orderNo: string | null }): void }) {
  const { t } = useI18n();
  const record = useAction('service.visits.record');
  const [reached, setReached] = useState(true);
  const [score, setScore] = useState('');
  const [comments, setComments] = useState('');
  const [outcome, setOutcome] = useState<'reopen' | 'escalate'>('reopen');
  const name = useId();
  const unsatisfied = reached && score !== '' && !isSatisfied(Number(score));
  return (
    <form
      className="service-order-form service-visit-form"
      aria-label={t('service.visits.recordFor', { subject: visit.subject })}
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await record.run({
          visitId: visit.visitId,
          reached,
          ...(reached && score !== '' ? { satisfaction: Number(score) } : {}),
          comments,
          ...(unsatisfied && visit.kind === 'order' ? { outcome } : {}),
        });
        if (r) onRecorded(r);
      }}
    >
      <h2>{t('service.visits.recordFor', { subject: visit.subject })}</h2>
      <fieldset className="service-visit-reached">
        <legend>{t('service.visits.reachedQuestion')}</legend>
        <label>
          <input type="radio" name={name} checked={reached} onChange={() => setReached(true)} /> {t('service.visits.reached')}
        </label>
        <label>
          <input type="radio" name={name} checked={!reached} onChange={() => setReached(false)} /> {t('service.visits.notReached')}
        </label>
      </fieldset>
      {reached ? (
        <SelectField label={t('service.visits.satisfaction')} value={score} onChange={(e) => setScore(e.target.value)}>
          <option value="">{t('service.visits.scoreChoose')}</option>
          {['5', '4', '3', '2', '1'].map((s) => (
            <option key={s} value={s}>
              {t(`service.visits.score${s}` as 'service.visits.score5')}
            </option>
          ))}
        </SelectField>
      ) : null}
      <Field label={t('service.visits.comments')} hint={unsatisfied ? t('service.visits.commentsHint') : undefined} value={comments} onChange={(e) => setComments(e.target.value)} />
      {unsatisfied && visit.kind === 'order' ? (
        <SelectField label={t('service.visits.outcome')} value={outcome} onChange={(e) => setOutcome(e.target.value as 'reopen' | 'escalate')}>
          <option value="reopen">{t('service.visits.outcome.reopen')}</option>
          <option value="escalate">{t('service.visits.outcome.escalate')}</option>
        </SelectField>
      ) : null}
      {unsatisfied && visit.kind === 'survey' ? <p className="muted">{t('service.visits.surveyUnsatisfied')}</p> : null}
      <button type="submit" className="primary" disabled={record.pending}>
        {t('service.visits.record')}
      </button>
      <ErrorBanner error={record.error} />
    </form>
  );
}

/** What a recorded visit did, with the order it re-opened, escalated or made. */
export function VisitRecorded({ result }: { result: { outcome: 'none' | 'reopen' | 'escalate'; orderNo: string | null } }) {
  const { t } = useI18n();
  if (result.outcome === 'none') return <Notice>{t('service.visits.recorded')}</Notice>;
  const orderNo = result.orderNo ?? '';
  return (
    <Notice>
      {t(result.outcome === 'reopen' ? 'service.visits.recordedReopen' : 'service.visits.recordedEscalate', { orderNo })} {orderNo ? <Link to={`/service/orders/${orderNo}`}>{t('service.visits.openOrder')}</Link> : null}
    </Notice>
  );
}
