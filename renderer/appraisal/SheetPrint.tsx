import { useParams } from 'react-router';
import type { Appraisal } from '../../shared/contract';
import { fenToYuan } from '../../shared/money';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { PrintDocument } from '../print/PrintFrame';
import { formatTime } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { pts, roleNames, type T } from './common';
import { EntriesTable, ItemsTable } from './parts';

// The individual A4 sheet (月度绩效考核表): items with standards and data, the head's points with
// reasons, the staff member's answer, both signature lines, and the earlier versions.

export function AppraisalDocument({ t, a }: { t: T; a: Appraisal }) {
  const v = a.versions[0]!;
  const ack = [...v.responses].reverse().find((r) => r.kind === 'acknowledge');
  const dispute = [...v.responses].reverse().find((r) => r.kind === 'dispute');
  return (
    <div className="appraisal-doc">
      <h1>
        {a.station.name} {t('appraisal.sheet.title')}
      </h1>
      <p>
        {t('appraisal.period')}: {a.period} · {t('appraisal.staffNo')}: {a.staff.staffNo} · {t('appraisal.name')}: {a.staff.name} · {t('appraisal.roles')}: {roleNames(t, v.roles)}
      </p>
      <p>
        {t('appraisal.sheetUsed')}: {a.sheet.code} {a.sheet.name} · {t('appraisal.version', { n: v.versionNo })}
        {v.reason ? ` · ${t('appraisal.reason', { reason: v.reason })}` : ''} · {t('appraisal.computedAt')}: {formatTime(v.computedAt)}
      </p>
      <ItemsTable t={t} version={v} fullScore={a.sheet.fullScore} showStandard />
      <h2>{t('appraisal.entries')}</h2>
      <EntriesTable t={t} version={v} />
      <p>
        {t('appraisal.total')}: <strong>{pts(v.totalCenti)}</strong> / {a.sheet.fullScore}
        {a.payFen !== null ? ` · ${t('appraisal.pay')}: ¥${fenToYuan(a.payFen)}` : ''}
        {a.rank !== null ? ` · ${t('appraisal.rank')}: ${a.rank}/${a.ranked}` : ''}
      </p>
      {dispute ? <p>{t('appraisal.response.dispute', { by: dispute.by, at: formatTime(dispute.at), note: dispute.note })}</p> : null}
      <table className="appraisal-signature-lines" aria-label={t('appraisal.signatures')}>
        <tbody>
          <tr>
            <th>{t('appraisal.staffSignature')}</th>
            <td>{ack ? `${ack.by} ${t('appraisal.respond.acknowledge')} ${formatTime(ack.at)}` : t('appraisal.unsigned')}</td>
            <th>{t('appraisal.headSignature')}</th>
            <td>{v.signature ? `${v.signature.by} ${formatTime(v.signature.at)}` : t('appraisal.unsigned')}</td>
          </tr>
        </tbody>
      </table>
      {a.versions.length > 1 ? (
        <>
          <h2>{t('appraisal.history')}</h2>
          <ul>
            {a.versions.slice(1).map((o) => (
              <li key={o.versionNo}>
                {t('appraisal.historyLine', { n: o.versionNo, kind: t(`appraisal.kind.${o.kind}`), total: pts(o.totalCenti), status: o.signature ? t('appraisal.signed', { by: o.signature.by, at: formatTime(o.signature.at) }) : '' })}
                {o.reason ? ` ${t('appraisal.reason', { reason: o.reason })}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

export function SheetPrint() {
  const { t } = useI18n();
  const { period = '', staffNo = '' } = useParams();
  const sheet = useQuery('appraisal.get', { period, staffNo });
  if (sheet.error) return <ErrorBanner error={sheet.error} />;
  if (!sheet.data) return <p className="no-print">{t('app.loading')}</p>;
  return (
    <PrintDocument size="A4" title={`${t('appraisal.sheet.title')} ${staffNo} ${period}`}>
      <AppraisalDocument t={t} a={sheet.data} />
    </PrintDocument>
  );
}
