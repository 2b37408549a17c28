import { useId } from 'react';
import type { DateKind } from '../../shared/dates/dateText';
import { useI18n } from '../app/i18n';
import { DateInput, type DateInputProps } from './DateInput';

// The date input (ui/DateInput.tsx) in the app's language, labelled like widgets' Field.

type FieldProps = Omit<DateInputProps, 'locale' | 'kind' | 'invalid'> & { label: string; hint?: string; error?: string | undefined };

/** A labelled date field (日期) in the app's language: the date-input counterpart of widgets' Field. */
export function DateField(props: FieldProps) {
  return <LabelledDate kind="date" {...props} />;
}

/** A labelled month field (账期, 月份) in the app's language. */
export function MonthField(props: FieldProps) {
  return <LabelledDate kind="month" {...props} />;
}

function LabelledDate({ label, hint, error, id, kind, ...input }: FieldProps & { kind: DateKind }) {
  const { locale } = useI18n();
  const auto = useId();
  const inputId = id ?? auto;
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <DateInput {...input} kind={kind} id={inputId} locale={locale} invalid={Boolean(error)} aria-describedby={hint ? `${inputId}-hint` : undefined} />
      {hint ? (
        <small id={`${inputId}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
      {error ? <small className="error-text">{error}</small> : null}
    </div>
  );
}

/** The bare field with the app's language, for a screen that lays out its own label. */
export function AppDateInput(props: Omit<DateInputProps, 'locale'>) {
  const { locale } = useI18n();
  return <DateInput {...props} locale={locale} />;
}
