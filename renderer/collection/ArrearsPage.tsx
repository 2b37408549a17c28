import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { ArrearsFilter, ArrearsRow } from '../../shared/contract/collection';
import { call } from '../api/client';
import { saveFile } from '../customers/download';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatYuan } from '../ui/format';
import { ErrorBanner, Field, Page, SelectField } from '../ui/widgets';
import { parseYuan } from './common';
import { DataTable } from '../ui/DataTable';

// Arrears (欠费清单): customers past due, filtered by place, transformer area, book, days
// overdue and amount; exported to xlsx; reminders (催费通知单) printed by book; disconnection
// notices (停电通知) for the accounts policy allows — printed and handed over, never automatic.

const PAGE = 200;

interface Form {
  village: string;
  transformerArea: string;
  bookId: string;
  minDays: string;
  minAmount: string;
  eligibleOnly: boolean;
}

export function ArrearsPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>({ village: '', transformerArea: '', bookId: '', minDays: '', minAmount: '', eligibleOnly: false });
  const [offset, setOffset] = useState(0);
  const options = useQuery('arrears.filters', {});
  const filter: ArrearsFilter = {
    ...(form.village ? { township: form.village.split('/')[0], village: form.village.split('/')[1] } : {}),
    ...(form.transformerArea ? { transformerArea: form.transformerArea } : {}),
    ...(form.bookId ? { bookId: form.bookId } : {}),
    ...(/^\d+$/.test(form.minDays) ? { minDaysOverdue: Number(form.minDays) } : {}),
    ...(parseYuan(form.minAmount) !== null ? { minAmountFen: parseYuan(form.minAmount) ?? 0 } : {}),
    ...(form.eligibleOnly ? { eligibleOnly: true } : {}),
  };
  const list = useQuery('arrears.list', { ...filter, limit: PAGE, offset });
  const remind = useAction('arrears.remind');
  const notice = useAction('arrears.issueNotice');
  const [exporting, setExporting] = useState(false);
  const canNotify = session.can('arrears.notify');
  const change = (key: keyof Form) => (e: { target: { value: string } }) => {
    setOffset(0);
    setForm({ ...form, [key]: e.target.value });
  };

  async function exportXlsx() {
    setExporting(true);
    try {
      const file = await call('arrears.export', filter);
      await saveFile(file.fileName, file.base64);
    } finally {
      setExporting(false);
    }
  }
  async function remindBook() {
    const result = await remind.run({ bookId: form.bookId });
    if (result) navigate(`/print/reminders/${result.batchId}`);
  }
  async function remindOne(row: ArrearsRow) {
    const result = await remind.run({ customerIds: [row.customerId] });
    if (result) navigate(`/print/reminders/${result.batchId}`);
  }
  async function issueNotice(row: ArrearsRow) {
    const result = await notice.run({ customerId: row.customerId });
    if (result) navigate(`/print/notice/${result.noticeId}`);
  }

  const data = list.data;
  return (
    <Page
      title={t('arrears.title')}
      actions={
        <>
          <button type="button" onClick={() => void exportXlsx()} disabled={exporting}>
            {exporting ? t('common.working') : t('arrears.export')}
          </button>
          {canNotify ? (
            <button type="button" className="primary" disabled={!form.bookId || remind.pending} onClick={() => void remindBook()} title={form.bookId ? undefined : t('arrears.chooseBook')}>
              {t('arrears.remindBook')}
            </button>
          ) : null}
        </>
      }
    >
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('arrears.filters')}>
        <SelectField label={t('arrears.village')} value={form.village} onChange={change('village')}>
          <option value="">{t('common.all')}</option>
          {(options.data?.villages ?? []).map((v) => (
            <option key={`${v.township}/${v.village}`} value={`${v.township}/${v.village}`}>
              {v.township} {v.village}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('arrears.transformerArea')} value={form.transformerArea} onChange={change('transformerArea')}>
          <option value="">{t('common.all')}</option>
          {(options.data?.transformerAreas ?? []).map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('arrears.book')} value={form.bookId} onChange={change('bookId')}>
          <option value="">{t('common.all')}</option>
          {(options.data?.books ?? []).map((b) => (
            <option key={b.id} value={b.id}>
              {b.bookNo} {b.name}
            </option>
          ))}
        </SelectField>
        <Field label={t('arrears.minDays')} inputMode="numeric" value={form.minDays} onChange={change('minDays')} />
        <Field label={t('arrears.minAmount')} inputMode="decimal" value={form.minAmount} onChange={change('minAmount')} />
        <label className="check">
          <input
            type="checkbox"
            checked={form.eligibleOnly}
            onChange={(e) => {
              setOffset(0);
              setForm({ ...form, eligibleOnly: e.target.checked });
            }}
          />
          {t('arrears.eligibleOnly')}
        </label>
      </form>
      <ErrorBanner error={list.error ?? remind.error ?? notice.error} />
      {data ? (
        <p aria-live="polite">
          {t('arrears.summary', { count: data.total, principal: formatYuan(data.principalFen), penalty: formatYuan(data.penaltyFen), date: data.asOf })}
        </p>
      ) : (
        <p className="muted">{t('app.loading')}</p>
      )}
      <DataTable
        label={t('arrears.sheet')}
        rows={data?.rows}
        total={data?.total}
        rowKey={(r) => r.customerId}
        columns={[
          { id: 'accountNo', header: t('collection.accountNo'), value: (r) => r.accountNo, className: 'mono' },
          {
            id: 'name',
            header: t('collection.customerName'),
            value: (r) => r.name,
            render: (r) => (
              <>
                {r.name}
                <br />
                <small className="muted">{r.phone}</small>
              </>
            ),
          },
          {
            id: 'village',
            header: t('arrears.village'),
            value: (r) => r.village,
            render: (r) => (
              <>
                {r.village}
                <br />
                <small className="muted">{r.transformerArea}</small>
              </>
            ),
          },
          { id: 'book', header: t('arrears.book'), value: (r) => (r.book ? r.book.bookNo : '') },
          { id: 'periods', header: t('arrears.periods'), value: (r) => r.periods.join(' ') },
          { id: 'principal', header: t('arrears.principal'), kind: 'money', value: (r) => r.principalFen },
          { id: 'penalty', header: t('arrears.penalty'), kind: 'money', value: (r) => r.penaltyFen },
          { id: 'oldestDue', header: t('arrears.oldestDue'), kind: 'date', value: (r) => r.oldestDueDate },
          { id: 'daysOverdue', header: t('arrears.daysOverdue'), kind: 'number', value: (r) => r.daysOverdue },
          {
            id: 'lastReminder',
            header: t('arrears.lastReminder'),
            value: (r) => r.lastReminderDate ?? '',
            render: (r) => (
              <>
                {r.lastReminderDate ?? ''}
                {r.lastNoticeDate ? <small className="muted"> {t('arrears.noticed', { date: r.lastNoticeDate })}</small> : null}
              </>
            ),
          },
          {
            id: 'actions',
            header: t('common.actions'),
            className: 'actions',
            render: (r) =>
              canNotify ? (
                <>
                  <button type="button" onClick={() => void remindOne(r)} disabled={remind.pending}>
                    {t('arrears.remind')}
                  </button>
                  {r.eligible ? (
                    <button type="button" className="primary" onClick={() => void issueNotice(r)} disabled={notice.pending}>
                      {t('arrears.issueNotice')}
                    </button>
                  ) : (
                    <small className="muted">{r.blocks.map((b) => t(`arrears.block.${b}`)).join('，')}</small>
                  )}
                </>
              ) : null,
          },
        ]}
      />
      {data && data.total > PAGE ? (
        <div className="buttons">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            {t('common.prev')}
          </button>
          <span>{t('common.page', { page: offset / PAGE + 1 })}</span>
          <button type="button" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)}>
            {t('common.next')}
          </button>
        </div>
      ) : null}
    </Page>
  );
}
