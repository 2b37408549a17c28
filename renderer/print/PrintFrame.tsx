import { useEffect, type ReactNode } from 'react';
import { Navigate, Outlet, useNavigate } from 'react-router';
import { call, isDesktop } from '../api/client';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';

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
  return (
    <div className="print-frame">
      <div className="print-toolbar no-print">
        <button type="button" onClick={() => navigate(-1)}>
          {t('common.back')}
        </button>
        <button type="button" className="primary" onClick={() => (desktop ? void call('shell.print', {}) : window.print())}>
          {t('common.print')}
        </button>
        {desktop ? (
          <button type="button" onClick={() => void call('shell.savePdf', { suggestedName: `${document.title}.pdf`, pageSize: paperShown() })}>
            {t('common.savePdf')}
          </button>
        ) : null}
      </div>
      <Outlet />
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
