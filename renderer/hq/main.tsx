import { StrictMode, useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { HQ_UI, type HqUiKey, type HqUiLocale } from '../../shared/hq/i18n';
import type { HqImportAnswer, HqMe, HqMonthRow, HqPack, HqReferenceItem, HqSeriesPoint, HqStationDetail, HqStationRow } from '../../shared/hq/types';
import '../styles.css';
import './hq.css';
import { hqApi, HqApiError, setApiLocale } from './api';
import { Chart } from './Chart';
import { DateInput } from '../ui/DateInput';

// The head-office UI (总部): a page of its own, served by `griddesk hq serve` at /hq/. It reuses
// the station app's stylesheet (same look) but not its shell: the station shell is bound to the
// station's channel contract, sessions and desks; head office has another API and other roles.

type Tab = 'month' | 'stations' | 'upload' | 'reference';

const yuan = (fen: number) => (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const pct = (x: number | null) => (x == null ? '—' : `${(x * 100).toFixed(1)}%`);

function useT(locale: HqUiLocale) {
  return useCallback((k: HqUiKey) => HQ_UI[locale][k], [locale]);
}

function App() {
  const [locale, setLocale] = useState<HqUiLocale>(() => (localStorage.getItem('hq.locale') === 'en' ? 'en' : 'zh-CN'));
  const t = useT(locale);
  const [me, setMe] = useState<HqMe | null | undefined>(undefined);
  const [tab, setTab] = useState<Tab>('month');
  const [station, setStation] = useState<string | null>(null);
  useEffect(() => {
    setApiLocale(locale);
    localStorage.setItem('hq.locale', locale);
    document.documentElement.lang = locale;
  }, [locale]);
  useEffect(() => {
    hqApi.me().then(setMe, () => setMe(null));
  }, []);
  if (me === undefined) return null;
  if (!me) return <Login t={t} onIn={setMe} />;
  return (
    <div className="hq-app">
      <header className="hq-header">
        <strong>{t('title')}</strong>
        <nav>
          {/* Uploading batches is an administrator's work (the host refuses it to analysts too). */}
          {(['month', 'stations', 'upload', 'reference'] as Tab[]).filter((k) => k !== 'upload' || me.role === 'admin').map((k) => (
            <button key={k} className={tab === k ? 'primary' : ''} onClick={() => (setTab(k), setStation(null))}>
              {t(k)}
            </button>
          ))}
        </nav>
        <span className="muted">
          {me.name} ({me.role})
        </span>
        <button onClick={() => setLocale(locale === 'en' ? 'zh-CN' : 'en')}>{locale === 'en' ? '中文' : 'English'}</button>
        <button onClick={() => hqApi.logout().then(() => setMe(null))}>{t('logout')}</button>
      </header>
      <main className="hq-main">
        {station ? (
          <StationDetail t={t} code={station} onBack={() => setStation(null)} />
        ) : tab === 'month' ? (
          <MonthView t={t} locale={locale} onStation={setStation} />
        ) : tab === 'stations' ? (
          <StationsView t={t} onStation={setStation} />
        ) : tab === 'upload' ? (
          <UploadView t={t} />
        ) : (
          <ReferenceView t={t} admin={me.role === 'admin'} />
        )}
      </main>
    </div>
  );
}

type T = (k: HqUiKey) => string;

function Login({ t, onIn }: { t: T; onIn: (me: HqMe) => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    hqApi.login(login, password).then(onIn, (err: Error) => setError(err.message));
  };
  return (
    <div className="centered">
      <h1>{t('title')}</h1>
      <form className="card form" onSubmit={submit}>
        <label>
          {t('loginName')} <input name="login" value={login} onChange={(e) => setLogin(e.target.value)} autoFocus />
        </label>
        <label>
          {t('password')} <input name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {error && <p role="alert" className="hq-error">{error}</p>}
        <button className="primary" type="submit">
          {t('login')}
        </button>
      </form>
    </div>
  );
}

function MonthTable({ t, rows, onStation, withPeriod }: { t: T; rows: (HqMonthRow & { period?: string })[]; onStation?: (code: string) => void; withPeriod?: boolean }) {
  return (
    <table className="hq-table">
      <thead>
        <tr>
          <th>{withPeriod ? t('period') : t('station')}</th>
          <th className="num">{t('customers')}</th>
          <th className="num">{t('kwh')}</th>
          <th className="num">{t('billed')}</th>
          <th className="num">{t('collected')}</th>
          <th className="num">{t('collectionRate')}</th>
          <th className="num">{t('arrears30')}</th>
          <th className="num">{t('arrears90')}</th>
          <th className="num">{t('actualRate')}</th>
          <th className="num">{t('errorRate')}</th>
          <th className="num">{t('appraisal')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={withPeriod ? r.period : r.stationId}>
            <td>{withPeriod ? r.period : onStation ? <button className="link" onClick={() => onStation(r.code)}>{`${r.code} ${r.name}`}</button> : `${r.code} ${r.name}`}</td>
            <td className="num">{r.customers}</td>
            <td className="num">{(r.kwhCenti / 100).toFixed(0)}</td>
            <td className="num">{yuan(r.billedFen)}</td>
            <td className="num">{yuan(r.collectedFen)}</td>
            <td className="num">{pct(r.collectionRate)}</td>
            <td className="num">{yuan(r.arrears30Fen)}</td>
            <td className="num">{yuan(r.arrears90Fen)}</td>
            <td className="num">{pct(r.actualReadRate)}</td>
            <td className="num">{pct(r.errorRate)}</td>
            <td className="num">{r.appraisalAvg == null ? <span className="muted">{t('notReceived')}</span> : r.appraisalAvg.toFixed(1)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function seriesChart(t: T, series: HqSeriesPoint[]) {
  return { categories: series.map((s) => s.period), series: [
    { name: t('billed'), type: 'bar' as const, data: series.map((s) => s.billedFen / 100) },
    { name: t('collected'), type: 'line' as const, data: series.map((s) => s.collectedFen / 100) },
  ] };
}

function MonthView({ t, locale, onStation }: { t: T; locale: HqUiLocale; onStation: (code: string) => void }) {
  const [period, setPeriod] = useState<string | undefined>(undefined);
  const [data, setData] = useState<{ period: string; rows: HqMonthRow[]; series: HqSeriesPoint[] } | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    hqApi.month(period).then(setData, (e: Error) => setError(e.message));
  }, [period]);
  const chart = useMemo(() => (data ? seriesChart(t, data.series) : null), [data, t]);
  const byStation = useMemo(
    () => (data ? { categories: data.rows.map((r) => r.code), series: [
      { name: t('billed'), type: 'bar' as const, data: data.rows.map((r) => r.billedFen / 100) },
      { name: t('collected'), type: 'bar' as const, data: data.rows.map((r) => r.collectedFen / 100) },
    ] } : null),
    [data, t],
  );
  if (error) return <p className="hq-error">{error}</p>;
  if (!data) return null;
  return (
    <section>
      <h1>{t('month')}</h1>
      <div className="hq-toolbar">
        <span className="hq-period">
          <label htmlFor="hq-period">{t('period')}</label>{' '}
          <DateInput kind="month" id="hq-period" name="period" locale={locale} value={data.period} onChange={(value) => value && setPeriod(value)} />
        </span>
        <a className="hq-button" href={`/api/month.xlsx?period=${data.period}&lang=${locale}`} download>
          {t('exportXlsx')}
        </a>
      </div>
      {data.rows.length ? <MonthTable t={t} rows={data.rows} onStation={onStation} /> : <p className="muted">{t('none')}</p>}
      <div className="hq-charts">
        {byStation && <Chart label={t('month')} categories={byStation.categories} series={byStation.series} />}
        {chart && <Chart label={t('chartTitle')} categories={chart.categories} series={chart.series} />}
      </div>
    </section>
  );
}

function StationsView({ t, onStation }: { t: T; onStation: (code: string) => void }) {
  const [rows, setRows] = useState<HqStationRow[] | null>(null);
  useEffect(() => {
    hqApi.stations().then(setRows, () => setRows([]));
  }, []);
  if (!rows) return null;
  return (
    <section>
      <h1>{t('stations')}</h1>
      <table className="hq-table">
        <thead>
          <tr>
            <th>{t('station')}</th>
            <th>{t('lastBatch')}</th>
            <th className="num">{t('lagDays')}</th>
            <th className="num">{t('acked')}</th>
            <th className="num">{t('held')}</th>
            <th className="num">{t('rejected')}</th>
            <th className="num">{t('refusals')}</th>
            <th className="num">{t('refVersion')}</th>
            <th>{t('flag')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.stationId} className={r.flagged || r.rejected ? 'hq-warn' : ''}>
              <td>
                <button className="link" onClick={() => onStation(r.code)}>{`${r.code} ${r.name}`}</button>
              </td>
              <td>{r.lastBatchAt ? new Date(r.lastBatchAt).toLocaleString() : '—'}</td>
              <td className="num">{r.lagDays ?? '—'}</td>
              <td className="num">{r.ackedSeq}</td>
              <td className="num">{r.held}</td>
              <td className="num">{r.rejected}</td>
              <td className="num">{r.refusals}</td>
              <td className="num">{r.referenceVersion ?? '—'}</td>
              <td className="hq-error">{r.flagged ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function StationDetail({ t, code, onBack }: { t: T; code: string; onBack: () => void }) {
  const [d, setD] = useState<(HqStationDetail & { series: HqSeriesPoint[] }) | null>(null);
  useEffect(() => {
    hqApi.station(code).then(setD, () => setD(null));
  }, [code]);
  const chart = useMemo(() => (d ? seriesChart(t, d.series) : null), [d, t]);
  if (!d) return null;
  return (
    <section>
      <button onClick={onBack}>{t('back')}</button>
      <h1>{`${d.station.code} ${d.station.name}`}</h1>
      {d.station.flagged && <p className="hq-error">{d.station.flagged}</p>}
      <MonthTable t={t} rows={d.months as (HqMonthRow & { period?: string })[]} withPeriod />
      {chart && <Chart label={t('chartTitle')} categories={chart.categories} series={chart.series} />}
      <div className="hq-columns">
        <div>
          <h2>{t('books')}</h2>
          <table className="hq-table">
            <tbody>
              {d.books.map((b) => (
                <tr key={b.bookNo}>
                  <td>{b.bookNo}</td>
                  <td>{b.name}</td>
                  <td>{b.reader ?? '—'}</td>
                  <td className="num">{b.readingDay ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div>
          <h2>{t('staff')}</h2>
          <table className="hq-table">
            <tbody>
              {d.staff.map((s) => (
                <tr key={s.staffNo} className={s.active ? '' : 'muted'}>
                  <td>{s.staffNo}</td>
                  <td>{s.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      <h2>{t('batches')}</h2>
      <table className="hq-table">
        <tbody>
          {d.batches.map((b) => (
            <tr key={b.sha256}>
              <td className="mono">{b.sha256.slice(0, 12)}</td>
              <td className="num">{`${b.fromSeq}–${b.toSeq}`}</td>
              <td className="num">{b.rows}</td>
              <td>{b.status}</td>
              <td>{b.reason}</td>
              <td>{new Date(b.receivedAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.refusals.length > 0 && (
        <>
          <h2>{t('refusals')}</h2>
          <table className="hq-table">
            <tbody>
              {d.refusals.map((r, i) => (
                <tr key={i}>
                  <td>{new Date(r.at).toLocaleString()}</td>
                  <td>{r.code}</td>
                  <td>{r.reason}</td>
                  <td>{r.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function UploadView({ t }: { t: T }) {
  const [results, setResults] = useState<{ name: string; answer?: HqImportAnswer; error?: string }[]>([]);
  const onFiles = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      try {
        const answer = await hqApi.upload(file);
        setResults((r) => [{ name: file.name, answer }, ...r]);
      } catch (e) {
        setResults((r) => [{ name: file.name, error: e instanceof HqApiError ? e.message : String(e) }, ...r]);
      }
    }
  };
  return (
    <section>
      <h1>{t('upload')}</h1>
      <label className="card hq-drop">
        {t('chooseFile')} <input type="file" name="batch" multiple onChange={(e) => void onFiles(e.target.files)} />
      </label>
      <ul className="hq-results" aria-live="polite">
        {results.map((r, i) => (
          <li key={i} className={r.error || r.answer?.outcome === 'rejected' ? 'hq-error' : ''}>
            <strong>{r.name}</strong>：
            {r.answer
              ? `${t(`outcome_${r.answer.outcome}` as HqUiKey)}${r.answer.reason && r.answer.outcome !== 'duplicate' ? `（${r.answer.reason}）` : ''} — ${r.answer.stationCode} ${r.answer.fromSeq}–${r.answer.toSeq}, ${r.answer.rows} ${t('rows')}`
              : `${t('refused')}: ${r.error}`}
          </li>
        ))}
      </ul>
    </section>
  );
}

const TYPES = ['tariff', 'scoreSheet', 'policy', 'staff', 'notice', 'calendar', 'workOrder'];

function ReferenceView({ t, admin }: { t: T; admin: boolean }) {
  const [data, setData] = useState<{ items: HqReferenceItem[]; packs: HqPack[] } | null>(null);
  const [type, setType] = useState('tariff');
  const [codes, setCodes] = useState('');
  const [message, setMessage] = useState('');
  const reload = () => hqApi.reference().then(setData, () => setData(null));
  useEffect(() => void reload(), []);
  const load = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      try {
        const parsed = JSON.parse(await file.text()) as unknown;
        const r = await hqApi.loadReference(type, file.name, parsed);
        setMessage(`${file.name} → #${r.id}`);
      } catch (e) {
        setMessage(`${file.name}: ${(e as Error).message}`);
      }
    }
    void reload();
  };
  const publish = async () => {
    try {
      const r = await hqApi.publish(codes.split(',').map((s) => s.trim()).filter(Boolean));
      setMessage(`v${r.version} (${r.items})`);
    } catch (e) {
      setMessage((e as Error).message);
    }
    void reload();
  };
  return (
    <section>
      <h1>{t('reference')}</h1>
      {admin && (
        <div className="hq-toolbar">
          <label>
            {t('type')}{' '}
            <select value={type} onChange={(e) => setType(e.target.value)}>
              {TYPES.map((x) => (
                <option key={x}>{x}</option>
              ))}
            </select>
          </label>
          <input type="file" accept=".json,application/json" name="reference" onChange={(e) => void load(e.target.files)} />
          <label>
            {t('publishFor')} <input value={codes} onChange={(e) => setCodes(e.target.value)} />
          </label>
          <button className="primary" onClick={() => void publish()}>
            {t('publish')}
          </button>
        </div>
      )}
      {message && <p role="status">{message}</p>}
      <h2>{t('packs')}</h2>
      <table className="hq-table">
        <tbody>
          {data?.packs.map((p) => (
            <tr key={p.version}>
              <td>v{p.version}</td>
              <td>{p.stations?.join(', ') ?? t('all')}</td>
              <td className="num">{p.items}</td>
              <td>{new Date(p.publishedAt).toLocaleString()}</td>
              <td>
                {t('appliedBy')}: {p.appliedBy.join(', ') || '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('items')}</h2>
      <table className="hq-table">
        <tbody>
          {data?.items.map((i) => (
            <tr key={i.id}>
              <td>#{i.id}</td>
              <td>{i.type}</td>
              <td>{i.name}</td>
              <td>{new Date(i.loadedAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
