import { useEffect, useState } from 'react';
import { fenToYuan } from '../../shared/money';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime } from '../ui/format';
import { ErrorBanner, Notice, Page } from '../ui/widgets';
import { DataTable } from '../ui/DataTable';

// Score sheets (考核方案): what is loaded, and — for the administrator — loading a head-office
// file, checked whole before anything is written.

export function SheetsPage() {
  const { t, locale } = useI18n();
  const session = useSession();
  const list = useQuery('appraisal.sheets.list', {});
  const check = useAction('appraisal.sheets.check');
  const load = useAction('appraisal.sheets.import');
  const [problems, setProblems] = useState<string[]>([]);
  const [refused, setRefused] = useState<string>();
  const [notice, setNotice] = useState<string>();

  // The back end words a refused file's problems in the caller's language: check again when it changes.
  useEffect(() => {
    if (refused === undefined) return;
    let current = true;
    void check.run({ text: refused }).then((plan) => {
      if (plan && current) setProblems(plan.problems);
    });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a language switch re-checks
  }, [locale]);

  async function onFile(file: File) {
    const text = await file.text();
    setNotice(undefined);
    const plan = await check.run({ text });
    if (!plan) return;
    if (!plan.ok) {
      setProblems(plan.problems);
      setRefused(text);
      return;
    }
    setProblems([]);
    setRefused(undefined);
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
      <DataTable
        label={t('appraisal.sheets.title')}
        rows={list.loading && !list.data ? undefined : (list.data?.rows ?? [])}
        rowKey={(r) => `${r.code}@${r.effectiveFrom}`}
        empty={t('appraisal.sheets.empty')}
        columns={[
          { id: 'code', header: t('appraisal.sheets.code'), value: (r) => r.code },
          { id: 'effectiveFrom', header: t('appraisal.sheets.effectiveFrom'), value: (r) => r.effectiveFrom },
          { id: 'name', header: t('appraisal.sheets.name'), value: (r) => r.name },
          { id: 'fullScore', header: t('appraisal.fullScore'), kind: 'number', value: (r) => r.fullScore },
          { id: 'areas', header: t('appraisal.sheets.areas'), kind: 'number', value: (r) => r.areas },
          { id: 'items', header: t('appraisal.sheets.items'), kind: 'number', value: (r) => r.items },
          { id: 'pay', header: t('appraisal.sheets.pay'), value: (r) => (r.pay.method === 'points' ? t('appraisal.payRule.points', { base: fenToYuan(r.pay.baseFen), full: r.fullScore }) : t('appraisal.payRule.pool', { pool: fenToYuan(r.pay.poolFen), remainder: '…' })) },
          { id: 'inForce', header: t('appraisal.sheets.inForce'), value: (r) => (r.inForce ? '✓' : '') },
          { id: 'importedAt', header: t('appraisal.entry.at'), className: 'nowrap', value: (r) => `${formatTime(r.importedAt)} ${r.importedBy ?? ''}` },
        ]}
      />
    </Page>
  );
}
