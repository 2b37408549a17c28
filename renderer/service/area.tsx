import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import { OrderPage } from './OrderPage';
import { OrdersPage } from './OrdersPage';
import { VisitsPage } from './VisitsPage';
import { RemindersPrint } from './RemindersPrint';
import { ReportPage } from './ReportPage';
import { SegmentsPage } from './SegmentsPage';
import { HeadFilesPage } from './HeadFilesPage';

// Customer service (客户服务): work orders, return visits, customer segments with their service lists, the report.
export const serviceArea: AreaDef = {
  id: 'service',
  nav: [
    { to: '/service/orders', label: 'nav.serviceOrders', permission: 'service.read' },
    { to: '/service/visits', label: 'nav.serviceVisits', permission: 'service.read' },
    { to: '/service/segments', label: 'nav.serviceSegments', permission: 'service.read' },
    { to: '/service/report', label: 'nav.serviceReport', permission: 'service.read' },
    { to: '/service/files', label: 'nav.serviceFiles', permission: 'service.manage' },
  ],
  routes: [
    { path: 'service/orders', element: <Guard permission="service.read"><OrdersPage /></Guard> },
    { path: 'service/orders/:orderNo', element: <Guard permission="service.read"><OrderPage /></Guard> },
    { path: 'service/visits', element: <Guard permission="service.read"><VisitsPage /></Guard> },
    { path: 'service/segments', element: <Guard permission="service.read"><SegmentsPage /></Guard> },
    { path: 'service/report', element: <Guard permission="service.read"><ReportPage /></Guard> },
    { path: 'service/files', element: <Guard permission="service.manage"><HeadFilesPage /></Guard> },
  ],
  printRoutes: [{ path: 'service-reminders/:period', element: <RemindersPrint /> }],
};
