import { createHashRouter, RouterProvider } from 'react-router';
import { PrintFrame } from '../print/PrintFrame';
import { SetupPage } from '../station/SetupPage';
import { ChangePasswordPage } from '../staff/ChangePasswordPage';
import { LoginPage } from '../staff/LoginPage';
import { AREAS } from './areas';
import { HomePage } from './HomePage';
import { I18nProvider } from './i18n';
import { Layout } from './Layout';
import { NotFoundPage, RouteErrorPage } from './NotFound';
import { SessionProvider } from './session';

// A hash router: the same build works from the web host and from the desktop shell's app://.
const router = createHashRouter([
  { path: '/setup', element: <SetupPage />, errorElement: <RouteErrorPage /> },
  { path: '/login', element: <LoginPage />, errorElement: <RouteErrorPage /> },
  { path: '/print', element: <PrintFrame />, errorElement: <RouteErrorPage />, children: AREAS.flatMap((a) => a.printRoutes ?? []) },
  {
    path: '/',
    element: <Layout />,
    errorElement: <RouteErrorPage />,
    children: [
      { index: true, element: <HomePage /> },
      { path: 'password', element: <ChangePasswordPage /> },
      ...AREAS.flatMap((a) => a.routes),
      // Any other address: an app page inside the frame (menu kept), not the router's developer page.
      { path: '*', element: <NotFoundPage /> },
    ],
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
