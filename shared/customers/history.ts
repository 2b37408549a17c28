import type { TimelineEvent } from '../contract';
import { hasMessage, type MessageKey, type MessageParams } from '../i18n';

// A customer file's history (客户档案变更记录) said in words, the same on the customer page and in
// `griddesk customers history`: what changed (old → new), meter work (装表/换表/拆表) with its
// readings and date, the filing. The caller's `t` picks the language.

type Say = (key: MessageKey, params?: MessageParams) => string;

/** The summary's field names → their form labels. */
export const HISTORY_FIELD_KEYS: Record<string, MessageKey> = {
  name: 'customers.field.name',
  phone: 'customers.field.phone',
  phone2: 'customers.field.phone2',
  idCard: 'customers.field.idCard',
  township: 'customers.field.township',
  village: 'customers.field.village',
  addressDetail: 'customers.field.addressDetail',
  transformerArea: 'customers.field.transformerArea',
  customerClass: 'customers.field.customerClass',
  tariffCode: 'customers.field.tariffCode',
  householdSize: 'customers.field.householdSize',
  multiPerson: 'customers.field.multiPerson',
  capacityKva: 'customers.field.capacityKva',
  openedDate: 'customers.field.openedDate',
  notes: 'customers.field.notes',
  status: 'customers.field.status',
};

/** The event's name: 修改客户档案, 换表… (an action no desk names is shown as its code). */
export function historyAction(e: Pick<TimelineEvent, 'action'>, t: Say): string {
  const key = `audit.action.${e.action}`;
  return hasMessage(key) ? t(key) : e.action;
}

function shown(field: string, value: unknown, t: Say): string {
  if (value === null || value === undefined || value === '') return '—';
  const code = String(value);
  if (field === 'status' && hasMessage(`customers.status.${code}`)) return t(`customers.status.${code}` as MessageKey);
  if (field === 'customerClass' && hasMessage(`customers.class.${code}`)) return t(`customers.class.${code}` as MessageKey);
  if (typeof value === 'boolean') return t(value ? 'common.yes' : 'common.no');
  return typeof value === 'object' ? JSON.stringify(value) : code;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const withReason = (text: string, reason: unknown): string => (str(reason) ? `${text} ${str(reason)}` : text);

/**
 * What the event did, in a line: each changed field as `label: old → new`, a meter's readings and
 * date, the import file. A summary of a shape this does not know (another desk's event) is shown
 * as its fields, never dropped.
 */
export function historyEventText(e: Pick<TimelineEvent, 'action' | 'summary'>, t: Say): string {
  const s = e.summary;
  const changes = s.changes as Record<string, [unknown, unknown]> | undefined;
  if (changes && typeof changes === 'object') {
    const parts = Object.entries(changes).map(([field, pair]) => {
      const [before, after] = Array.isArray(pair) ? pair : [undefined, pair];
      return t('customers.history.field', { field: HISTORY_FIELD_KEYS[field] ? t(HISTORY_FIELD_KEYS[field]) : field, before: shown(field, before, t), after: shown(field, after, t) });
    });
    if (str(s.date)) parts.push(t('customers.history.onDate', { date: str(s.date) }));
    if (str(s.reason)) parts.push(str(s.reason));
    return parts.join(t('customers.history.separator'));
  }
  switch (e.action) {
    case 'meter.install':
      return t('customers.history.meterInstall', { meterNo: str(s.meterNo), start: str(s.startReading), date: str(s.date) });
    case 'meter.replace':
      return withReason(t('customers.history.meterReplace', { oldMeterNo: str(s.oldMeterNo), final: str(s.finalReading), newMeterNo: str(s.newMeterNo), start: str(s.startReading), date: str(s.date) }), s.reason);
    case 'meter.remove':
      return withReason(t('customers.history.meterRemove', { meterNo: str(s.meterNo), final: str(s.finalReading), date: str(s.date) }), s.reason);
    case 'customers.import':
      return t('customers.history.importedFrom', { file: str(s.file) });
    case 'customer.create':
      return [s.accountNo, s.name, s.address].map(str).filter(Boolean).join(' ');
    default:
      return Object.entries(s)
        .filter(([k]) => k !== 'customerId')
        .map(([k, v]) => `${k}=${shown(k, v, t)}`)
        .join(' ');
  }
}
