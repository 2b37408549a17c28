import { useEffect, useState, type ReactNode } from 'react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import type { ApiError } from '../../shared/errors';
import { ApiFailure, call, isDesktop } from '../api/client';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ErrorBanner } from '../ui/widgets';
import { ShortcutHelp } from '../app/ShortcutHelp';
import { downloadPdf } from './download';

export type PaperSize = 'A4' | 'A5' | 'Roll80';

const PAGE_CSS: Record<PaperSize, string> = {
  A4: '@page { size: A4; margin: 12mm; }',
  A5: '@page { size: A5; margin: 8mm; }',
  Roll80: '@page { size: 80mm 200mm; margin: 3mm; }',
};

/**
 * The frame of every printable document (receipt, notices, reports): a toolbar that does not
 * print, and the document. Desktop prints through the shell; the browser through
 * window.print(). Tests render the same page to PDF.
 */
export function PrintFrame() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  if (session.loaded && !session.staff) return <Navigate to="/login" replace />;
  if (!session.staff) return null;
  const desktop = isDesktop();
  return <PrintFrameBody desktop={desktop} back={() => navigate(-1)} />;
}

/**
 * Esc leaves a print page: the receipt goes back to the counter for the next customer (the
 * clerk's queue; the counter opens clean), any other document to the screen it came from.
 */
function useEscapeLeaves(back: () => void) {
  const navigate = useNavigate();
  const location = useLocation();
  const session = useSession();
  const toCounter = location.pathname.startsWith('/print/receipt/') && session.can('collection.pay');
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (document.querySelector('dialog[open]')) return; // a dialog (the shortcut list) closes first
      event.preventDefault();
      if (toCounter) navigate('/counter');
      else back();
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toCounter, navigate, back]);
}

function PrintFrameBody({ desktop, back }: { desktop: boolean; back(): void }) {
  const { t } = useI18n();
  const location = useLocation();
  const [saving, setSaving] = useState<'idle' | 'saving' | { saved: string }>('idle');
  const [error, setError] = useState<ApiError>();
  useEscapeLeaves(back);
  // Browser mode: the web host renders this same route to PDF in Chromium, as the caller, and the
  // file downloads under the document's title (the desktop app saves through its own dialog).
  async function savePdfInBrowser() {
    setSaving('saving');
    setError(undefined);
    try {
      const file = await call('print.pdf', { route: `${location.pathname}${location.search}`, fileName: `${document.title}.pdf` });
      downloadPdf(file.fileName, file.base64);
      setSaving({ saved: file.fileName });
    } catch (e) {
      setError(e instanceof ApiFailure ? e.error : { code: 'internal', message: String(e) });
      setSaving('idle');
    }
  }
  return (
    <div className="print-frame">
      <div className="print-toolbar no-print">
        <button type="button" onClick={back}>
          {t('common.back')}
        </button>
        <button type="button" className="primary" onClick={() => (desktop ? void call('shell.print', {}) : window.print())}>
          {t('common.print')}
        </button>
        {desktop ? (
          <button type="button" onClick={() => void call('shell.savePdf', { suggestedName: `${document.title}.pdf`, pageSize: paperShown() })}>
            {t('common.savePdf')}
          </button>
        ) : (
          <button type="button" onClick={() => void savePdfInBrowser()} disabled={saving === 'saving'}>
            {t('print.savePdf')}
          </button>
        )}
        {saving === 'saving' ? <span role="status">{t('print.pdf.saving')}</span> : typeof saving === 'object' ? <span role="status">{t('print.pdf.saved', { file: saving.saved })}</span> : null}
      </div>
      {error ? (
        <div className="no-print">
          <ErrorBanner error={error} />
        </div>
      ) : null}
      <Outlet />
      <ShortcutHelp />
    </div>
  );
}

/** The paper of the document shown, so a saved PDF has the page size the document prints on. */
function paperShown(): PaperSize {
  const paper = document.querySelector('[data-paper]')?.getAttribute('data-paper');
  return paper === 'A5' || paper === 'Roll80' ? paper : 'A4';
}

/** A printed document on a given paper size; sets @page for it and the window title. */
export function PrintDocument({ size, title, children }: { size: PaperSize; title: string; children: ReactNode }) {
  useEffect(() => {
    const previous = document.title;
    document.title = title;
    return () => {
      document.title = previous;
    };
  }, [title]);
  return (
    <article className={`print-doc paper-${size}`} data-paper={size}>
      <style>{PAGE_CSS[size]}</style>
      {children}
    </article>
  );
}
