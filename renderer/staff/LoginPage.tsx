import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { useAction } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ErrorBanner, Field, Notice } from '../ui/widgets';

export function LoginPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const login = useAction('auth.login');
  const [staffNo, setStaffNo] = useState('');
  const [password, setPassword] = useState('');
  if (session.info && !session.info.setUp) return <Navigate to="/setup" replace />;
  if (session.staff) return <Navigate to="/" replace />;
  const notice = (location.state as { notice?: string } | null)?.notice;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await login.run({ staffNo, password });
    if (result) {
      setPassword('');
      session.setStaff(result.staff);
      navigate(result.staff.mustChangePassword ? '/password' : '/', { replace: true });
    }
  }

  return (
    <main className="centered">
      <form className="card form" onSubmit={submit}>
        <h1>{t('login.title')}</h1>
        {session.info?.station ? <p className="muted">{t('home.station', session.info.station)}</p> : null}
        <Notice>{notice}</Notice>
        <ErrorBanner error={login.error} />
        <Field label={t('login.staffNo')} value={staffNo} onChange={(e) => setStaffNo(e.target.value)} required autoFocus autoComplete="username" />
        <Field label={t('login.password')} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="current-password" />
        <button type="submit" className="primary" disabled={login.pending}>
          {login.pending ? t('common.working') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}
