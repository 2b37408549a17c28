import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import { OrderPage } from './OrderPage';
import { OrdersPage } from './OrdersPage';
import { VisitsPage } from './VisitsPage';

// Customer service (客户服务): orders and return visits on screen. Segments and the report are on the CLI for now
// (docs/service.md "Not done yet").
export const serviceArea: AreaDef = {
  id: 'service',
  nav: [
    { to: '/service/orders', label: 'nav.serviceOrders', permission: 'service.read' },
    { to: '/service/visits', label: 'nav.serviceVisits', permission: 'service.read' },
  ],
  routes: [
    { path: 'service/orders', element: <Guard permission="service.read"><OrdersPage /></Guard> },
    { path: 'service/orders/:orderNo', element: <Guard permission="service.read"><OrderPage /></Guard> },
    { path: 'service/visits', element: <Guard permission="service.read"><VisitsPage /></Guard> },
  ],
  printRoutes: [],
};
