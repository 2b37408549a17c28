import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import './billing.css';
import { BillingRunPage } from './BillingRunPage';
import { BillPage } from './BillPage';
import { BillsPage } from './BillsPage';
import { CorrectionsPage } from './CorrectionsPage';
import { customerPageSections } from '../customers/sections';
import { CustomerBills } from './CustomerBills';
import { NoticesPrint } from './NoticesPrint';
import { SummaryPage } from './SummaryPage';
import { TariffsPage } from './TariffsPage';

export const billingArea: AreaDef = {
  id: 'billing',
  nav: [
    { to: '/billing', label: 'nav.billing', permission: 'billing.run', accessKey: 'h' },
    { to: '/bills', label: 'nav.bills', permission: 'billing.read', accessKey: 'd' },
    { to: '/billing/corrections', label: 'nav.corrections', permission: 'billing.read' },
    { to: '/billing/summary', label: 'nav.billingSummary', permission: 'billing.read' },
    { to: '/tariffs', label: 'nav.tariffs', permission: 'tariffs.read' },
  ],
  routes: [
    { path: 'billing', element: <Guard permission="billing.read"><BillingRunPage /></Guard> },
    { path: 'billing/corrections', element: <Guard permission="billing.read"><CorrectionsPage /></Guard> },
    { path: 'billing/summary', element: <Guard permission="billing.read"><SummaryPage /></Guard> },
    { path: 'bills', element: <Guard permission="billing.read"><BillsPage /></Guard> },
    { path: 'bills/:billNo', element: <Guard permission="billing.read"><BillPage /></Guard> },
    { path: 'tariffs', element: <Guard permission="tariffs.read"><TariffsPage /></Guard> },
  ],
  printRoutes: [{ path: 'bill-notices', element: <NoticesPrint /> }],
};

// The customer page's "bills" section (电费账单): bills with their lines, balance and ledger.
customerPageSections.push({
  id: 'bills',
  title: 'billing.customerSection',
  order: 40,
  permission: 'billing.read',
  render: ({ customer }) => <CustomerBills customerId={customer.id} />,
});
