import { useState } from 'react';
import { Link } from 'react-router';
import type { ServiceVisitRow } from '../../shared/contract';
import type { MessageKey } from '../../shared/i18n';
import { periodOf, shanghaiDate } from '../../shared/time';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { DataTable } from '../ui/DataTable';
import { MonthField } from '../ui/DateField';
import { ErrorBanner, Field, Notice, Page } from '../ui/widgets';
import { VisitForm, VisitRecorded, type VisitToRecord } from './VisitForm';
import './service.css';

// Return visits (回访), where the caller works: the visits waiting for a call (closed orders'
// return visits and survey calls, newest first), or all of them with their results; pick one,
// record it, and the next one is at hand. The head starts the month's satisfaction survey
// (满意度调查) over a sample of customers; its calls join the same list.

type Filter = 'pending' | 'all';

export function VisitsPage() {
  const { t } = useI18n();
  const { can } = useSession();
  const [filter, setFilter] = useState<Filter>('pending');
  const list = useQuery('service.visits.list', { pending: filter === 'pending' });
  const [open, setOpen] = useState<VisitToRecord | null>(null);
  const [recorded, setRecorded] = useState<{ outcome: 'none' | 'reopen' | 'escalate'; orderNo: string | null } | null>(null);
  const subjectOf = (v: ServiceVisitRow) => (v.orderNo ? `${v.orderNo} ${v.orderKind ? t(`service.kind.${v.orderKind}` as MessageKey) : ''}`.trim() : (v.survey ?? ''));
  const canRecord = can('service.log');
  return (
    <Page title={t('service.visits.pageTitle')}>
      {can('service.manage') ? <SurveyStarter onStarted={list.reload} /> : null}
      <div className="page-actions" role="group" aria-label={t('service.visits.pageTitle')}>
        {(['pending', 'all'] as const).map((f) => (
          <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
            {t(f === 'pending' ? 'service.visits.pending' : 'service.visits.filterAll')}
          </button>
        ))}
      </div>
      {recorded ? <VisitRecorded result={recorded} /> : null}
      {open ? (
        <VisitForm
          key={open.visitId}
          visit={open}
          onRecorded={(r) => {
            setRecorded(r);
            setOpen(null);
            list.reload();
          }}
        />
      ) : null}
      <ErrorBanner error={list.error} />
      <DataTable
        label={t(filter === 'pending' ? 'service.visits.pending' : 'service.visits.filterAll')}
        exportName={t('service.visits.pageTitle')}
        rows={list.data?.rows}
        rowKey={(v) => v.visitId}
        empty={t('service.visits.none')}
        columns={[
          { id: 'createdAt', header: t('service.visits.createdAt'), kind: 'time', value: (v) => v.createdAt },
          {
            id: 'subject',
            header: t('service.visits.subject'),
            value: subjectOf,
            render: (v) =>
              v.orderNo ? (
                <>
                  <Link className="mono" to={`/service/orders/${v.orderNo}`}>
                    {v.orderNo}
                  </Link>{' '}
                  {v.orderKind ? t(`service.kind.${v.orderKind}` as MessageKey) : ''}
                </>
              ) : (
                v.survey
              ),
          },
          { id: 'customer', header: t('service.orders.customer'), value: (v) => `${v.accountNo ?? ''} ${v.customerName ?? ''}`.trim() },
          { id: 'phone', header: t('service.orders.contactPhone'), value: (v) => v.phone ?? '', className: 'mono' },
          ...(filter === 'all'
            ? [
                { id: 'result', header: t('service.visits.result'), value: (v: ServiceVisitRow) => resultText(t, v) },
                { id: 'comments', header: t('service.visits.comments'), value: (v: ServiceVisitRow) => v.comments ?? '' },
              ]
            : []),
          {
            id: 'actions',
            header: t('common.actions'),
            className: 'actions',
            exported: false,
            render: (v) =>
              canRecord && v.reached === null ? (
                <button
                  type="button"
                  onClick={() => {
                    setRecorded(null);
                    setOpen({ visitId: v.visitId, kind: v.kind, subject: subjectOf(v) });
                  }}
                >
                  {t('service.visits.call')}
                </button>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}

function resultText(t: (k: MessageKey, p?: Record<string, string | number>) => string, v: ServiceVisitRow): string {
  if (v.reached === null) return t('service.visits.pending');
  if (!v.reached) return t('service.visits.notReached');
  const outcome = v.outcome && v.outcome !== 'none' ? ` · ${t(`service.visits.outcome.${v.outcome}` as MessageKey)}` : '';
  return `${t('service.visits.scoreOf', { score: v.satisfaction ?? '' })}${outcome}`;
}

/** The head opens the month's satisfaction survey over a sample of active customers. */
function SurveyStarter({ onStarted }: { onStarted(): void }) {
  const { t } = useI18n();
  const start = useAction('service.surveys.start');
  const [period, setPeriod] = useState(() => periodOf(shanghaiDate(Date.now())));
  const [size, setSize] = useState('50');
  const [done, setDone] = useState<{ survey: string; visits: number } | null>(null);
  return (
    <form
      className="service-order-form"
      aria-label={t('service.visits.survey')}
      onSubmit={async (e) => {
        e.preventDefault();
        const r = await start.run({ period, size: Number(size) });
        if (r) {
          setDone(r);
          onStarted();
        }
      }}
    >
      <MonthField label={t('service.visits.surveyPeriod')} value={period} onChange={setPeriod} />
      <Field label={t('service.visits.sampleSize')} inputMode="numeric" value={size} onChange={(e) => setSize(e.target.value.replace(/\D/g, ''))} />
      <button type="submit" disabled={start.pending || size === ''}>
        {t('service.visits.startSurvey')}
      </button>
      <ErrorBanner error={start.error} />
      {done ? <Notice>{t('service.visits.surveyStarted', { survey: done.survey, n: done.visits })}</Notice> : null}
    </form>
  );
}
