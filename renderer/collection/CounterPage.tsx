import { CustomerTags } from '../service/CustomerTags';
import { CounterOrderLink } from '../service/CounterOrderLink';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { changeToGive, tenderNeedsConfirmation } from '../../shared/collection';
import { COUNTER_CHANNELS, type BillDueView, type CounterChannel, type PaymentPosted, type PaymentRow } from '../../shared/contract/collection';
import { fenToYuan } from '../../shared/money';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatYuan } from '../ui/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { Dialog, ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { ApproverFields, approverInput, NO_APPROVER, parseYuan, type ApproverValue } from './common';
import { CustomerSearch } from '../customers/CustomerSearch';
import { DataTable } from '../ui/DataTable';

// The counter (柜台收费), built for a queue of walk-ins: find the customer in the customer files'
// search box (account number, name, pinyin initials, phone, meter), Enter; the balance shows and
// the cursor waits in "cash received"; type it, Enter posts; Enter again prints the
// receipt; Esc serves the next customer. The post carries an idempotency key made when the
// customer is opened, so a double Enter or a retried request is one payment.
// Cash more than the counter policy's margin over the amount (2,000 yuan by default) opens a
// confirmation whose focus starts on "go back": a figure typed by mistake (the next customer's
// phone tail after a "cash short" error) is never posted by Enter. After any refusal the figure
// in 收到现金 is selected, so what is typed next replaces it. Esc, F3 or Alt+C (the counter's own
// menu key) always bring back a clean counter with the cursor in the search box.

const newKey = () => crypto.randomUUID();

export function CounterPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const [customerId, setCustomerId] = useState<string | null>(null);
  const balance = useQuery('collection.balance', { customerId: customerId ?? '' }, { enabled: customerId !== null });
  const pay = useAction('collection.pay');
  const [channel, setChannel] = useState<CounterChannel>('cash');
  const [amountText, setAmountText] = useState('');
  const [tenderedText, setTenderedText] = useState('');
  const [reference, setReference] = useState('');
  const [key, setKey] = useState(newKey);
  const [posted, setPosted] = useState<PaymentPosted | null>(null);
  const [formError, setFormError] = useState<string>();
  const [waiving, setWaiving] = useState<BillDueView | null>(null);
  const [reversing, setReversing] = useState<PaymentRow | null>(null);
  const [notice, setNotice] = useState<string>();
  const [confirmingLarge, setConfirmingLarge] = useState(false);
  const finderRef = useRef<HTMLDivElement>(null);
  const tenderedRef = useRef<HTMLInputElement>(null);
  const amountRef = useRef<HTMLInputElement>(null);
  const printRef = useRef<HTMLButtonElement>(null);
  const loadedFor = useRef<string | null>(null);

  const data = balance.data && balance.data.customer.id === customerId ? balance.data : undefined;

  // A newly opened customer: the amount is what is due, the cursor goes to "cash received".
  useEffect(() => {
    if (!data || loadedFor.current === data.customer.id) return;
    loadedFor.current = data.customer.id;
    setAmountText(data.totalDueFen > 0 ? fenToYuan(data.totalDueFen) : '');
    setTenderedText('');
    (channel === 'cash' ? tenderedRef : amountRef).current?.focus();
  }, [data, channel]);

  useEffect(() => {
    if (posted) printRef.current?.focus();
  }, [posted]);

  function open(id: string) {
    loadedFor.current = null;
    setCustomerId(id);
    setPosted(null);
    setKey(newKey());
    setReference('');
    setFormError(undefined);
    setNotice(undefined);
    pay.clearError();
  }

  function nextCustomer() {
    loadedFor.current = null;
    setCustomerId(null);
    setPosted(null);
    setNotice(undefined);
    setFormError(undefined);
    setConfirmingLarge(false);
    setAmountText('');
    setTenderedText('');
    setReference('');
    pay.clearError();
    const finder = finderRef.current?.querySelector('input');
    finder?.focus();
    finder?.select();
  }

  /** A refusal keeps the cursor in 收到现金 with the figure selected: the next keys replace it. */
  function selectTendered() {
    const input = channel === 'cash' ? tenderedRef.current : amountRef.current;
    input?.focus();
    input?.select();
  }

  function anotherPayment() {
    setPosted(null);
    setKey(newKey());
    setAmountText('');
    setTenderedText('');
    setReference('');
    amountRef.current?.focus();
  }

  const amountFen = parseYuan(amountText);
  const tenderedFen = channel === 'cash' ? (tenderedText.trim() === '' ? amountFen : parseYuan(tenderedText)) : amountFen;
  const changeFen = amountFen !== null && tenderedFen !== null && tenderedFen >= amountFen ? changeToGive(tenderedFen, amountFen) : null;

  function refuseForm(message: string) {
    setFormError(message);
    selectTendered();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!data || posted || pay.pending) return;
    if (amountFen === null || amountFen <= 0) return refuseForm(t('collection.amountInvalid'));
    if (tenderedFen === null) return refuseForm(t('collection.tenderedInvalid'));
    if (tenderedFen < amountFen) return refuseForm(t('collection.tenderedShort', { tendered: formatYuan(tenderedFen), amount: formatYuan(amountFen) }));
    setFormError(undefined);
    if (channel === 'cash' && tenderNeedsConfirmation(tenderedFen, amountFen, { largeTenderOverFen: data.largeTenderOverFen })) {
      setConfirmingLarge(true);
      return;
    }
    await post(false);
  }

  async function post(confirmedLargeTender: boolean) {
    if (!data || amountFen === null || tenderedFen === null) return;
    setConfirmingLarge(false);
    const result = await pay.run({
      customerId: data.customer.id,
      amountFen,
      channel,
      idempotencyKey: key,
      ...(channel === 'cash' ? { tenderedFen } : {}),
      ...(confirmedLargeTender ? { confirmedLargeTender: true } : {}),
      ...(channel !== 'cash' && reference.trim() ? { reference: reference.trim() } : {}),
    });
    if (result) {
      setPosted(result);
      balance.reload();
    } else selectTendered();
  }

  function onKeyDown(event: KeyboardEvent) {
    // Alt+C is the menu's key for this screen: pressed on the counter itself it means "next customer" too.
    const altC = event.altKey && (event.key === 'c' || event.key === 'C');
    if ((event.key === 'Escape' || event.key === 'F3' || altC) && !waiving && !reversing && !confirmingLarge) {
      event.preventDefault();
      nextCustomer();
    }
  }

  const printReceipt = (receiptNo: string, auto: boolean) => navigate(`/print/receipt/${encodeURIComponent(receiptNo)}?paper=Roll80${auto ? '&auto=1' : ''}`);
  const canPay = session.can('collection.pay');

  return (
    <Page title={t('collection.counterTitle')}>
      <div className="counter" onKeyDown={onKeyDown}>
        <div className="counter-finder" ref={finderRef}>
          <CustomerSearch onSelect={(hit) => open(hit.id)} autoFocus clearOnSelect />
        </div>
        <ErrorBanner error={balance.error} />
        {data ? (
          <section className="counter-balance" aria-label={t('collection.balanceTitle')}>
            <header className="counter-customer">
              <h2>
                <span className="mono">{data.customer.accountNo}</span> {data.customer.name}
              </h2>
              <CustomerTags accountNo={data.customer.accountNo} />
              <CounterOrderLink accountNo={data.customer.accountNo} />
              <span className="muted">
                {t(`customers.class.${data.customer.customerClass}`)} · {data.customer.address} {data.customer.phone ? `· ${data.customer.phone}` : ''}
              </span>
            </header>
            {data.businessDate && data.businessDate !== data.payDate ? (
              <p className="banner banner-warn">{t('collection.dayClosedNextDay', { date: data.businessDate })}</p>
            ) : null}
            <BillsTable bills={data.bills} onWaive={setWaiving} />
            <dl className="counter-totals">
              <div>
                <dt>{t('collection.arrears')}</dt>
                <dd>{formatYuan(data.principalFen)}</dd>
              </div>
              <div>
                <dt>{t('collection.penalty')}</dt>
                <dd>{formatYuan(data.penaltyFen)}</dd>
              </div>
              <div>
                <dt>{t('collection.prepaid')}</dt>
                <dd>{formatYuan(data.prepaidFen)}</dd>
              </div>
              <div className="total">
                <dt>{t('collection.totalDue')}</dt>
                <dd data-testid="total-due">{formatYuan(data.totalDueFen)}</dd>
              </div>
            </dl>

            {canPay && !posted ? (
              <form className="counter-pay card" aria-label={t('collection.payForm')} onSubmit={submit}>
                <SelectField label={t('collection.channel')} value={channel} onChange={(e) => setChannel(e.target.value as CounterChannel)}>
                  {COUNTER_CHANNELS.map((c) => (
                    <option key={c} value={c}>
                      {t(`collection.channel.${c}`)}
                    </option>
                  ))}
                </SelectField>
                <Field label={t('collection.amountToPay')} ref={amountRef} inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} autoComplete="off" />
                {channel === 'cash' ? (
                  <Field
                    label={t('collection.tendered')}
                    ref={tenderedRef}
                    inputMode="decimal"
                    value={tenderedText}
                    placeholder={amountText}
                    onChange={(e) => setTenderedText(e.target.value)}
                    autoComplete="off"
                  />
                ) : (
                  <Field label={t('collection.reference')} value={reference} onChange={(e) => setReference(e.target.value)} autoComplete="off" />
                )}
                {channel === 'cash' ? (
                  <p className="counter-change" aria-live="polite">
                    {t('collection.change')}: <strong data-testid="change">{changeFen === null ? '—' : formatYuan(changeFen)}</strong>
                  </p>
                ) : null}
                <button type="submit" className="primary big" disabled={pay.pending}>
                  {pay.pending ? t('common.working') : t('collection.post')}
                </button>
                {formError ? <p className="error-text" role="alert">{formError}</p> : null}
                <ErrorBanner error={pay.error} />
              </form>
            ) : null}

            {posted ? (
              <div className="counter-posted card" role="status" aria-label={t('collection.posted')}>
                <p>
                  <strong>{t('collection.postedLine', { receiptNo: posted.receiptNo, amount: formatYuan(posted.amountFen) })}</strong>
                </p>
                {posted.channel === 'cash' ? <p className="big-number">{t('collection.changeToGive', { change: formatYuan(posted.changeFen) })}</p> : null}
                <p>{t('collection.newBalance', { balance: formatYuan(posted.balanceAfterFen) })}</p>
                {posted.duplicate ? <p className="muted">{t('collection.duplicatePost')}</p> : null}
                <div className="buttons">
                  <button type="button" className="primary" ref={printRef} onClick={() => printReceipt(posted.receiptNo, true)}>
                    {t('collection.printReceipt')}
                  </button>
                  <button type="button" onClick={anotherPayment}>
                    {t('collection.anotherPayment')}
                  </button>
                  <button type="button" onClick={nextCustomer}>
                    {t('collection.nextCustomer')}
                  </button>
                </div>
              </div>
            ) : null}
            <Notice>{notice}</Notice>

            <RecentPayments rows={data.recentPayments} onReprint={(no) => printReceipt(no, false)} onReverse={canPay ? setReversing : undefined} />
          </section>
        ) : null}
      </div>
      {confirmingLarge && data && amountFen !== null && tenderedFen !== null ? (
        <ConfirmDialog
          open
          title={t('collection.largeTenderTitle')}
          cancelLabel={t('collection.largeTenderBack')}
          confirmLabel={t('collection.largeTenderConfirm', { tendered: formatYuan(tenderedFen), change: formatYuan(tenderedFen - amountFen) })}
          danger
          onCancel={() => {
            setConfirmingLarge(false);
            // After the dialog has closed and given the focus back.
            setTimeout(selectTendered, 0);
          }}
          onConfirm={() => void post(true)}
        >
          <p>
            <strong>{t('collection.largeTenderWhat', { amount: formatYuan(amountFen), tendered: formatYuan(tenderedFen), change: formatYuan(tenderedFen - amountFen) })}</strong>
          </p>
          <p>{t('collection.largeTenderWhy', { limit: formatYuan(data.largeTenderOverFen) })}</p>
        </ConfirmDialog>
      ) : null}
      {waiving && data ? (
        <WaiveDialog
          bill={waiving}
          onClose={(done) => {
            setWaiving(null);
            if (done) {
              setNotice(done);
              balance.reload();
            }
          }}
        />
      ) : null}
      {reversing ? (
        <ReversalDialog
          payment={reversing}
          onClose={(done) => {
            setReversing(null);
            if (done) {
              setNotice(done);
              balance.reload();
            }
          }}
        />
      ) : null}
    </Page>
  );
}

function BillsTable({ bills, onWaive }: { bills: BillDueView[]; onWaive(bill: BillDueView): void }) {
  const { t } = useI18n();
  if (bills.length === 0) return <p className="muted">{t('collection.nothingOwed')}</p>;
  return (
    <DataTable
      label={t('collection.billsTitle')}
      counted={false}
      sorting={false}
      rows={bills}
      rowKey={(b) => b.billId}
      columns={[
        { id: 'period', header: t('collection.period'), value: (b) => b.period },
        { id: 'billNo', header: t('collection.billNo'), value: (b) => b.billNo, className: 'mono' },
        { id: 'dueDate', header: t('collection.dueDate'), kind: 'date', value: (b) => b.dueDate },
        { id: 'principal', header: t('collection.principal'), kind: 'money', value: (b) => b.principalFen },
        {
          id: 'penalty',
          header: t('collection.penalty'),
          kind: 'money',
          value: (b) => b.penaltyFen,
          render: (b) => (
            <>
              {formatYuan(b.penaltyFen)}
              {b.daysLate > 0 ? <small className="muted"> {t('collection.daysLate', { days: b.daysLate })}</small> : null}
              {b.minimumApplied && b.penaltyFen > 0 ? <small className="muted"> {t('collection.minimumApplied')}</small> : null}
              {b.penaltyWaivedFen > 0 || b.penaltyWaivedWhole ? <small className="muted"> {t('collection.waivedNote')}</small> : null}
            </>
          ),
        },
        { id: 'subtotal', header: t('collection.subtotal'), kind: 'money', value: (b) => b.totalFen },
        {
          id: 'actions',
          header: t('common.actions'),
          render: (b) =>
            b.penaltyFen > 0 ? (
              <button type="button" onClick={() => onWaive(b)}>
                {t('collection.waive')}
              </button>
            ) : null,
        },
      ]}
    />
  );
}

function RecentPayments({ rows, onReprint, onReverse }: { rows: PaymentRow[]; onReprint(receiptNo: string): void; onReverse: ((row: PaymentRow) => void) | undefined }) {
  const { t } = useI18n();
  if (rows.length === 0) return null;
  return (
    <>
      <h2>{t('collection.recentPayments')}</h2>
      <DataTable
        label={t('collection.recentPayments')}
        counted={false}
        sorting={false}
        rows={rows}
        rowKey={(p) => p.paymentId}
        columns={[
          { id: 'receiptNo', header: t('collection.receiptNo'), value: (p) => p.receiptNo, className: 'mono' },
          { id: 'time', header: t('collection.time'), kind: 'time', value: (p) => p.postedAt },
          { id: 'amount', header: t('collection.amount'), kind: 'money', value: (p) => p.amountFen },
          { id: 'channel', header: t('collection.channel'), value: (p) => t(`collection.channel.${p.channel}`) },
          { id: 'status', header: t('collection.status'), value: (p) => t(`collection.status.${p.status}`) },
          {
            id: 'actions',
            header: t('common.actions'),
            className: 'actions',
            render: (p) => (
              <>
                <button type="button" onClick={() => onReprint(p.receiptNo)}>
                  {t('collection.reprint')}
                </button>
                {onReverse && p.status === 'posted' ? (
                  <button type="button" onClick={() => onReverse(p)}>
                    {t('collection.requestReversal')}
                  </button>
                ) : null}
              </>
            ),
          },
        ]}
      />
    </>
  );
}

function WaiveDialog({ bill, onClose }: { bill: BillDueView; onClose(done?: string): void }) {
  const { t } = useI18n();
  const session = useSession();
  const waive = useAction('collection.waivePenalty');
  const [reason, setReason] = useState('');
  const [whole, setWhole] = useState(false);
  const [approver, setApprover] = useState<ApproverValue>(NO_APPROVER);
  const isHead = session.can('collection.approve');
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await waive.run({ billId: bill.billId, reason, whole, ...(isHead ? {} : approverInput(approver)) });
    if (result) onClose(t('collection.waived', { period: bill.period, amount: formatYuan(result.waivedFen) }));
  }
  return (
    <Dialog open title={t('collection.waiveTitle', { period: bill.period })} onClose={() => onClose()}>
      <form className="form" onSubmit={submit}>
        <p>{t('collection.waiveAmount', { amount: formatYuan(bill.penaltyFen) })}</p>
        <Field label={t('collection.reason')} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus required />
        <label className="check">
          <input type="checkbox" checked={whole} onChange={(e) => setWhole(e.target.checked)} />
          {t('collection.waiveWhole')}
        </label>
        {isHead ? null : <ApproverFields legend={t('collection.headApproves')} value={approver} onChange={setApprover} />}
        <ErrorBanner error={waive.error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={waive.pending}>
            {t('collection.waive')}
          </button>
          <button type="button" onClick={() => onClose()}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function ReversalDialog({ payment, onClose }: { payment: PaymentRow; onClose(done?: string): void }) {
  const { t } = useI18n();
  const request = useAction('collection.requestReversal');
  const [reason, setReason] = useState('');
  const [approver, setApprover] = useState<ApproverValue>(NO_APPROVER);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await request.run({ receiptNo: payment.receiptNo, reason, ...approverInput(approver) });
    if (result) onClose(t(result.status === 'approved' ? 'collection.reversedNow' : 'collection.reversalQueued', { receiptNo: payment.receiptNo }));
  }
  return (
    <Dialog open title={t('collection.reversalTitle', { receiptNo: payment.receiptNo })} onClose={() => onClose()}>
      <form className="form" onSubmit={submit}>
        <p>
          {payment.accountNo} {payment.customerName} · {formatYuan(payment.amountFen)} · {t(`collection.channel.${payment.channel}`)}
        </p>
        <Field label={t('collection.reason')} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus required />
        <ApproverFields legend={t('collection.headApprovesNow')} value={approver} onChange={setApprover} />
        <p className="muted">{t('collection.orQueue')}</p>
        <ErrorBanner error={request.error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={request.pending}>
            {t('collection.requestReversal')}
          </button>
          <button type="button" onClick={() => onClose()}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
