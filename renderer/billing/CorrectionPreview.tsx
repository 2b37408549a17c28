import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { LinesTable } from './parts';

/** The original bill beside the bill recomputed from today's readings and customer file. */
export function CorrectionPreview({ billId }: { billId: string }) {
  const { t } = useI18n();
  const preview = useQuery('corrections.preview', { billId });
  if (preview.error) return <ErrorBanner error={preview.error} />;
  const p = preview.data;
  if (!p) return <p className="muted">{t('app.loading')}</p>;
  return (
    <div className="correction-preview">
      <h3>{t('bills.original')}</h3>
      <LinesTable lines={p.originalLines} totalFen={p.originalTotalFen} label={`${t('bills.original')} ${p.billNo}`} />
      <h3>{t('bills.recomputed')}</h3>
      <LinesTable lines={p.newLines} totalFen={p.newTotalFen} label={t('bills.recomputed')} />
      <p role="status">
        {t('bills.difference')}：<strong>{formatYuan(p.differenceFen)}</strong>
      </p>
    </div>
  );
}
