import { useState } from 'react';
import { Link } from 'react-router';
import { fenToYuan } from '../../shared/money';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { saveFile } from '../customers/download';
import { formatYuan } from '../ui/format';
import { ErrorBanner, Notice, Page, SelectField } from '../ui/widgets';
import { currentPeriod, pts, roleNames, StatusTag } from './common';
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
      <table className="table" aria-label={t('appraisal.title')}>
        <thead>
          <tr>
            <th className="num">{t('appraisal.rank')}</th>
            <th>{t('appraisal.staffNo')}</th>
            <th>{t('appraisal.name')}</th>
            <th>{t('appraisal.roles')}</th>
            <th className="num">{t('appraisal.itemsScore')}</th>
            <th className="num">{t('appraisal.adjustments')}</th>
            <th className="num">{t('appraisal.total')}</th>
            <th>{t('appraisal.status')}</th>
            <th className="num">{t('appraisal.versions')}</th>
            <th className="num">{t('appraisal.pay')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(s?.rows ?? []).map((r) => (
            <tr key={r.staffId}>
              <td className="num">{r.rank}</td>
              <td>{r.staffNo}</td>
              <td>{r.name}</td>
              <td>{roleNames(t, r.roles)}</td>
              <td className="num">{pts(r.itemsCenti)}</td>
              <td className="num">{r.adjustmentsCenti ? pts(r.adjustmentsCenti) : ''}</td>
              <td className="num">
                <strong>{pts(r.totalCenti)}</strong>
              </td>
              <td>
                <StatusTag t={t} status={r.status} />
              </td>
              <td className="num">{r.versionNo}</td>
              <td className="num">{fenToYuan(r.payFen)}</td>
              <td className="actions">
                <Link to={`/appraisal/sheet/${period}/${r.staffNo}`}>{t('appraisal.open')}</Link>
                <Link to={`/appraisal/trend/${r.staffNo}?to=${period}`}>{t('appraisal.trend')}</Link>
              </td>
            </tr>
          ))}
          {!summary.loading && !s?.rows.length ? (
            <tr>
              <td colSpan={11} className="muted">
                {t('appraisal.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {s?.rows.length ? <p>{t('appraisal.totals', { signed: s.totals.signed, disputed: s.totals.disputed, pay: formatYuan(s.totals.payFen) })}</p> : null}
      {s?.notAppraised.length ? <p className="muted">{t('appraisal.notAppraised', { list: s.notAppraised.map((x) => `${x.staffNo} ${x.name}（${x.startDate}）`).join('、') })}</p> : null}
      {s?.notComputed.length ? <p className="muted">{t('appraisal.notComputed', { list: s.notComputed.map((x) => `${x.staffNo} ${x.name}`).join('、') })}</p> : null}
    </Page>
  );
}
