import { useState, type FormEvent } from 'react';
import { jobResult, type JobState, type OverviewBook } from '../../shared/contract';
import { errorRateBasisPoints } from '../../shared/readings';
import { periodOf, shanghaiDate } from '../../shared/time';
import { call, runJob } from '../api/client';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorBanner, JobBar, Notice, Page } from '../ui/widgets';
import { PeriodPicker, usePeriod } from './PeriodPicker';

const SEGMENTS = ['clean', 'reviewed', 'awaiting', 'noAccess', 'notEntered'] as const;
type Segment = (typeof SEGMENTS)[number];

function segments(b: OverviewBook): Record<Segment, number> {
  return {
    clean: b.entered - b.noAccess - b.flagged,
    reviewed: b.reviewed,
    awaiting: b.awaitingReview,
    noAccess: b.noAccess,
    notEntered: b.due - b.entered,
  };
}

/** One bar per book: read clean, reviewed, awaiting review, no access, not entered yet. */
function ProgressChart({ books }: { books: OverviewBook[] }) {
  const { t } = useI18n();
  const rowHeight = 26;
  const labelWidth = 190;
  const width = 760;
  const barWidth = width - labelWidth - 70;
  const height = books.length * rowHeight + 34;
  const summary = books.map((b) => `${b.bookNo} ${b.entered}/${b.due}`).join('，');
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={t('overview.chartLabel', { summary })}>
        {books.map((b, i) => {
          const s = segments(b);
          let x = labelWidth;
          const y = i * rowHeight + 4;
          return (
            <g key={b.bookId}>
              <text x={labelWidth - 8} y={y + 15} textAnchor="end" className={b.late ? 'chart-late' : undefined}>
                {b.bookNo} {b.readerName ?? ''}
              </text>
              {SEGMENTS.map((name) => {
                const w = b.due > 0 ? (s[name] / b.due) * barWidth : 0;
                const rect = w > 0 ? <rect key={name} x={x} y={y} width={w} height={rowHeight - 8} className={`seg-${name}`}><title>{`${t(`overview.segment.${name}`)} ${s[name]}`}</title></rect> : null;
                x += w;
                return rect;
              })}
              <text x={labelWidth + barWidth + 6} y={y + 15}>
                {b.entered}/{b.due}
              </text>
            </g>
          );
        })}
        <g transform={`translate(${labelWidth}, ${books.length * rowHeight + 12})`}>
          {SEGMENTS.map((name, i) => (
            <g key={name} transform={`translate(${i * 110}, 0)`}>
              <rect width="12" height="12" className={`seg-${name}`} />
              <text x="16" y="11">
                {t(`overview.segment.${name}`)}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </figure>
  );
}

/** 抄表进度: the station head's picture of a period, and where periods are opened and closed. */
export function OverviewPage() {
  const { t } = useI18n();
  const session = useSession();
  const [period, setPeriod, periods, reloadPeriods] = usePeriod();
  const overview = useQuery('readings.overview', { period }, { enabled: period !== '' });
  const close = useAction('periods.close');
  const [next, setNext] = useState(() => periodOf(shanghaiDate(Date.now())));
  const [job, setJob] = useState<JobState>();
  const [opening, setOpening] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [openError, setOpenError] = useState<string>();
  const manage = session.can('readings.manage');
  const data = overview.data;

  async function open(event: FormEvent) {
    event.preventDefault();
    setOpening(true);
    setOpenError(undefined);
    setNotice(undefined);
    try {
      const final = await runJob(() => call('periods.open', { period: next }), setJob);
      if (final.status === 'succeeded') {
        const r = jobResult('readings.openPeriod', final);
        setNotice(t('overview.opened', { period: r.period, books: r.books, due: r.due }));
        reloadPeriods();
        setPeriod(r.period);
      } else setOpenError(final.error?.message);
    } catch (e) {
      setOpenError((e as Error).message);
    } finally {
      setOpening(false);
    }
  }

  // 关账 cannot be undone: it goes through the confirmation.
  const [confirmingClose, setConfirmingClose] = useState(false);
  async function closePeriod() {
    setConfirmingClose(false);
    if (await close.run({ period })) {
      setNotice(t('overview.closed', { period }));
      reloadPeriods();
      overview.reload();
    }
  }

  return (
    <Page title={t('nav.readingOverview')}>
      <div className="row overview-head">
        <PeriodPicker period={period} periods={periods} onChange={setPeriod} />
        {manage ? (
          <form className="filters" onSubmit={open} aria-label={t('overview.open')}>
            <div className="field">
              <label htmlFor="open-period">{t('overview.newPeriod')}</label>
              <input id="open-period" type="month" value={next} onChange={(e) => setNext(e.target.value)} required />
            </div>
            <button type="submit" disabled={opening}>
              {t('overview.open')}
            </button>
          </form>
        ) : null}
      </div>
      <JobBar job={opening ? job : undefined} label={t('overview.opening')} />
      <ErrorBanner error={openError ? { code: 'validation', message: openError } : (close.error ?? overview.error)} />
      <Notice>{notice}</Notice>
      {data ? (
        <>
          <p role="status">
            {t('overview.summary', {
              period: data.period.period,
              status: t(`period.status.${data.period.status}`),
              entered: data.period.entered,
              due: data.period.due,
              awaiting: data.period.awaitingReview,
              late: data.books.filter((b) => b.late).length,
            })}
          </p>
          {manage && data.period.status === 'open' ? (
            <button type="button" className="primary" onClick={() => setConfirmingClose(true)} disabled={close.pending}>
              {t('overview.close', { period: data.period.period })}
            </button>
          ) : null}
          <ProgressChart books={data.books} />
          <table className="table" aria-label={t('overview.books')}>
            <thead>
              <tr>
                <th>{t('book.no')}</th>
                <th>{t('book.name')}</th>
                <th>{t('book.reader')}</th>
                <th>{t('book.readingDay')}</th>
                <th className="num">{t('overview.due')}</th>
                <th className="num">{t('overview.entered')}</th>
                <th className="num">{t('overview.flagged')}</th>
                <th className="num">{t('overview.reviewed')}</th>
                <th className="num">{t('overview.noAccess')}</th>
                <th>{t('common.status')}</th>
              </tr>
            </thead>
            <tbody>
              {data.books.map((b) => (
                <tr key={b.bookId} className={b.late ? 'late' : undefined}>
                  <td className="mono">{b.bookNo}</td>
                  <td>{b.name}</td>
                  <td>{b.readerName ?? '—'}</td>
                  <td>{b.scheduledDate}</td>
                  <td className="num">{b.due}</td>
                  <td className="num">{b.entered}</td>
                  <td className="num">{b.flagged}</td>
                  <td className="num">{b.reviewed}</td>
                  <td className="num">{b.noAccess}</td>
                  <td>{b.complete ? (b.awaitingReview ? t('overview.awaiting', { count: b.awaitingReview }) : t('overview.done')) : b.late ? t('overview.late') : t('overview.inProgress')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('overview.notRead', { count: data.notRead.total })}</h2>
          {data.notRead.rows.length ? (
            <table className="table" aria-label={t('overview.notReadTable')}>
              <thead>
                <tr>
                  <th>{t('book.no')}</th>
                  <th>{t('entry.seq')}</th>
                  <th>{t('import.column.account')}</th>
                  <th>{t('import.column.name')}</th>
                  <th>{t('import.column.address')}</th>
                  <th>{t('import.column.meter')}</th>
                  <th>{t('common.status')}</th>
                  <th>{t('import.column.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {data.notRead.rows.map((r) => (
                  <tr key={`${r.bookNo}-${r.seq}`}>
                    <td className="mono">{r.bookNo}</td>
                    <td className="num">{r.seq}</td>
                    <td className="mono">{r.accountNo}</td>
                    <td>{r.customerName}</td>
                    <td>{r.address}</td>
                    <td className="mono">{r.meterNo}</td>
                    <td>{t(`reading.status.${r.status}`)}</td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          <h2>{t('overview.readers')}</h2>
          <table className="table" aria-label={t('overview.readers')}>
            <thead>
              <tr>
                <th>{t('staff.staffNo')}</th>
                <th>{t('common.name')}</th>
                <th className="num">{t('overview.readCount')}</th>
                <th className="num">{t('overview.corrected')}</th>
                <th className="num">{t('overview.errorRate')}</th>
              </tr>
            </thead>
            <tbody>
              {data.readers.map((r) => {
                const bp = errorRateBasisPoints(r.corrected, r.entered);
                return (
                  <tr key={r.staffId}>
                    <td className="mono">{r.staffNo}</td>
                    <td>{r.name}</td>
                    <td className="num">{r.entered}</td>
                    <td className="num">{r.corrected}</td>
                    <td className="num">{bp === null ? '—' : `${(bp / 100).toFixed(2)}%`}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
      {confirmingClose && data ? (
        <ConfirmDialog open title={t('overview.close', { period })} confirmLabel={t('overview.close', { period })} onCancel={() => setConfirmingClose(false)} onConfirm={() => void closePeriod()}>
          <p>{t('overview.closeConfirm', { period })}</p>
          <p>{t('overview.closeConfirmCounts', { entered: data.period.entered, due: data.period.due, books: data.books.length })}</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
