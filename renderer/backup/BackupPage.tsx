import { useState } from 'react';
import type { JobState } from '../../shared/contract';
import { runJob } from '../api/client';
import type { ApiError } from '../../shared/errors';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatBytes, formatTime } from '../ui/format';
import { ErrorBanner, JobBar, Notice, Page } from '../ui/widgets';
import { ApiFailure, call } from '../api/client';

export function BackupPage() {
  const { t } = useI18n();
  const session = useSession();
  const list = useQuery('backup.list', {});
  const [restoring, setRestoring] = useState(false);
  const [restoreError, setRestoreError] = useState<ApiError>();
  const [job, setJob] = useState<JobState>();
  const [running, setRunning] = useState(false);
  const [notice, setNotice] = useState<string>();

  async function backupNow() {
    setRunning(true);
    setNotice(undefined);
    try {
      const final = await runJob(() => call('backup.run'), setJob);
      const file = (final.result as { file?: string } | undefined)?.file;
      if (final.status === 'succeeded' && file) setNotice(t('backup.done', { file }));
      list.reload();
    } finally {
      setRunning(false);
    }
  }

  async function restoreFile(file: string) {
    if (!window.confirm(t('backup.restoreConfirm', { file }))) return;
    setRestoring(true);
    setRestoreError(undefined);
    try {
      // The back end lets go of the station file, replaces it and opens it again; everyone logs in anew.
      try {
        await call('backup.restore', { file });
      } catch (e) {
        const params = e instanceof ApiFailure ? e.error.params : undefined;
        if (!(e instanceof ApiFailure && e.error.code === 'conflict' && params && typeof params.backupStation === 'string')) throw e;
        // A backup of another station (restore.otherStation): ask, naming both stations.
        if (!window.confirm(t('restore.otherStationConfirm', params))) return;
        await call('backup.restore', { file, replaceStation: true });
      }
      session.setStaff(null);
      await session.refresh();
    } catch (e) {
      setRestoreError(e instanceof ApiFailure ? e.error : { code: 'internal', message: String((e as Error)?.message ?? e) });
    } finally {
      setRestoring(false);
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
      <ErrorBanner error={list.error ?? restoreError} />
      <h2>{t('backup.list')}</h2>
      <table className="table" aria-label={t('backup.list')}>
        <thead>
          <tr>
            <th>{t('backup.createdAt')}</th>
            <th>{t('backup.kind')}</th>
            <th>{t('backup.file')}</th>
            <th>{t('backup.size')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.rows ?? []).map((b) => (
            <tr key={b.file}>
              <td className="nowrap">{formatTime(b.createdAt)}</td>
              <td>{t(`backup.kind.${b.kind}`)}</td>
              <td className="mono">{b.file}</td>
              <td>{formatBytes(b.size)}</td>
              <td>
                <button type="button" onClick={() => void restoreFile(b.file)} disabled={restoring}>
                  {t('backup.restore')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data?.failed.length ? (
        <>
          <h2>{t('backup.failedList')}</h2>
          <table className="table" aria-label={t('backup.failedList')}>
            <thead>
              <tr>
                <th>{t('backup.createdAt')}</th>
                <th>{t('backup.kind')}</th>
                <th>{t('backup.file')}</th>
                <th>{t('backup.size')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.failed.map((b) => (
                <tr key={b.file}>
                  <td className="nowrap">{formatTime(b.createdAt)}</td>
                  <td>{t(`backup.kind.${b.kind}`)}</td>
                  <td className="mono">{b.file}</td>
                  <td>{formatBytes(b.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Page>
  );
}
