import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime } from '../ui/format';

/**
 * Tells the administrator and the station head, on every page, when the newest backup failed
 * its integrity check (备份校验失败): the live file is damaged, and what to do about it.
 */
export function BackupHealthBanner() {
  const { t } = useI18n();
  const session = useSession();
  const allowed = session.can('audit.read');
  const health = useQuery('backup.health', {}, { enabled: allowed });
  if (!allowed || !health.data?.damaged) return null;
  return (
    <div className="banner banner-error" role="alert">
      {t('backup.damaged', {
        time: health.data.failedAt ? formatTime(health.data.failedAt) : '',
        file: health.data.failedFile ?? '',
        lastGood: health.data.lastGood ?? t('backup.noGood'),
      })}
    </div>
  );
}
