import { Link } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { ErrorBanner, Page } from '../ui/widgets';
import { pts, StatusTag } from './common';
import { DataTable } from '../ui/DataTable';

// A member of staff's own appraisals (我的考核), month by month.

export function MinePage() {
  const { t } = useI18n();
  const list = useQuery('appraisal.list', {});
  const staffNo = list.data?.staff.staffNo ?? '';
  return (
    <Page title={t('appraisal.mine.title')} actions={staffNo ? <Link className="button" to={`/appraisal/trend/${staffNo}`}>{t('appraisal.trend')}</Link> : null}>
      <ErrorBanner error={list.error} />
      <DataTable
        label={t('appraisal.mine.title')}
        rows={list.loading && !list.data ? undefined : (list.data?.rows ?? [])}
        rowKey={(r) => r.period}
        empty={t('appraisal.mine.empty')}
        columns={[
          { id: 'period', header: t('appraisal.period'), value: (r) => r.period },
          { id: 'sheet', header: t('appraisal.sheetUsed'), value: (r) => r.sheetCode },
          { id: 'total', header: t('appraisal.total'), kind: 'quantity', value: (r) => r.totalCenti, render: (r) => `${pts(r.totalCenti)} / ${r.fullScore}` },
          { id: 'status', header: t('appraisal.status'), render: (r) => <StatusTag t={t} status={r.status} /> },
          { id: 'versions', header: t('appraisal.versions'), kind: 'number', value: (r) => r.versionNo },
          { id: 'actions', header: t('common.actions'), className: 'actions', render: (r) => <Link to={`/appraisal/sheet/${r.period}/${staffNo}`}>{t('appraisal.open')}</Link> },
        ]}
      />
    </Page>
  );
}
