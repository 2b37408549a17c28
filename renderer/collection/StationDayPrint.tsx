import { useSearchParams } from 'react-router';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { PrintDocument } from '../print/PrintFrame';
import { ErrorBanner } from '../ui/widgets';
import { StationDayBody } from './StationDay';

// The station day report (全所收费日报) on A4, for the station head to sign.

export function StationDayPrint() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const date = params.get('date') ?? undefined;
  const day = useQuery('collection.stationDay', date ? { businessDate: date } : {});
  if (day.error) return <ErrorBanner error={day.error} />;
  const d = day.data;
  if (!d) return <p className="no-print">{t('app.loading')}</p>;
  return (
    <PrintDocument size="A4" title={`${t('stationDay.title')} ${d.station.code} ${d.businessDate}`}>
      <div className="closing-report">
        <h1>
          {d.station.name} {t('stationDay.title')}
        </h1>
        <p>
          {t('closing.businessDate')}: {d.businessDate}
        </p>
        <StationDayBody day={d} />
        <p className="signatures">{t('stationDay.head')}: ＿＿＿＿＿＿</p>
      </div>
    </PrintDocument>
  );
}
