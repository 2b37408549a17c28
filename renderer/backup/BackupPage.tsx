import { useState } from 'react';
import { jobResult, type JobState } from '../../shared/contract';
import { runJob } from '../api/client';
import type { ApiError } from '../../shared/errors';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatBytes } from '../ui/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorBanner, JobBar, Notice, Page } from '../ui/widgets';
import { ApiFailure, call } from '../api/client';
import { DataTable } from '../ui/DataTable';

export function BackupPage() {
  const { t } = useI18n();
  const session = useSession();
  const list = useQuery('backup.list', {});
    const [job, setJob] = useState<JobState>();
  const [running, setRunning] = useState(false);
  const [notice, setNotice] = useState<string>();

  async function backupNow() {
    setRunning(true);
    setNotice(undefined);
    try {
      const final = await runJob(() => call('backup.run'), setJob);
      if (final.status === 'succeeded') setNotice(t('backup.done', { file: jobResult('backup', final).file }));
      list.reload();
    } finally {
      setRunning(false);
    }
  }

  // Restoring replaces the station's data: it goes through the confirmation.
  const [restoring, setRestoring] = useState<string | null>(null);
  // A backup of another station (restore.otherStation) asks a second time, naming both stations.
  const [otherStation, setOtherStation] = useState<{ file: string; params: Record<string, string | number> } | null>(null);
  const [pending, setPending] = useState(false);
  const [restoreError, setRestoreError] = useState<ApiError>();
  async function restoreFile(file: string, replaceStation = false) {
    setPending(true);
    setRestoreError(undefined);
    try {
      // The back end lets go of the station file, replaces it and opens it again; everyone logs in anew.
      await call('backup.restore', replaceStation ? { file, replaceStation: true } : { file });
      setRestoring(null);
      setOtherStation(null);
      session.setStaff(null);
      await session.refresh();
    } catch (e) {
      const params = e instanceof ApiFailure ? e.error.params : undefined;
      if (!replaceStation && e instanceof ApiFailure && e.error.code === 'conflict' && params && typeof params.backupStation === 'string') {
        setRestoring(null);
        setOtherStation({ file, params });
      } else {
        setRestoreError(e instanceof ApiFailure ? e.error : { code: 'internal', message: String((e as Error)?.message ?? e) });
      }
    } finally {
      setPending(false);
    }
  }

  return (
    <Page
      title={t('backup.title')}
      actions={
        <button type="button" className="primary" onClick={() => void backupNow()} disabled={running}>
          {running ? t('backup.running') : t('backup.run')}
        </button>
      }
    >
      <p className="muted">{t('backup.keep')}</p>
      <JobBar job={job} label={t('backup.running')} />
      <Notice>{notice}</Notice>
      <ErrorBanner error={list.error ?? (restoring || otherStation ? undefined : restoreError)} />
      <h2>{t('backup.list')}</h2>
      <DataTable
        label={t('backup.list')}
        rows={list.data?.rows}
        rowKey={(b) => b.file}
        columns={[
          { id: 'createdAt', header: t('backup.createdAt'), kind: 'time', value: (b) => b.createdAt },
          { id: 'kind', header: t('backup.kind'), value: (b) => t(`backup.kind.${b.kind}`) },
          { id: 'file', header: t('backup.file'), value: (b) => b.file, className: 'mono' },
          { id: 'size', header: t('backup.size'), kind: 'number', value: (b) => b.size, render: (b) => formatBytes(b.size) },
          {
            id: 'actions',
            header: t('common.actions'),
            render: (b) => (
              <button type="button" onClick={() => setRestoring(b.file)} disabled={pending}>
                {t('backup.restore')}
              </button>
            ),
          },
        ]}
      />
      {list.data?.failed.length ? (
        <>
          <h2>{t('backup.failedList')}</h2>
          <DataTable
            label={t('backup.failedList')}
            rows={list.data.failed}
            rowKey={(b) => b.file}
            columns={[
              { id: 'createdAt', header: t('backup.createdAt'), kind: 'time', value: (b) => b.createdAt },
              { id: 'kind', header: t('backup.kind'), value: (b) => t(`backup.kind.${b.kind}`) },
              { id: 'file', header: t('backup.file'), value: (b) => b.file, className: 'mono' },
              { id: 'size', header: t('backup.size'), kind: 'number', value: (b) => b.size, render: (b) => formatBytes(b.size) },
            ]}
          />
        </>
      ) : null}
      {restoring ? (
        <ConfirmDialog open title={t('backup.restore')} confirmLabel={t('backup.restore')} danger pending={pending} error={restoreError} onCancel={() => setRestoring(null)} onConfirm={() => void restoreFile(restoring)}>
          <p>{t('backup.restoreConfirm', { file: restoring })}</p>
        </ConfirmDialog>
      ) : null}
      {otherStation ? (
        <ConfirmDialog open title={t('backup.restore')} confirmLabel={t('backup.restore')} danger pending={pending} error={restoreError} onCancel={() => setOtherStation(null)} onConfirm={() => void restoreFile(otherStation.file, true)}>
          <p>{t('restore.otherStationConfirm', otherStation.params)}</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
