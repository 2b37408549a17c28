import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import { customerPageSections } from '../customers/sections';
import { ArrearsPage } from './ArrearsPage';
import { ClosingPrint } from './ClosingPrint';
import { ClosingsPage } from './ClosingsPage';
import './collection.css';
import { CounterPage } from './CounterPage';
import { DayPage } from './DayPage';
import { NoticePrint } from './NoticePrint';
import { PaymentsSection } from './PaymentsSection';
import { ReceiptPrint } from './ReceiptPrint';
import { ReminderPrint } from './ReminderPrint';
import { ReversalsPage } from './ReversalsPage';
import { StationDayPrint } from './StationDayPrint';

// The customer page shows what the customer owes and their payments (缴费记录).
customerPageSections.push({ id: 'payments', title: 'collection.paymentsOfCustomer', order: 60, permission: 'collection.read', render: (p) => <PaymentsSection customerId={p.customer.id} /> });

export const collectionArea: AreaDef = {
  id: 'collection',
  nav: [
    { to: '/counter', label: 'nav.counter', permission: 'collection.pay', accessKey: 'c' },
    { to: '/collection/day', label: 'nav.day', permission: 'collection.read' },
    { to: '/collection/closings', label: 'nav.closings', permission: 'collection.read' },
    { to: '/collection/reversals', label: 'nav.reversals', permission: 'collection.read' },
    { to: '/arrears', label: 'nav.arrears', permission: 'arrears.read' },
  ],
  routes: [
    { path: 'counter', element: <Guard permission="collection.pay"><CounterPage /></Guard> },
    { path: 'collection/day', element: <Guard permission="collection.read"><DayPage /></Guard> },
    { path: 'collection/closings', element: <Guard permission="collection.read"><ClosingsPage /></Guard> },
    { path: 'collection/reversals', element: <Guard permission="collection.read"><ReversalsPage /></Guard> },
    { path: 'arrears', element: <Guard permission="arrears.read"><ArrearsPage /></Guard> },
  ],
  printRoutes: [
    { path: 'receipt/:receiptNo', element: <ReceiptPrint /> },
    { path: 'closing/:closingId', element: <ClosingPrint /> },
    { path: 'reminders/:batchId', element: <ReminderPrint /> },
    { path: 'notice/:noticeId', element: <NoticePrint /> },
    { path: 'station-day', element: <StationDayPrint /> },
  ],
};
