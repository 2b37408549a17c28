import { useEffect, useState, type ChangeEvent } from 'react';
import type { OutputOf, TariffVersionRow } from '../../shared/contract';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { useSession } from '../app/session';
import { ErrorBanner, Notice, Page } from '../ui/widgets';
import { useBillingText } from './parts';
import { DataTable } from '../ui/DataTable';

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
  const { t, locale } = useI18n();
  const session = useSession();
  const text = useBillingText();
  const list = useQuery('tariffs.list', {});
  const check = useAction('tariffs.check');
  const load = useAction('tariffs.import');
  const [file, setFile] = useState<{ name: string; text: string }>();
  const [checked, setChecked] = useState<OutputOf<'tariffs.check'>>();
  const [notice, setNotice] = useState<string>();

  // The back end words the file's problems in the caller's language: check again when it changes.
  useEffect(() => {
    if (!file) return;
    let current = true;
    void check.run({ text: file.text }).then((result) => {
      if (result && current) setChecked(result);
    });
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only a language switch re-checks; choosing a file checks in choose()
  }, [locale]);

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
              <DataTable
                label={t('tariffs.file')}
                counted={false}
                sorting={false}
                rows={[
                  ...checked.tariffs.map((x) => ({ key: `${x.code}@${x.effectiveFrom}`, code: x.code, name: x.name, effectiveFrom: x.effectiveFrom, status: x.status })),
                  ...checked.policies.map((x) => ({ key: `policy@${x.effectiveFrom}`, code: t('tariffs.policy'), name: '', effectiveFrom: x.effectiveFrom, status: x.status })),
                ]}
                rowKey={(x) => x.key}
                columns={[
                  { id: 'code', header: t('tariffs.code'), value: (x) => x.code },
                  { id: 'name', header: t('tariffs.name'), value: (x) => x.name },
                  { id: 'effectiveFrom', header: t('tariffs.effectiveFrom'), kind: 'date', value: (x) => x.effectiveFrom },
                  { id: 'status', header: t('common.status'), value: (x) => t(`tariffs.status.${x.status}`) },
                ]}
              />
              <button type="button" className="primary" onClick={() => void confirm()} disabled={load.pending || counts.new === 0}>
                {t('tariffs.import')}
              </button>
            </>
          ) : null}
        </section>
      ) : null}

      <DataTable
        label={t('tariffs.title')}
        exportName={t('tariffs.title')}
        rows={list.data?.rows}
        rowKey={(r) => `${r.code}@${r.effectiveFrom}`}
        rowClassName={(r) => (r.inForce ? undefined : 'inactive')}
        columns={[
          { id: 'code', header: t('tariffs.code'), value: (r) => r.code, className: 'mono' },
          {
            id: 'name',
            header: t('tariffs.name'),
            value: (r) => r.name,
            render: (r) => (
              <>
                {r.name} {r.inForce ? <span className="badge badge-issued">{t('tariffs.inForce')}</span> : null}
              </>
            ),
          },
          { id: 'class', header: t('tariffs.class'), value: (r) => text.classText(r.customerClass) },
          { id: 'effectiveFrom', header: t('tariffs.effectiveFrom'), kind: 'date', value: (r) => r.effectiveFrom },
          { id: 'prices', header: t('tariffs.prices'), value: (r) => pricesText(r, t) },
          { id: 'customers', header: t('tariffs.customers'), kind: 'number', value: (r) => r.customers },
          { id: 'importedAt', header: t('tariffs.importedAt'), kind: 'time', value: (r) => r.importedAt },
        ]}
      />

      <h2>{t('tariffs.policy')}</h2>
      <DataTable
        label={t('tariffs.policy')}
        counted={false}
        rows={list.data?.policies}
        rowKey={(p) => p.effectiveFrom}
        rowClassName={(p) => (p.inForce ? undefined : 'inactive')}
        columns={[
          {
            id: 'effectiveFrom',
            header: t('tariffs.effectiveFrom'),
            value: (p) => (p.importedAt === null ? t('tariffs.policy.default') : p.effectiveFrom),
            render: (p) => (
              <>
                {p.importedAt === null ? t('tariffs.policy.default') : p.effectiveFrom} {p.inForce ? <span className="badge badge-issued">{t('tariffs.inForce')}</span> : null}
              </>
            ),
          },
          { id: 'dueDays', header: t('tariffs.policy.dueDays'), kind: 'number', value: (p) => p.dueDays },
          { id: 'highFactor', header: t('tariffs.policy.highFactor'), kind: 'number', value: (p) => `×${p.highBillFactor}` },
          { id: 'averageMonths', header: t('tariffs.policy.averageMonths'), kind: 'number', value: (p) => p.averageMonths },
          { id: 'channels', header: t('tariffs.policy.channels'), value: (p) => (p.paymentChannels.length ? p.paymentChannels.join('；') : t('notice.defaultChannels')) },
        ]}
      />
    </Page>
  );
}
