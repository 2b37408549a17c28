import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ClosingSummary, DayView } from '../../shared/contract/collection';
import { call } from '../api/client';
import { saveFile } from '../customers/download';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime, formatYuan } from '../ui/format';
import { ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { ApproverFields, approverInput, ChannelTotalsList, NO_APPROVER, parseYuan, type ApproverValue } from './common';
import { DataTable } from '../ui/DataTable';
import { DateField } from '../ui/DateField';
import { StationDayBody, StationDayPrintLink } from './StationDay';

// Daily closing (日结): the clerk's day by channel, receipts first to last, reversals; the clerk
// counts the cash and closes. A difference needs a reason and the station head's sign-off —
// typed in here on the spot, or later from the closings list.

export function DayPage() {
  const { t } = useI18n();
  const session = useSession();
  const [params, setParams] = useSearchParams();
  const isHead = session.can('collection.approve');
  const staffId = params.get('staff') ?? undefined;
  const date = params.get('date') ?? undefined;
  // The station head opens on the whole station's day (全所收费日报): a head takes no payments, so
  // their own day would be empty. Choosing a clerk shows that clerk's day as before.
  const stationView = isHead && !staffId;
  const day = useQuery('collection.day', { ...(staffId ? { staffId } : {}), ...(date ? { businessDate: date } : {}) }, { enabled: !stationView });
  const station = useQuery('collection.stationDay', date ? { businessDate: date } : {}, { enabled: stationView });
  const directory = useQuery('staff.directory', {}, { enabled: isHead });
  const clerks = (directory.data?.rows ?? []).filter((s) => s.roles.includes('clerk'));
  const set = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const d = day.data;

  return (
    <Page title={t('closing.title')}>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        {isHead ? (
          <SelectField label={t('closing.clerk')} value={staffId ?? ''} onChange={(e) => set('staff', e.target.value)}>
            <option value="">{t('stationDay.choice')}</option>
            {clerks.map((s) => (
              <option key={s.id} value={s.id}>
                {s.staffNo} {s.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        <DateField label={t('closing.businessDate')} value={date ?? (stationView ? station.data?.businessDate : d?.businessDate) ?? ''} onChange={(value) => set('date', value)} />
      </form>
      {stationView ? (
        <>
          <ErrorBanner error={station.error} />
          {station.data ? (
            <section aria-label={t('stationDay.title')}>
              <h2>
                {t('stationDay.title')} · {station.data.businessDate}
              </h2>
              <StationDayBody day={station.data} onClerk={(id) => set('staff', id)} />
              <div className="buttons">
                <StationDayPrintLink date={station.data.businessDate} />
              </div>
            </section>
          ) : null}
        </>
      ) : null}
      {stationView ? null : <ErrorBanner error={day.error} />}
      {!stationView && d ? (
        <>
          {d.unclosedDays.length > 0 ? (
            <p className="banner banner-warn">
              {t('closing.unclosed')}{' '}
              {d.unclosedDays.map((u) => (
                <button key={u} type="button" className="link" onClick={() => set('date', u)}>
                  {u}
                </button>
              ))}
            </p>
          ) : null}
          <DayTotals day={d} />
          {d.closing ? (
            <ClosingDone closing={d.closing} onChanged={day.reload} />
          ) : d.clerk.id === session.staff?.id && session.can('collection.pay') ? (
            <CloseForm day={d} onClosed={day.reload} />
          ) : null}
          <DayLists day={d} />
        </>
      ) : null}
    </Page>
  );
}

function DayTotals({ day }: { day: DayView }) {
  const { t } = useI18n();
  return (
    <section aria-label={t('closing.totals')}>
      <h2>
        {day.clerk.staffNo} {day.clerk.name} · {day.businessDate}
      </h2>
      <ChannelTotalsList totals={day} />
      <p>
        {t('closing.receipts')}: {day.firstReceiptNo ? `${day.firstReceiptNo} – ${day.lastReceiptNo}` : t('common.none')}
      </p>
    </section>
  );
}

function CloseForm({ day, onClosed }: { day: DayView; onClosed(): void }) {
  const { t } = useI18n();
  const close = useAction('collection.closeDay');
  const [floatText, setFloatText] = useState('0');
  const [countedText, setCountedText] = useState('');
  const [reason, setReason] = useState('');
  const [approver, setApprover] = useState<ApproverValue>(NO_APPROVER);
  const [formError, setFormError] = useState<string>();
  const floatFen = parseYuan(floatText);
  const countedFen = parseYuan(countedText);
  const expected = floatFen === null ? null : floatFen + day.cashTakingsFen;
  const difference = expected === null || countedFen === null ? null : countedFen - expected;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (floatFen === null || countedFen === null) return setFormError(t('closing.countInvalid'));
    setFormError(undefined);
    const result = await close.run({
      businessDate: day.businessDate,
      countedCashFen: countedFen,
      openingFloatFen: floatFen,
      ...(reason.trim() ? { reason: reason.trim() } : {}),
      ...approverInput(approver),
    });
    if (result) onClosed();
  }

  return (
    <form className="card form" aria-label={t('closing.closeForm')} onSubmit={submit}>
      <h2>{t('closing.closeForm')}</h2>
      <div className="row inline">
        <Field label={t('closing.openingFloat')} inputMode="decimal" value={floatText} onChange={(e) => setFloatText(e.target.value)} />
        <p>
          {t('closing.expectedCash')}: <strong>{expected === null ? '—' : formatYuan(expected)}</strong>
        </p>
        <Field label={t('closing.countedCash')} inputMode="decimal" value={countedText} onChange={(e) => setCountedText(e.target.value)} autoFocus />
        <p aria-live="polite">
          {t('closing.difference')}:{' '}
          <strong data-testid="difference" className={difference ? 'error-text' : undefined}>
            {difference === null ? '—' : difference === 0 ? t('closing.balanced') : `${difference < 0 ? t('closing.short') : t('closing.over')} ${formatYuan(Math.abs(difference))}`}
          </strong>
        </p>
      </div>
      {difference ? (
        <>
          <Field label={t('closing.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          <ApproverFields legend={t('closing.headSignsNow')} value={approver} onChange={setApprover} />
          <p className="muted">{t('closing.orSignLater')}</p>
        </>
      ) : null}
      {formError ? <p className="error-text" role="alert">{formError}</p> : null}
      <ErrorBanner error={close.error} />
      <button type="submit" className="primary" disabled={close.pending}>
        {t('closing.close')}
      </button>
    </form>
  );
}

export function ClosingStatus({ closing }: { closing: ClosingSummary }) {
  const { t } = useI18n();
  return <span className={`closing-status ${closing.status}`}>{t(`closing.status.${closing.status}`)}</span>;
}

function ClosingDone({ closing, onChanged }: { closing: ClosingSummary; onChanged(): void }) {
  const { t } = useI18n();
  const session = useSession();
  const signOff = useAction('collection.signOffClosing');
  const [notice, setNotice] = useState<string>();
  async function exportXlsx() {
    const file = await call('collection.exportClosing', { closingId: closing.closingId });
    await saveFile(file.fileName, file.base64);
  }
  async function sign() {
    if (await signOff.run({ closingId: closing.closingId })) {
      setNotice(t('closing.signedNow'));
      onChanged();
    }
  }
  return (
    <section className="card" aria-label={t('closing.closed')}>
      <h2>
        {t('closing.closedAt')} {formatTime(closing.closedAt)} <ClosingStatus closing={closing} />
      </h2>
      <p>
        {t('closing.expectedCash')} {formatYuan(closing.expectedCashFen)} · {t('closing.countedCash')} {formatYuan(closing.countedCashFen)} · {t('closing.difference')}{' '}
        {formatYuan(closing.differenceFen)}
        {closing.reason ? ` · ${closing.reason}` : ''}
      </p>
      {closing.signedOff ? (
        <p>
          {t('closing.signedOffBy')}: {closing.signedOff.by} {formatTime(closing.signedOff.at)}
        </p>
      ) : null}
      <Notice>{notice}</Notice>
      <ErrorBanner error={signOff.error} />
      <div className="buttons">
        <Link to={`/print/closing/${closing.closingId}`} className="button">
          {t('closing.printReport')}
        </Link>
        <button type="button" onClick={() => void exportXlsx()}>
          {t('closing.exportXlsx')}
        </button>
        {closing.status === 'awaiting_sign_off' && session.can('collection.approve') && closing.clerk.id !== session.staff?.id ? (
          <button type="button" className="primary" onClick={() => void sign()} disabled={signOff.pending}>
            {t('closing.signOff')}
          </button>
        ) : null}
      </div>
    </section>
  );
}

function DayLists({ day }: { day: DayView }) {
  const { t } = useI18n();
  return (
    <>
      <h2>{t('closing.sheetPayments')}</h2>
      <DataTable
        label={t('closing.sheetPayments')}
        rows={day.payments}
        rowKey={(p) => p.paymentId}
        columns={[
          { id: 'receiptNo', header: t('collection.receiptNo'), value: (p) => p.receiptNo, className: 'mono' },
          { id: 'time', header: t('collection.time'), kind: 'time', value: (p) => p.postedAt },
          { id: 'accountNo', header: t('collection.accountNo'), value: (p) => p.accountNo, className: 'mono' },
          { id: 'customerName', header: t('collection.customerName'), value: (p) => p.customerName },
          { id: 'channel', header: t('collection.channel'), value: (p) => t(`collection.channel.${p.channel}`) },
          { id: 'amount', header: t('collection.amount'), kind: 'money', value: (p) => p.amountFen },
          { id: 'status', header: t('collection.status'), value: (p) => t(`collection.status.${p.status}`) },
        ]}
      />
      {day.reversals.length > 0 ? (
        <>
          <h2>{t('closing.sheetReversals')}</h2>
          <DataTable
            label={t('closing.sheetReversals')}
            rows={day.reversals}
            rowKey={(r) => r.reversalId}
            columns={[
              { id: 'receiptNo', header: t('collection.receiptNo'), value: (r) => r.receiptNo, className: 'mono' },
              { id: 'time', header: t('collection.time'), kind: 'time', value: (r) => r.approvedAt },
              { id: 'accountNo', header: t('collection.accountNo'), value: (r) => r.accountNo, className: 'mono' },
              { id: 'channel', header: t('collection.channel'), value: (r) => t(`collection.channel.${r.channel}`) },
              { id: 'amount', header: t('collection.amount'), kind: 'money', value: (r) => r.amountFen },
              { id: 'reason', header: t('collection.reason'), value: (r) => r.reason },
              { id: 'approvedBy', header: t('collection.approvedBy'), value: (r) => r.approvedBy },
            ]}
          />
        </>
      ) : null}
    </>
  );
}
