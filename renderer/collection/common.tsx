import { useId } from 'react';
import type { Approver } from '../../shared/contract/collection';
import { yuanToFen, type Fen } from '../../shared/money';
import { call, isDesktop } from '../api/client';
import { useI18n } from '../app/i18n';

// Pieces the collection screens share: yuan typed by a clerk, the station head's login typed at
// the clerk's screen, and printing the page shown.

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
