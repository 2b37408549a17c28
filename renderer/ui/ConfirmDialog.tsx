import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import type { ApiError } from '../../shared/errors';
import { useI18n } from '../app/i18n';
import { ErrorBanner } from './widgets';

// The one confirmation for an action that cannot be taken back (发行账单, 批准冲正, 驳回, a large
// cash figure at the counter, …). It says what will happen, with the counts and amounts, and is
// safe by default:
// - the focus starts on "cancel" (or on the note when a note is required), so an Enter meant for
//   the screen behind — a double Enter, a blind typist — never confirms;
// - confirming takes a deliberate move: Tab (or →) to the confirm button, then Enter or Space;
//   Enter in the note moves to the confirm button rather than confirming;
// - Esc cancels; Tab stays inside the dialog;
// - a required note must be filled before confirming (trimmed);
// - while the action runs the buttons are disabled; a refusal is shown inside and the dialog stays.

export interface ConfirmNote {
  label: string;
  required?: boolean;
  placeholder?: string;
}

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What will happen, in the office's words, with counts and amounts. */
  children: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  /** Red confirm button: the action takes money or a record away. */
  danger?: boolean;
  note?: ConfirmNote;
  pending?: boolean;
  error?: ApiError | null | undefined;
  onConfirm(note: string): void;
  onCancel(): void;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function ConfirmDialog({ open, title, children, confirmLabel, cancelLabel, danger = false, note, pending = false, error, onConfirm, onCancel }: ConfirmDialogProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState('');
  const titleId = useId();
  const bodyId = useId();
  const noteId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      setText('');
      dialog.showModal();
      (note ? noteRef : cancelRef).current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open, note]);

  const noteMissing = note?.required === true && text.trim() === '';
  const canConfirm = !pending && !noteMissing;

  function onKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    // Keys handled here stay here: the screen behind never sees them.
    event.stopPropagation();
    if (event.key === 'Tab') {
      const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
      const first = items[0];
      const last = items.at(-1);
      if (!first || !last) return;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    } else if ((event.key === 'ArrowRight' || event.key === 'ArrowLeft') && document.activeElement instanceof HTMLButtonElement) {
      event.preventDefault();
      (document.activeElement === cancelRef.current ? confirmRef : cancelRef).current?.focus();
    } else if (event.key === 'Enter' && event.target === noteRef.current && !event.shiftKey) {
      event.preventDefault();
      if (canConfirm) confirmRef.current?.focus();
    }
  }

  return (
    <dialog
      ref={ref}
      className="dialog confirm-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        e.preventDefault();
        if (!pending) onCancel();
      }}
      onKeyDown={onKeyDown}
    >
      <h2 id={titleId}>{title}</h2>
      {open ? (
        <>
          <div id={bodyId} className="confirm-body">
            {children}
          </div>
          {note ? (
            <div className="field">
              <label htmlFor={noteId}>
                {note.label}
                {note.required ? <span className="error-text"> *</span> : null}
              </label>
              <textarea id={noteId} ref={noteRef} rows={2} value={text} placeholder={note.placeholder} onChange={(e) => setText(e.target.value)} aria-required={note.required ? true : undefined} />
            </div>
          ) : null}
          <ErrorBanner error={error} />
          <p className="muted confirm-keys">{t('front.confirm.keys')}</p>
          <div className="buttons">
            <button type="button" ref={cancelRef} onClick={onCancel} disabled={pending}>
              {cancelLabel ?? t('common.cancel')}
            </button>
            <button type="button" ref={confirmRef} className={danger ? 'danger' : 'primary'} onClick={() => canConfirm && onConfirm(text.trim())} disabled={!canConfirm}>
              {pending ? t('common.working') : confirmLabel}
            </button>
          </div>
        </>
      ) : null}
    </dialog>
  );
}
