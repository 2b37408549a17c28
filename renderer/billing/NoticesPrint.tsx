import { useSearchParams } from 'react-router';
import type { BillNotice } from '../../shared/contract';
import { formatCenti } from '../../shared/money';
import { useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { PrintDocument, type PaperSize } from '../print/PrintFrame';
import { formatDate, formatYuan } from '../ui/format';
import { ErrorBanner } from '../ui/widgets';
import { kwhText, useBillingText } from './parts';

// 电费通知单: one page per customer, in book order, on A5 (default) or A4. The print route takes
// ?bills=NO,NO… or ?period=YYYY-MM&book=ID, and &paper=A5|A4.

function Notice({ n, station, channels }: { n: BillNotice; station: { code: string; name: string }; channels: string[] }) {
  const { t } = useI18n();
  const text = useBillingText();
  const tiers = text.tierText(n.details);
  return (
    <section className="notice" aria-label={`${t('notice.title')} ${n.accountNo}`}>
      <h2>{t('notice.title')}</h2>
      <div className="sub">
        <span>
          {t('notice.station')}：{station.name}
        </span>
        <span>
          {t('notice.period')}：{n.period}
        </span>
        <span>
          {t('notice.billNo')}：{n.billNo}
        </span>
      </div>
      <table>
        <tbody>
          <tr>
            <th>{t('notice.account')}</th>
            <td>{n.accountNo}</td>
            <th>{t('notice.name')}</th>
            <td>{n.customerName}</td>
          </tr>
          <tr>
            <th>{t('notice.address')}</th>
            <td colSpan={3}>{n.address}</td>
          </tr>
          <tr>
            <th>{t('notice.class')}</th>
            <td>{text.classText(n.customerClass)}</td>
            <th>{t('notice.tariff')}</th>
            <td>{n.tariffName}</td>
          </tr>
        </tbody>
      </table>
      <table>
        <thead>
          <tr>
            <th>{t('notice.meter')}</th>
            <th>{t('notice.previous')}</th>
            <th>{t('notice.current')}</th>
            <th>{t('notice.multiplier')}</th>
            <th>{t('notice.kwh')}</th>
          </tr>
        </thead>
        <tbody>
          {n.readings.map((r) => (
            <tr key={r.readingId}>
              <td>{r.meterNo}</td>
              <td className="num">{kwhText(r.previousValue)}</td>
              <td className="num">{kwhText(r.value)}</td>
              <td className="num">{r.multiplier}</td>
              <td className="num">{formatCenti(r.consumption)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table>
        <thead>
          <tr>
            <th>{t('billing.line.item')}</th>
            <th>{t('billing.line.quantity')}</th>
            <th>{t('billing.line.price')}</th>
            <th>{t('billing.line.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {n.lines.map((l) => (
            <tr key={l.lineNo}>
              <td>
                {text.lineLabel(l)}
                {l.kind === 'power_factor' && n.details.powerFactor
                  ? ` ${t('billing.line.powerFactorNote', { value: n.details.powerFactor.value, standard: n.details.powerFactor.standard, percent: n.details.powerFactor.percent })}`
                  : ''}
              </td>
              <td className="num">{l.quantity === null ? '' : `${formatCenti(l.quantity)} ${l.unit ?? ''}`}</td>
              <td className="num">{l.unitPrice ?? ''}</td>
              <td className="num">{formatYuan(l.amountFen)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {tiers ? <p>{tiers}</p> : null}
      <table className="amounts">
        <tbody>
          <tr>
            <th>{t('notice.total')}</th>
            <td className="num">{formatYuan(n.totalFen)}</td>
            <th>{n.arrearsFen < 0 ? t('notice.prepaid') : t('notice.arrears')}</th>
            <td className="num">{formatYuan(Math.abs(n.arrearsFen))}</td>
          </tr>
          <tr>
            <th>{t('notice.amountDue')}</th>
            <td className="num due">{formatYuan(n.amountDueFen)}</td>
            <th>{t('notice.dueDate')}</th>
            <td className="due">{n.dueDate}</td>
          </tr>
        </tbody>
      </table>
      <p>{t('notice.totalKwh', { kwh: formatCenti(n.kwh) })}</p>
      {n.replacesBillNo ? <p>{t('notice.correction', { billNo: n.replacesBillNo })}</p> : null}
      <div className="foot">
        <div>
          {t('notice.channels')}：{channels.join('；')}
        </div>
        <div>
          {t('notice.issuedAt', { date: formatDate(n.issuedAt) })}　{n.bookNo && n.seq !== null ? t('notice.bookLine', { book: n.bookNo, seq: n.seq }) : ''}　
          {t('notice.hotline')}
        </div>
      </div>
    </section>
  );
}

export function NoticesPrint() {
  const { t } = useI18n();
  const [params] = useSearchParams();
  const paper: PaperSize = params.get('paper') === 'A4' ? 'A4' : 'A5';
  const bills = params.get('bills');
  const period = params.get('period');
  const book = params.get('book');
  const query = useQuery(
    'bills.notices',
    bills ? { billNos: bills.split(',') } : { ...(period ? { period } : {}), ...(book ? { bookId: book } : {}) },
  );
  const data = query.data;
  const title = data?.notices.length === 1 ? `${t('notice.title')}-${data.notices[0]?.billNo}` : `${t('notice.title')}-${period ?? ''}`;
  if (query.error) return <ErrorBanner error={query.error} />;
  if (!data) return <p className="no-print">{t('app.loading')}</p>;
  return (
    <PrintDocument size={paper} title={title}>
      <div data-print-ready="true" data-count={data.notices.length}>
        {data.notices.length === 0 ? <p role="status">{t('notice.none')}</p> : null}
        {data.notices.map((n) => (
          <Notice key={n.billId} n={n} station={data.station} channels={data.paymentChannels} />
        ))}
      </div>
    </PrintDocument>
  );
}
