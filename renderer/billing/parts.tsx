import type { BillDetails, BillFlagView, BillLineView, BillStatus } from '../../shared/contract';
import { billLineLabel } from '../../shared/billing';
import type { MessageKey } from '../../shared/i18n';
import { fenToYuan, formatCenti } from '../../shared/money';
import { useI18n } from '../app/i18n';
import { formatYuan } from '../ui/format';
import { DataTable } from '../ui/DataTable';

// Pieces every billing screen shows the same way: bill lines, exception flags, problems,
// statuses, tier explanations.

export const kwhText = (centi: number | null) => (centi === null ? '' : formatCenti(centi));

export function useBillingText() {
  const { t, locale } = useI18n();
  return {
    lineLabel: (line: { kind: string; tier: number | null; touPeriod: string | null }) => billLineLabel(line, locale),
    flagText: (flag: BillFlagView) => {
      const p = flag.params;
      const params: Record<string, string | number> = { ...p };
      if (typeof p.averageFen === 'number') params.average = fenToYuan(p.averageFen);
      if (typeof p.amountFen === 'number') params.amount = fenToYuan(p.amountFen);
      return t(`billing.flag.${flag.code}` as MessageKey, params);
    },
    problemText: (code: string, detail: string) => t(`billing.problem.${code}` as MessageKey, { detail }),
    statusText: (status: BillStatus) => t(`billing.status.${status}`),
    classText: (customerClass: string) => t(`billing.class.${customerClass}` as MessageKey),
    tierText: (details: BillDetails) => {
      const tiers = details.tiers;
      if (!tiers) return null;
      const base =
        tiers.basis === 'annual'
          ? t('billing.bill.tiersAnnual', {
              start: tiers.tierYearStart ?? '',
              t1: tiers.bounds[0],
              t2: tiers.bounds[1],
              before: formatCenti(tiers.cumulativeBefore ?? 0),
            })
          : t('billing.bill.tiersMonthly', { t1: tiers.bounds[0], t2: tiers.bounds[1] });
      const prorated = tiers.months !== null && tiers.months < 12 ? t('billing.bill.tiersProrated', { months: tiers.months }) : '';
      const multi = tiers.household === 'multi' ? `（${t('billing.bill.tiersMulti')}）` : '';
      const split = t('billing.bill.tierSplit', { k1: formatCenti(tiers.kwh[0]), k2: formatCenti(tiers.kwh[1]), k3: formatCenti(tiers.kwh[2]) });
      return `${base}${prorated}${multi}。${split}`;
    },
  };
}

/** A bill's lines as a table a clerk can read out to the customer. */
export function LinesTable({ lines, totalFen, label, details }: { lines: BillLineView[]; totalFen: number; label: string; details?: BillDetails | undefined }) {
  const { t } = useI18n();
  const text = useBillingText();
  const pf = details?.powerFactor;
  return (
    <DataTable
      label={label}
      className="lines"
      counted={false}
      sorting={false}
      rows={lines}
      rowKey={(l) => String(l.lineNo)}
      columns={[
        {
          id: 'item',
          header: t('billing.line.item'),
          value: (l) => text.lineLabel(l),
          render: (l) => (
            <>
              {text.lineLabel(l)}
              {l.kind === 'power_factor' && pf ? <small className="muted"> {t('billing.line.powerFactorNote', { value: pf.value, standard: pf.standard, percent: pf.percent })}</small> : null}
            </>
          ),
          footer: t('billing.summary.total'),
        },
        { id: 'quantity', header: t('billing.line.quantity'), kind: 'quantity', value: (l) => l.quantity },
        { id: 'unit', header: t('billing.line.unit'), value: (l) => l.unit ?? '' },
        { id: 'price', header: t('billing.line.price'), kind: 'number', value: (l) => l.unitPrice ?? '' },
        { id: 'amount', header: t('billing.line.amount'), kind: 'money', value: (l) => l.amountFen, total: totalFen },
      ]}
    />
  );
}

export function StatusBadge({ status }: { status: BillStatus }) {
  const text = useBillingText();
  return <span className={`badge badge-${status}`}>{text.statusText(status)}</span>;
}

export function Flags({ flags }: { flags: BillFlagView[] }) {
  const text = useBillingText();
  if (flags.length === 0) return null;
  return (
    <ul className="flags">
      {flags.map((f) => (
        <li key={f.code}>{text.flagText(f)}</li>
      ))}
    </ul>
  );
}

/** The current month in Asia/Shanghai, the default period of the billing screens. */
export function currentPeriod(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
}
