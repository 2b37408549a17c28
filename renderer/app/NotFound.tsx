import { Link, useLocation, useRouteError } from 'react-router';
import { useI18n } from './i18n';

// An address the app does not have (a typed or stale link such as /#/appraisal), and any error a
// screen throws while rendering: an app page in the user's language with a way back, instead of
// the router's developer page.

export function NotFoundPage() {
  const { t } = useI18n();
  const location = useLocation();
  return (
    <section className="page" role="alert" aria-label={t('front.notFound.title')}>
      <header className="page-header">
        <h1>{t('front.notFound.title')}</h1>
      </header>
      <p>{t('front.notFound.text', { path: location.pathname })}</p>
      <p>
        <Link to="/">{t('front.backHome')}</Link>
      </p>
    </section>
  );
}

export function RouteErrorPage() {
  const { t } = useI18n();
  const error = useRouteError();
  const detail = error instanceof Error ? error.message : typeof error === 'object' && error && 'statusText' in error ? String((error as { statusText: unknown }).statusText) : String(error ?? '');
  return (
    <main className="centered" role="alert">
      <h1>{t('front.routeError.title')}</h1>
      <p>{t('front.routeError.text')}</p>
      {detail ? <p className="muted mono">{detail}</p> : null}
      <p>
        <a href="#/">{t('front.backHome')}</a>
      </p>
    </main>
  );
}
