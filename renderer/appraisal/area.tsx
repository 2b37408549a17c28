import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import './appraisal.css';
import { MinePage } from './MinePage';
import { MonthPrint } from './MonthPrint';
import { SheetPage } from './SheetPage';
import { SheetPrint } from './SheetPrint';
import { SheetsPage } from './SheetsPage';
import { SummaryPage } from './SummaryPage';
import { TrendPage, TrendPrint } from './TrendPage';

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
    { path: 'appraisal/trend/:staffNo', element: <Guard permission="appraisal.read"><TrendPage /></Guard> },
  ],
  printRoutes: [
    { path: 'appraisal/:period/:staffNo', element: <SheetPrint /> },
    { path: 'appraisal-month/:period', element: <MonthPrint /> },
    { path: 'appraisal-trend/:staffNo', element: <TrendPrint /> },
  ],
};
