import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { CustomerView, InputOf } from '../../shared/contract';
import { CUSTOMER_CLASSES, type CustomerClass } from '../../shared/customers/classes';
import { shanghaiDate } from '../../shared/time';
import { useAction, useQuery } from '../api/hooks';
import { useI18n } from '../app/i18n';
import { ErrorBanner, Field, Page, SelectField } from '../ui/widgets';
import { emptyMeterDraft, meterFromDraft, MeterInputs, type MeterDraft } from './MeterInputs';
import { DateField } from '../ui/DateField';

type Fields = Omit<InputOf<'customers.update'>, 'customerId' | 'expectedUpdatedAt'>;

interface Draft {
  name: string;
  phone: string;
  phone2: string;
  idCard: string;
  township: string;
  village: string;
  addressDetail: string;
  transformerArea: string;
  customerClass: CustomerClass;
  tariffCode: string;
  householdSize: string;
  multiPerson: boolean;
  capacityKva: string;
  openedDate: string;
  notes: string;
}

function draftOf(c: CustomerView | undefined): Draft {
  return {
    name: c?.name ?? '',
    phone: c?.phone ?? '',
    phone2: c?.phone2 ?? '',
    idCard: c?.idCardMasked ? '' : (c?.idCard ?? ''),
    township: c?.township ?? '',
    village: c?.village ?? '',
    addressDetail: c?.addressDetail ?? '',
    transformerArea: c?.transformerArea ?? '',
    customerClass: c?.customerClass ?? 'residential',
    tariffCode: c?.tariffCode ?? '',
    householdSize: c?.householdSize?.toString() ?? '',
    multiPerson: c?.multiPerson ?? false,
    capacityKva: c?.capacityKva?.toString() ?? '',
    openedDate: c?.openedDate ?? shanghaiDate(Date.now()),
    notes: c?.notes ?? '',
  };
}

const optionalInt = (text: string): number | null => (text.trim() === '' ? null : Number.isInteger(Number(text)) ? Number(text) : -1);

function fieldsOf(d: Draft): Fields {
  return {
    ...d,
    tariffCode: d.tariffCode.trim() || null,
    householdSize: optionalInt(d.householdSize),
    capacityKva: optionalInt(d.capacityKva),
  };
}

/** 新建客户 and 修改档案: one form; on a new customer the first meter can be installed at once. */
function CustomerFormBody({ customer }: { customer?: CustomerView }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const options = useQuery('customers.filterOptions', {});
  const create = useAction('customers.create');
  const update = useAction('customers.update');
  const [draft, setDraft] = useState<Draft>(() => draftOf(customer));
  const [withMeter, setWithMeter] = useState(!customer);
  const [meter, setMeter] = useState<MeterDraft>(() => emptyMeterDraft(draft.openedDate));
  const error = customer ? update.error : create.error;
  const issue = (field: string) => error?.issues?.find((i) => i.path === field)?.message;
  const set = (key: keyof Draft) => (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const fields = fieldsOf(draft);
    const result = customer
      ? await update.run({ ...fields, customerId: customer.id, expectedUpdatedAt: customer.updatedAt })
      : await create.run({ ...fields, points: withMeter ? [{ label: '', meter: meterFromDraft(meter) }] : [] });
    if (result) navigate(`/customers/${result.customer.id}`, { state: { notice: customer ? t('customers.saved') : t('customers.created', { accountNo: result.customer.accountNo, name: result.customer.name }) } });
  }

  const villages = (options.data?.places ?? []).filter((p) => !draft.township || p.township === draft.township);
  return (
    <form className="card form" onSubmit={submit} aria-label={customer ? t('customers.editTitle', { name: customer.name }) : t('customers.new')}>
      <ErrorBanner error={error} />
      <div className="form-grid">
        <Field label={t('customers.field.name')} value={draft.name} onChange={set('name')} error={issue('name')} required autoFocus />
        <Field label={t('customers.field.phone')} value={draft.phone} onChange={set('phone')} error={issue('phone')} inputMode="tel" />
        <Field label={t('customers.field.phone2')} value={draft.phone2} onChange={set('phone2')} error={issue('phone2')} inputMode="tel" />
        <Field
          label={t('customers.field.idCard')}
          value={draft.idCard}
          onChange={set('idCard')}
          error={issue('idCard')}
          placeholder={customer?.idCardMasked ? customer.idCard : ''}
          disabled={customer?.idCardMasked}
        />
        <Field label={t('customers.field.township')} value={draft.township} onChange={set('township')} error={issue('township')} list="customer-townships" required />
        <Field label={t('customers.field.village')} value={draft.village} onChange={set('village')} error={issue('village')} list="customer-villages" required />
        <Field label={t('customers.field.addressDetail')} value={draft.addressDetail} onChange={set('addressDetail')} error={issue('addressDetail')} />
        <Field label={t('customers.field.transformerArea')} value={draft.transformerArea} onChange={set('transformerArea')} error={issue('transformerArea')} list="customer-areas" required />
        <SelectField label={t('customers.field.customerClass')} value={draft.customerClass} onChange={(e) => setDraft({ ...draft, customerClass: e.target.value as CustomerClass })}>
          {CUSTOMER_CLASSES.map((c) => (
            <option key={c} value={c}>
              {t(`customers.class.${c}`)}
            </option>
          ))}
        </SelectField>
        <Field label={t('customers.field.tariffCode')} value={draft.tariffCode} onChange={set('tariffCode')} error={issue('tariffCode')} />
        <Field label={t('customers.field.householdSize')} value={draft.householdSize} onChange={set('householdSize')} error={issue('householdSize')} inputMode="numeric" />
        <Field label={t('customers.field.capacityKva')} value={draft.capacityKva} onChange={set('capacityKva')} error={issue('capacityKva')} inputMode="numeric" />
        <DateField label={t('customers.field.openedDate')} value={draft.openedDate} onChange={(value) => set('openedDate')({ target: { value } })} error={issue('openedDate')} required />
        <label className="check">
          <input type="checkbox" checked={draft.multiPerson} onChange={(e) => setDraft({ ...draft, multiPerson: e.target.checked })} />
          {t('customers.field.multiPerson')}
        </label>
      </div>
      <Field label={t('customers.field.notes')} value={draft.notes} onChange={set('notes')} error={issue('notes')} />
      <datalist id="customer-townships">
        {[...new Set((options.data?.places ?? []).map((p) => p.township))].map((x) => (
          <option key={x} value={x} />
        ))}
      </datalist>
      <datalist id="customer-villages">
        {villages.map((p) => (
          <option key={`${p.township}/${p.village}`} value={p.village} />
        ))}
      </datalist>
      <datalist id="customer-areas">
        {(options.data?.transformerAreas ?? []).map((x) => (
          <option key={x} value={x} />
        ))}
      </datalist>
      {customer ? null : (
        <fieldset className="section">
          <legend>
            <label className="check">
              <input type="checkbox" checked={withMeter} onChange={(e) => setWithMeter(e.target.checked)} />
              {t('customers.meter.withMeter')}
            </label>
          </legend>
          {withMeter ? <MeterInputs draft={meter} onChange={setMeter} error={error} prefix="points.0.meter." /> : null}
        </fieldset>
      )}
      <div className="buttons">
        <button type="submit" className="primary" disabled={create.pending || update.pending}>
          {t('common.save')}
        </button>
        <button type="button" onClick={() => navigate(-1)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

export function NewCustomerPage() {
  const { t } = useI18n();
  return (
    <Page title={t('customers.new')}>
      <CustomerFormBody />
    </Page>
  );
}

export function EditCustomerPage() {
  const { t } = useI18n();
  const { customerId = '' } = useParams();
  const detail = useQuery('customers.get', { customerId });
  return (
    <Page title={detail.data ? t('customers.editTitle', { name: detail.data.customer.name }) : t('customers.edit')}>
      <ErrorBanner error={detail.error} />
      {detail.data ? <CustomerFormBody key={detail.data.customer.updatedAt} customer={detail.data.customer} /> : null}
    </Page>
  );
}
