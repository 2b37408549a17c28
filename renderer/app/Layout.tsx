import { Link, Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { LOCALES } from '../../shared/i18n';
import { call } from '../api/client';
import { BackupHealthBanner } from '../backup/HealthBanner';
import { useI18n } from './i18n';
import { useSession } from './session';
import { AREAS } from './areas';
import { ShortcutHelp } from './ShortcutHelp';

/** The application frame: menu on the left, the screen on the right. Sends strangers to login. */
export function Layout() {
  const { t, locale, setLocale } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  if (!session.loaded) return <p className="centered muted">{t('app.loading')}</p>;
  if (session.failed || !session.info) {
    return (
      <main className="centered">
        <p role="alert">{t('app.offline')}</p>
        <button type="button" onClick={() => void session.refresh()}>
          {t('app.retry')}
        </button>
      </main>
    );
  }
  if (!session.info.setUp) return <Navigate to="/setup" replace />;
  if (!session.staff) return <Navigate to="/login" replace />;
  if (session.staff.mustChangePassword && location.pathname !== '/password') return <Navigate to="/password" replace />;

  const items = AREAS.flatMap((a) => a.nav).filter((n) => session.can(n.permission));
  // One entry lit: the one whose path is the longest prefix of where the user is (/readings is
  // a prefix of /readings/overview, which has its own entry).
  const within = (to: string) => location.pathname === to || location.pathname.startsWith(`${to}/`);
  const current = items.filter((n) => within(n.to)).sort((a, b) => b.to.length - a.to.length)[0]?.to;
  async function logout() {
    await call('auth.logout').catch(() => undefined);
    session.setStaff(null);
    navigate('/login', { replace: true });
  }

  return (
    <div className="frame">
      <aside className="sidebar">
        <div className="brand">
          <strong>{t('app.name')}</strong>
          <span>{session.info.station ? `${session.info.station.code} ${session.info.station.name}` : ''}</span>
        </div>
        <nav aria-label={t('nav.menu')}>
          <NavLink to="/" end>
            {t('nav.home')}
          </NavLink>
          {items.map((item) => (
            <Link
              key={item.to}
              to={item.to}
              accessKey={item.accessKey}
              aria-keyshortcuts={item.accessKey ? `Alt+${item.accessKey.toUpperCase()}` : undefined}
              title={item.accessKey ? t('shortcuts.menuKey', { key: item.accessKey.toUpperCase() }) : undefined}
              className={item.to === current ? 'active' : undefined}
              aria-current={item.to === current ? 'page' : undefined}
            >
              {t(item.label)}
              {/* The Alt+letter key shown beside the entry (the accessible name stays the entry's words). */}
              {item.accessKey ? (
                <kbd className="menu-key" aria-hidden="true">
                  Alt+{item.accessKey.toUpperCase()}
                </kbd>
              ) : null}
            </Link>
          ))}
        </nav>
        <div className="sidebar-foot">
          <span className="who">{t('nav.signedInAs', { name: session.staff.name, staffNo: session.staff.staffNo })}</span>
          <NavLink to="/password">{t('nav.password')}</NavLink>
          <button type="button" className="link" onClick={() => void logout()}>
            {t('nav.logout')}
          </button>
          <label className="lang">
            {t('app.language')}
            <select value={locale} onChange={(e) => setLocale(e.target.value as (typeof LOCALES)[number])}>
              <option value="zh-CN">中文</option>
              <option value="en">English</option>
            </select>
          </label>
        </div>
      </aside>
      <main className="content">
        <BackupHealthBanner />
        <Outlet />
        <ShortcutHelp />
      </main>
    </div>
  );
}
