import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import { BackupPage } from './BackupPage';

export const backupArea: AreaDef = {
  id: 'backup',
  nav: [{ to: '/backup', label: 'nav.backup', permission: 'backup.run' }],
  routes: [{ path: 'backup', element: <Guard permission="backup.run"><BackupPage /></Guard> }],
};
