import { useEffect, useRef, useState } from 'react';
import { useLocation } from 'react-router';
import { useI18n } from './i18n';
import { useSession } from './session';
import { AREAS } from './areas';
import { shortcutsFor, typingIn } from './shortcuts';

// F1, or ? when not typing in a field, shows the keys of the screen (renderer/app/shortcuts.ts)
// and the menu's Alt+letter keys. Esc or the close button shuts it and the focus goes back where
// it was. Mounted once in the application frame and once in the print frame.

export function ShortcutHelp() {
  const { t } = useI18n();
  const { can } = useSession();
  const location = useLocation();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const returnTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const help = event.key === 'F1' || (event.key === '?' && !event.ctrlKey && !event.altKey && !event.metaKey && !typingIn(event.target));
      if (!help) return;
      // Another dialog (a confirmation) keeps the keyboard.
      if (document.querySelector('dialog[open]:not(.shortcut-help)')) return;
      event.preventDefault();
      returnTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setOpen(true);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      closeRef.current?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  function close() {
    setOpen(false);
    returnTo.current?.focus();
  }

  const screen = shortcutsFor(location.pathname);
  const menuKeys = AREAS.flatMap((a) => a.nav).filter((n) => n.accessKey && can(n.permission));
  return (
    <dialog
      ref={ref}
      className="shortcut-help"
      aria-labelledby="shortcut-help-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      {open ? (
        <>
          <h2 id="shortcut-help-title">{t('shortcuts.title')}</h2>
          {screen ? (
            <section aria-label={t(screen.title)}>
              <h3>{t(screen.title)}</h3>
              <KeyTable rows={screen.keys.map((k) => ({ keys: k.keys, label: t(k.label) }))} />
            </section>
          ) : (
            <p className="muted">{t('shortcuts.noneHere')}</p>
          )}
          <section aria-label={t('shortcuts.everywhere')}>
            <h3>{t('shortcuts.everywhere')}</h3>
            <KeyTable
              rows={[
                { keys: 'F1 / ?', label: t('shortcuts.help') },
                ...menuKeys.map((n) => ({ keys: `Alt+${n.accessKey?.toUpperCase()}`, label: t(n.label) })),
              ]}
            />
          </section>
          <button type="button" ref={closeRef} onClick={close}>
            {t('shortcuts.close')}
          </button>
        </>
      ) : null}
    </dialog>
  );
}

function KeyTable({ rows }: { rows: { keys: string; label: string }[] }) {
  return (
    <table className="shortcut-table">
      <tbody>
        {rows.map((r, i) => (
          <tr key={`${r.keys}-${i}`}>
            <th>
              <kbd>{r.keys}</kbd>
            </th>
            <td>{r.label}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
