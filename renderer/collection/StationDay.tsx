import { Link } from 'react-router';
import type { StationDayView } from '../../shared/contract/collection';
import { useI18n } from '../app/i18n';
import { formatYuan } from '../ui/format';
import { ChannelTotalsTable, ReversalsTable } from './common';
import { ClosingStatus } from './DayPage';

// The station's day across clerks (全所收费日报): what the station head opens 收费日结 on, and
// the body of its A4 print (/print/station-day?date=…). A head takes no payments, so "my day"
// would be empty; this is the day they sign for.

export function StationDayBody({ day, onClerk }: { day: StationDayView; onClerk?: (staffId: string) => void }) {
  const { t } = useI18n();
  const reversals = day.clerks.flatMap((c) => c.reversals.map((r) => ({ ...r, clerk: c.clerk })));
  return (
    <div className="station-day">
      <p>{t('stationDay.summary', { clerks: day.clerks.length, closed: day.closedCount, unclosed: day.unclosedCount, awaiting: day.awaitingSignOff })}</p>
      {day.clerks.length === 0 ? <p className="muted">{t('stationDay.none', { date: day.businessDate })}</p> : null}
      <h2>{t('stationDay.byClerk')}</h2>
      <table className="table" aria-label={t('stationDay.byClerk')}>
        <thead>
          <tr>
            <th>{t('stationDay.clerk')}</th>
            <th className="num">{t('closing.paymentCount')}</th>
            <th className="num">{t('closing.payments')}</th>
            <th className="num">{t('closing.reversalCount')}</th>
            <th className="num">{t('closing.reversals')}</th>
            <th className="num">{t('closing.net')}</th>
            <th>{t('closing.receipts')}</th>
            <th>{t('stationDay.closing')}</th>
            <th className="num">{t('stationDay.expected')}</th>
            <th className="num">{t('stationDay.counted')}</th>
            <th className="num">{t('stationDay.difference')}</th>
          </tr>
        </thead>
        <tbody>
          {day.clerks.map((c) => (
            <tr key={c.clerk.id ?? c.clerk.staffNo}>
              <td>
                {onClerk && c.clerk.id ? (
                  <button type="button" className="link" onClick={() => onClerk(c.clerk.id ?? '')}>
                    {c.clerk.staffNo} {c.clerk.name}
                  </button>
                ) : (
                  `${c.clerk.staffNo} ${c.clerk.name}`
                )}
              </td>
              <td className="num">{c.paymentCount}</td>
              <td className="num">{formatYuan(c.paymentsFen)}</td>
              <td className="num">{c.reversalCount}</td>
              <td className="num">{formatYuan(c.reversalsFen)}</td>
              <td className="num">{formatYuan(c.netFen)}</td>
              <td className="mono receipts">{c.firstReceiptNo ? `${c.firstReceiptNo} – ${c.lastReceiptNo}` : "—"}</td>
              <td>{c.closing ? <ClosingStatus closing={c.closing} /> : t('stationDay.notClosed')}</td>
              <td className="num">{c.closing ? formatYuan(c.closing.expectedCashFen) : '—'}</td>
              <td className="num">{c.closing ? formatYuan(c.closing.countedCashFen) : '—'}</td>
              <td className="num">{c.closing ? formatYuan(c.closing.differenceFen) : '—'}</td>
            </tr>
          ))}
          <tr className="total-row">
            <td>{t('closing.total')}</td>
            <td className="num">{day.paymentCount}</td>
            <td className="num">{formatYuan(day.paymentsFen)}</td>
            <td className="num">{day.reversalCount}</td>
            <td className="num">{formatYuan(day.reversalsFen)}</td>
            <td className="num">{formatYuan(day.netFen)}</td>
            <td />
            <td />
            <td />
            <td />
            <td className="num">{formatYuan(day.differenceFen)}</td>
          </tr>
        </tbody>
      </table>
      <h2>{t('stationDay.byChannel')}</h2>
      <ChannelTotalsTable totals={day} className="table" />
      {reversals.length > 0 ? (
        <>
          <h2>{t('stationDay.reversals')}</h2>
          <ReversalsTable rows={reversals} label={t('stationDay.reversals')} className="table" />
        </>
      ) : null}
    </div>
  );
}

/** A link to the A4 print of the station's day. */
export function StationDayPrintLink({ date }: { date: string }) {
  const { t } = useI18n();
  return (
    <Link to={`/print/station-day?date=${date}`} className="button">
      {t('stationDay.print')}
    </Link>
  );
}
