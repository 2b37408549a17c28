import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { parsePoints, type KpiCode } from '../../shared/appraisal';
import type { OutputOf } from '../../shared/contract';
import { fenToYuan } from '../../shared/money';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { saveFile } from '../customers/download';
import { formatTime } from '../ui/format';
import { ErrorBanner, Field, Notice, Page, SelectField } from '../ui/widgets';
import { kpiName, kpiText, pts, roleNames, StatusTag } from './common';
import { DrillTable, EntriesTable, ItemsTable, Responses } from './parts';

// One person's month (月度绩效考核表): the items and the data behind each (click a KPI for its
// rows), the head's points with reasons, the staff member's answer, the signature, every version.
// Staff reach only their own: the back end refuses anyone else's, whatever the URL says.

export function SheetPage() {
  const { t } = useI18n();
  const { period = '', staffNo = '' } = useParams();
  const session = useSession();
  const sheet = useQuery('appraisal.get', { period, staffNo });
  const [shown, setShown] = useState<number | null>(null);
  const [kpi, setKpi] = useState<KpiCode | null>(null);
  const drill = useQuery('appraisal.drill', { period, staffNo, kpi: kpi ?? 'reading.actualRate' }, { enabled: kpi !== null });
  const exportRows = useAction('appraisal.exportDrill');
  const adjust = useAction('appraisal.adjust');
  const respond = useAction('appraisal.respond');
  const sign = useAction('appraisal.sign');
  const revise = useAction('appraisal.revise');
  const [item, setItem] = useState('');
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [reviseReason, setReviseReason] = useState('');
  const [pointsError, setPointsError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [changes, setChanges] = useState<OutputOf<'appraisal.sign'>['changes']>([]);

  const a = sheet.data;
  const manager = session.can('appraisal.manage');
  const own = session.staff?.staffNo.toUpperCase() === staffNo.toUpperCase();
  if (sheet.error) return <Page title={t('appraisal.sheet.title')}><ErrorBanner error={sheet.error} /></Page>;
  if (!a) return <p>{t('app.loading')}</p>;
  const current = a.versions[0]!;
  const version = a.versions.find((v) => v.versionNo === shown) ?? current;
  const signed = current.signature !== null;

  async function addPoints() {
    const centi = parsePoints(points);
    if (centi === null || centi === 0) {
      setPointsError(t('appraisal.entry.badPoints'));
      return;
    }
    setPointsError(undefined);
    if (await adjust.run({ period, staffNo, itemId: item || null, pointsCenti: centi, reason })) {
      setNotice(t('appraisal.entry.added', { points: pts(centi), reason }));
      setPoints('');
      setReason('');
      sheet.reload();
    }
  }
  async function answer(kind: 'acknowledge' | 'dispute') {
    if (await respond.run({ period, kind, note })) {
      setNotice(t(`appraisal.respond.done.${kind}`));
      setNote('');
      sheet.reload();
    }
  }
  async function signIt() {
    const result = await sign.run({ period, staffNo, versionNo: current.versionNo });
    if (!result) return;
    if (result.signed) {
      setChanges([]);
      setNotice(t('appraisal.signDone', { n: result.versionNo }));
    } else {
      setChanges(result.changes);
      setNotice(t('appraisal.recomputed', { n: result.versionNo }));
    }
    setShown(null);
    sheet.reload();
  }
  async function reviseIt() {
    const result = await revise.run({ period, staffNo, reason: reviseReason });
    if (result) {
      setNotice(t('appraisal.revise.done', { n: result.versionNo }));
      setReviseReason('');
      setShown(null);
      sheet.reload();
    }
  }
  async function exportDrill() {
    if (!kpi) return;
    const file = await exportRows.run({ period, staffNo, kpi });
    if (file) await saveFile(file.fileName, file.base64);
  }

  return (
    <Page
      title={`${t('appraisal.sheet.title')} ${a.staff.staffNo} ${a.staff.name} ${a.period}`}
      actions={
        <>
          <Link className="button" to={`/print/appraisal/${period}/${a.staff.staffNo}`}>
            {t('appraisal.print')}
          </Link>
          <Link className="button" to={`/appraisal/trend/${a.staff.staffNo}?to=${period}`}>
            {t('appraisal.trend')}
          </Link>
        </>
      }
    >
      <p>
        <StatusTag t={t} status={a.status} /> · {t('appraisal.version', { n: current.versionNo })} · {a.sheet.code} {a.sheet.name} · {roleNames(t, current.roles)}
        {a.payFen !== null ? ` · ${t('appraisal.pay')} ¥${fenToYuan(a.payFen)}` : ''}
        {a.rank !== null ? ` · ${t('appraisal.rank')} ${a.rank}/${a.ranked}` : ''}
      </p>
      <Notice>{notice}</Notice>
      {changes.length ? (
        <ul className="appraisal-changes" aria-label={t('appraisal.recomputed', { n: current.versionNo })}>
          {changes.map((c) => (
            <li key={c.code}>{t('appraisal.change', { kpi: kpiName(t, c.code), before: kpiText(t, c.before), after: kpiText(t, c.after) })}</li>
          ))}
        </ul>
      ) : null}
      <ErrorBanner error={adjust.error ?? respond.error ?? sign.error ?? revise.error} />
      {version !== current ? <p className="banner">{t('appraisal.historyLine', { n: version.versionNo, kind: t(`appraisal.kind.${version.kind}`), total: pts(version.totalCenti), status: version.signature ? t('appraisal.signed', { by: version.signature.by, at: formatTime(version.signature.at) }) : '' })}</p> : null}
      <ItemsTable t={t} version={version} fullScore={a.sheet.fullScore} onDrill={(code) => setKpi(code as KpiCode)} />

      {kpi ? (
        <section className="appraisal-drill" aria-label={t('appraisal.drill')}>
          <h2>
            {t('appraisal.drill.title', { kpi: kpiName(t, kpi), total: drill.data?.total ?? 0 })}{' '}
            <button type="button" onClick={() => void exportDrill()}>
              {t('appraisal.export')}
            </button>{' '}
            <button type="button" onClick={() => setKpi(null)}>
              {t('common.close')}
            </button>
          </h2>
          <ErrorBanner error={drill.error ?? exportRows.error} />
          {drill.data ? <DrillTable t={t} drill={drill.data} /> : null}
        </section>
      ) : null}

      <h2>{t('appraisal.entries')}</h2>
      <EntriesTable t={t} version={version} />
      {manager && !signed && version === current ? (
        <form className="filters" aria-label={t('appraisal.entries')} onSubmit={(e) => { e.preventDefault(); void addPoints(); }}>
          <SelectField label={t('appraisal.entry.item')} value={item} onChange={(e) => setItem(e.target.value)}>
            <option value="">{t('appraisal.entry.general')}</option>
            {a.manualItems.map((m) => (
              <option key={m.itemId} value={m.itemId}>
                {m.itemId} {m.name}
              </option>
            ))}
          </SelectField>
          <Field label={t('appraisal.entry.points')} value={points} onChange={(e) => setPoints(e.target.value)} error={pointsError} hint={t('appraisal.entry.bounds', { min: a.sheet.adjustments.min, max: a.sheet.adjustments.max })} />
          <Field label={t('appraisal.entry.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
          <button type="submit" disabled={adjust.pending}>
            {t('appraisal.entry.add')}
          </button>
        </form>
      ) : null}

      <h2>{t('appraisal.responses')}</h2>
      <Responses t={t} version={version} />
      {own && !signed && version === current ? (
        <form className="filters" aria-label={t('appraisal.respond.title')} onSubmit={(e) => e.preventDefault()}>
          <Field label={t('appraisal.respond.note')} value={note} onChange={(e) => setNote(e.target.value)} />
          <button type="button" className="primary" disabled={respond.pending} onClick={() => void answer('acknowledge')}>
            {t('appraisal.respond.acknowledge')}
          </button>
          <button type="button" disabled={respond.pending} onClick={() => void answer('dispute')}>
            {t('appraisal.respond.dispute')}
          </button>
        </form>
      ) : null}

      <h2>{t('appraisal.signatures')}</h2>
      {version.signature ? <p className="appraisal-signed">{t('appraisal.signed', { by: version.signature.by, at: formatTime(version.signature.at) })}</p> : null}
      {manager && !signed && version === current ? (
        <button type="button" className="primary" disabled={sign.pending} onClick={() => void signIt()}>
          {t('appraisal.sign')}
        </button>
      ) : null}
      {signed && version === current ? <p className="muted">{t('appraisal.signedLocked')}</p> : null}
      {manager && signed && version === current ? (
        <form className="filters" aria-label={t('appraisal.revise')} onSubmit={(e) => { e.preventDefault(); void reviseIt(); }}>
          <Field label={t('appraisal.revise.reason')} value={reviseReason} onChange={(e) => setReviseReason(e.target.value)} />
          <button type="submit" disabled={revise.pending}>
            {t('appraisal.revise')}
          </button>
        </form>
      ) : null}

      <h2>{t('appraisal.history')}</h2>
      <ul className="appraisal-history" aria-label={t('appraisal.history')}>
        {a.versions.map((v) => (
          <li key={v.versionNo}>
            <button type="button" className="link" onClick={() => setShown(v === current ? null : v.versionNo)}>
              {t('appraisal.historyLine', {
                n: v.versionNo,
                kind: t(`appraisal.kind.${v.kind}`),
                total: pts(v.totalCenti),
                status: v.signature ? t('appraisal.signed', { by: v.signature.by, at: formatTime(v.signature.at) }) : t('appraisal.status.draft'),
              })}
            </button>
            {v.reason ? <span className="muted"> {t('appraisal.reason', { reason: v.reason })}</span> : null}
          </li>
        ))}
      </ul>
    </Page>
  );
}
