import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useAction } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ErrorBanner, Field, Notice, Page } from '../ui/widgets';

export function ChangePasswordPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const change = useAction('auth.changePassword');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  const forced = session.staff?.mustChangePassword === true;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (next !== again) return setMismatch(true);
    setMismatch(false);
    if (await change.run({ current, next })) {
      setCurrent('');
      setNext('');
      setAgain('');
      setDone(true);
      await session.refresh();
      if (forced) navigate('/', { replace: true });
    }
  }

  return (
    <Page title={t('password.title')}>
      <form className="form narrow" onSubmit={submit}>
        {forced ? <div className="banner banner-warn">{t('login.mustChange')}</div> : null}
        <Notice>{done ? t('password.changed') : null}</Notice>
        <ErrorBanner error={change.error} />
        <Field label={t('password.current')} type="password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoFocus autoComplete="current-password" />
        <Field label={t('password.new')} hint={t('password.rule')} type="password" value={next} onChange={(e) => setNext(e.target.value)} required autoComplete="new-password" />
        <Field
          label={t('password.again')}
          type="password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
          required
          autoComplete="new-password"
          error={mismatch ? t('setup.passwordsDiffer') : undefined}
        />
        <button type="submit" className="primary" disabled={change.pending}>
          {t('common.save')}
        </button>
      </form>
    </Page>
  );
}
