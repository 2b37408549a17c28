import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { Appraisal } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { fenToYuan } from '../../shared/money';
import { call } from '../api/client';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { PrintDocument } from '../print/PrintFrame';
import { formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { pts, roleNames } from './common';
import { AppraisalDocument } from './SheetPrint';

// The month on A4: the station's summary with the ranking (考核汇总表), then every person's
// sheet, each on its own page.

export function MonthPrint() {
  const { t } = useI18n();
  const { period = '' } = useParams();
  const summary = useQuery('appraisal.summary', { period });
  const [sheets, setSheets] = useState<Appraisal[]>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    if (!summary.data) return;
    let live = true;
    Promise.all(summary.data.rows.map((r) => call('appraisal.get', { period, staffNo: r.staffNo }))).then(
      (all) => live && setSheets(all),
      (e: unknown) => live && setError({ code: 'internal', message: String((e as Error).message) }),
    );
    return () => {
      live = false;
    };
  }, [summary.data, period]);
  if (summary.error || error) return <ErrorBanner error={summary.error ?? error} />;
  const s = summary.data;
  if (!s) return <p className="no-print">{t('app.loading')}</p>;
  return (
    <PrintDocument size="A4" title={`${t('appraisal.title')} ${period}`}>
      <div className="appraisal-doc" data-print-ready={sheets ? 'true' : 'false'}>
        <h1>
          {s.station.name} {t('appraisal.title')} {period}
        </h1>
        {s.sheets.map((sh) => (
          <p key={sh.code}>
            {sh.code} {sh.name} · {sh.pay.method === 'points' ? t('appraisal.payRule.points', { base: formatYuan(sh.pay.baseFen), full: sh.fullScore }) : t('appraisal.payRule.pool', { pool: formatYuan(sh.pay.poolFen), remainder: sh.remainderFen })}
          </p>
        ))}
        <table className="table" aria-label={t('appraisal.title')}>
          <thead>
            <tr>
              <th>{t('appraisal.rank')}</th>
              <th>{t('appraisal.staffNo')}</th>
              <th>{t('appraisal.name')}</th>
              <th>{t('appraisal.roles')}</th>
              <th className="num">{t('appraisal.itemsScore')}</th>
              <th className="num">{t('appraisal.adjustments')}</th>
              <th className="num">{t('appraisal.total')}</th>
              <th>{t('appraisal.status')}</th>
              <th className="num">{t('appraisal.pay')}</th>
            </tr>
          </thead>
          <tbody>
            {s.rows.map((r) => (
              <tr key={r.staffId}>
                <td>{r.rank}</td>
                <td>{r.staffNo}</td>
                <td>{r.name}</td>
                <td>{roleNames(t, r.roles)}</td>
                <td className="num">{pts(r.itemsCenti)}</td>
                <td className="num">{pts(r.adjustmentsCenti)}</td>
                <td className="num">{pts(r.totalCenti)}</td>
                <td>{t(`appraisal.status.${r.status}`)}</td>
                <td className="num">{fenToYuan(r.payFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>{t('appraisal.totals', { signed: s.totals.signed, disputed: s.totals.disputed, pay: formatYuan(s.totals.payFen) })}</p>
        <p className="appraisal-signature-lines">
          {t('appraisal.headSignature')}：＿＿＿＿＿＿
        </p>
      </div>
      {(sheets ?? []).map((a) => (
        <div key={a.staff.id} className="page-break">
          <AppraisalDocument t={t} a={a} />
        </div>
      ))}
    </PrintDocument>
  );
}
