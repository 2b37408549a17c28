import { useEffect, useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { BookPointView } from '../../shared/contract';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { useReaders } from './BooksPage';

function moved<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length || from === to) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/**
 * One book: its name, reader and reading day; its meters in reading order (抄表序号), reordered
 * by dragging or with Alt+↑/↓ on a row and saved as a whole; meters moved to another book; meters
 * in no book added to this one.
 */
export function BookPage() {
  const { bookId = '' } = useParams();
  const { t } = useI18n();
  const detail = useQuery('books.get', { bookId });
  const books = useQuery('books.list', {});
  const unassigned = useQuery('books.unassigned', { limit: 500 });
  const readers = useReaders();
  const update = useAction('books.update');
  const reorder = useAction('books.reorder');
  const move = useAction('books.movePoints');
  const [order, setOrder] = useState<BookPointView[]>([]);
  const [dirty, setDirty] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [adding, setAdding] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState('');
  const [form, setForm] = useState({ name: '', readerId: '', readingDay: '1' });
  const [dragFrom, setDragFrom] = useState<number | null>(null);
  const [notice, setNotice] = useState<string>();

  useEffect(() => {
    if (!detail.data) return;
    setOrder(detail.data.points);
    setDirty(false);
    const b = detail.data.book;
    setForm({ name: b.name, readerId: b.readerId ?? '', readingDay: String(b.readingDay) });
  }, [detail.data]);

  const book = detail.data?.book;
  const reload = () => {
    detail.reload();
    unassigned.reload();
    books.reload();
  };

  async function save(event: FormEvent) {
    event.preventDefault();
    if (await update.run({ bookId, name: form.name, readerId: form.readerId || null, readingDay: Number(form.readingDay) })) {
      setNotice(t('common.saved'));
      reload();
    }
  }

  function shift(index: number, by: number) {
    const next = moved(order, index, index + by);
    if (next === order) return;
    setOrder(next);
    setDirty(true);
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`[data-point-row="${index + by}"]`)?.focus());
  }

  function onRowKey(index: number, event: KeyboardEvent<HTMLTableRowElement>) {
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      shift(index, event.key === 'ArrowUp' ? -1 : 1);
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      document.querySelector<HTMLElement>(`[data-point-row="${index + (event.key === 'ArrowUp' ? -1 : 1)}"]`)?.focus();
    } else if (event.key === ' ' && event.target === event.currentTarget) {
      event.preventDefault();
      toggle(selected, setSelected, order[index]?.pointId ?? '');
    }
  }

  function onDrop(index: number, event: DragEvent) {
    event.preventDefault();
    if (dragFrom === null) return;
    setOrder(moved(order, dragFrom, index));
    setDirty(true);
    setDragFrom(null);
  }

  async function saveOrder() {
    if (await reorder.run({ bookId, pointIds: order.map((p) => p.pointId) })) {
      setNotice(t('book.orderSaved'));
      reload();
    }
  }

  async function moveSelected() {
    if (!target || selected.size === 0) return;
    if (await move.run({ pointIds: [...selected], toBookId: target })) {
      setNotice(t('book.movedOut', { count: selected.size }));
      setSelected(new Set());
      reload();
    }
  }

  async function addSelected() {
    if (adding.size === 0) return;
    if (await move.run({ pointIds: [...adding], toBookId: bookId })) {
      setNotice(t('book.added', { count: adding.size }));
      setAdding(new Set());
      reload();
    }
  }

  return (
    <Page title={book ? `${book.bookNo} ${book.name}` : t('nav.books')} actions={<Link to="/readings/books">{t('common.back')}</Link>}>
      <Notice>{notice}</Notice>
      <ErrorBanner error={detail.error ?? update.error ?? reorder.error ?? move.error} />
      {book ? (
        <form className="card form inline-form" onSubmit={save} aria-label={t('book.edit')}>
          <div className="row">
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
          <div className="buttons">
            <button type="submit" className="primary" disabled={update.pending}>
              {t('common.save')}
            </button>
            {book.active && book.points === 0 ? (
              <button type="button" onClick={() => void update.run({ bookId, active: false }).then((r) => r && reload())}>
                {t('book.deactivate')}
              </button>
            ) : null}
          </div>
        </form>
      ) : null}

      <h2>{t('book.order', { count: order.length })}</h2>
      <p className="muted">{t('book.orderHint')}</p>
      <div className="buttons">
        <button type="button" className="primary" disabled={!dirty || reorder.pending} onClick={() => void saveOrder()}>
          {t('book.saveOrder')}
        </button>
        {dirty ? <span className="banner-warn">{t('book.orderUnsaved')}</span> : null}
      </div>
      <table className="table book-order" aria-label={t('book.orderTable')}>
        <thead>
          <tr>
            <th>{t('book.select')}</th>
            <th>{t('entry.seq')}</th>
            <th>{t('import.column.account')}</th>
            <th>{t('import.column.name')}</th>
            <th>{t('import.column.address')}</th>
            <th>{t('import.column.meter')}</th>
          </tr>
        </thead>
        <tbody>
          {order.map((p, index) => (
            <tr
              key={p.pointId}
              data-point-row={index}
              tabIndex={0}
              aria-label={`${index + 1} ${p.accountNo} ${p.customerName}`}
              draggable
              onDragStart={() => setDragFrom(index)}
              onDragOver={(e) => e.preventDefault()}
              onDrop={(e) => onDrop(index, e)}
              onKeyDown={(e) => onRowKey(index, e)}
              className={dragFrom === index ? 'dragging' : undefined}
            >
              <td>
                <input
                  type="checkbox"
                  aria-label={t('book.selectRow', { accountNo: p.accountNo })}
                  checked={selected.has(p.pointId)}
                  onChange={() => toggle(selected, setSelected, p.pointId)}
                />
              </td>
              <td className="num">{index + 1}</td>
              <td className="mono">{p.accountNo}</td>
              <td>{p.customerName}</td>
              <td>{p.address}</td>
              <td className="mono">{p.meterNo}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="filters">
        <SelectField label={t('book.moveTo')} value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="">—</option>
          {(books.data?.rows ?? [])
            .filter((b) => b.id !== bookId)
            .map((b) => (
              <option key={b.id} value={b.id}>
                {b.bookNo} {b.name}
              </option>
            ))}
        </SelectField>
        <button type="button" disabled={!target || selected.size === 0 || move.pending} onClick={() => void moveSelected()}>
          {t('book.moveSelected', { count: selected.size })}
        </button>
      </div>

      <h2>{t('book.unassigned', { count: unassigned.data?.total ?? 0 })}</h2>
      {(unassigned.data?.rows ?? []).length ? (
        <>
          <table className="table" aria-label={t('book.unassignedTable')}>
            <tbody>
              {(unassigned.data?.rows ?? []).map((p) => (
                <tr key={p.pointId}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('book.selectRow', { accountNo: p.accountNo })}
                      checked={adding.has(p.pointId)}
                      onChange={() => toggle(adding, setAdding, p.pointId)}
                    />
                  </td>
                  <td className="mono">{p.accountNo}</td>
                  <td>{p.customerName}</td>
                  <td>{p.address}</td>
                  <td className="mono">{p.meterNo}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" disabled={adding.size === 0 || move.pending} onClick={() => void addSelected()}>
            {t('book.addSelected', { count: adding.size })}
          </button>
        </>
      ) : (
        <p className="muted">{t('book.allAssigned')}</p>
      )}
    </Page>
  );
}

function toggle(set: Set<string>, update: (s: Set<string>) => void, id: string) {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  update(next);
}
