import { useEffect, useId, useRef, type InputHTMLAttributes, type ReactNode, type Ref, type SelectHTMLAttributes } from 'react';
import type { JobState } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { useI18n } from '../app/i18n';

// Small building blocks every screen uses: labelled fields (so tests and screen readers find
// them by label), an error banner that lists which field is wrong, a progress bar.

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page">
      <header className="page-header">
        <h1>{title}</h1>
        {actions ? <div className="page-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

type FieldProps = InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string | undefined; ref?: Ref<HTMLInputElement> };

export function Field({ label, hint, error, id, ...input }: FieldProps) {
  const auto = useId();
  const inputId = id ?? auto;
  return (
    <div className={`field${error ? ' field-error' : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <input id={inputId} aria-invalid={error ? true : undefined} aria-describedby={hint ? `${inputId}-hint` : undefined} {...input} />
      {hint ? (
        <small id={`${inputId}-hint`} className="hint">
          {hint}
        </small>
      ) : null}
      {error ? <small className="error-text">{error}</small> : null}
    </div>
  );
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { label: string; children: ReactNode };

export function SelectField({ label, id, children, ...select }: SelectProps) {
  const auto = useId();
  const selectId = id ?? auto;
  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select id={selectId} {...select}>
        {children}
      </select>
    </div>
  );
}

export function ErrorBanner({ error }: { error: ApiError | undefined | null }) {
  if (!error) return null;
  return (
    <div className="banner banner-error" role="alert">
      <strong>{error.message}</strong>
      {error.issues && error.issues.length > 1 ? (
        <ul>
          {error.issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>
              {issue.path}: {issue.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <div className="banner banner-ok" role="status">
      {children}
    </div>
  );
}

export function ProgressBar({ done, total, label }: { done: number; total: number; label: string }) {
  const percent = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <span className="progress-text">{percent}%</span>
    </div>
  );
}

/** A job's progress bar, then its outcome. */
export function JobBar({ job, label }: { job: JobState | undefined; label: string }) {
  const { t } = useI18n();
  if (!job) return null;
  const total = job.status === 'succeeded' ? Math.max(job.total, 1) : job.total;
  const done = job.status === 'succeeded' ? total : job.done;
  return (
    <div className="job" data-status={job.status}>
      <ProgressBar done={done} total={total} label={label} />
      {job.status === 'failed' ? <p className="error-text">{t('job.failed', { message: job.error?.message ?? '' })}</p> : null}
      {job.status === 'succeeded' ? <p className="ok-text">{t('job.done')}</p> : null}
    </div>
  );
}

/** A modal dialog on the native <dialog> element (Esc closes it). */
export function Dialog({ open, title, onClose, children }: { open: boolean; title: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} onClose={onClose} aria-label={title} className="dialog">
      <h2>{title}</h2>
      {open ? children : null}
    </dialog>
  );
}
