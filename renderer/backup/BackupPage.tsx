import { useState } from 'react';
import type { JobState } from '../../shared/contract';
import { runJob } from '../api/client';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatBytes, formatTime } from '../ui/format';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { ErrorBanner, JobBar, Notice, Page } from '../ui/widgets';
import { call } from '../api/client';

export function BackupPage() {
  const { t } = useI18n();
  const session = useSession();
  const list = useQuery('backup.list', {});
  const restore = useAction('backup.restore');
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

  // Restoring replaces the station's data: it goes through the confirmation.
  const [restoring, setRestoring] = useState<string | null>(null);
  async function restoreFile(file: string) {
    if (await restore.run({ file })) {
      setRestoring(null);
      session.setStaff(null);
      await session.refresh();
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
      <ErrorBanner error={list.error ?? restore.error} />
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
                <button type="button" onClick={() => setRestoring(b.file)} disabled={restore.pending}>
                  {t('backup.restore')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {restoring ? (
        <ConfirmDialog open title={t('backup.restore')} confirmLabel={t('backup.restore')} danger pending={restore.pending} error={restore.error} onCancel={() => setRestoring(null)} onConfirm={() => void restoreFile(restoring)}>
          <p>{t('backup.restoreConfirm', { file: restoring })}</p>
        </ConfirmDialog>
      ) : null}
    </Page>
  );
}
