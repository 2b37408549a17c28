import type { InputOf } from '../../shared/contract';
import { parseReading } from '../../shared/customers/rules';
import type { ApiError } from '../../shared/errors';
import { useI18n } from '../app/i18n';
import { Field } from '../ui/widgets';
import { DateField } from '../ui/DateField';

export type MeterInput = InputOf<'meters.install'>['meter'];

/** The meter's fields as typed (readings as text, e.g. "12345.67"). */
export interface MeterDraft {
  meterNo: string;
  digits: string;
  multiplier: string;
  tou: boolean;
  installDate: string;
  startReading: string;
  peak: string;
  flat: string;
  valley: string;
}

export function emptyMeterDraft(installDate: string): MeterDraft {
  return { meterNo: '', digits: '5', multiplier: '1', tou: false, installDate, startReading: '0', peak: '0', flat: '0', valley: '0' };
}

const reading = (text: string) => parseReading(text) ?? -1; // -1 is refused by the back end with a message

export function meterFromDraft(d: MeterDraft): MeterInput {
  return {
    meterNo: d.meterNo.trim(),
    digits: Number(d.digits) || 0,
    multiplier: Number(d.multiplier) || 0,
    tou: d.tou,
    installDate: d.installDate,
    startReading: reading(d.startReading),
    startRegisters: d.tou ? { peak: reading(d.peak), flat: reading(d.flat), valley: reading(d.valley) } : null,
  };
}

/** The meter fields of the install, replace and new-customer forms; errors by field path. */
export function MeterInputs({ draft, onChange, error, prefix = 'meter.', dateLabel }: { draft: MeterDraft; onChange(d: MeterDraft): void; error?: ApiError | undefined; prefix?: string; dateLabel?: string }) {
  const { t } = useI18n();
  const issue = (field: string) => error?.issues?.find((i) => i.path === `${prefix}${field}`)?.message;
  const set = (key: keyof MeterDraft) => (e: { target: { value: string } }) => onChange({ ...draft, [key]: e.target.value });
  return (
    <div className="form-grid">
      <Field label={t('customers.field.meterNo')} value={draft.meterNo} onChange={set('meterNo')} error={issue('meterNo')} required />
      <Field label={t('customers.field.digits')} value={draft.digits} onChange={set('digits')} error={issue('digits')} inputMode="numeric" required />
      <Field label={t('customers.field.multiplier')} value={draft.multiplier} onChange={set('multiplier')} error={issue('multiplier')} inputMode="numeric" required />
      <DateField label={dateLabel ?? t('customers.field.installDate')} value={draft.installDate} onChange={(value) => set('installDate')({ target: { value } })} error={issue('installDate')} required />
      <Field label={t('customers.field.startReading')} value={draft.startReading} onChange={set('startReading')} error={issue('startReading')} inputMode="decimal" required />
      <label className="check">
        <input type="checkbox" checked={draft.tou} onChange={(e) => onChange({ ...draft, tou: e.target.checked })} />
        {t('customers.field.tou')}
      </label>
      {draft.tou ? (
        <>
          <Field label={t('customers.field.startPeak')} value={draft.peak} onChange={set('peak')} error={issue('startRegisters.peak')} inputMode="decimal" />
          <Field label={t('customers.field.startFlat')} value={draft.flat} onChange={set('flat')} error={issue('startRegisters.flat')} inputMode="decimal" />
          <Field label={t('customers.field.startValley')} value={draft.valley} onChange={set('valley')} error={issue('startRegisters.valley')} inputMode="decimal" />
        </>
      ) : null}
    </div>
  );
}
