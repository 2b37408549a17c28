import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import { AuditPage } from './AuditPage';

export const auditArea: AreaDef = {
  id: 'audit',
  nav: [{ to: '/audit', label: 'nav.audit', permission: 'audit.read' }],
  routes: [{ path: 'audit', element: <Guard permission="audit.read"><AuditPage /></Guard> }],
};
