import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import { StaffPage } from './StaffPage';

export const staffArea: AreaDef = {
  id: 'staff',
  nav: [{ to: '/staff', label: 'nav.staff', permission: 'staff.manage' }],
  routes: [{ path: 'staff', element: <Guard permission="staff.manage"><StaffPage /></Guard> }],
};
