import { Link } from 'react-router';
import type { HomeCard, HomeFigure } from '../../shared/contract/home';
import { hasMessage, type MessageKey } from '../../shared/i18n';
import { useQuery } from '../api/hooks';
import { formatTime, formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { useI18n } from './i18n';
import { useSession } from './session';
import { AREAS } from './areas';
import { ServiceHomeCard } from '../service/HomeCard';

// The home page (首页): the caller's cards from `home.summary` (which cards, and their figures,
// are decided in the back end by role: electron/backend/home/cards.ts), then the menu as tiles.

export function HomePage() {
  const { t } = useI18n();
  const { staff, info, can } = useSession();
  const summary = useQuery('home.summary', {}, { enabled: Boolean(staff) });
  if (!staff) return null;
  const items = AREAS.flatMap((a) => a.nav).filter((n) => can(n.permission));
  const cards = summary.data?.cards ?? [];
  return (
    <section className="page">
      <h1>{t('home.title', { name: staff.name })}</h1>
      {info?.station ? <p className="muted">{t('home.station', info.station)}</p> : null}
      <p>{t('home.roles', { roles: staff.roles.map((r) => t(`role.${r}`)).join('、') })}</p>
      <ErrorBanner error={summary.error} />
      {cards.length > 0 ? (
        <div className="home-cards" aria-label={t('home.cards')} role="list">
          {cards.map((card) => (
            <HomeCardView key={card.id} card={card} />
          ))}
        </div>
      ) : null}
      <ServiceHomeCard />
      {items.length === 0 ? <p className="muted">{t('home.nothingYet')}</p> : null}
      <h2>{t('home.menu')}</h2>
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

/** A dictionary key from the back end; an unknown one is shown as it is rather than failing. */
function useText() {
  const { t } = useI18n();
  return (key: string, params?: Record<string, string | number>) => (hasMessage(key) ? t(key as MessageKey, params) : key);
}

function HomeCardView({ card }: { card: HomeCard }) {
  const text = useText();
  const title = text(card.title, card.titleParams);
  return (
    <section className="card home-card" role="listitem" aria-label={title} data-card={card.id}>
      <h2>
        <Link to={card.link}>{title}</Link>
      </h2>
      {card.figures.length > 0 ? (
        <dl className="home-figures">
          {card.figures.map((f) => (
            <div key={f.label} className={f.attention && typeof f.value === 'number' && f.value > 0 ? 'attention' : undefined}>
              <dt>{text(f.label)}</dt>
              <dd data-figure={f.label}>{f.link ? <Link to={f.link}>{figureText(f, text)}</Link> : figureText(f, text)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {card.items.length > 0 ? (
        <ul className="home-items">
          {card.items.map((item) => (
            <li key={item.text}>
              {item.link ? <Link to={item.link}>{item.text}</Link> : item.text}{' '}
              <progress max={item.total} value={item.done} aria-label={item.text} /> {text('home.progress', { done: item.done, total: item.total })}
              {item.note ? <span className="badge"> {text(item.note, item.noteParams)}</span> : null}
            </li>
          ))}
        </ul>
      ) : card.empty ? (
        <p className="muted">{text(card.empty)}</p>
      ) : null}
    </section>
  );
}

function figureText(f: HomeFigure, text: (key: string) => string): string {
  if (f.value === null) return f.kind === 'time' ? text('home.never') : '—';
  switch (f.kind) {
    case 'money':
      return formatYuan(Number(f.value));
    case 'time':
      return formatTime(Number(f.value));
    case 'status':
      return text(String(f.value));
    default:
      return String(f.value);
  }
}
