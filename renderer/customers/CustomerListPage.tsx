import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { jobResult, type CustomerFilter, type CustomerSummary, type JobState } from '../../shared/contract';
import { CUSTOMER_CLASSES } from '../../shared/customers/classes';
import { CUSTOMER_STATUSES } from '../../shared/customers/rules';
import type { ApiError } from '../../shared/errors';
import { ApiFailure, call, runJob } from '../api/client';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ErrorBanner, JobBar, Notice, Page, SelectField } from '../ui/widgets';
import { CustomerSearch } from './CustomerSearch';
import { saveFile } from './download';
import './customers.css';

const ROW = 32;
const PAGE = 200;

/**
 * 客户列表: every customer of the station (100,000 and more), filtered, in account order. Only
 * the rows in view are in the page (a virtual list); pages of 200 are fetched as they scroll in.
 * ↑/↓ move, Enter opens a file.
 */
function VirtualList({ filter, onOpen }: { filter: CustomerFilter; onOpen(row: CustomerSummary): void }) {
  const { t } = useI18n();
  const [total, setTotal] = useState<number | undefined>();
  const [pages, setPages] = useState<Map<number, CustomerSummary[]>>(new Map());
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const [focus, setFocus] = useState(0);
  const body = useRef<HTMLDivElement>(null);
  const loading = useRef(new Set<number>());
  const key = JSON.stringify(filter);

  const load = useCallback(
    (page: number) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      call('customers.list', { ...(JSON.parse(key) as CustomerFilter), offset: page * PAGE, limit: PAGE }).then(
        (result) => {
          setTotal(result.total);
          setPages((old) => new Map(old).set(page, result.rows));
        },
        () => loading.current.delete(page),
      );
    },
    [key],
  );

  useEffect(() => {
    loading.current = new Set();
    setPages(new Map());
    setTotal(undefined);
    setFocus(0);
    body.current?.scrollTo({ top: 0 });
    load(0);
  }, [load]);

  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scrollTop / ROW) - 10);
  const last = Math.min((total ?? 0) - 1, Math.ceil((scrollTop + height) / ROW) + 10);
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last) / PAGE); p++) if (!pages.has(p)) load(p);
  }, [first, last, pages, load]);

  const rowAt = (i: number) => pages.get(Math.floor(i / PAGE))?.[i % PAGE];

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (!total) return;
    const move = (to: number) => {
      event.preventDefault();
      const next = Math.max(0, Math.min(total - 1, to));
      setFocus(next);
      const el = body.current;
      if (el) {
        if (next * ROW < el.scrollTop) el.scrollTop = next * ROW;
        else if ((next + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = (next + 1) * ROW - el.clientHeight;
      }
    };
    if (event.key === 'ArrowDown') move(focus + 1);
    else if (event.key === 'ArrowUp') move(focus - 1);
    else if (event.key === 'PageDown') move(focus + Math.floor(height / ROW));
    else if (event.key === 'PageUp') move(focus - Math.floor(height / ROW));
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(total - 1);
    else if (event.key === 'Enter') {
      const row = rowAt(focus);
      if (row) onOpen(row);
    }
  }

  const rows = [];
  for (let i = first; i <= last; i++) {
    const r = rowAt(i);
    rows.push(
      <div
        key={i}
        id={`customer-row-${i}`}
        className={`vlist-row${i === focus ? ' focused' : ''}`}
        role="row"
        aria-selected={i === focus}
        style={{ top: i * ROW }}
        onMouseDown={() => setFocus(i)}
        onClick={() => r && onOpen(r)}
      >
        {r ? (
          <>
            <span role="cell" className="mono">{r.accountNo}</span>
            <span role="cell">{r.name}</span>
            <span role="cell">{r.phone}</span>
            <span role="cell">{r.address}</span>
            <span role="cell">{r.transformerArea}</span>
            <span role="cell">{t(`customers.class.${r.customerClass}`)}</span>
            <span role="cell" className="mono">{r.meterNos.join(' ')}</span>
            <span role="cell">{t(`customers.status.${r.status}`)}</span>
          </>
        ) : (
          <span className="muted">…</span>
        )}
      </div>,
    );
  }
  return (
    <div className="vlist" role="table" aria-label={t('customers.list')} aria-rowcount={total ?? -1}>
      <p className="muted" aria-live="polite">{total === undefined ? t('app.loading') : t('customers.count', { count: total })}</p>
      <div className="vlist-head" role="row">
        {(['accountNo', 'name', 'phone', 'address', 'transformerArea', 'customerClass', 'meterNos', 'status'] as const).map((f) => (
          <span key={f} role="columnheader">{t(`customers.field.${f}`)}</span>
        ))}
      </div>
      <div
        className="vlist-body"
        ref={body}
        tabIndex={0}
        aria-label={t('customers.list')}
        aria-activedescendant={total ? `customer-row-${focus}` : undefined}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
        role="rowgroup"
      >
        <div style={{ height: (total ?? 0) * ROW, position: 'relative' }}>{rows}</div>
      </div>
    </div>
  );
}

export function CustomerListPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const session = useSession();
  const options = useQuery('customers.filterOptions', {});
  const [filter, setFilter] = useState<CustomerFilter>({});
  const [job, setJob] = useState<JobState>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<ApiError>();
  const set = (key: keyof CustomerFilter) => (e: { target: { value: string } }) => {
    const next: CustomerFilter = { ...filter, [key]: e.target.value || undefined };
    if (key === 'township') delete next.village;
    setFilter(next);
  };
  const villages = (options.data?.places ?? []).filter((p) => !filter.township || p.township === filter.township);

  async function exportList() {
    setNotice(undefined);
    const done = await runJob(() => call('customers.export', filter), setJob);
    if (done.status === 'succeeded') {
      const result = jobResult('customers.export', done);
      const file = await saveFile(result.fileName, result.base64);
      if (file) setNotice(t('customers.exported', { count: result.count, file }));
    }
  }

  async function template() {
    try {
      const { fileName, base64 } = await call('customers.template', {});
      await saveFile(fileName, base64);
    } catch (e) {
      setError(e instanceof ApiFailure ? e.error : { code: 'internal', message: String((e as Error).message) });
    }
  }

  return (
    <Page
      title={t('customers.title')}
      actions={
        <>
          {session.can('customers.write') ? (
            <>
              <button type="button" onClick={() => navigate('/customers/new')}>{t('customers.new')}</button>
              <button type="button" onClick={() => navigate('/customers/import')}>{t('customers.import')}</button>
              <button type="button" onClick={() => void template()}>{t('customers.template')}</button>
            </>
          ) : null}
          <button type="button" onClick={() => void exportList()} disabled={job?.status === 'running'}>{t('customers.export')}</button>
        </>
      }
    >
      <Notice>{notice}</Notice>
      <ErrorBanner error={error} />
      {job?.status === 'running' || job?.status === 'failed' ? <JobBar job={job} label={t('customers.export')} /> : null}
      <CustomerSearch autoFocus onSelect={(hit) => navigate(`/customers/${hit.id}`)} />
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('customers.list')}>
        <SelectField label={t('customers.filter.township')} value={filter.township ?? ''} onChange={set('township')}>
          <option value="">{t('common.all')}</option>
          {[...new Set((options.data?.places ?? []).map((p) => p.township))].map((x) => <option key={x} value={x}>{x}</option>)}
        </SelectField>
        <SelectField label={t('customers.filter.village')} value={filter.village ?? ''} onChange={set('village')}>
          <option value="">{t('common.all')}</option>
          {villages.map((p) => <option key={`${p.township}/${p.village}`} value={p.village}>{p.village}</option>)}
        </SelectField>
        <SelectField label={t('customers.filter.area')} value={filter.transformerArea ?? ''} onChange={set('transformerArea')}>
          <option value="">{t('common.all')}</option>
          {(options.data?.transformerAreas ?? []).map((x) => <option key={x} value={x}>{x}</option>)}
        </SelectField>
        <SelectField label={t('customers.filter.class')} value={filter.customerClass ?? ''} onChange={set('customerClass')}>
          <option value="">{t('common.all')}</option>
          {CUSTOMER_CLASSES.map((c) => <option key={c} value={c}>{t(`customers.class.${c}`)}</option>)}
        </SelectField>
        <SelectField label={t('customers.filter.status')} value={filter.status ?? ''} onChange={set('status')}>
          <option value="">{t('common.all')}</option>
          {CUSTOMER_STATUSES.map((s) => <option key={s} value={s}>{t(`customers.status.${s}`)}</option>)}
        </SelectField>
        {(options.data?.books ?? []).length ? (
          <SelectField label={t('customers.filter.book')} value={filter.bookId ?? ''} onChange={set('bookId')}>
            <option value="">{t('common.all')}</option>
            {(options.data?.books ?? []).map((b) => <option key={b.id} value={b.id}>{b.bookNo} {b.name}</option>)}
          </SelectField>
        ) : null}
      </form>
      <VirtualList filter={filter} onOpen={(row) => navigate(`/customers/${row.id}`)} />
    </Page>
  );
}
