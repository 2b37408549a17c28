import { lazy, Suspense } from 'react';
import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import './appraisal.css';
import { MinePage } from './MinePage';
import { MonthPrint } from './MonthPrint';
import { SheetPage } from './SheetPage';
import { SheetPrint } from './SheetPrint';
import { SheetsPage } from './SheetsPage';
import { SummaryPage } from './SummaryPage';

// The trend charts load ECharts only when opened, so the rest of the app does not carry it.
const TrendPage = lazy(() => import('./TrendPage').then((m) => ({ default: m.TrendPage })));
const TrendPrint = lazy(() => import('./TrendPage').then((m) => ({ default: m.TrendPrint })));

export const appraisalArea: AreaDef = {
  id: 'appraisal',
  nav: [
    { to: '/appraisal', label: 'nav.appraisal', permission: 'appraisal.manage' },
    { to: '/appraisal/mine', label: 'nav.appraisalMine', permission: 'appraisal.read' },
    { to: '/appraisal/sheets', label: 'nav.appraisalSheets', permission: 'appraisal.sheets' },
  ],
  routes: [
    { path: 'appraisal', element: <Guard permission="appraisal.manage"><SummaryPage /></Guard> },
    { path: 'appraisal/mine', element: <Guard permission="appraisal.read"><MinePage /></Guard> },
    { path: 'appraisal/sheets', element: <SheetsPage /> },
    { path: 'appraisal/sheet/:period/:staffNo', element: <Guard permission="appraisal.read"><SheetPage /></Guard> },
    { path: 'appraisal/trend/:staffNo', element: <Guard permission="appraisal.read"><Suspense fallback={null}><TrendPage /></Suspense></Guard> },
  ],
  printRoutes: [
    { path: 'appraisal/:period/:staffNo', element: <SheetPrint /> },
    { path: 'appraisal-month/:period', element: <MonthPrint /> },
    { path: 'appraisal-trend/:staffNo', element: <Suspense fallback={null}><TrendPrint /></Suspense> },
  ],
};
