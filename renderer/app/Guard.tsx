import type { ReactNode } from 'react';
import type { Permission } from '../../shared/permissions';
import { useI18n } from './i18n';
import { useSession } from './session';

/** Shows a screen only to roles with the permission (the back end refuses the calls anyway). */
export function Guard({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { t } = useI18n();
  const session = useSession();
  if (!session.can(permission)) {
    return (
      <div className="banner banner-error" role="alert">
        {t('error.forbidden', { permission })}
      </div>
    );
  }
  return <>{children}</>;
}
