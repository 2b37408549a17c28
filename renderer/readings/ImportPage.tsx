import { useState, type FormEvent } from 'react';
import { jobResult, type ReadingImportCommitResult, type ReadingImportPreview, type JobState } from '../../shared/contract';
import { formatCenti } from '../../shared/money';
import { flagMessage } from '../../shared/readings';
import { call, runJob } from '../api/client';
import { useI18n } from '../app/i18n';
import { fileBase64 } from '../customers/download';
import { ErrorBanner, JobBar, Notice, Page } from '../ui/widgets';
import { PeriodPicker, usePeriod } from './PeriodPicker';
import { DataTable } from '../ui/DataTable';

/** Handheld file import (抄表机导入): choose the file, see every row's check, then commit the valid ones. */
export function ImportPage() {
  const { t, locale } = useI18n();
  const [period, setPeriod, periods] = usePeriod();
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<JobState>();
  const [preview, setPreview] = useState<ReadingImportPreview>();
  const [result, setResult] = useState<ReadingImportCommitResult>();
  const [confirmRollovers, setConfirmRollovers] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  async function check(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(undefined);
    setPreview(undefined);
    setResult(undefined);
    try {
      const base64 = await fileBase64(file);
      const final = await runJob(() => call('readings.importPreview', { period, fileName: file.name, base64 }), setJob);
      if (final.status === 'succeeded') setPreview(jobResult('readings.importPreview', final));
      else setError(final.error?.message);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function commit() {
    if (!preview) return;
    setBusy(true);
    setError(undefined);
    try {
      const final = await runJob(() => call('readings.importCommit', { previewId: preview.previewId, confirmRollovers }), setJob);
      if (final.status === 'succeeded') {
        setResult(jobResult('readings.importCommit', final));
        setPreview(undefined);
      } else setError(final.error?.message);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const toSave = preview ? preview.ok + preview.flagged + (confirmRollovers ? preview.confirm : 0) : 0;
  return (
    <Page title={t('import.title')}>
      <form className="card form" onSubmit={check} aria-label={t('import.title')}>
        <PeriodPicker period={period} periods={periods.filter((p) => p.status === 'open')} onChange={setPeriod} />
        <div className="field">
          <label htmlFor="import-file">{t('import.file')}</label>
          <input id="import-file" type="file" accept=".xlsx" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <small className="hint">{t('import.fileHint')}</small>
        </div>
        <button type="submit" className="primary" disabled={!file || !period || busy}>
          {t('import.preview')}
        </button>
      </form>
      <JobBar job={busy ? job : undefined} label={t('common.working')} />
      <ErrorBanner error={error ? { code: 'validation', message: error } : undefined} />
      {result ? <Notice>{t('import.saved', { saved: result.saved, skipped: result.skipped })}</Notice> : null}
      {preview ? (
        <section aria-label={t('import.previewTitle')}>
          <h2>{t('import.previewTitle')}</h2>
          <p role="status">{t('import.summary', { rows: preview.rows, ok: preview.ok, flagged: preview.flagged, confirm: preview.confirm, errors: preview.errors })}</p>
          {preview.lines.length > 0 ? (
            <DataTable
              label={t('import.problems')}
              rows={preview.lines}
              rowKey={(line) => String(line.row)}
              rowClassName={(line) => (line.status === 'error' ? 'error-row' : undefined)}
              columns={[
                { id: 'row', header: t('import.row'), kind: 'number', value: (line) => line.row },
                { id: 'account', header: t('import.column.account'), value: (line) => line.accountNo, className: 'mono' },
                { id: 'meter', header: t('import.column.meter'), value: (line) => line.meterNo, className: 'mono' },
                { id: 'value', header: t('import.column.value'), kind: 'number', value: (line) => line.value },
                { id: 'status', header: t('common.status'), value: (line) => t(`import.status.${line.status}`) },
                {
                  id: 'what',
                  header: t('import.what'),
                  value: (line) =>
                    line.status === 'error'
                      ? line.errors.map((e) => `${e.column}：${e.message}`).join('；')
                      : line.status === 'confirm'
                        ? t('entry.rolloverOffered', { consumption: formatCenti(line.consumption ?? 0) })
                        : line.flags.map((f) => flagMessage(locale, f)).join('；'),
                },
              ]}
            />
          ) : null}
          {preview.confirm > 0 ? (
            <label className="check">
              <input type="checkbox" checked={confirmRollovers} onChange={(e) => setConfirmRollovers(e.target.checked)} />
              {t('import.confirmRollovers', { count: preview.confirm })}
            </label>
          ) : null}
          <div className="buttons">
            <button type="button" className="primary" onClick={() => void commit()} disabled={busy || toSave === 0}>
              {t('import.commit', { count: toSave })}
            </button>
          </div>
        </section>
      ) : null}
    </Page>
  );
}
