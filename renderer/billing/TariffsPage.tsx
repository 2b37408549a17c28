import { useState, type ChangeEvent } from 'react';
import type { OutputOf, TariffVersionRow } from '../../shared/contract';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { formatTime } from '../ui/format';
import { ErrorBanner, Notice, Page } from '../ui/widgets';
import { useBillingText } from './parts';

type Prices = Record<string, string | undefined>;

/** A tariff version's prices in one line: 峰 0.72 / 平 0.55 / 谷 0.31 + 第二档加价 0.05 … */
function pricesText(row: TariffVersionRow, t: ReturnType<typeof useI18n>['t']): string {
  const d = row.definition as {
    energy?: Prices;
    tiers?: { basis: string; increments?: string[]; prices?: Prices[] };
    capacityCharge?: string;
    demandCharge?: string;
    powerFactorStandard?: string;
  };
  const energy = (prices: Prices) =>
    Object.entries(prices)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => (k === 'flat' && Object.keys(prices).length === 1 ? String(v) : `${t(`billing.tou.${k}` as 'billing.tou.peak')} ${v}`))
      .join(' / ');
  const parts: string[] = [];
  if (d.energy) parts.push(energy(d.energy));
  if (d.tiers?.prices) parts.push(d.tiers.prices.map((p, i) => `${t('billing.line.tier', { n: i + 1 })}: ${energy(p)}`).join('；'));
  if (d.tiers?.increments) {
    parts.push(
      d.tiers.increments
        .map((inc, i) => (inc === '0' ? '' : `${t('billing.line.increment', { n: i + 1 })} ${inc}`))
        .filter(Boolean)
        .join('，'),
    );
  }
  if (d.capacityCharge) parts.push(t('tariffs.capacity', { price: d.capacityCharge }));
  if (d.demandCharge) parts.push(t('tariffs.demand', { price: d.demandCharge }));
  if (d.powerFactorStandard) parts.push(t('tariffs.pf', { standard: d.powerFactorStandard }));
  return parts.filter(Boolean).join('；');
}

/** 电价目录: what head office sent, versions with effective dates; the administrator loads files. */
export function TariffsPage() {
  const { t } = useI18n();
  const session = useSession();
  const text = useBillingText();
  const list = useQuery('tariffs.list', {});
  const check = useAction('tariffs.check');
  const load = useAction('tariffs.import');
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [checked, setChecked] = useState<OutputOf<'tariffs.check'>>();
  const [notice, setNotice] = useState<string>();

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const chosen = event.target.files?.[0];
    setChecked(undefined);
    setNotice(undefined);
    if (!chosen) return;
    const content = await chosen.text();
    setFile({ name: chosen.name, text: content });
    const result = await check.run({ text: content });
    if (result) setChecked(result);
  }

  async function confirm() {
    if (!file) return;
    const result = await load.run({ text: file.text, fileName: file.name });
    if (result) {
      setNotice(t('tariffs.imported', result));
      setChecked(undefined);
      setFile(undefined);
      list.reload();
    }
  }

  const counts = checked ? { new: checked.tariffs.filter((x) => x.status === 'new').length + checked.policies.filter((x) => x.status === 'new').length, same: checked.tariffs.filter((x) => x.status === 'same').length } : null;

  return (
    <Page title={t('tariffs.title')}>
      <p className="muted">{t('tariffs.readOnly')}</p>
      <Notice>{notice}</Notice>
      <ErrorBanner error={list.error} />
      {session.can('tariffs.import') ? (
        <section className="card" aria-label={t('tariffs.load')}>
          <h2>{t('tariffs.load')}</h2>
          <div className="field">
            <label htmlFor="tariff-file">{t('tariffs.file')}</label>
            <input id="tariff-file" type="file" accept=".json,application/json" onChange={(e) => void choose(e)} />
          </div>
          <ErrorBanner error={check.error ?? load.error} />
          {checked && !checked.ok ? (
            <div className="banner banner-error" role="alert">
              <strong>{t('tariffs.problems')}</strong>
              <ul>
                {checked.problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            </div>
          ) : null}
          {checked?.ok && counts ? (
            <>
              <p role="status">{t('tariffs.checked', counts)}</p>
              <table className="table" aria-label={t('tariffs.file')}>
                <tbody>
                  {checked.tariffs.map((x) => (
                    <tr key={`${x.code}@${x.effectiveFrom}`}>
                      <td>{x.code}</td>
                      <td>{x.name}</td>
                      <td>{x.effectiveFrom}</td>
                      <td>{t(`tariffs.status.${x.status}`)}</td>
                    </tr>
                  ))}
                  {checked.policies.map((x) => (
                    <tr key={`policy@${x.effectiveFrom}`}>
                      <td colSpan={2}>{t('tariffs.policy')}</td>
                      <td>{x.effectiveFrom}</td>
                      <td>{t(`tariffs.status.${x.status}`)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <button type="button" className="primary" onClick={() => void confirm()} disabled={load.pending || counts.new === 0}>
                {t('tariffs.import')}
              </button>
            </>
          ) : null}
        </section>
      ) : null}

      <table className="table" aria-label={t('tariffs.title')}>
        <thead>
          <tr>
            <th>{t('tariffs.code')}</th>
            <th>{t('tariffs.name')}</th>
            <th>{t('tariffs.class')}</th>
            <th>{t('tariffs.effectiveFrom')}</th>
            <th>{t('tariffs.prices')}</th>
            <th className="num">{t('tariffs.customers')}</th>
            <th>{t('tariffs.importedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.rows ?? []).map((r) => (
            <tr key={`${r.code}@${r.effectiveFrom}`} className={r.inForce ? undefined : 'inactive'}>
              <td className="mono">{r.code}</td>
              <td>
                {r.name} {r.inForce ? <span className="badge badge-issued">{t('tariffs.inForce')}</span> : null}
              </td>
              <td>{text.classText(r.customerClass)}</td>
              <td>{r.effectiveFrom}</td>
              <td>{pricesText(r, t)}</td>
              <td className="num">{r.customers}</td>
              <td className="nowrap">{formatTime(r.importedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('tariffs.policy')}</h2>
      <table className="table" aria-label={t('tariffs.policy')}>
        <thead>
          <tr>
            <th>{t('tariffs.effectiveFrom')}</th>
            <th>{t('tariffs.policy.dueDays')}</th>
            <th>{t('tariffs.policy.highFactor')}</th>
            <th>{t('tariffs.policy.averageMonths')}</th>
            <th>{t('tariffs.policy.channels')}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.policies ?? []).map((p) => (
            <tr key={p.effectiveFrom} className={p.inForce ? undefined : 'inactive'}>
              <td>
                {p.importedAt === null ? t('tariffs.policy.default') : p.effectiveFrom} {p.inForce ? <span className="badge badge-issued">{t('tariffs.inForce')}</span> : null}
              </td>
              <td>{p.dueDays}</td>
              <td>×{p.highBillFactor}</td>
              <td>{p.averageMonths}</td>
              <td>{p.paymentChannels.length ? p.paymentChannels.join('；') : t('notice.defaultChannels')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
