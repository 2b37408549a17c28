import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { jobResult, type ImportPreview, type JobState } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { call, runJob } from '../api/client';
import { useI18n } from '../app/i18n';
import { ErrorBanner, JobBar, Notice, Page } from '../ui/widgets';
import { fileBase64 } from './download';
import { DataTable } from '../ui/DataTable';

const jobError = (job: JobState): ApiError | undefined => (job.status === 'failed' ? { code: (job.error?.code ?? 'internal') as ApiError['code'], message: job.error?.message ?? '' } : undefined);

/** 导入客户: pick a workbook → every row checked, errors by row and column → commit the valid rows. */
export function ImportPage() {
  const { t } = useI18n();
  const [file, setFile] = useState<File>();
  const [checking, setChecking] = useState<JobState>();
  const [preview, setPreview] = useState<ImportPreview>();
  const [committing, setCommitting] = useState<JobState>();
  const [error, setError] = useState<ApiError>();
  const [done, setDone] = useState<string>();

  async function check(event: FormEvent) {
    event.preventDefault();
    if (!file) return;
    setPreview(undefined);
    setError(undefined);
    setDone(undefined);
    setCommitting(undefined);
    const base64 = await fileBase64(file);
    const finished = await runJob(() => call('customers.importPreview', { fileName: file.name, base64 }), setChecking).catch((e: { error?: ApiError }) => {
      setError(e.error);
      return undefined;
    });
    if (!finished) return;
    if (finished.status === 'succeeded') setPreview(jobResult('customers.importPreview', finished));
    else setError(jobError(finished));
  }

  async function commit() {
    if (!preview) return;
    setError(undefined);
    const finished = await runJob(() => call('customers.importCommit', { importId: preview.importId }), setCommitting).catch((e: { error?: ApiError }) => {
      setError(e.error);
      return undefined;
    });
    if (!finished) return;
    if (finished.status === 'succeeded') {
      const { customers, meters, batch } = jobResult('customers.importCommit', finished);
      setDone(t('customers.import.done', { customers, meters, batch }));
      setPreview(undefined);
    } else setError(jobError(finished));
  }

  return (
    <Page title={t('customers.import.title')}>
      <Notice>{done}</Notice>
      <ErrorBanner error={error} />
      <form className="card form" onSubmit={check} aria-label={t('customers.import.step1')}>
        <h2>{t('customers.import.step1')}</h2>
        <div className="field">
          <label htmlFor="import-file">{t('customers.import.file')}</label>
          <input id="import-file" type="file" accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" onChange={(e) => setFile(e.target.files?.[0])} />
        </div>
        <div className="buttons">
          <button type="submit" className="primary" disabled={!file || checking?.status === 'running'}>
            {checking?.status === 'running' ? t('customers.import.checking') : t('customers.import.check')}
          </button>
        </div>
        {checking?.status === 'running' ? <JobBar job={checking} label={t('customers.import.checking')} /> : null}
      </form>

      {preview ? (
        <section className="section card" aria-label={t('customers.import.step2')}>
          <h2>{t('customers.import.step2')}</h2>
          <p role="status">{t('customers.import.summary', { rows: preview.rows, valid: preview.validRows, customers: preview.customers, invalid: preview.invalidRows })}</p>
          {preview.resumes ? <p className="muted" role="note">{t('customers.import.resumes', { customers: preview.resumes.customers, rows: preview.resumes.rows })}</p> : null}
          {preview.issues.length ? (
            <DataTable
              label={t('customers.import.issues')}
              rows={preview.issues}
              rowKey={(_i, n) => String(n)}
              columns={[
                { id: 'row', header: t('customers.import.row'), kind: 'number', value: (i) => i.row },
                { id: 'column', header: t('customers.import.column'), value: (i) => i.column },
                { id: 'problem', header: t('customers.import.problem'), value: (i) => i.message },
              ]}
            />
          ) : null}
          {preview.sample.length ? (
            <details>
              <summary>{t('customers.import.sample', { count: preview.sample.length })}</summary>
              <ul>
                {preview.sample.map((s) => (
                  <li key={s.row}>
                    {s.row} · {s.accountNo || '—'} {s.name} · {s.address} · {s.meterNo}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
          <h2>{t('customers.import.step3')}</h2>
          <div className="buttons">
            <button type="button" className="primary" disabled={(preview.customers === 0 && !preview.resumes) || committing?.status === 'running'} onClick={() => void commit()}>
              {preview.customers === 0 ? t('customers.import.nothingValid') : t('customers.import.commit', { count: preview.validRows })}
            </button>
          </div>
        </section>
      ) : null}
      {committing ? <JobBar job={committing} label={t('customers.import.committing')} /> : null}
      <p>
        <Link to="/customers">{t('common.back')}</Link>
      </p>
    </Page>
  );
}
