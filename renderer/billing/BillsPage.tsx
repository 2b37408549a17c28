import { useState } from 'react';
import { Link } from 'react-router';
import type { BillStatus, InputOf } from '../../shared/contract';
import { isPeriod } from '../../shared/time';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatYuan } from '../ui/format';
import { ErrorBanner, Field, Page, SelectField } from '../ui/widgets';
import { Flags, kwhText, StatusBadge } from './parts';
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
      {list.data ? <p className="muted">{t('common.count', { count: list.data.total })}</p> : null}
      <table className="table" aria-label={t('bills.title')}>
        <thead>
          <tr>
            <th>{t('billing.bill.billNo')}</th>
            <th>{t('billing.bill.period')}</th>
            <th>{t('billing.bill.account')}</th>
            <th>{t('billing.bill.customer')}</th>
            <th>{t('billing.bill.tariff')}</th>
            <th className="num">{t('billing.bill.kwh')}</th>
            <th className="num">{t('billing.bill.total')}</th>
            <th>{t('billing.bill.status')}</th>
            <th>{t('billing.bill.dueDate')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.rows ?? []).map((b) => (
            <tr key={b.id}>
              <td className="mono">
                <Link to={`/bills/${encodeURIComponent(b.billNo)}`}>{b.billNo}</Link>
              </td>
              <td>{b.period}</td>
              <td>{b.accountNo}</td>
              <td>{b.customerName}</td>
              <td>{b.tariffName}</td>
              <td className="num">{kwhText(b.kwh)}</td>
              <td className="num">{formatYuan(b.totalFen)}</td>
              <td>
                <StatusBadge status={b.status} />
                <Flags flags={b.flags} />
              </td>
              <td>{b.dueDate ?? ''}</td>
            </tr>
          ))}
          {list.data && list.data.rows.length === 0 ? (
            <tr>
              <td colSpan={9} className="muted">
                {t('bills.none')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Page>
  );
}
