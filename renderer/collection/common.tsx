import { useId } from 'react';
import type { Approver, DayView } from '../../shared/contract/collection';
import type { z } from 'zod';
import type { dayReversalSchema } from '../../shared/contract/collection';
import { yuanToFen, type Fen } from '../../shared/money';
import { call, isDesktop } from '../api/client';
import { useI18n } from '../app/i18n';
import { formatYuan } from '../ui/format';
import { DataTable } from '../ui/DataTable';

// Pieces the collection screens share: yuan typed by a clerk, the station head's login typed at
// the clerk's screen, printing the page shown, and a day's totals by channel.

/** "210.03" → 21003; '' or anything that is not an amount in yuan → null. */
export function parseYuan(text: string): Fen | null {
  const trimmed = text.trim().replace(/[,，¥\s]/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(trimmed)) return null;
  return yuanToFen(trimmed);
}

export interface ApproverValue {
  staffNo: string;
  password: string;
}

export const NO_APPROVER: ApproverValue = { staffNo: '', password: '' };

export function approverInput(value: ApproverValue): { approver: Approver } | Record<string, never> {
  return value.staffNo.trim() ? { approver: { staffNo: value.staffNo.trim(), password: value.password } } : {};
}

/** The station head types their own staff number and password here (现场审批). */
export function ApproverFields({ value, onChange, legend }: { value: ApproverValue; onChange(value: ApproverValue): void; legend: string }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <fieldset className="approver">
      <legend>{legend}</legend>
      <div className="field">
        <label htmlFor={`${id}-no`}>{t('collection.approverNo')}</label>
        <input id={`${id}-no`} value={value.staffNo} autoComplete="off" onChange={(e) => onChange({ ...value, staffNo: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-pw`}>{t('collection.approverPassword')}</label>
        <input id={`${id}-pw`} type="password" autoComplete="off" value={value.password} onChange={(e) => onChange({ ...value, password: e.target.value })} />
      </div>
    </fieldset>
  );
}

/** Prints the current page: the desktop shell's printer, or the browser's print dialog. */
export function printPage(): void {
  if (isDesktop()) void call('shell.print', {});
  else window.print();
}

/** A clerk's day by channel (payments, reversals, net) with its total: the day screen and the printed closing. */
type DayTotals = Pick<DayView, 'byChannel' | 'paymentCount' | 'paymentsFen' | 'reversalCount' | 'reversalsFen' | 'netFen'>;
type Amounts = Omit<DayTotals, 'byChannel'>;

/** A channel's (or the day's) counts and sums, as the table's cells after the first. */
function CountsAndAmounts({ row }: { row: Amounts }) {
  return (
    <>
      <td className="num">{row.paymentCount}</td>
      <td className="num">{formatYuan(row.paymentsFen)}</td>
      <td className="num">{row.reversalCount}</td>
      <td className="num">{formatYuan(row.reversalsFen)}</td>
      <td className="num">{formatYuan(row.netFen)}</td>
    </>
  );
}

export function ChannelTotalsTable({ totals, className }: { totals: DayTotals; className?: string }) {
  const { t } = useI18n();
  return (
    <table className={className} aria-label={t('closing.byChannel')}>
      <thead>
        <tr>
          <th>{t('collection.channel')}</th>
          <th className="num">{t('closing.paymentCount')}</th>
          <th className="num">{t('closing.payments')}</th>
          <th className="num">{t('closing.reversalCount')}</th>
          <th className="num">{t('closing.reversals')}</th>
          <th className="num">{t('closing.net')}</th>
        </tr>
      </thead>
      <tbody>
        {totals.byChannel
          .filter((c) => c.channel !== 'prepaid')
          .map((c) => (
            <tr key={c.channel}>
              <td>{t(`collection.channel.${c.channel}`)}</td>
              <CountsAndAmounts row={c} />
            </tr>
          ))}
        <tr className="total-row">
          <td>{t('closing.total')}</td>
          <CountsAndAmounts row={totals} />
        </tr>
      </tbody>
    </table>
  );
}

/** The day's totals by channel on a screen (the shared table, with the 合计 row as its footer); the printed report keeps ChannelTotalsTable. */
export function ChannelTotalsList({ totals }: { totals: DayTotals }) {
  const { t } = useI18n();
  return (
    <DataTable
      label={t('closing.byChannel')}
      counted={false}
      rows={totals.byChannel.filter((c) => c.channel !== 'prepaid')}
      rowKey={(c) => c.channel}
      columns={[
        { id: 'channel', header: t('collection.channel'), value: (c) => t(`collection.channel.${c.channel}`), footer: t('closing.total') },
        { id: 'paymentCount', header: t('closing.paymentCount'), kind: 'number', value: (c) => c.paymentCount, total: totals.paymentCount },
        { id: 'payments', header: t('closing.payments'), kind: 'money', value: (c) => c.paymentsFen, total: totals.paymentsFen },
        { id: 'reversalCount', header: t('closing.reversalCount'), kind: 'number', value: (c) => c.reversalCount, total: totals.reversalCount },
        { id: 'reversals', header: t('closing.reversals'), kind: 'money', value: (c) => c.reversalsFen, total: totals.reversalsFen },
        { id: 'net', header: t('closing.net'), kind: 'money', value: (c) => c.netFen, total: totals.netFen },
      ]}
    />
  );
}

type DayReversal = z.infer<typeof dayReversalSchema>;

/** A day's reversals on paper (the closing sheet, the station's day): with the clerk's column when the day spans clerks. */
export function ReversalsTable({ rows, label, className }: { rows: (DayReversal & { clerk?: { staffNo: string; name: string } })[]; label: string; className?: string }) {
  const { t } = useI18n();
  const withClerk = rows.some((r) => r.clerk);
  return (
    <table className={className} aria-label={label}>
      <thead>
        <tr>
          {withClerk ? <th>{t('stationDay.clerk')}</th> : null}
          <th>{t('collection.receiptNo')}</th>
          <th>{t('collection.accountNo')}</th>
          <th>{t('collection.customerName')}</th>
          <th>{t('collection.channel')}</th>
          <th className="num">{t('collection.amount')}</th>
          <th>{t('collection.reason')}</th>
          <th>{t('collection.approvedBy')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.reversalId}>
            {withClerk ? (
              <td>
                {r.clerk?.staffNo} {r.clerk?.name}
              </td>
            ) : null}
            <td className="mono">{r.receiptNo}</td>
            <td className="mono">{r.accountNo}</td>
            <td>{r.customerName}</td>
            <td>{t(`collection.channel.${r.channel}`)}</td>
            <td className="num">{formatYuan(r.amountFen)}</td>
            <td>{r.reason}</td>
            <td>{r.approvedBy}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
