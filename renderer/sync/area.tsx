import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import { SyncPage } from './SyncPage';

export const syncArea: AreaDef = {
  id: 'sync',
  nav: [{ to: '/sync', label: 'nav.sync', permission: 'sync.read' }],
  routes: [{ path: 'sync', element: <Guard permission="sync.read"><SyncPage /></Guard> }],
};
