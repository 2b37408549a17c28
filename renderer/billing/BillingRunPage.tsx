import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { jobResult, type BillingCounts, type BillRow, type JobState } from '../../shared/contract';
import { isPeriod } from '../../shared/time';
import { call, runJob } from '../api/client';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime, formatYuan } from '../ui/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Dialog, ErrorBanner, Field, JobBar, Notice, Page, SelectField } from '../ui/widgets';
import { currentPeriod, Flags, LinesTable, useBillingText } from './parts';
import { DataTable } from '../ui/DataTable';
import { MonthField } from '../ui/DateField';

function Counts({ counts }: { counts: BillingCounts }) {
  const { t } = useI18n();
  // A card's amount goes on a line of its own under the count, so a station-size total such as
  // ¥2,402,022.95 is shown whole at 1024 px (issue 16 item 9).
  const items: [string, number, number | null][] = [
    [t('billing.counts.due'), counts.due, null],
    [t('billing.counts.ready'), counts.ready, null],
    [t('billing.counts.waiting'), counts.waiting, null],
    [t('billing.counts.unbilled'), counts.unbilled, null],
    [t('billing.counts.draft'), counts.draft, counts.draftFen],
    [t('billing.counts.issued'), counts.issued, counts.issuedFen],
    [t('billing.counts.flagged'), counts.flaggedUnreviewed, null],
    [t('billing.counts.problems'), counts.problems, null],
  ];
  return (
    <dl className="counts">
      {items.map(([label, value, fen]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            <strong>{value}</strong>
            {fen !== null ? <span className="amount">{formatYuan(fen)}</span> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** 电费核算: run the month for a book or the station, review the exceptions, issue, print notices. */
export function BillingRunPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const text = useBillingText();
  const [period, setPeriod] = useState(currentPeriod());
  const [bookId, setBookId] = useState('');
  const [paper, setPaper] = useState<'A5' | 'A4'>('A5');
  const [job, setJob] = useState<JobState>();
  const [jobLabel, setJobLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [voiding, setVoiding] = useState<BillRow | null>(null);
  const [voidReason, setVoidReason] = useState('');
  const [extras, setExtras] = useState<{ customerId: string; name: string } | null>(null);
  // 发行 puts the drafts on the customers' ledgers (they become owed, penalties start after the
  // due date): it goes through the confirmation, which says how many bills and how much.
  const [confirmingIssue, setConfirmingIssue] = useState(false);
  const [extraValues, setExtraValues] = useState({ kvarh: '', maxDemandKw: '' });
  const valid = isPeriod(period);
  const scope = { period, ...(bookId ? { bookId } : {}) };
  const status = useQuery('billing.status', scope, { enabled: valid });
  const exceptions = useQuery('billing.exceptions', scope, { enabled: valid });
  const review = useAction('bills.review');
  const voidBill = useAction('bills.void');
  const enterExtras = useAction('billing.enterExtras');
  const canRun = session.can('billing.run');
  const book = status.data?.books.find((b) => b.bookId === bookId);
  const counts = status.data?.totals;

  function reload() {
    status.reload();
    exceptions.reload();
  }

  async function runBilling() {
    setBusy(true);
    setNotice(undefined);
    setJobLabel(t('billing.running'));
    try {
      const final = await runJob(() => call('billing.run', scope), setJob);
      const r = final.status === 'succeeded' ? jobResult('billing.run', final) : undefined;
      if (final.status === 'succeeded' && r) {
        setNotice(
          r.billed === 0 && r.problems === 0
            ? t('billing.runNothing', { already: r.alreadyBilled, waiting: r.waiting })
            : t('billing.runDone', { billed: r.billed, total: formatYuan(r.totalFen), flagged: r.flagged, problems: r.problems }),
        );
      }
    } finally {
      setBusy(false);
      reload();
    }
  }

  async function issueAll() {
    setConfirmingIssue(false);
    setBusy(true);
    setNotice(undefined);
    setJobLabel(t('billing.issuing'));
    try {
      const final = await runJob(() => call('billing.issue', scope), setJob);
      const r = final.status === 'succeeded' ? jobResult('billing.issue', final) : undefined;
      if (final.status === 'succeeded' && r) {
        setNotice(`${t('billing.issueDone', { issued: r.issued, total: formatYuan(r.totalFen), dueDate: r.dueDate })}${r.held ? ` ${t('billing.issueHeld', { held: r.held })}` : ''}`);
      }
    } finally {
      setBusy(false);
      reload();
    }
  }

  async function accept(bill: BillRow) {
    if (await review.run({ billId: bill.id, note: notes[bill.id] ?? '' })) reload();
  }

  async function confirmVoid(event: FormEvent) {
    event.preventDefault();
    if (!voiding) return;
    if (await voidBill.run({ billId: voiding.id, reason: voidReason })) {
      setVoiding(null);
      setVoidReason('');
      reload();
    }
  }

  async function saveExtras(event: FormEvent) {
    event.preventDefault();
    if (!extras) return;
    const input = {
      period,
      customerId: extras.customerId,
      ...(extraValues.kvarh ? { kvarh: extraValues.kvarh } : {}),
      ...(extraValues.maxDemandKw ? { maxDemandKw: extraValues.maxDemandKw } : {}),
    };
    if (await enterExtras.run(input)) {
      setExtras(null);
      setExtraValues({ kvarh: '', maxDemandKw: '' });
      setNotice(t('billing.extras.saved'));
    }
  }

  return (
    <Page title={t('billing.title')}>
      <form className="toolbar" onSubmit={(e) => e.preventDefault()} aria-label={t('billing.title')}>
        <MonthField label={t('billing.period')} value={period} onChange={setPeriod} required />
        <SelectField label={t('billing.book')} value={bookId} onChange={(e) => setBookId(e.target.value)}>
          <option value="">{t('billing.allBooks')}</option>
          {(status.data?.books ?? []).map((b) => (
            <option key={b.bookId} value={b.bookId}>
              {b.bookNo} {b.bookName}
            </option>
          ))}
        </SelectField>
        {canRun ? (
          <>
            <button type="button" className="primary" onClick={() => void runBilling()} disabled={busy || !valid}>
              {t('billing.run')}
            </button>
            <button type="button" onClick={() => setConfirmingIssue(true)} disabled={busy || !valid || !counts?.draft}>
              {t('billing.issueAll')}
            </button>
          </>
        ) : null}
        <SelectField label={t('billing.paper')} value={paper} onChange={(e) => setPaper(e.target.value as 'A5' | 'A4')}>
          <option value="A5">A5</option>
          <option value="A4">A4</option>
        </SelectField>
        <button
          type="button"
          onClick={() => navigate(`/print/bill-notices?${new URLSearchParams({ period, book: bookId, paper }).toString()}`)}
          disabled={!bookId || !book?.issued}
        >
          {t('billing.printNotices')}
        </button>
      </form>
      {confirmingIssue && counts ? (
        <ConfirmDialog
          open
          title={t('billing.issueConfirmTitle', { period, scope: book ? `${book.bookNo} ${book.bookName}` : t('billing.allBooks') })}
          confirmLabel={t('billing.issueConfirm', { count: Math.max(0, counts.draft - counts.flaggedUnreviewed) })}
          onCancel={() => setConfirmingIssue(false)}
          onConfirm={() => void issueAll()}
        >
          <p>{t('billing.issueConfirmWhat', { draft: counts.draft, total: formatYuan(counts.draftFen) })}</p>
          {counts.flaggedUnreviewed > 0 ? <p>{t('billing.issueConfirmHeld', { held: counts.flaggedUnreviewed })}</p> : null}
          <p>
            <strong>{t('billing.issueConfirmEffect')}</strong>
          </p>
        </ConfirmDialog>
      ) : null}
      <JobBar job={job} label={jobLabel} />
      <Notice>{notice}</Notice>
      <ErrorBanner error={status.error ?? exceptions.error ?? review.error} />
      {counts ? <Counts counts={counts} /> : null}
      {status.data?.lastRunAt ? <p className="muted">{t('billing.lastRun', { at: formatTime(status.data.lastRunAt) })}</p> : null}
      {!bookId && status.data && status.data.books.length > 0 ? (
        <DataTable
          label={t('billing.counts.table')}
          exportName={`${t('billing.counts.table')}-${period}`}
          rows={status.data.books}
          rowKey={(b) => b.bookId}
          columns={[
            {
              id: 'book',
              header: t('billing.book'),
              value: (b) => `${b.bookNo} ${b.bookName}`,
              render: (b) => (
                <button type="button" className="link" onClick={() => setBookId(b.bookId)}>
                  {b.bookNo} {b.bookName}
                </button>
              ),
            },
            { id: 'due', header: t('billing.counts.due'), kind: 'number', value: (b) => b.due },
            { id: 'ready', header: t('billing.counts.ready'), kind: 'number', value: (b) => b.ready },
            { id: 'waiting', header: t('billing.counts.waiting'), kind: 'number', value: (b) => b.waiting },
            { id: 'draft', header: t('billing.counts.draft'), kind: 'number', value: (b) => b.draft },
            { id: 'issued', header: t('billing.counts.issued'), kind: 'number', value: (b) => b.issued },
            { id: 'flagged', header: t('billing.counts.flagged'), kind: 'number', value: (b) => b.flaggedUnreviewed },
            { id: 'problems', header: t('billing.counts.problems'), kind: 'number', value: (b) => b.problems },
          ]}
        />
      ) : null}

      <h2>{t('billing.exceptions')}</h2>
      {exceptions.data && exceptions.data.bills.length === 0 ? <p className="muted">{t('billing.exceptionsNone')}</p> : null}
      {exceptions.data && exceptions.data.bills.length > 0 ? (
        <DataTable
          label={t('billing.exceptions')}
          rows={exceptions.data.bills}
          rowKey={(b) => b.id}
          columns={[
            { id: 'billNo', header: t('billing.bill.billNo'), value: (b) => b.billNo, className: 'mono', render: (b) => <Link to={`/bills/${encodeURIComponent(b.billNo)}`}>{b.billNo}</Link> },
            { id: 'account', header: t('billing.bill.account'), value: (b) => b.accountNo },
            {
              id: 'customer',
              header: t('billing.bill.customer'),
              value: (b) => b.customerName,
              render: (b) => (
                <>
                  {b.customerName}
                  <details>
                    <summary>{t('billing.line.lines')}</summary>
                    <LinesTable lines={b.lines ?? []} totalFen={b.totalFen} label={`${t('billing.line.lines')} ${b.accountNo}`} />
                  </details>
                </>
              ),
            },
            { id: 'kwh', header: t('billing.bill.kwh'), kind: 'quantity', value: (b) => b.kwh },
            { id: 'total', header: t('billing.bill.total'), kind: 'money', value: (b) => b.totalFen },
            { id: 'flags', header: t('billing.bill.flags'), render: (b) => <Flags flags={b.flags} /> },
            {
              id: 'actions',
              header: t('common.actions'),
              className: 'actions',
              render: (b) =>
                b.reviewed ? (
                  <span className="ok-text">{t('billing.reviewed')}</span>
                ) : canRun ? (
                  <>
                    <Field
                      label={`${t('billing.reviewNote')} ${b.accountNo}`}
                      value={notes[b.id] ?? ''}
                      onChange={(e) => setNotes({ ...notes, [b.id]: e.target.value })}
                    />
                    <button type="button" onClick={() => void accept(b)} disabled={review.pending}>
                      {t('billing.review')}
                    </button>
                    <button type="button" onClick={() => setVoiding(b)}>
                      {t('billing.void')}
                    </button>
                  </>
                ) : null,
            },
          ]}
        />
      ) : null}

      <h2>{t('billing.problems')}</h2>
      {exceptions.data && exceptions.data.problems.length === 0 ? <p className="muted">{t('billing.problemsNone')}</p> : null}
      {exceptions.data && exceptions.data.problems.length > 0 ? (
        <DataTable
          label={t('billing.problems')}
          exportName={`${t('billing.problems')}-${period}`}
          rows={exceptions.data.problems}
          rowKey={(p) => p.customerId}
          columns={[
            { id: 'account', header: t('billing.bill.account'), value: (p) => p.accountNo },
            { id: 'customer', header: t('billing.bill.customer'), value: (p) => p.customerName },
            { id: 'class', header: t('billing.bill.class'), value: (p) => text.classText(p.customerClass) },
            { id: 'book', header: t('billing.bill.book'), value: (p) => p.bookNo ?? '' },
            { id: 'problem', header: t('billing.problem'), value: (p) => text.problemText(p.code, p.detail) },
            {
              id: 'actions',
              header: t('common.actions'),
              render: (p) =>
                canRun && p.code === 'cannot_compute' && p.customerClass === 'large_industry' ? (
                  <button type="button" onClick={() => setExtras({ customerId: p.customerId, name: p.customerName })}>
                    {t('billing.extras')}
                  </button>
                ) : null,
            },
          ]}
        />
      ) : null}

      <Dialog open={voiding !== null} title={`${t('billing.void')} ${voiding?.billNo ?? ''}`} onClose={() => setVoiding(null)}>
        <form className="form" onSubmit={(e) => void confirmVoid(e)}>
          <p>{t('billing.voidConfirm', { billNo: voiding?.billNo ?? '' })}</p>
          <ErrorBanner error={voidBill.error} />
          <Field label={t('billing.voidReason')} value={voidReason} onChange={(e) => setVoidReason(e.target.value)} required autoFocus />
          <div className="buttons">
            <button type="submit" className="primary" disabled={voidBill.pending}>
              {t('billing.void')}
            </button>
            <button type="button" onClick={() => setVoiding(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </Dialog>

      <Dialog open={extras !== null} title={`${t('billing.extras')} ${extras?.name ?? ''}`} onClose={() => setExtras(null)}>
        <form className="form" onSubmit={(e) => void saveExtras(e)}>
          <ErrorBanner error={enterExtras.error} />
          <Field label={t('billing.extras.kvarh')} inputMode="decimal" value={extraValues.kvarh} onChange={(e) => setExtraValues({ ...extraValues, kvarh: e.target.value })} autoFocus />
          <Field label={t('billing.extras.demand')} inputMode="decimal" value={extraValues.maxDemandKw} onChange={(e) => setExtraValues({ ...extraValues, maxDemandKw: e.target.value })} />
          <div className="buttons">
            <button type="submit" className="primary" disabled={enterExtras.pending}>
              {t('common.save')}
            </button>
            <button type="button" onClick={() => setExtras(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      </Dialog>
    </Page>
  );
}
