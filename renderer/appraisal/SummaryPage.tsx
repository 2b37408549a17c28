import { useState } from 'react';
import { Link } from 'react-router';
import { fenToYuan } from '../../shared/money';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { saveFile } from '../customers/download';
import { formatYuan } from '../ui/format';
import { ErrorBanner, Notice, Page, SelectField } from '../ui/widgets';
import { currentPeriod, pts, roleNames, StatusTag } from './common';
import { DataTable } from '../ui/DataTable';
import { MonthField } from '../ui/DateField';

// The station head's month (考核汇总表): compute the drafts, everyone ranked with their status and
// pay, each sheet one click away; export and print.

export function SummaryPage() {
  const { t } = useI18n();
  const [period, setPeriod] = useState(currentPeriod());
  const sheets = useQuery('appraisal.sheets.list', {});
  const [sheetCode, setSheetCode] = useState('');
  const summary = useQuery('appraisal.summary', { period });
  const compute = useAction('appraisal.compute');
  const exporter = useAction('appraisal.export');
  const [notice, setNotice] = useState<string>();
  const inForce = (sheets.data?.rows ?? []).filter((r) => r.inForce);
  const s = summary.data;

  async function run() {
    const result = await compute.run({ period, ...(sheetCode ? { sheetCode } : {}) });
    if (result) {
      setNotice(t('appraisal.computed', { period: result.period, drafted: result.drafted, recomputed: result.recomputed, unchanged: result.unchanged, signed: result.signed }));
      summary.reload();
    }
  }
  async function exportXlsx() {
    const file = await exporter.run({ period });
    if (file) await saveFile(file.fileName, file.base64);
  }

  return (
    <Page
      title={t('appraisal.title')}
      actions={
        <>
          <button type="button" onClick={() => void exportXlsx()} disabled={!s?.rows.length || exporter.pending}>
            {t('appraisal.export')}
          </button>
          <Link className="button" to={`/print/appraisal-month/${period}`}>
            {t('appraisal.printAll')}
          </Link>
        </>
      }
    >
      <form className="filters" onSubmit={(e) => { e.preventDefault(); void run(); }}>
        <MonthField label={t('appraisal.period')} value={period} onChange={(value) => value && setPeriod(value)} />
        <SelectField label={t('appraisal.sheetUsed')} value={sheetCode} onChange={(e) => setSheetCode(e.target.value)}>
          <option value="">{s?.sheets[0] ? `${s.sheets[0].code} ${s.sheets[0].name}` : '—'}</option>
          {inForce.map((r) => (
            <option key={r.code} value={r.code}>
              {r.code} {r.name}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="primary" disabled={compute.pending}>
          {t('appraisal.compute')}
        </button>
      </form>
      <Notice>{notice}</Notice>
      <ErrorBanner error={summary.error ?? compute.error ?? exporter.error} />
      {s?.sheets.map((sh) => (
        <p key={sh.code} className="muted">
          {sh.code} {sh.name} · {t('appraisal.fullScore')} {sh.fullScore} ·{' '}
          {sh.pay.method === 'points'
            ? t('appraisal.payRule.points', { base: formatYuan(sh.pay.baseFen), full: sh.fullScore })
            : t('appraisal.payRule.pool', { pool: formatYuan(sh.pay.poolFen), remainder: sh.remainderFen })}
        </p>
      ))}
      <DataTable
        label={t('appraisal.title')}
        rows={summary.loading && !s ? undefined : (s?.rows ?? [])}
        rowKey={(r) => r.staffId}
        empty={t('appraisal.empty')}
        columns={[
          { id: 'rank', header: t('appraisal.rank'), kind: 'number', value: (r) => r.rank },
          { id: 'staffNo', header: t('appraisal.staffNo'), value: (r) => r.staffNo },
          { id: 'name', header: t('appraisal.name'), value: (r) => r.name },
          { id: 'roles', header: t('appraisal.roles'), value: (r) => roleNames(t, r.roles) },
          { id: 'items', header: t('appraisal.itemsScore'), kind: 'quantity', value: (r) => r.itemsCenti, render: (r) => pts(r.itemsCenti) },
          { id: 'adjustments', header: t('appraisal.adjustments'), kind: 'quantity', value: (r) => r.adjustmentsCenti || null, render: (r) => (r.adjustmentsCenti ? pts(r.adjustmentsCenti) : '') },
          { id: 'total', header: t('appraisal.total'), kind: 'quantity', value: (r) => r.totalCenti, render: (r) => <strong>{pts(r.totalCenti)}</strong> },
          { id: 'status', header: t('appraisal.status'), render: (r) => <StatusTag t={t} status={r.status} /> },
          { id: 'versions', header: t('appraisal.versions'), kind: 'number', value: (r) => r.versionNo },
          { id: 'pay', header: t('appraisal.pay'), kind: 'money', value: (r) => r.payFen, render: (r) => fenToYuan(r.payFen) },
          {
            id: 'actions',
            header: t('common.actions'),
            className: 'actions',
            render: (r) => (
              <>
                <Link to={`/appraisal/sheet/${period}/${r.staffNo}`}>{t('appraisal.open')}</Link>
                <Link to={`/appraisal/trend/${r.staffNo}?to=${period}`}>{t('appraisal.trend')}</Link>
              </>
            ),
          },
        ]}
      />
      {s?.rows.length ? <p>{t('appraisal.totals', { signed: s.totals.signed, disputed: s.totals.disputed, pay: formatYuan(s.totals.payFen) })}</p> : null}
      {s?.notAppraised.length ? <p className="muted">{t('appraisal.notAppraised', { list: s.notAppraised.map((x) => `${x.staffNo} ${x.name}（${x.startDate}）`).join('、') })}</p> : null}
      {s?.notComputed.length ? <p className="muted">{t('appraisal.notComputed', { list: s.notComputed.map((x) => `${x.staffNo} ${x.name}`).join('、') })}</p> : null}
    </Page>
  );
}
