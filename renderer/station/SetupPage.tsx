import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { useAction } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ErrorBanner, Field } from '../ui/widgets';
import { DemoOffer } from '../customers/DemoOffer';

/** First run: the station and its first administrator. */
export function SetupPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const setup = useAction('station.setup');
  const [form, setForm] = useState({ stationCode: '', stationName: '', adminNo: '', adminName: '', password: '', again: '' });
  const [mismatch, setMismatch] = useState(false);
  const [done, setDone] = useState(false);
  if (session.info?.setUp && !done) return <Navigate to="/login" replace />;
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (form.password !== form.again) return setMismatch(true);
    setMismatch(false);
    const { again: _again, ...input } = form;
    const result = await setup.run(input);
    if (result) {
      setDone(true); // stay here until the session knows the station exists, then go on with the notice
      await session.refresh();
      navigate('/login', { state: { notice: t('setup.done') } });
    }
  }

  return (
    <main className="centered">
      <form className="card form" onSubmit={submit}>
        <h1>{t('setup.title')}</h1>
        <p>{t('setup.intro')}</p>
        <ErrorBanner error={setup.error} />
        <Field label={t('setup.stationCode')} hint={t('setup.stationCodeHint')} value={form.stationCode} onChange={set('stationCode')} required autoFocus />
        <Field label={t('setup.stationName')} value={form.stationName} onChange={set('stationName')} required />
        <Field label={t('setup.adminNo')} value={form.adminNo} onChange={set('adminNo')} required />
        <Field label={t('setup.adminName')} value={form.adminName} onChange={set('adminName')} required />
        <Field label={t('setup.password')} hint={t('password.rule')} type="password" value={form.password} onChange={set('password')} required autoComplete="new-password" />
        <Field
          label={t('setup.passwordAgain')}
          type="password"
          value={form.again}
          onChange={set('again')}
          required
          autoComplete="new-password"
          error={mismatch ? t('setup.passwordsDiffer') : undefined}
        />
        <button type="submit" className="primary" disabled={setup.pending}>
          {setup.pending ? t('common.working') : t('setup.submit')}
        </button>
      </form>
      <p className="muted">{t('demo.or')}</p>
      <DemoOffer
        onBuilt={(notice) => {
          setDone(true);
          void session.refresh().then(() => navigate('/login', { state: { notice } }));
        }}
      />
    </main>
  );
}
