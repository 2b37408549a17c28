import { useState } from 'react';
import { Link } from 'react-router';
import type { MessageKey } from '../../shared/i18n';
import { shanghaiDate } from '../../shared/time';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { fileBase64 } from '../customers/download';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Notice, Page, SelectField } from '../ui/widgets';
import { PolicyLine } from './PolicyLine';
import './service.css';

// Head office's files (总部文件) for the head: a 95598 dispatch workbook (派单) and the working-day
// calendar (工作日历), taken from the screen as the CLI does, with each refused row shown in the
// shared table (row, field, what is wrong); and the service policy in force, key by key.

type T = ReturnType<typeof useI18n>['t'];

/** A policy key in the office's words: `limits.complaint.answer.workingDays` → 投诉：答复客户（工作日）. */
function keyMeaning(t: T, key: string): string {
  const parts = key.split('.');
  if (parts[0] === 'limits' && parts.length === 4) {
    const [, kind, milestone, unit] = parts;
    return t(`service.policy.unit.${unit}` as MessageKey, { kind: t(`service.kind.${kind}` as MessageKey), milestone: t(`service.milestone.${milestone}` as MessageKey) });
  }
  if (parts[0] === 'highConsumption' && parts[1] === 'kwhByClass') return t('service.policy.k.highConsumption.kwhByClass', { class: t(`customers.class.${parts[2]}` as MessageKey) });
  return t(`service.policy.k.${key}` as MessageKey);
}

type Taken = { row: number; dispatchNo: string; orderNo: string };
type Refused = { row: number; dispatchNo: string; field: string; message: string };

export function HeadFilesPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const manage = can('service.manage');
  const dispatch = useAction('service.dispatch.import');
  const loadDays = useAction('service.calendar.load');
  const [result, setResult] = useState<{ fileName: string; taken: Taken[]; refused: Refused[] } | null>(null);
  const thisYear = shanghaiDate(Date.now()).slice(0, 4);
  const [year, setYear] = useState(thisYear);
  const days = useQuery('service.calendar.list', { year });
  const [daysNotice, setDaysNotice] = useState<string>();
  const policy = useQuery('service.policy', {});

  async function onDispatch(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    setResult(null);
    const r = await dispatch.run({ fileName: file.name, base64: await fileBase64(file) });
    // The same file may be chosen again after a fix: clear the picker.
    input.value = '';
    if (r) setResult({ fileName: file.name, ...r });
  }

  async function onCalendar(input: HTMLInputElement) {
    const file = input.files?.[0];
    if (!file) return;
    setDaysNotice(undefined);
    const r = await loadDays.run({ text: await file.text(), fileName: file.name });
    input.value = '';
    if (r) {
      setDaysNotice(t('service.files.daysLoaded', { n: r.loaded, file: file.name }));
      days.reload();
      policy.reload();
    }
  }

  const years = [String(Number(thisYear) - 1), thisYear, String(Number(thisYear) + 1)];
  return (
    <Page title={t('service.files.title')}>
      <section aria-labelledby="service-dispatch-h" className="service-files-section">
        <h2 id="service-dispatch-h">{t('service.dispatch.title')}</h2>
        <p className="muted">{t('service.files.dispatchHint')}</p>
        {manage ? (
          <div className="field">
            <label htmlFor="service-dispatch-file">{t('service.dispatch.file')}</label>
            <input id="service-dispatch-file" type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" disabled={dispatch.pending} onChange={(e) => void onDispatch(e.target)} />
          </div>
        ) : null}
        <ErrorBanner error={dispatch.error} />
        {result ? (
          <>
            <Notice>
              {t('service.files.dispatchDone', { file: result.fileName, taken: result.taken.length, refused: result.refused.length })}{' '}
              {result.taken.length ? <Link to="/service/orders">{t('service.files.toDueList')}</Link> : null}
            </Notice>
            {result.refused.length ? (
              <DataTable
                label={t('service.files.refusedRows')}
                exportName={t('service.files.refusedRows')}
                rows={result.refused}
                rowKey={(r) => `${r.row}`}
                columns={[
                  { id: 'row', header: t('service.files.row'), kind: 'number', value: (r) => r.row },
                  { id: 'dispatchNo', header: t('service.dispatch.field.dispatchNo'), className: 'mono', value: (r) => r.dispatchNo || '—' },
                  { id: 'field', header: t('service.files.field'), value: (r) => t(`service.dispatch.field.${r.field}` as MessageKey) },
                  { id: 'message', header: t('service.files.reason'), value: (r) => r.message },
                ]}
              />
            ) : null}
            <DataTable
              label={t('service.files.takenRows')}
              rows={result.taken}
              rowKey={(r) => r.orderNo}
              empty={t('service.files.noneTaken')}
              columns={[
                { id: 'row', header: t('service.files.row'), kind: 'number', value: (r) => r.row },
                { id: 'dispatchNo', header: t('service.dispatch.field.dispatchNo'), className: 'mono', value: (r) => r.dispatchNo },
                { id: 'orderNo', header: t('service.orders.orderNo'), className: 'mono', value: (r) => r.orderNo, render: (r) => <Link to={`/service/orders/${r.orderNo}`}>{r.orderNo}</Link> },
              ]}
            />
          </>
        ) : null}
      </section>

      <section aria-labelledby="service-calendar-h" className="service-files-section">
        <h2 id="service-calendar-h">{t('service.files.calendarTitle')}</h2>
        <p className="muted">{t('service.files.calendarHint')}</p>
        {manage ? (
          <div className="field">
            <label htmlFor="service-calendar-file">{t('service.files.calendarFile')}</label>
            <input id="service-calendar-file" type="file" accept=".json,application/json" disabled={loadDays.pending} onChange={(e) => void onCalendar(e.target)} />
          </div>
        ) : null}
        <ErrorBanner error={loadDays.error} />
        <Notice>{daysNotice}</Notice>
        <SelectField label={t('service.files.year')} value={year} onChange={(e) => setYear(e.target.value)}>
          {years.map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </SelectField>
        <ErrorBanner error={days.error} />
        <DataTable
          label={t('service.files.calendarDays', { year })}
          exportName={t('service.files.calendarDays', { year })}
          rows={days.loading && !days.data ? undefined : (days.data?.rows ?? [])}
          rowKey={(r) => r.date}
          empty={t('service.files.noDays')}
          columns={[
            { id: 'date', header: t('service.files.date'), kind: 'date', value: (r) => r.date },
            { id: 'kind', header: t('service.files.dayKind'), value: (r) => t(`service.files.day.${r.kind}` as MessageKey) },
            { id: 'name', header: t('service.files.dayName'), value: (r) => r.name },
            { id: 'source', header: t('service.files.source'), value: (r) => r.source },
          ]}
        />
      </section>

      <section aria-labelledby="service-policy-h" className="service-files-section">
        <h2 id="service-policy-h">{t('service.policy.title')}</h2>
        <PolicyLine />
        <ErrorBanner error={policy.error} />
        <DataTable
          label={t('service.policy.keys')}
          rows={policy.data ? [...policy.data.limits.keys.map((k) => ({ key: k.key, value: String(k.value), of: 'limits' })), ...policy.data.segments.keys.map((k) => ({ ...k, of: 'segments' }))] : undefined}
          rowKey={(r) => r.key}
          sorting={false}
          columns={[
            { id: 'of', header: t('service.policy.of'), value: (r) => t(r.of === 'limits' ? 'service.policy.ofLimits' : 'service.policy.ofSegments') },
            { id: 'meaning', header: t('service.policy.meaning'), value: (r) => keyMeaning(t, r.key) },
            { id: 'key', header: t('service.policy.key'), className: 'mono', value: (r) => r.key },
            { id: 'value', header: t('service.policy.value'), className: 'mono', value: (r) => r.value },
          ]}
        />
        <DataTable
          label={t('service.policy.versions')}
          rows={policy.data?.versions}
          rowKey={(r) => `${r.kind}@${r.effectiveFrom}`}
          empty={t('service.policy.noVersions')}
          columns={[
            { id: 'kind', header: t('service.policy.of'), value: (r) => t(r.kind === 'serviceLimits' ? 'service.policy.ofLimits' : 'service.policy.ofSegments') },
            { id: 'effectiveFrom', header: t('service.policy.effectiveFrom'), kind: 'date', value: (r) => r.effectiveFrom },
            { id: 'importedAt', header: t('service.policy.importedAt'), kind: 'time', value: (r) => r.importedAt },
            { id: 'by', header: t('service.policy.by'), value: (r) => r.by ?? '—' },
          ]}
        />
      </section>
    </Page>
  );
}
