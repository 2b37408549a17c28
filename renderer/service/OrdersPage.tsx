import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ORDER_KINDS, type OrderKind } from '../../shared/service';
import type { MessageKey } from '../../shared/i18n';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { StatusCell, when } from './common';
import { PolicyLine } from './PolicyLine';
import './service.css';

// Work orders (工单): log one (counter or phone), the due-soon and overdue list, open and all orders.

type Filter = 'due' | 'open' | 'mine' | 'all';

export function OrdersPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const navigate = useNavigate();
  // Opened from the counter (受理工单 beside the customer found there): the account is filled in.
  const [params] = useSearchParams();
  const fromCounter = params.get('account') ?? '';
  const [filter, setFilter] = useState<Filter>('due');
  const due = useQuery('service.orders.due', { mine: false }, { enabled: filter === 'due' });
  const list = useQuery('service.orders.list', filter === 'open' ? { state: 'open' } : filter === 'mine' ? { mine: true, state: 'open' } : {}, { enabled: filter !== 'due' });
  const rows = (filter === 'due' ? due.data?.rows : list.data?.rows) ?? [];
  const create = useAction('service.orders.create');
  const [form, setForm] = useState({ kind: 'complaint' as OrderKind, source: 'counter' as 'counter' | 'phone', accountNo: fromCounter, contactName: '', contactPhone: '', content: '', aboutStaffNo: '' });
  const [created, setCreated] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <Page title={t('service.orders.title')}>
      <PolicyLine show="limits" />
      {can('service.log') ? (
        <form
          className="service-order-form"
          aria-label={t('service.orders.new')}
          onSubmit={async (e) => {
            e.preventDefault();
            const r = await create.run({ ...form, accountNo: form.accountNo.trim() || undefined, aboutStaffNo: form.aboutStaffNo.trim() || undefined });
            if (r) {
              setCreated(r.orderNo);
              setForm((f) => ({ ...f, accountNo: '', contactName: '', contactPhone: '', content: '', aboutStaffNo: '' }));
              due.reload();
              list.reload();
            }
          }}
        >
          <SelectField label={t('service.orders.kind')} value={form.kind} onChange={set('kind')}>
            {ORDER_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`service.kind.${k}` as MessageKey)}
              </option>
            ))}
          </SelectField>
          <SelectField label={t('service.orders.source')} value={form.source} onChange={set('source')}>
            <option value="counter">{t('service.source.counter')}</option>
            <option value="phone">{t('service.source.phone')}</option>
          </SelectField>
          <Field label={t('service.orders.account')} value={form.accountNo} onChange={set('accountNo')} />
          <Field label={t('service.orders.contactName')} value={form.contactName} onChange={set('contactName')} />
          <Field label={t('service.orders.contactPhone')} value={form.contactPhone} onChange={set('contactPhone')} />
          {form.kind === 'complaint' ? <Field label={t('service.orders.aboutStaff')} value={form.aboutStaffNo} onChange={set('aboutStaffNo')} /> : null}
          <Field label={t('service.orders.content')} value={form.content} onChange={set('content')} autoFocus={fromCounter !== ''} />
          <button type="submit" disabled={create.pending}>
            {t('service.orders.create')}
          </button>
        </form>
      ) : null}
      <ErrorBanner error={create.error} />
      {created ? (
        <Notice>
          {t('service.orders.created', { orderNo: created })} <Link to={`/service/orders/${created}`}>{created}</Link>
        </Notice>
      ) : null}
      <div className="page-actions" role="group">
        {(['due', 'open', 'mine', 'all'] as const).map((f) => (
          <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {t(f === 'due' ? 'service.orders.dueList' : f === 'open' ? 'service.orders.filterOpen' : f === 'mine' ? 'service.orders.filterMine' : 'service.orders.filterAll')}
          </button>
        ))}
      </div>
      <ErrorBanner error={due.error ?? list.error} />
      <table className="table" aria-label={t('service.orders.title')}>
        <thead>
          <tr>
            <th>{t('service.orders.orderNo')}</th>
            <th>{t('service.orders.kind')}</th>
            <th>{t('service.orders.source')}</th>
            <th>{t('service.orders.customer')}</th>
            <th>{t('service.orders.content')}</th>
            <th>{t('service.orders.state')}</th>
            <th>{t('service.orders.assignee')}</th>
            <th>{t('service.orders.due')}</th>
            <th>{t('service.orders.status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.orderNo} onDoubleClick={() => navigate(`/service/orders/${r.orderNo}`)}>
              <td className="mono">
                <Link to={`/service/orders/${r.orderNo}`}>{r.orderNo}</Link>
              </td>
              <td>{t(`service.kind.${r.kind}` as MessageKey)}</td>
              <td>{t(`service.source.${r.source}` as MessageKey)}</td>
              <td>{r.accountNo ? `${r.accountNo} ${r.customerName ?? ''}` : '—'}</td>
              <td>{r.content}</td>
              <td>{t(`service.state.${r.state}` as MessageKey)}</td>
              <td>{r.assignee ? `${r.assignee.staffNo} ${r.assignee.name}` : '—'}</td>
              <td>{when(r.nextDueAt)}</td>
              <td>
                <StatusCell t={t} status={r.status} />
              </td>
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={9} className="muted">
                {t('service.orders.none')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Page>
  );
}
