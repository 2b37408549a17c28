import { useState, type FormEvent } from 'react';
import { jobResult, type JobState } from '../../shared/contract';
import type { ApiError } from '../../shared/errors';
import { call } from '../api/client';
import { useI18n } from '../app/i18n';
import { ErrorBanner, Field, JobBar } from '../ui/widgets';

/**
 * The first-run screen's other choice: a demo station instead of an empty one (training, trying
 * things out). Nobody is logged in yet, so the build is followed with the public demo.watch.
 */
export function DemoOffer({ onBuilt }: { onBuilt(logins: string): void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ customers: '2000', months: '13', seed: '1' });
  const [job, setJob] = useState<JobState>();
  const [error, setError] = useState<ApiError>();

  async function build(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const { jobId } = await call('demo.build', { customers: Number(form.customers), months: Number(form.months), seed: Number(form.seed) });
      let state = await call('demo.watch', { jobId, afterVersion: -1 });
      setJob(state);
      while (state.status === 'running') {
        state = await call('demo.watch', { jobId, afterVersion: state.version });
        setJob(state);
      }
      if (state.status === 'succeeded') {
        const result = jobResult('demo.build', state);
        onBuilt(t('demo.done', { logins: result.logins.map((l) => `${l.staffNo} ${l.name}`).join('、') }));
      } else setError({ code: 'internal', message: state.error?.message ?? '' });
    } catch (e) {
      setError((e as { error?: ApiError }).error ?? { code: 'internal', message: String(e) });
    }
  }

  return (
    <form className="card form" onSubmit={build} aria-label={t('demo.title')}>
      <h2>{t('demo.title')}</h2>
      <p>{t('demo.intro')}</p>
      <ErrorBanner error={error} />
      <div className="form-grid">
        <Field label={t('demo.customers')} value={form.customers} inputMode="numeric" onChange={(e) => setForm({ ...form, customers: e.target.value })} />
        <Field label={t('demo.months')} value={form.months} inputMode="numeric" onChange={(e) => setForm({ ...form, months: e.target.value })} />
        <Field label={t('demo.seed')} value={form.seed} inputMode="numeric" onChange={(e) => setForm({ ...form, seed: e.target.value })} />
      </div>
      <button type="submit" disabled={job?.status === 'running'}>
        {job?.status === 'running' ? t('demo.building') : t('demo.build')}
      </button>
      {job ? <JobBar job={job} label={t('demo.building')} /> : null}
    </form>
  );
}
