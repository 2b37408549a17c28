import type { AreaDef } from '../app/area';
import { Guard } from '../app/Guard';
import { customerPageSections } from '../customers/sections';
import { CustomerReadings } from './CustomerReadings';
import { BookPage } from './BookPage';
import { BooksPage } from './BooksPage';
import { EntryGridPage } from './EntryGridPage';
import { EntryHomePage } from './EntryHomePage';
import { ImportPage } from './ImportPage';
import { OverviewPage } from './OverviewPage';
import { ReadingSheetPrint } from './ReadingSheetPrint';
import { ReviewPage } from './ReviewPage';

export const readingsArea: AreaDef = {
  id: 'readings',
  nav: [
    { to: '/readings', label: 'nav.readingEntry', permission: 'readings.enter', accessKey: 'r' },
    { to: '/readings/review', label: 'nav.readingReview', permission: 'readings.review' },
    { to: '/readings/overview', label: 'nav.readingOverview', permission: 'readings.read' },
    { to: '/readings/books', label: 'nav.books', permission: 'readings.manage' },
  ],
  routes: [
    { path: 'readings', element: <Guard permission="readings.read"><EntryHomePage /></Guard> },
    { path: 'readings/entry/:period/:bookId', element: <Guard permission="readings.read"><EntryGridPage /></Guard> },
    { path: 'readings/import', element: <Guard permission="readings.enter"><ImportPage /></Guard> },
    { path: 'readings/review', element: <Guard permission="readings.review"><ReviewPage /></Guard> },
    { path: 'readings/overview', element: <Guard permission="readings.read"><OverviewPage /></Guard> },
    { path: 'readings/books', element: <Guard permission="readings.manage"><BooksPage /></Guard> },
    { path: 'readings/books/:bookId', element: <Guard permission="readings.manage"><BookPage /></Guard> },
  ],
  printRoutes: [{ path: 'readings/sheet/:period/:bookId', element: <ReadingSheetPrint /> }],
};

// The customer page's readings section (抄表记录).
customerPageSections.push({ id: 'readings', title: 'customerReadings.title', order: 20, permission: 'readings.read', render: (p) => <CustomerReadings {...p} /> });
