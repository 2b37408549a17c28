import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import { EditCustomerPage, NewCustomerPage } from './CustomerForm';
import { CustomerListPage } from './CustomerListPage';
import { CustomerPage } from './CustomerPage';
import { ImportPage } from './ImportPage';

export const customersArea: AreaDef = {
  id: 'customers',
  nav: [{ to: '/customers', label: 'nav.customers', permission: 'customers.read', accessKey: 'k' }],
  routes: [
    { path: 'customers', element: <Guard permission="customers.read"><CustomerListPage /></Guard> },
    { path: 'customers/new', element: <Guard permission="customers.write"><NewCustomerPage /></Guard> },
    { path: 'customers/import', element: <Guard permission="customers.write"><ImportPage /></Guard> },
    { path: 'customers/:customerId', element: <Guard permission="customers.read"><CustomerPage /></Guard> },
    { path: 'customers/:customerId/edit', element: <Guard permission="customers.write"><EditCustomerPage /></Guard> },
  ],
};
