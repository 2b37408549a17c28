import { Link } from 'react-router';
import { useI18n } from './i18n';
import { useSession } from './session';
import { AREAS } from './areas';
import { ServiceHomeCard } from '../service/HomeCard';

export function HomePage() {
  const { t } = useI18n();
  const { staff, info, can } = useSession();
  if (!staff) return null;
  const items = AREAS.flatMap((a) => a.nav).filter((n) => can(n.permission));
  return (
    <section className="page">
      <h1>{t('home.title', { name: staff.name })}</h1>
      {info?.station ? <p className="muted">{t('home.station', info.station)}</p> : null}
      <p>{t('home.roles', { roles: staff.roles.map((r) => t(`role.${r}`)).join('、') })}</p>
      <ServiceHomeCard />
      {items.length === 0 ? <p className="muted">{t('home.nothingYet')}</p> : null}
      <nav className="tiles" aria-label={t('nav.home')}>
        {items.map((item) => (
          <Link key={item.to} to={item.to} className="tile">
            {t(item.label)}
          </Link>
        ))}
      </nav>
    </section>
  );
}
