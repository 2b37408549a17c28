import { Link } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { ErrorBanner, Page } from '../ui/widgets';
import { pts, StatusTag } from './common';

// A member of staff's own appraisals (我的考核), month by month.

export function MinePage() {
  const { t } = useI18n();
  const list = useQuery('appraisal.list', {});
  const staffNo = list.data?.staff.staffNo ?? '';
  return (
    <Page title={t('appraisal.mine.title')} actions={staffNo ? <Link className="button" to={`/appraisal/trend/${staffNo}`}>{t('appraisal.trend')}</Link> : null}>
      <ErrorBanner error={list.error} />
      <table className="table" aria-label={t('appraisal.mine.title')}>
        <thead>
          <tr>
            <th>{t('appraisal.period')}</th>
            <th>{t('appraisal.sheetUsed')}</th>
            <th className="num">{t('appraisal.total')}</th>
            <th>{t('appraisal.status')}</th>
            <th className="num">{t('appraisal.versions')}</th>
            <th>{t('common.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.rows ?? []).map((r) => (
            <tr key={r.period}>
              <td>{r.period}</td>
              <td>{r.sheetCode}</td>
              <td className="num">
                {pts(r.totalCenti)} / {r.fullScore}
              </td>
              <td>
                <StatusTag t={t} status={r.status} />
              </td>
              <td className="num">{r.versionNo}</td>
              <td className="actions">
                <Link to={`/appraisal/sheet/${r.period}/${staffNo}`}>{t('appraisal.open')}</Link>
              </td>
            </tr>
          ))}
          {!list.loading && !list.data?.rows.length ? (
            <tr>
              <td colSpan={6} className="muted">
                {t('appraisal.mine.empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </Page>
  );
}
