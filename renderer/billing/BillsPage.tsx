import { useState } from 'react';
import { Link } from 'react-router';
import type { BillStatus, InputOf } from '../../shared/contract';
import { isPeriod } from '../../shared/time';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Field, Page, SelectField } from '../ui/widgets';
import { Flags, StatusBadge } from './parts';
import { MonthField } from '../ui/DateField';

const STATUSES: BillStatus[] = ['draft', 'issued', 'voided', 'corrected'];

/** 电费查询: find bills by period, account, name or bill number. */
export function BillsPage() {
  const { t } = useI18n();
  const [filter, setFilter] = useState({ period: '', search: '', status: '' as BillStatus | '', flaggedOnly: false });
  const input: InputOf<'bills.list'> = {
    limit: 200,
    ...(isPeriod(filter.period) ? { period: filter.period } : {}),
    ...(filter.search.trim() ? { search: filter.search.trim() } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.flaggedOnly ? { flaggedOnly: true } : {}),
  };
  const list = useQuery('bills.list', input);
  return (
    <Page title={t('bills.title')}>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <MonthField label={t('billing.period')} value={filter.period} onChange={(period) => setFilter({ ...filter, period })} />
        <Field label={t('bills.search')} value={filter.search} onChange={(e) => setFilter({ ...filter, search: e.target.value })} autoFocus />
        <SelectField label={t('billing.bill.status')} value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as BillStatus | '' })}>
          <option value="">{t('common.all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`billing.status.${s}`)}
            </option>
          ))}
        </SelectField>
        <label className="check">
          <input type="checkbox" checked={filter.flaggedOnly} onChange={(e) => setFilter({ ...filter, flaggedOnly: e.target.checked })} />
          {t('bills.flaggedOnly')}
        </label>
      </form>
      <ErrorBanner error={list.error} />
      <DataTable
        label={t('bills.title')}
        exportName={t('bills.title')}
        rows={list.data?.rows}
        total={list.data?.total}
        rowKey={(b) => b.id}
        empty={t('bills.none')}
        columns={[
          { id: 'billNo', header: t('billing.bill.billNo'), value: (b) => b.billNo, className: 'mono', render: (b) => <Link to={`/bills/${encodeURIComponent(b.billNo)}`}>{b.billNo}</Link> },
          { id: 'period', header: t('billing.bill.period'), value: (b) => b.period },
          { id: 'account', header: t('billing.bill.account'), value: (b) => b.accountNo },
          { id: 'customer', header: t('billing.bill.customer'), value: (b) => b.customerName },
          { id: 'tariff', header: t('billing.bill.tariff'), value: (b) => b.tariffName },
          { id: 'kwh', header: t('billing.bill.kwh'), kind: 'quantity', value: (b) => b.kwh },
          { id: 'total', header: t('billing.bill.total'), kind: 'money', value: (b) => b.totalFen },
          {
            id: 'status',
            header: t('billing.bill.status'),
            value: (b) => t(`billing.status.${b.status}`),
            render: (b) => (
              <>
                <StatusBadge status={b.status} />
                <Flags flags={b.flags} />
              </>
            ),
          },
          { id: 'dueDate', header: t('billing.bill.dueDate'), kind: 'date', value: (b) => b.dueDate },
        ]}
      />
    </Page>
  );
}
