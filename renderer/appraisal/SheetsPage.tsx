import { useState } from 'react';
import { fenToYuan } from '../../shared/money';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime } from '../ui/format';
import { ErrorBanner, Notice, Page } from '../ui/widgets';

// Score sheets (考核方案): what is loaded, and — for the administrator — loading a head-office
// file, checked whole before anything is written.

export function SheetsPage() {
  const { t } = useI18n();
  const session = useSession();
  const list = useQuery('appraisal.sheets.list', {});
  const check = useAction('appraisal.sheets.check');
  const load = useAction('appraisal.sheets.import');
  const [problems, setProblems] = useState<string[]>([]);
  const [notice, setNotice] = useState<string>();

  async function onFile(file: File) {
    const text = await file.text();
    setNotice(undefined);
    const plan = await check.run({ text });
    if (!plan) return;
    if (!plan.ok) {
      setProblems(plan.problems);
      return;
    }
    setProblems([]);
    const result = await load.run({ text, fileName: file.name });
    if (result) {
      setNotice(t('appraisal.sheets.loaded', { loaded: result.loaded, unchanged: result.unchanged }));
      list.reload();
    }
  }

  return (
    <Page title={t('appraisal.sheets.title')}>
      {session.can('appraisal.sheets') ? (
        <div className="field">
          <label htmlFor="appraisal-sheet-file">{t('appraisal.sheets.import')}</label>
          <input id="appraisal-sheet-file" type="file" accept=".json,application/json" onChange={(e) => e.target.files?.[0] && void onFile(e.target.files[0])} />
        </div>
      ) : null}
      <Notice>{notice}</Notice>
      <ErrorBanner error={list.error ?? check.error ?? load.error} />
      {problems.length ? (
        <div className="banner banner-error" role="alert">
          <strong>{t('appraisal.sheets.problems', { count: problems.length })}</strong>
          <ul>
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <table className="table" aria-label={t('appraisal.sheets.title')}>
        <thead>
          <tr>
            <th>{t('appraisal.sheets.code')}</th>
            <th>{t('appraisal.sheets.effectiveFrom')}</th>
            <th>{t('appraisal.sheets.name')}</th>
            <th className="num">{t('appraisal.fullScore')}</th>
            <th className="num">{t('appraisal.sheets.areas')}</th>
            <th className="num">{t('appraisal.sheets.items')}</th>
            <th>{t('appraisal.sheets.pay')}</th>
            <th>{t('appraisal.sheets.inForce')}</th>
            <th>{t('appraisal.entry.at')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.rows ?? []).map((r) => (
            <tr key={`${r.code}@${r.effectiveFrom}`}>
              <td>{r.code}</td>
              <td>{r.effectiveFrom}</td>
              <td>{r.name}</td>
              <td className="num">{r.fullScore}</td>
              <td className="num">{r.areas}</td>
              <td className="num">{r.items}</td>
              <td>{r.pay.method === 'points' ? t('appraisal.payRule.points', { base: fenToYuan(r.pay.baseFen), full: r.fullScore }) : t('appraisal.payRule.pool', { pool: fenToYuan(r.pay.poolFen), remainder: '…' })}</td>
              <td>{r.inForce ? '✓' : ''}</td>
              <td className="nowrap">
                {formatTime(r.importedAt)} {r.importedBy ?? ''}
              </td>
            </tr>
          ))}
          {!list.loading && !list.data?.rows.length ? (
            <tr>
              <td colSpan={9} className="muted">
                {t('appraisal.sheets.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Page>
  );
}
