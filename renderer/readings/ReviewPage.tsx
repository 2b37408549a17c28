import { useState } from 'react';
import type { OutputOf } from '../../shared/contract';
import { formatCenti } from '../../shared/money';
import { flagMessage, type ReviewDecision } from '../../shared/readings';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatTime } from '../ui/format';
import { ErrorBanner, Field, Notice, Page } from '../ui/widgets';
import { PeriodPicker, usePeriod } from './PeriodPicker';

type QueueRow = OutputOf<'readings.reviewQueue'>['rows'][number];

/** One flagged reading with its history and the three decisions (接受 / 现场核查 / 更正). */
function ReviewItem({ item, onDone }: { item: QueueRow; onDone(text: string): void }) {
  const { t, locale } = useI18n();
  const review = useAction('readings.review');
  const [note, setNote] = useState('');
  const [correcting, setCorrecting] = useState(false);
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [confirm, setConfirm] = useState<number | null>(null);
  const r = item.reading;
  const label = `${item.bookNo}-${r.meterNo} ${item.customerName}`;

  const [refused, setRefused] = useState<string>();

  async function decide(decision: ReviewDecision, confirmedRollover = false) {
    setRefused(undefined);
    // "Correct" with a value enters the correction at once; without one it sends the reading back.
    const correction = decision === 'correct' && value ? { value, readingDate: r.readingDate, reason: reason || note, confirmedRollover } : undefined;
    const out = await review.run({ readingId: r.id, decision, note, ...(correction ? { correction } : {}) });
    if (!out) return;
    if (out.outcome === 'saved') {
      onDone(t('review.done', { who: label, decision: t(`reading.decision.${decision}`) }));
    } else if (out.outcome === 'confirm') {
      setConfirm(out.consumption);
    } else {
      setConfirm(null);
      setRefused(out.errors.map((e) => flagMessage(locale, e)).join('；'));
    }
  }

  return (
    <article className="card review-item" aria-label={label}>
      <header>
        <strong>
          {item.bookNo} · {item.accountNo} {item.customerName}
        </strong>{' '}
        <span className="muted">
          {item.address} · {t('import.column.meter')} {r.meterNo}
        </span>
      </header>
      <p>
        {t('review.reading', {
          previous: formatCenti(r.previousValue ?? 0),
          current: r.value === null ? '—' : formatCenti(r.value),
          consumption: r.consumption === null ? '—' : formatCenti(r.consumption),
          date: r.readingDate,
          who: r.enteredByName ?? '—',
        })}
        {r.kind !== 'actual' ? ` · ${t(`reading.kind.${r.kind}`)}：${r.reason}` : ''}
        {` · ${t(`reading.source.${r.source}`)}`}
      </p>
      <ul className="flags">
        {r.flags.map((f) => (
          <li key={f.code}>{flagMessage(locale, f)}</li>
        ))}
      </ul>
      {item.history.length ? (
        <p className="muted">
          {t('review.history')}：{item.history.map((h) => `${h.period} ${h.consumption === null ? t(`reading.kind.${h.kind}`) : formatCenti(h.consumption)}`).join('，')}
        </p>
      ) : null}
      {r.review ? (
        <p className="muted">
          {t('review.last', { decision: t(`reading.decision.${r.review.decision}`), who: r.review.reviewedByName, at: formatTime(r.review.reviewedAt) })}
          {r.review.note ? `：${r.review.note}` : ''}
        </p>
      ) : null}
      <ErrorBanner error={review.error} />
      {refused ? <p className="error-text" role="alert">{refused}</p> : null}
      <div className="row review-actions">
        <Field label={t('review.note')} value={note} onChange={(e) => setNote(e.target.value)} />
        <button type="button" className="primary" disabled={review.pending} onClick={() => void decide('accept')}>
          {t('reading.decision.accept')}
        </button>
        <button type="button" disabled={review.pending} onClick={() => void decide('site_visit')}>
          {t('reading.decision.site_visit')}
        </button>
        <button type="button" disabled={review.pending} onClick={() => setCorrecting(!correcting)} aria-expanded={correcting}>
          {t('reading.decision.correct')}…
        </button>
      </div>
      {correcting ? (
        <div className="row review-actions">
          <Field label={t('review.correctValue')} inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value.trim())} hint={t('review.correctHint', { date: r.readingDate })} />
          <Field label={t('review.correctReason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="button" className="primary" disabled={review.pending} onClick={() => void decide('correct')}>
            {value ? t('review.saveCorrection') : t('review.sendBack')}
          </button>
          {confirm !== null ? (
            <button type="button" onClick={() => void decide('correct', true)}>
              {t('entry.confirmRollover')}（{formatCenti(confirm)}）
            </button>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

/** The billing clerk's and station head's review (抄表复核) of flagged readings in a period. */
export function ReviewPage() {
  const { t } = useI18n();
  const [period, setPeriod, periods] = usePeriod();
  const [showAll, setShowAll] = useState(false);
  const queue = useQuery('readings.reviewQueue', { period, pendingOnly: !showAll }, { enabled: period !== '' });
  const [notice, setNotice] = useState<string>();
  return (
    <Page title={t('nav.readingReview')}>
      <PeriodPicker period={period} periods={periods} onChange={setPeriod} />
      <label className="check">
        <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} />
        {t('review.showAll')}
      </label>
      <Notice>{notice}</Notice>
      <ErrorBanner error={queue.error} />
      {queue.data ? <p role="status">{t('review.count', { count: queue.data.rows.length })}</p> : null}
      {(queue.data?.rows ?? []).map((item) => (
        <ReviewItem
          key={item.reading.id + (item.reading.review?.id ?? '')}
          item={item}
          onDone={(text) => {
            setNotice(text);
            queue.reload();
          }}
        />
      ))}
    </Page>
  );
}
