import { createHashRouter, RouterProvider } from 'react-router';
import { PrintFrame } from '../print/PrintFrame';
import { SetupPage } from '../station/SetupPage';
import { ChangePasswordPage } from '../staff/ChangePasswordPage';
import { LoginPage } from '../staff/LoginPage';
import { AREAS } from './areas';
import { HomePage } from './HomePage';
import { I18nProvider } from './i18n';
import { Layout } from './Layout';
import { SessionProvider } from './session';

// A hash router: the same build works from the web host and from the desktop shell's app://.
const router = createHashRouter([
  { path: '/setup', element: <SetupPage /> },
  { path: '/login', element: <LoginPage /> },
  { path: '/print', element: <PrintFrame />, children: AREAS.flatMap((a) => a.printRoutes ?? []) },
  {
    path: '/',
    element: <Layout />,
    children: [{ index: true, element: <HomePage /> }, { path: 'password', element: <ChangePasswordPage /> }, ...AREAS.flatMap((a) => a.routes)],
  },
]);

export function App() {
  return (
    <I18nProvider>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </I18nProvider>
  );
}
