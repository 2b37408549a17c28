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
import { DataTable } from '../ui/DataTable';
import { AppDateInput } from '../ui/DateField';

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
              <AppDateInput kind="month" id="open-period" value={next} onChange={setNext} required />
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
          <DataTable
            label={t('overview.books')}
            exportName={t('overview.books')}
            rows={data.books}
            rowKey={(b) => b.bookId}
            rowClassName={(b) => (b.late ? 'late' : undefined)}
            columns={[
              { id: 'bookNo', header: t('book.no'), value: (b) => b.bookNo, className: 'mono' },
              { id: 'name', header: t('book.name'), value: (b) => b.name },
              { id: 'reader', header: t('book.reader'), value: (b) => b.readerName ?? '—' },
              { id: 'readingDay', header: t('book.readingDay'), kind: 'date', value: (b) => b.scheduledDate },
              { id: 'due', header: t('overview.due'), kind: 'number', value: (b) => b.due },
              { id: 'entered', header: t('overview.entered'), kind: 'number', value: (b) => b.entered },
              { id: 'flagged', header: t('overview.flagged'), kind: 'number', value: (b) => b.flagged },
              { id: 'reviewed', header: t('overview.reviewed'), kind: 'number', value: (b) => b.reviewed },
              { id: 'noAccess', header: t('overview.noAccess'), kind: 'number', value: (b) => b.noAccess },
              { id: 'status', header: t('common.status'), value: (b) => (b.complete ? (b.awaitingReview ? t('overview.awaiting', { count: b.awaitingReview }) : t('overview.done')) : b.late ? t('overview.late') : t('overview.inProgress')) },
            ]}
          />
          <h2>{t('overview.notRead', { count: data.notRead.total })}</h2>
          {data.notRead.rows.length ? (
            <DataTable
              label={t('overview.notReadTable')}
              exportName={t('overview.notReadTable')}
              rows={data.notRead.rows}
              rowKey={(r) => `${r.bookNo}-${r.seq}`}
              columns={[
                { id: 'bookNo', header: t('book.no'), value: (r) => r.bookNo, className: 'mono' },
                { id: 'seq', header: t('entry.seq'), kind: 'number', value: (r) => r.seq },
                { id: 'account', header: t('import.column.account'), value: (r) => r.accountNo, className: 'mono' },
                { id: 'name', header: t('import.column.name'), value: (r) => r.customerName },
                { id: 'address', header: t('import.column.address'), value: (r) => r.address },
                { id: 'meter', header: t('import.column.meter'), value: (r) => r.meterNo, className: 'mono' },
                { id: 'status', header: t('common.status'), value: (r) => t(`reading.status.${r.status}`) },
                { id: 'reason', header: t('import.column.reason'), value: (r) => r.reason },
              ]}
            />
          ) : null}
          <h2>{t('overview.readers')}</h2>
          <DataTable
            label={t('overview.readers')}
            counted={false}
            rows={data.readers}
            rowKey={(r) => r.staffId}
            columns={[
              { id: 'staffNo', header: t('staff.staffNo'), value: (r) => r.staffNo, className: 'mono' },
              { id: 'name', header: t('common.name'), value: (r) => r.name },
              { id: 'entered', header: t('overview.readCount'), kind: 'number', value: (r) => r.entered },
              { id: 'corrected', header: t('overview.corrected'), kind: 'number', value: (r) => r.corrected },
              {
                id: 'errorRate',
                header: t('overview.errorRate'),
                kind: 'number',
                value: (r) => {
                  const bp = errorRateBasisPoints(r.corrected, r.entered);
                  return bp === null ? '—' : `${(bp / 100).toFixed(2)}%`;
                },
              },
            ]}
          />
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
