import { useState } from 'react';
import { Link } from 'react-router';
import { MANUAL_TAGS, type ManualTag, type SegmentCode } from '../../shared/service';
import { periodOf, shanghaiDate } from '../../shared/time';
import type { MessageKey } from '../../shared/i18n';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { saveFile } from '../customers/download';
import { DataTable } from '../ui/DataTable';
import { MonthField } from '../ui/DateField';
import { ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { when } from './common';
import './service.css';
import { PolicyLine } from './PolicyLine';

// Customer segments (客户画像) for the station head and the counter: compute the month's segments,
// how many customers each holds, the month's service lists (催缴提醒 / 上门走访 / 停电须批准) with
// the reminder list as a workbook to print or an SMS file for head office's gateway, and one
// customer's tags, where staff set or remove a manual tag with a reason.

type Purpose = 'remind' | 'visit' | 'protect';
const PURPOSES: readonly Purpose[] = ['remind', 'visit', 'protect'];

export function SegmentsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [period, setPeriod] = useState(() => periodOf(shanghaiDate(Date.now())));
  const [purpose, setPurpose] = useState<Purpose>('remind');
  const [code, setCode] = useState<SegmentCode | ''>('');
  const [account, setAccount] = useState('');
  const [notice, setNotice] = useState<string>();
  const summary = useQuery('service.segments.summary', { period });
  const list = useQuery('service.segments.list', { period, purpose, ...(code ? { code } : {}) });
  const compute = useAction('service.segments.compute');
  const exporter = useAction('service.reminders.export');
  const s = summary.data;
  const codesOfPurpose = (s?.segments ?? []).filter((g) => g[purpose]).map((g) => g.code);
  const seg = (c: string) => t(`service.segment.${c}` as MessageKey);

  async function run() {
    const r = await compute.run({ period });
    if (r) {
      setNotice(t('service.segments.computed', { period: r.period, added: r.added, removed: r.removed }));
      summary.reload();
      list.reload();
    }
  }
  async function exportReminders(format: 'xlsx' | 'sms') {
    const file = await exporter.run({ period, format });
    if (!file) return;
    const saved = await saveFile(file.fileName, file.base64);
    if (saved) setNotice(t('service.segments.exported', { file: saved }));
  }

  return (
    <Page title={t('service.segments.title')}>
      <form
        className="filters"
        aria-label={t('service.segments.title')}
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <MonthField label={t('service.segments.period')} value={period} onChange={(value) => value && setPeriod(value)} />
        {can('service.manage') ? (
          <button type="submit" className="primary" disabled={compute.pending}>
            {compute.pending ? t('common.working') : t('service.segments.compute')}
          </button>
        ) : null}
      </form>
      <Notice>{notice}</Notice>
      <ErrorBanner error={summary.error ?? compute.error ?? list.error ?? exporter.error} />
      {s ? (
        <p className="muted">
          {s.run ? t('service.segments.runInfo', { period: s.period, at: when(s.run.computedAt), by: s.run.by ?? '—', version: s.run.policyVersion }) : t('service.segments.notComputed')}
        </p>
      ) : null}
      <PolicyLine period={period} show="segments" />

      <h2>{t('service.segments.counts')}</h2>
      <DataTable
        label={t('service.segments.counts')}
        rows={s?.segments}
        rowKey={(r) => r.code}
        counted={false}
        sorting={false}
        onActivate={(r) => {
          const p = PURPOSES.find((x) => r[x]);
          if (!p) return;
          setPurpose(p);
          setCode(r.code);
        }}
        columns={[
          { id: 'segment', header: t('service.segments.segment'), value: (r) => seg(r.code) },
          { id: 'source', header: t('service.segments.source'), value: (r) => t(r.manual ? 'service.segments.sourceManual' : 'service.segments.sourceComputed') },
          { id: 'customers', header: t('service.segments.customers'), kind: 'number', value: (r) => r.customers, render: (r) => (r.customers === null ? '—' : r.customers) },
          { id: 'service', header: t('service.segments.service'), value: (r) => PURPOSES.filter((p) => r[p]).map((p) => t(`service.segments.purpose.${p}`)).join('、') || '—' },
        ]}
      />

      <h2>{t('service.segments.list')}</h2>
      <div className="page-actions service-purposes" role="group" aria-label={t('service.segments.list')}>
        {PURPOSES.map((p) => (
          <button
            key={p}
            type="button"
            aria-pressed={purpose === p}
            onClick={() => {
              setPurpose(p);
              setCode('');
            }}
          >
            {t(`service.segments.purpose.${p}`)}
          </button>
        ))}
      </div>
      <div className="filters">
        <SelectField label={t('service.segments.segment')} value={code} onChange={(e) => setCode(e.target.value as SegmentCode | '')}>
          <option value="">{t('service.segments.allCodes')}</option>
          {codesOfPurpose.map((c) => (
            <option key={c} value={c}>
              {seg(c)}
            </option>
          ))}
        </SelectField>
        {purpose === 'remind' ? (
          <>
            <Link className="button" to={`/print/service-reminders/${period}`}>
              {t('service.segments.printable')}
            </Link>
            <button type="button" onClick={() => void exportReminders('xlsx')} disabled={exporter.pending || !list.data?.rows.length}>
              {t('service.segments.exportXlsx')}
            </button>
            <button type="button" onClick={() => void exportReminders('sms')} disabled={exporter.pending || !list.data?.rows.length}>
              {t('service.segments.exportSms')}
            </button>
          </>
        ) : null}
      </div>
      <DataTable
        label={t(`service.segments.purpose.${purpose}`)}
        rows={list.loading && !list.data ? undefined : (list.data?.rows ?? [])}
        rowKey={(r) => r.accountNo}
        exportName={`${t('service.segments.listFile')}-${t(`service.segments.purpose.${purpose}`)}-${period}`}
        empty={s && !s.run && purpose !== 'protect' ? t('service.segments.notComputed') : t('service.segments.empty')}
        onActivate={(r) => setAccount(r.accountNo)}
        columns={[
          { id: 'account', header: t('service.list.account'), className: 'mono', value: (r) => r.accountNo },
          { id: 'name', header: t('service.list.name'), value: (r) => r.name },
          { id: 'address', header: t('service.list.address'), value: (r) => r.address },
          { id: 'phone', header: t('service.list.phone'), value: (r) => r.phone },
          { id: 'segments', header: t('service.list.segments'), value: (r) => r.codes.map(seg).join('、') },
          { id: 'balance', header: t('service.segments.owed'), kind: 'money', value: (r) => r.balanceFen },
        ]}
      />

      <TagsPanel account={account} setAccount={setAccount} onChanged={() => { summary.reload(); list.reload(); }} />
    </Page>
  );
}

/** One customer's tags: the month's segments, the manual tags with their reasons, and setting or removing one. */
function TagsPanel({ account, setAccount, onChanged }: { account: string; setAccount(a: string): void; onChanged(): void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const [typed, setTyped] = useState(account);
  const [shownFor, setShownFor] = useState(account);
  const [tag, setTag] = useState<ManualTag>('elderly_alone');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string>();
  // A row picked in the list above shows that customer here.
  if (account !== shownFor) {
    setShownFor(account);
    setTyped(account);
    setDone(undefined);
  }
  const tags = useQuery('service.tags.get', { accountNo: shownFor }, { enabled: shownFor !== '' });
  const setter = useAction('service.tags.set');
  const d = tags.data;

  async function apply(op: 'set' | 'clear') {
    const r = await setter.run({ accountNo: shownFor, code: tag, op, reason });
    if (r) {
      setDone(t(op === 'set' ? 'service.tags.doneSet' : 'service.tags.doneClear', { accountNo: shownFor, tag: t(`service.segment.${tag}`) }));
      setReason('');
      tags.reload();
      onChanged();
    }
  }

  return (
    <section className="service-card" aria-label={t('service.tags.title')}>
      <h2>{t('service.tags.title')}</h2>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setAccount(typed.trim());
        }}
      >
        <Field label={t('service.list.account')} value={typed} onChange={(e) => setTyped(e.target.value)} />
        <button type="submit">{t('service.tags.find')}</button>
      </form>
      <ErrorBanner error={tags.error} />
      {d && shownFor ? (
        <>
          <p>
            <strong className="mono">{d.accountNo}</strong> · {d.period ? t('service.tags.ofPeriod', { period: d.period }) : t('service.segments.notComputed')}
          </p>
          <ul className="service-tag-list" aria-label={t('service.tags.inForce')}>
            {d.computed.map((c) => (
              <li key={c}>
                <span className="service-tag">{t(`service.segment.${c}` as MessageKey)}</span> {t('service.segments.sourceComputed')}
              </li>
            ))}
            {d.manual.map((m) => (
              <li key={m.code}>
                <span className="service-tag">{t(`service.segment.${m.code}` as MessageKey)}</span> {t('service.tags.because', { reason: m.reason, at: when(m.at) })}
              </li>
            ))}
            {d.computed.length + d.manual.length === 0 ? <li className="muted">{t('service.tags.none')}</li> : null}
          </ul>
          {d.needsHeadApproval ? <p className="service-tag protected">{t('service.tags.protected')}</p> : null}
          {can('service.log') ? (
            <form
              className="service-order-form"
              aria-label={t('service.tags.change')}
              onSubmit={(e) => {
                e.preventDefault();
                void apply(d.manual.some((m) => m.code === tag) ? 'clear' : 'set');
              }}
            >
              <SelectField label={t('service.tags.tag')} value={tag} onChange={(e) => setTag(e.target.value as ManualTag)}>
                {MANUAL_TAGS.map((c) => (
                  <option key={c} value={c}>
                    {t(`service.segment.${c}`)}
                  </option>
                ))}
              </SelectField>
              <Field label={t('service.tags.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
              <button type="submit" disabled={setter.pending}>
                {d.manual.some((m) => m.code === tag) ? t('service.tags.clear') : t('service.tags.set')}
              </button>
            </form>
          ) : null}
          <ErrorBanner error={setter.error} />
          {done ? <Notice>{done}</Notice> : null}
        </>
      ) : null}
    </section>
  );
}
