import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '../api/hooks';
import { call } from '../api/client';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { saveFile } from '../customers/download';
import { ErrorBanner, Page } from '../ui/widgets';
import { PeriodPicker, usePeriod } from './PeriodPicker';
import { DataTable } from '../ui/DataTable';

/** The reader's start: the period, and the books to read in it with their progress. */
export function EntryHomePage() {
  const { t } = useI18n();
  const session = useSession();
  const [period, setPeriod, periods] = usePeriod();
  const overview = useQuery('readings.overview', { period }, { enabled: period !== '' });
  const [error, setError] = useState<string>();
  const all = session.can('readings.manage');
  const books = (overview.data?.books ?? []).filter((b) => all || b.readerId === session.staff?.id);

  async function exportBook(bookId: string) {
    setError(undefined);
    try {
      const file = await call('readings.export', { period, bookId });
      await saveFile(file.fileName, file.base64);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <Page
      title={t('nav.readingEntry')}
      actions={session.can('readings.enter') ? <Link to={`/readings/import?period=${period}`}>{t('import.title')}</Link> : undefined}
    >
      <PeriodPicker period={period} periods={periods} onChange={setPeriod} />
      <ErrorBanner error={overview.error ?? (error ? { code: 'internal', message: error } : undefined)} />
      {period === '' ? <p className="muted">{t('entry.noPeriod')}</p> : null}
      {overview.data && books.length === 0 ? <p className="muted">{t('entry.noBooks')}</p> : null}
      {books.length > 0 ? (
        <DataTable
          label={t('entry.books')}
          rows={books}
          rowKey={(b) => b.bookId}
          rowClassName={(b) => (b.late ? 'late' : undefined)}
          columns={[
            { id: 'bookNo', header: t('book.no'), value: (b) => b.bookNo, className: 'mono' },
            { id: 'name', header: t('book.name'), value: (b) => b.name },
            { id: 'reader', header: t('book.reader'), value: (b) => b.readerName ?? '—' },
            { id: 'readingDay', header: t('book.readingDay'), kind: 'date', value: (b) => b.scheduledDate },
            {
              id: 'progress',
              header: t('entry.progressHead'),
              value: (b) => `${t('entry.progress', { entered: b.entered, due: b.due })}${b.flagged ? ` · ${t('entry.flaggedCount', { count: b.flagged })}` : ''}${b.late ? ` · ${t('overview.late')}` : ''}`,
            },
            {
              id: 'actions',
              header: t('common.actions'),
              className: 'actions',
              render: (b) => (
                <>
                  <Link to={`/readings/entry/${period}/${b.bookId}`} aria-label={t('entry.openBook', { bookNo: b.bookNo })}>
                    {t('entry.open')}
                  </Link>
                  <Link to={`/print/readings/sheet/${period}/${b.bookId}`}>{t('entry.printSheet')}</Link>
                  <button type="button" onClick={() => void exportBook(b.bookId)}>
                    {t('entry.export')}
                  </button>
                </>
              ),
            },
          ]}
        />
      ) : null}
    </Page>
  );
}
