import { useState } from 'react';
import type { AuditRow, InputOf } from '../../shared/contract';
import { hasMessage } from '../../shared/i18n';
import { call } from '../api/client';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Page, SelectField } from '../ui/widgets';
import { DateField } from '../ui/DateField';

type Filter = { staffId: string; action: string; fromDate: string; toDate: string };

function summaryText(summary: Record<string, unknown>): string {
  return Object.entries(summary)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(',') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`)
    .join('；');
}

/** The station head's view of who did what, filterable by staff, action and date. */
export function AuditPage() {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>({ staffId: '', action: '', fromDate: '', toDate: '' });
  const [more, setMore] = useState<AuditRow[]>([]);
  const [nextBefore, setNextBefore] = useState<number | null | undefined>(undefined);
  const input: InputOf<'audit.list'> = {
    limit: 100,
    ...(filter.staffId ? { staffId: filter.staffId } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.fromDate ? { fromDate: filter.fromDate } : {}),
    ...(filter.toDate ? { toDate: filter.toDate } : {}),
  };
  const list = useQuery('audit.list', input);
  const staff = useQuery('staff.directory', {});
  const actions = useQuery('audit.actions', {});
  const rows = [...(list.data?.rows ?? []), ...more];
  const cursor = nextBefore === undefined ? list.data?.nextBeforeId : nextBefore;
  const actionLabel = (action: string) => {
    const key = `audit.action.${action}`;
    return hasMessage(key) ? t(key) : action;
  };
  const change = (key: keyof Filter) => (e: { target: { value: string } }) => {
    setMore([]);
    setNextBefore(undefined);
    setFilter({ ...filter, [key]: e.target.value });
  };

  async function loadMore() {
    if (!cursor) return;
    const page = await call('audit.list', { ...input, beforeId: cursor });
    setMore([...more, ...page.rows]);
    setNextBefore(page.nextBeforeId);
  }

  return (
    <Page title={t('audit.title')}>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <SelectField label={t('audit.staff')} value={filter.staffId} onChange={change('staffId')}>
          <option value="">{t('common.all')}</option>
          {(staff.data?.rows ?? []).map((s) => (
            <option key={s.id} value={s.id}>
              {s.staffNo} {s.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={t('audit.action')} value={filter.action} onChange={change('action')}>
          <option value="">{t('common.all')}</option>
          {(actions.data?.actions ?? []).map((a) => (
            <option key={a} value={a}>
              {actionLabel(a)}
            </option>
          ))}
        </SelectField>
        <DateField label={t('audit.fromDate')} value={filter.fromDate} onChange={(value) => change('fromDate')({ target: { value } })} />
        <DateField label={t('audit.toDate')} value={filter.toDate} onChange={(value) => change('toDate')({ target: { value } })} />
      </form>
      <ErrorBanner error={list.error} />
      <DataTable
        label={t('audit.title')}
        exportName={t('audit.title')}
        rows={list.loading && rows.length === 0 ? undefined : rows}
        rowKey={(r) => String(r.id)}
        empty={t('audit.empty')}
        columns={[
          { id: 'at', header: t('common.time'), kind: 'time', value: (r) => r.at },
          { id: 'staff', header: t('audit.staff'), value: (r) => (r.staffName ? r.actor : r.actor === 'system' ? t('audit.system') : r.actor) },
          { id: 'action', header: t('audit.action'), value: (r) => actionLabel(r.action) },
          { id: 'summary', header: t('audit.summary'), className: 'summary', value: (r) => summaryText(r.summary) },
        ]}
      />
      {cursor ? (
        <button type="button" onClick={() => void loadMore()}>
          {t('common.next')}
        </button>
      ) : null}
    </Page>
  );
}
