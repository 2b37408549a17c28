import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { DataTable } from '../ui/DataTable';

/** Meter readers for pickers: active staff with the meter-reader role. */
export function useReaders() {
  const staff = useQuery('staff.directory', {});
  return (staff.data?.rows ?? []).filter((s) => s.active && s.roles.includes('meter_reader'));
}

/** 抄表本管理: every book with its reader and size; new books; the meters in no book. */
export function BooksPage() {
  const { t } = useI18n();
  const [showInactive, setShowInactive] = useState(false);
  const books = useQuery('books.list', { includeInactive: showInactive });
  const unassigned = useQuery('books.unassigned', { limit: 200 });
  const readers = useReaders();
  const create = useAction('books.create');
  const [form, setForm] = useState({ bookNo: '', name: '', readerId: '', readingDay: '25' });
  const [notice, setNotice] = useState<string>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create.run({
      ...(form.bookNo.trim() ? { bookNo: form.bookNo.trim() } : {}),
      name: form.name,
      readerId: form.readerId || null,
      readingDay: Number(form.readingDay),
    });
    if (result) {
      setNotice(t('book.created', { bookNo: result.book.bookNo, name: result.book.name }));
      setForm({ bookNo: '', name: '', readerId: '', readingDay: form.readingDay });
      books.reload();
    }
  }

  return (
    <Page title={t('nav.books')}>
      <Notice>{notice}</Notice>
      <form className="card form inline-form" onSubmit={submit} aria-label={t('book.new')}>
        <h2>{t('book.new')}</h2>
        <ErrorBanner error={create.error} />
        <div className="row">
          <Field label={t('book.no')} hint={t('book.noHint')} value={form.bookNo} onChange={(e) => setForm({ ...form, bookNo: e.target.value })} />
          <Field label={t('book.name')} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} required />
          <SelectField label={t('book.reader')} value={form.readerId} onChange={(e) => setForm({ ...form, readerId: e.target.value })}>
            <option value="">{t('common.none')}</option>
            {readers.map((r) => (
              <option key={r.id} value={r.id}>
                {r.staffNo} {r.name}
              </option>
            ))}
          </SelectField>
          <Field label={t('book.readingDay')} type="number" min={1} max={31} value={form.readingDay} onChange={(e) => setForm({ ...form, readingDay: e.target.value })} required />
        </div>
        <button type="submit" className="primary" disabled={create.pending}>
          {t('book.create')}
        </button>
      </form>

      <label className="check">
        <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />
        {t('book.showInactive')}
      </label>
      <ErrorBanner error={books.error} />
      <DataTable
        label={t('nav.books')}
        exportName={t('nav.books')}
        rows={books.data?.rows}
        rowKey={(b) => b.id}
        rowClassName={(b) => (b.active ? undefined : 'inactive')}
        columns={[
          { id: 'bookNo', header: t('book.no'), value: (b) => b.bookNo, className: 'mono', render: (b) => <Link to={`/readings/books/${b.id}`}>{b.bookNo}</Link> },
          { id: 'name', header: t('book.name'), value: (b) => b.name },
          { id: 'reader', header: t('book.reader'), value: (b) => (b.readerName ? `${b.readerNo} ${b.readerName}` : '—') },
          { id: 'readingDay', header: t('book.readingDay'), kind: 'number', value: (b) => b.readingDay },
          { id: 'meters', header: t('book.meters'), kind: 'number', value: (b) => b.points },
          { id: 'status', header: t('common.status'), value: (b) => (b.active ? t('book.active') : t('book.inactiveLabel')) },
        ]}
      />

      <h2>{t('book.unassigned', { count: unassigned.data?.total ?? 0 })}</h2>
      {unassigned.data?.total ? <p className="banner banner-warn">{t('book.unassignedHint')}</p> : <p className="muted">{t('book.allAssigned')}</p>}
      {unassigned.data?.rows.length ? (
        <DataTable
          label={t('book.unassignedTable')}
          exportName={t('book.unassignedTable')}
          rows={unassigned.data.rows}
          rowKey={(p) => p.pointId}
          columns={[
            { id: 'account', header: t('import.column.account'), value: (p) => p.accountNo, className: 'mono' },
            { id: 'name', header: t('import.column.name'), value: (p) => p.customerName },
            { id: 'address', header: t('import.column.address'), value: (p) => p.address },
            { id: 'meter', header: t('import.column.meter'), value: (p) => p.meterNo, className: 'mono' },
          ]}
        />
      ) : null}
    </Page>
  );
}
