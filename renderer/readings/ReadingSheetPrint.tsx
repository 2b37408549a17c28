import { useParams } from 'react-router';
import { formatCenti } from '../../shared/money';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { PrintDocument } from '../print/PrintFrame';
import { ErrorBanner } from '../ui/widgets';

/** 抄表清单: the book's meters in reading order with 起码 and blanks for 止码, for the round on paper. */
export function ReadingSheetPrint() {
  const { period = '', bookId = '' } = useParams();
  const { t } = useI18n();
  const { info } = useSession();
  const sheet = useQuery('readings.book', { period, bookId });
  const data = sheet.data;
  if (sheet.error) return <ErrorBanner error={sheet.error} />;
  if (!data) return null;
  const tou = data.rows.some((r) => r.tou);
  return (
    <PrintDocument size="A4" title={t('sheet.title', { bookNo: data.book.bookNo, period })}>
      <header className="sheet-head">
        <h1>{t('sheet.heading', { station: info?.station?.name ?? '', period })}</h1>
        <p>
          {t('sheet.book', { bookNo: data.book.bookNo, name: data.book.name })} · {t('entry.reader', { reader: data.book.readerName ?? '—' })} ·{' '}
          {t('sheet.day', { date: data.scheduledDate })} · {t('sheet.count', { count: data.rows.length })}
        </p>
      </header>
      <table className="sheet-table">
        <thead>
          <tr>
            <th>{t('entry.seq')}</th>
            <th>{t('import.column.account')}</th>
            <th>{t('import.column.name')}</th>
            <th>{t('import.column.address')}</th>
            <th>{t('import.column.meter')}</th>
            <th>{t('import.column.multiplier')}</th>
            <th>{t('import.column.previous')}</th>
            <th className="blank">{t('import.column.value')}</th>
            {tou ? <th className="blank">{t('sheet.registers')}</th> : null}
            <th className="blank">{t('sheet.note')}</th>
          </tr>
        </thead>
        <tbody>
          {data.rows.map((r) => (
            <tr key={r.pointId}>
              <td>{r.seq}</td>
              <td>{r.accountNo}</td>
              <td>{r.customerName}</td>
              <td>{r.address}</td>
              <td>{r.meterNo}</td>
              <td>{r.multiplier}</td>
              <td>{formatCenti(r.replacement ? r.replacement.newStart : r.previous)}</td>
              <td className="blank">{r.reading?.value !== null && r.reading?.value !== undefined ? formatCenti(r.reading.value) : ''}</td>
              {tou ? <td className="blank">{r.tou ? r.registerNames.map((n) => t(`reading.span.${n}`)).join(' / ') : ''}</td> : null}
              <td className="blank" />
            </tr>
          ))}
        </tbody>
      </table>
      <footer className="sheet-foot">
        <span>{t('sheet.readerSign')}</span>
        <span>{t('sheet.dateSign')}</span>
      </footer>
    </PrintDocument>
  );
}
